"""A regex that rejects a start position at its first character: the same matches for less CPU.

Python's `re` searches by trying the pattern at every position of the text. It skips
ahead by a pattern's literal prefix or first character set only when the pattern starts
with one, case-sensitively; the scoring rules start with a word boundary, a lookbehind or
an alternation of words, and match case-insensitively, so `re` tries each alternative at
every position ("not", "never", "no", ..., thirty words at each word of a note). `gated`
puts a lookahead of the characters a match can start with in front of the pattern: at
most positions one class test fails and the alternatives are never tried. The lookahead
consumes nothing and admits every character a match can begin with, so `search`,
`finditer`, `match` and `fullmatch` find exactly what the pattern alone finds (`tests/unit/
test_regex_gate.py` compares them on random patterns and on the labelled notes).

A pattern that can match the empty string, or start with a character of an open class
(`.`, `\\W`, `[^,]`), gets no gate: there is no small set to test.
"""

from __future__ import annotations

import re
import re._constants as sre_constants  # the stdlib regex parser: the pattern as a tree
import re._parser as sre_parse
from typing import Any

_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_WORD: r"\w",
}
"""The classes a gate may hold (the negated ones admit almost anything: no gate)."""
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, with a lookahead of its possible first characters when
    they make a small class (the gate inherits `flags`: a case-insensitive pattern's gate is
    too, and a scoped `(?-i:...)` only narrows what the gate admits)."""
    first = None if _tests_one_character_first(pattern, flags) else first_characters(pattern, flags)
    if first is not None and (flags & re.VERBOSE or _sets_flags_of_its_own(pattern)):
        first = None  # a comment would swallow the gate's bracket; inline flags must open the pattern
    if first is None:
        return re.compile(pattern, flags)
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


def _tests_one_character_first(pattern: str, flags: int) -> bool:
    """Whether the pattern's first step is a test of one character (":", "[a-z]+", "x{2,}"):
    `re` then rejects a position as fast as a gate would (and finds a case-sensitive first
    character without trying each position); a gate in front would only add a step."""
    sequence = list(sre_parse.parse(pattern, flags))
    while sequence and sequence[0][0] is sre_constants.SUBPATTERN:
        sequence = list(sequence[0][1][3])
    if not sequence:
        return False
    op, av = sequence[0]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT) and av[0] >= 1:
        inner = list(av[2])
        if len(inner) != 1:
            return False
        op = inner[0][0]
    return op in (sre_constants.LITERAL, sre_constants.IN)


def _sets_flags_of_its_own(pattern: str) -> bool:
    """Whether the pattern opens with flags for the whole of itself ("(?i)..."): wrapped in a
    group behind the gate, they would no longer open it, which `re` refuses."""
    return _GLOBAL_FLAGS.match(pattern) is not None


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def first_characters(pattern: str, flags: int = 0) -> str | None:
    """The characters a match of `pattern` can start with, as the inside of a character
    class; None when a match can be empty or start with a character of an open class."""
    found = _first(list(sre_parse.parse(pattern, flags)))
    if found is None or found[1]:
        return None
    return "".join(sorted(found[0]))


def _first(sequence: list[Any]) -> tuple[set[str], bool] | None:
    """(the class items a match of `sequence` can start with, whether it can be empty);
    None when it can start with a character no small class holds."""
    items: set[str] = set()
    for op, av in sequence:
        if op in _ZERO_WIDTH:
            continue  # a lookaround or an anchor consumes nothing: the next item starts the match
        found = _first_of_item(op, av)
        if found is None:
            return None
        items |= found[0]
        if not found[1]:
            return items, False
    return items, True


def _first_of_item(op: Any, av: Any) -> tuple[set[str], bool] | None:
    if op is sre_constants.LITERAL:
        return {re.escape(chr(av))}, False
    if op is sre_constants.IN:
        if av and av[0][0] is sre_constants.NEGATE:
            return None
        items = set()
        for kind, value in av:
            if kind is sre_constants.LITERAL:
                items.add(re.escape(chr(value)))
            elif kind is sre_constants.RANGE:
                items.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is sre_constants.CATEGORY and value in _CATEGORIES:
                items.add(_CATEGORIES[value])
            else:
                return None
        return items, False
    if op is sre_constants.SUBPATTERN:
        if av[1] & (re.IGNORECASE | re.UNICODE | re.VERBOSE):
            return None  # "(?i:abc)" in a case-sensitive pattern: the gate outside would not fold case
        return _first(list(av[3]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        empty = False
        for branch in av[1]:
            found = _first(list(branch))
            if found is None:
                return None
            union |= found[0]
            empty = empty or found[1]
        return union, empty
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, _high, inner = av
        found = _first(list(inner))
        if found is None:
            return None
        return found[0], found[1] or low == 0
    return None  # ANY, NOT_LITERAL, a group reference, ...: no small class
