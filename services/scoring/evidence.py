"""Finds the rubric's signals in free-text interview notes, with negation.

Interviewers paraphrase, so each signal is a small set of patterns for one concept
(`schemas/data/rubric.toml`), not one phrase. What the notes *deny* matters as much as
what they say: "could not explain what a composite index is" is evidence against the
candidate, and "would never store passwords in plain text" is no red flag. A match is
negated when a negation cue stands before it in the same clause, close enough and not
cut off by a scope breaker ("without duplicates *via* idempotency keys").

Pure and deterministic: the same notes and rubric always give the same signals, in
the order they appear in the notes.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from schemas.events import Signal
from schemas.rubric import Negation, Rubric
from schemas.scales import Competency

_CLAUSE_END = re.compile(
    r"[.;!?]+(?=\s|$)|\n|\b(?:but|however|although|though|whereas)\b",
    re.IGNORECASE,
)
QUOTE_MAX_CHARS = 160


@dataclass(frozen=True)
class _CompiledSignal:
    id: str
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class _CompiledNegation:
    window_words: int
    cue: re.Pattern[str]
    breaker: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    """A rubric's signal patterns compiled once, per competency."""

    signals: dict[Competency, tuple[_CompiledSignal, ...]]
    negation: _CompiledNegation


@functools.cache
def compile_lexicon(rubric: Rubric) -> Lexicon:
    signals = {
        c.id: tuple(
            _CompiledSignal(
                id=rule.id,
                kind=rule.kind,
                pattern=re.compile("|".join(f"(?:{p})" for p in rule.patterns), re.IGNORECASE),
            )
            for rule in c.signals
        )
        for c in rubric.competencies
    }
    return Lexicon(signals=signals, negation=_compile_negation(rubric.negation))


def _compile_negation(negation: Negation) -> _CompiledNegation:
    breaker = "|".join(f"(?:{b})" for b in negation.scope_breakers)
    return _CompiledNegation(
        window_words=negation.window_words,
        cue=re.compile("|".join(f"(?:{c})" for c in negation.cues), re.IGNORECASE),
        breaker=re.compile(breaker, re.IGNORECASE) if breaker else None,
    )


def find_signals(notes: str, competency: Competency, lexicon: Lexicon) -> list[Signal]:
    """Every signal of `competency` found in `notes`, negation applied, first mention kept."""
    if not notes.strip():
        return []
    clause_starts = [0] + [m.end() for m in _CLAUSE_END.finditer(notes)]
    found: dict[tuple[str, str], tuple[int, Signal]] = {}
    for rule in lexicon.signals[competency]:
        for match in rule.pattern.finditer(notes):
            clause_start = clause_starts[bisect.bisect_right(clause_starts, match.start()) - 1]
            negated = _is_negated(notes[clause_start : match.start()], lexicon.negation)
            kind = _kind_after_negation(rule.kind, negated)
            if kind is None:
                continue
            key = (kind, rule.id)
            if key not in found:
                quote = _quote(notes, clause_start, clause_starts, match)
                found[key] = (match.start(), Signal(kind=kind, signal=rule.id, quote=quote))
    return [signal for _, signal in sorted(found.values(), key=lambda item: (item[0], item[1].signal))]


def _kind_after_negation(kind: str, negated: bool) -> str | None:
    if not negated:
        return kind
    # A denied strength is a weakness; a denied weakness or red flag is no evidence.
    return "weak" if kind == "strong" else None


def _is_negated(before: str, negation: _CompiledNegation) -> bool:
    words = before.split()
    window = " ".join(words[-negation.window_words :]) if words else ""
    cues = list(negation.cue.finditer(window))
    if not cues:
        return False
    if negation.breaker is None:
        return True
    return negation.breaker.search(window, cues[-1].end()) is None


def _quote(notes: str, clause_start: int, clause_starts: list[int], match: re.Match[str]) -> str:
    """The clause around the match, trimmed to a readable length around the matched words."""
    following = bisect.bisect_right(clause_starts, match.start())
    clause_end = clause_starts[following] if following < len(clause_starts) else len(notes)
    start, end = clause_start, clause_end
    if end - start > QUOTE_MAX_CHARS:
        middle = (match.start() + match.end()) // 2
        start = max(start, middle - QUOTE_MAX_CHARS // 2)
        end = min(end, start + QUOTE_MAX_CHARS)
    return " ".join(notes[start:end].split()).strip(" .;!?,")
