"""Write :mod:`ui.common.i18n_labels` from the label tables it spells out.

lupdate only collects string literals, so the labels the interface translates
from variables (enum labels, dictionaries of names) are listed in
``ui/common/i18n_labels.py`` as ``QT_TRANSLATE_NOOP`` lines. This script imports the
tables named in :data:`TABLES` and writes that file anew, one line per label in
the tables' order (a label repeated within one context is written once)::

    .venv/bin/python -m ui.common.i18n_labels_gen           # rewrite ui/common/i18n_labels.py
    .venv/bin/python -m ui.common.i18n_labels_gen --check   # exit 1 if it is out of date

``python -m ui.common.i18n_update --check`` runs the same check. After a rewrite run
``python -m ui.common.i18n_update``, translate the new messages, and ``--release``.
"""
from __future__ import annotations

import argparse
import enum
import importlib
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("hall.i18n_labels_gen")
TARGET = Path(__file__).with_name("i18n_labels.py")

#: (translation context, where the labels come from: ``module:attribute``, …).
#: The context is the one the interface passes to ``translate(context, label)``.
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Roles", ("hall.domain.roles:ROLE_LABELS",)),
    ("Weekdays", ("hall.domain.workcalendar:WEEKDAY_NAMES",)),
    ("PriorityReasons", ("hall.domain.queue:PRIORITY_LABELS",)),
    ("TicketStatus", ("hall.domain.queue:STATUS_LABELS",)),
    ("Outcomes", ("hall.domain.queue:OUTCOMES",)),
    ("Side", ("hall.domain.cases:Side",)),
    ("PartyKind", ("hall.domain.cases:PartyKind",)),
    ("ReferralKind", ("hall.domain.cases:ReferralKind",)),
    ("ReferralState", ("hall.domain.cases:ReferralState",)),
    ("Category", ("hall.domain.cases:Category",)),
    ("Source", ("hall.domain.cases:Source",)),
    ("RiskLevel", ("hall.domain.cases:RiskLevel",)),
    ("CaseState", ("hall.domain.cases:CaseState",)),
    ("FollowUpMethod", ("hall.domain.cases:FollowUpMethod",)),
    ("Performance", ("hall.domain.cases:Performance",)),
    ("AgreementState", ("hall.domain.cases:AgreementState",)),
    ("ParticipantRole", ("hall.domain.cases:ParticipantRole",)),
    ("Presence", ("hall.domain.cases:Presence",)),
    ("IdentityMethod", ("hall.domain.cases:IdentityMethod",)),
    ("SessionMode", ("hall.domain.cases:SessionMode",)),
    ("SessionOutcome", ("hall.domain.cases:SessionOutcome",)),
    ("SignMethods", ("hall.domain.cases:SIGN_METHODS",)),
    ("PaymentMethods", ("ui.mediation.agreement:METHODS",)),
    ("Termination", ("hall.domain.cases:TERMINATION_NOTICE",)),
    ("Minutes", ("ui.mediation.session:MINUTES_LABELS", "hall.domain.cases:MINUTES_FIELDS")),
    ("WindowStates", ("ui.window.workspace:STATE_LABELS",)),
    ("Holidays", ("ui.centre.admin_accounts:HOLIDAY_NAMES",)),
    ("AmountsPage", ("ui.centre.admin_accounts:AmountsPage.AMOUNTS",)),
    ("RatingForm", ("hall.services.satisfaction:RATING_LABELS",)),
    ("RatingForm", ("hall.services.satisfaction:REASON_TAGS",)),
    ("CaseRegister", ("ui.arbitration.cases:HEARING_STATES",)),
    ("AdminFields", ("hall.services.admin:PROFILE_FIELDS", "hall.services.admin:ROOM_KINDS")),
    ("ArbitrationState", ("hall.domain.arbitration:CaseState",)),
    ("PetitionState", ("hall.domain.petitions:PetitionState",)),
)


def _resolve(ref: str) -> Any:
    module, _, path = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def labels_of(table: Any) -> Iterator[str]:
    """The Chinese labels a table holds, in its order.

    An enum class gives its members' ``label``; a mapping its values; a tuple
    of strings itself; a tuple of rows the text fields after the row's keys
    (``(key, label)`` pairs, ``(setting, key, label, unit, note)`` rows); an
    object with a ``label`` its label.
    """
    if isinstance(table, str):
        yield table
    elif isinstance(table, type) and issubclass(table, enum.Enum):
        for member in table:
            yield str(member.label)  # type: ignore[attr-defined]
    elif isinstance(table, dict):
        for value in table.values():
            yield from labels_of(value)
    elif isinstance(table, (tuple, list)):
        for item in table:
            if isinstance(item, tuple):
                yield from (text for text in item if isinstance(text, str) and not text.isascii())
            else:
                yield from labels_of(item)
    elif hasattr(table, "label"):
        yield str(table.label)
    else:
        raise TypeError(f"no labels in {table!r}")


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))


def render() -> str:
    """The text of ``ui/common/i18n_labels.py`` for the tables as they are now."""
    lines = [HEADER, "LABELS = ("]
    for context, refs in TABLES:
        lines.append(f"    # {context}: {' and '.join(refs)}")
        for text in _unique(t for ref in refs for t in labels_of(_resolve(ref))):
            literal = text.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'    QT_TRANSLATE_NOOP("{context}", "{literal}"),')
    lines.append(")")
    return "\n".join(lines) + "\n"


def out_of_date() -> bool:
    return TARGET.read_text(encoding="utf-8") != render()


HEADER = '''"""Labels the interface translates from variables, for lupdate.

Code such as ``translate("TicketStatus", status.label)`` translates a text kept in a
table (``hall/domain`` enums and dictionaries, or tables in ``ui`` itself), and
lupdate only collects string literals. This module spells every such label out
as ``QT_TRANSLATE_NOOP("Context", "...")`` so that ``python -m ui.common.i18n_update``
puts it in ``resources/i18n/hall_en.ts``. It is never imported at run time.

Written by ``python -m ui.common.i18n_labels_gen`` from the tables named in each
comment; do not edit by hand. After changing a label table run it, then
``python -m ui.common.i18n_update``, translate the new messages and run it with
``--release`` (see :mod:`ui.common.i18n`).
"""
from __future__ import annotations

from ui.qt import QT_TRANSLATE_NOOP
'''


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.common.i18n_labels_gen", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if ui/common/i18n_labels.py is out of date")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.check:
        if out_of_date():
            log.error("ui/common/i18n_labels.py is out of date: run python -m ui.common.i18n_labels_gen")
            return 1
        return 0
    TARGET.write_text(render(), encoding="utf-8")
    log.info("%s written", TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
