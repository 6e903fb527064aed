"""Which service a visitor's few words point to (the front desk's 诉求 line).

The rules are data, kept with the centre's setup (``keyword_rules`` in
``resources/demo/centre.json``): a list of ``{"service": code, "words": [...]}``.
The scoring is meant to be explained to the clerk in one sentence:

* a rule matches when one of its words occurs in the text;
* its score is the number of characters of the text that its words cover,
  so a longer match weighs more ("拖欠工资" covers four characters, "工资"
  two) and a word inside a longer matched word of the same rule adds nothing;
* rules are ranked by score, ties keep the order of the rules.

Text and words are compared after NFKC normalisation (full-width letters
typed with a Chinese input method) and case folding; spaces are ignored.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Suggestion", "suggest_services"]


@dataclass(frozen=True)
class Suggestion:
    service_code: str
    score: int                      # characters of the text covered by the rule's words
    matched_words: tuple[str, ...]  # as written in the rule, in the order they occur in the text


def _norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(s.split())


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    out, start = [], text.find(word)
    while start != -1:
        out.append((start, start + len(word)))
        start = text.find(word, start + 1)
    return out


def _score_rule(text: str, words: Iterable[str]) -> tuple[int, tuple[str, ...]]:
    spans: list[tuple[int, int, str]] = []
    for raw in words:
        word = _norm(raw)
        if word:
            spans.extend((a, b, str(raw).strip()) for a, b in _occurrences(text, word))
    if not spans:
        return 0, ()
    # A match strictly inside a longer match of the same rule is not a word of its own.
    kept = [s for s in spans
            if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)]
    covered: set[int] = set()
    for a, b, _ in kept:
        covered.update(range(a, b))
    words_in_order = tuple(dict.fromkeys(w for _, _, w in sorted(kept)))
    return len(covered), words_in_order


def suggest_services(text: str | None, rules: Iterable[Mapping[str, Any]]) -> list[Suggestion]:
    """Services whose keywords occur in ``text``, best first.

    ``rules`` is the centre's keyword rules; a rule without a service code
    or without words is skipped, as is a service named twice (its first rule
    counts). Pure: no I/O.

    >>> [s.service_code for s in suggest_services("邻居漏水", [
    ...     {"service": "housing", "words": ["漏水"]},
    ...     {"service": "mediation", "words": ["邻居"]}])]
    ['housing', 'mediation']
    """
    norm = _norm(text)
    if not norm:
        return []
    scored: list[tuple[int, int, Suggestion]] = []
    seen: set[str] = set()
    for order, rule in enumerate(rules or ()):
        code = str(rule.get("service") or "").strip()
        words = rule.get("words") or ()
        if isinstance(words, str):
            words = (words,)
        if not code or code in seen:
            continue
        seen.add(code)
        score, matched = _score_rule(norm, words)
        if score:
            scored.append((-score, order, Suggestion(code, score, matched)))
    scored.sort(key=lambda item: item[:2])
    return [s for _, _, s in scored]
