"""A gated regex finds exactly what its pattern finds (`services/scoring/regex_gate.py`).

The gate is a lookahead of the characters a match can start with: it may only save `re`
work, never change a match. Compared here on random patterns made of what the rules use
(words, classes, repeats, alternations, boundaries, lookarounds, case-sensitive scopes)
over texts of the characters that make them match or not, and on every lexicon pattern
of the rubric over labelled notes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.rubric import load_rubric
from services.scoring.evidence import _from_word_start
from services.scoring.regex_gate import first_characters, gated

_FLAGS = re.IGNORECASE | re.ASCII

_ATOMS = st.sampled_from(["a", "b", "ab", "no", "A", r"\w", r"\W", r"\s", ".", "[^;]", "[ab]", r"\d", " ", ";", "’"])
_REPEATED = st.tuples(_ATOMS, st.integers(0, 2), st.integers(0, 3)).map(lambda x: f"(?:{x[0]}){{{x[1]},{x[1] + x[2]}}}")
_SEQUENCE = st.lists(st.one_of(_ATOMS, _REPEATED), min_size=1, max_size=3).map("".join)
_PART = st.one_of(
    _SEQUENCE,
    st.lists(_SEQUENCE, min_size=2, max_size=4).map(lambda parts: "(" + "|".join(parts) + ")"),
    _SEQUENCE.map(lambda p: rf"\b{p}\b"),
    _SEQUENCE.map(lambda p: f"(?<!a){p}"),
    _SEQUENCE.map(lambda p: f"(?!b){p}"),
    _SEQUENCE.map(lambda p: f"(?-i:{p})"),
    _SEQUENCE.map(lambda p: f"(?i:{p})"),
)
_PATTERNS = st.lists(_PART, min_size=1, max_size=3).map("".join)
_TEXTS = st.text(alphabet="aAbBnNo1 ;.’\nſK", max_size=24)  # "ſ" and the Kelvin sign fold to s and k


def _found(regex: re.Pattern[str], text: str, start: int, stop: int) -> list[object]:
    """Everything the rules ask of a regex, over one stretch of the text."""
    return [
        [m.span() for m in regex.finditer(text, start, stop)],
        [m.groups() for m in regex.finditer(text, start, stop)],
        getattr(regex.search(text, start, stop), "span", lambda: None)(),
        getattr(regex.match(text, start, stop), "span", lambda: None)(),
        getattr(regex.fullmatch(text, start, stop), "span", lambda: None)(),
    ]


@settings(max_examples=600, deadline=None)
@given(pattern=_PATTERNS, flags=st.sampled_from([_FLAGS, re.ASCII, 0]), data=st.data())
def test_a_gated_pattern_finds_exactly_what_the_pattern_finds_in_any_stretch(pattern, flags, data):
    plain = re.compile(pattern, flags)
    text = data.draw(_TEXTS) + data.draw(st.from_regex(plain, fullmatch=True)) + data.draw(_TEXTS)
    start, stop = sorted(data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
    assert _found(gated(pattern, flags), text, start, stop) == _found(plain, text, start, stop)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(the )?index", "an index"),  # an optional start: what follows may start the match
        (r"\b(a|b|)no", "xno no"),  # an empty alternative
        (r"(?<!not )\bno\b", "no, not no"),  # a lookbehind consumes nothing
        (r"(?-i:FOR) update", "for update FOR UPDATE"),  # a case-sensitive scope
        (r"(\w{1,3} ){0,2}done", "was done"),
        (r"\b(?i:abc)", "ABC"),  # a scope that folds case inside a pattern that does not
        (r"x?(?u:é)", "É"),  # a scope of Unicode matching inside an ASCII one
        (r"(?i)\bfoo", "FOO"),  # flags for the whole pattern must stay at its start
    ],
)
def test_a_gated_pattern_finds_what_the_pattern_finds_where_its_start_is_optional(pattern, text):
    for flags in (_FLAGS, re.ASCII, re.IGNORECASE, 0):
        assert _found(gated(pattern, flags), text, 0, len(text)) == _found(
            re.compile(pattern, flags), text, 0, len(text)
        )


def test_a_verbose_pattern_is_not_gated():
    # A comment would swallow the gate's closing bracket.
    assert gated(r"\bfoo # the word", re.VERBOSE).search("a foo") is not None


def test_the_gate_holds_the_first_characters_of_every_alternative():
    assert first_characters(r"\b(not|never|without|(is|was)n't)\b", _FLAGS) == "inw"
    assert gated(r"\b(not|never)\b", _FLAGS).pattern == r"(?=[n])(?:\b(not|never)\b)"


def test_a_pattern_that_may_start_anywhere_or_match_nothing_is_not_gated():
    assert first_characters(r".{0,20}\bwhere", _FLAGS) is None  # any character may start it
    assert first_characters(r"[^.;]{0,5}no", _FLAGS) is None
    assert first_characters(r"(not)?", _FLAGS) is None  # the empty match starts anywhere
    assert gated(r"(not)?", _FLAGS).pattern == "(not)?"


def test_a_pattern_that_re_rejects_at_its_first_character_is_left_as_it_is():
    # `re` finds ":" itself, and tests "[a-z]" once per position: a gate would add a step.
    assert gated(r":[ \t]{0,3}no", _FLAGS).pattern == r":[ \t]{0,3}no"
    assert gated(r"[a-z]+(?:-[a-z]+)*").pattern == r"[a-z]+(?:-[a-z]+)*"


def test_every_lexicon_pattern_finds_the_same_matches_gated_in_the_labelled_notes():
    rubric = load_rubric()
    rules = [*(s for c in rubric.competencies for s in c.signals), *rubric.judgement]
    patterns = sorted({_from_word_start(p) for rule in rules for p in rule.patterns})  # as the search compiles them
    folder = Path(__file__).resolve().parents[1] / "data" / "notes" / "test"
    notes = [json.loads(line)["notes"] for path in sorted(folder.glob("*.jsonl")) for line in path.open()][::12]
    assert len(patterns) > 1500 and len(notes) > 60
    gates = 0
    for pattern in patterns:
        plain, fast = re.compile(pattern, _FLAGS), gated(pattern, _FLAGS)
        gates += fast.pattern != pattern
        for text in notes:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], pattern
    assert gates > len(patterns) // 2  # most rules open with a word boundary or an alternation
