"""Typed document facts: what a service hands the renderers.

A service gathers the facts of a document (checking the actor's permission
and masking what the actor may not see) and builds one of the frozen
dataclasses of ``reports.facts*``: :class:`CentreProfile` here for the
centre's header, :class:`reports.facts_mediation.MediationFacts` for people's
mediation, :class:`reports.facts_arbitration.ArbitrationFacts` for labour
arbitration, :class:`reports.facts_petition.PetitionFacts` for petitions. A
missing or misspelt field is then a type error where the facts are built,
not a blank on the paper. The free-text readers the families share
(:func:`text_lines`, :func:`speaker_lines`) are here too.

The facts check themselves: anything a document cannot be made without (a
petition with no decision) raises :class:`MissingFacts`, whose message is
Chinese and names what is missing. Nothing here calls a service or touches
the database.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reports.docmodel import Centre

__all__ = ["MissingFacts", "CentreProfile", "full_number", "text_lines", "speaker_lines"]


class MissingFacts(ValueError):
    """The facts given cannot make this document (the message says why, in Chinese)."""


def full_number(value: str) -> str:
    """An ID or phone number as printed: a masked one (the actor may not see it) is left off."""
    text = value.strip()
    return "" if "*" in text or "＊" in text else text


def text_lines(text: str, *, split_semicolons: bool = False) -> list[str]:
    """Non-empty lines of a free text (and its ；-separated parts when asked)."""
    parts = re.split(r"[\r\n]+" + ("|[；;]" if split_semicolons else ""), text or "")
    return [p.strip() for p in parts if p and p.strip()]


_SPEAKER = re.compile(r"^\s*([^：:，。；\s]{1,12})[：:]\s*(.*)$")


def speaker_lines(text: str) -> list[tuple[str, str]]:
    """``调解员：……`` / ``仲裁员：……`` lines of a record as (speaker, text); a
    line without a speaker continues the one before."""
    out: list[tuple[str, str]] = []
    for line in text_lines(text):
        m = _SPEAKER.match(line)
        if m and m.group(2):
            out.append((m.group(1), m.group(2).strip()))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line)
        else:
            out.append(("记录", line))
    return out


@dataclass(frozen=True, kw_only=True)
class CentreProfile:
    """The parts of the centre's profile (setting ``centre.profile``) printed on documents."""

    name: str = ""
    address: str = ""
    phone: str = ""
    mediation_committee: str = ""
    arbitration_commission: str = ""
    petition_office: str = ""
    petition_review_body: str = ""
    #: ``None``: the profile says nothing and the default （印章） is printed.
    seal_text: str | None = None
    basic_court: str = ""

    @classmethod
    def from_mapping(cls, profile: Mapping[str, Any] | None) -> CentreProfile:
        """The profile as stored (a dict; unknown keys are ignored, blanks are empty)."""
        p = dict(profile or {})
        kw: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            value = p.get(f.name)
            if f.name == "seal_text":
                kw[f.name] = None if value is None else str(value)
            else:
                kw[f.name] = str(value or "")
        return cls(**kw)

    def centre(self, *, committee: str = "", commission: str = "", name: str = "", address: str = "",
               phone: str = "") -> Centre:
        """The bodies named on the documents; explicit arguments (what a service already resolved) win."""
        centre_name = name or self.name
        kw: dict[str, Any] = {}
        if self.seal_text is not None:
            kw["seal_text"] = self.seal_text
        if self.basic_court:
            kw["basic_court"] = self.basic_court
        return Centre(
            name=centre_name,
            committee_name=committee or self.mediation_committee
            or (centre_name + "人民调解委员会" if centre_name else "人民调解委员会"),
            arbitration_commission=commission or self.arbitration_commission or "劳动人事争议仲裁委员会",
            address=address or self.address,
            phone=phone or self.phone,
            petition_office=self.petition_office,
            **kw,
        )
