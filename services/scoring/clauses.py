"""Cuts interview notes into clauses: the unit in which a negation or a judgement applies.

Interviewers write sentences, bullets, asides in parentheses and dashes, and contrasts
("knew the term, but could not apply it"). A negation or a "with a lot of hints" reaches
to the end of its clause and no further; a contrast word starts a new clause and remembers
that it did, so a gap after "but" can take back the claim before it.

Offsets are positions in the original text, never in a lowered copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_BOUNDARY = re.compile(
    r"(?P<end>(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)(?<!\bapprox)(?:[!?]+|(?<!\.)\.(?!\.))(?=\s|$)|\n\s*|;|\s[-–—]{1,2}\s|[–—]|\s-{2}|[()\[\]]|:\s)"
    r"|(?P<contrast>\b(?:but|however|although|though|whereas|yet|except that|other than that|apart from that)\b)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"\s*(?:[-*•·>]+|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    contrast: bool
    """Whether the clause opens with a contrast word ("but", "however", "though")."""


def fold_case(text: str) -> str:
    """ASCII lower case of the same length as `text`: safe for offsets (unlike str.lower())."""
    return text.translate(_ASCII_LOWER)


def split_clauses(notes: str) -> list[Clause]:
    """The clauses of `notes`, in order, covering every non-blank stretch of text."""
    clauses: list[Clause] = []
    start, contrast = 0, False
    for boundary in _BOUNDARY.finditer(notes):
        if boundary.group("contrast"):
            _add(clauses, notes, start, boundary.start(), contrast)
            start, contrast = boundary.start(), True
        else:
            _add(clauses, notes, start, boundary.start(), contrast)
            start, contrast = boundary.end(), False
    _add(clauses, notes, start, len(notes), contrast)
    return clauses or [Clause(0, len(notes), False)]


def _add(clauses: list[Clause], notes: str, start: int, end: int, contrast: bool) -> None:
    bullet = _BULLET.match(notes, start, end)
    if bullet:
        start = bullet.end()
    while start < end and notes[start].isspace():
        start += 1
    while end > start and notes[end - 1].isspace():
        end -= 1
    if any(ch.isalnum() for ch in notes[start:end]):  # "," between ")" and "but" is no clause
        clauses.append(Clause(start, end, contrast))
