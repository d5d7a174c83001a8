"""The compiled scan never misses a match `re` finds (`services/scoring/scan.py`).

The scan says where a lexicon pattern can match; Python's `re` then decides, inside one
clause. So every pattern's superset translation must report the end of every match that
`re` finds in any stretch of the note, whatever the pattern holds: the patterns here are
random mixes of what the lexicons use (word stems, classes, bounded repeats short and
long, alternations, groups, assertions, case-sensitive scopes), over texts of the few
characters that make them match or not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.scoring.scan import Scanner, hyperscan, scan_available, superset_pattern

pytestmark = pytest.mark.skipif(not scan_available(), reason="Hyperscan is not installed")

_FLAGS = re.IGNORECASE | re.ASCII
"""As the evidence search compiles the lexicons."""


@pytest.fixture(autouse=True, scope="module")
def _cache_aside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each random pattern's database is cached where no later run looks."""
    saved = os.environ.get("HIRING_PIPELINE_CACHE_DIR")
    os.environ["HIRING_PIPELINE_CACHE_DIR"] = str(tmp_path_factory.mktemp("scan-cache"))
    yield
    if saved is None:
        del os.environ["HIRING_PIPELINE_CACHE_DIR"]
    else:
        os.environ["HIRING_PIPELINE_CACHE_DIR"] = saved


_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "A", r"\w", r"\W", r"\s", ".", "[^;]", "[ab]", r"\d", "1", " ", ";"])


def _repeated(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    bounds = st.tuples(st.integers(0, 3), st.integers(1, 12)).map(lambda b: (b[0], b[0] + b[1]))
    return st.tuples(inner, bounds).map(lambda x: f"(?:{x[0]}){{{x[1][0]},{x[1][1]}}}")


# No repeat inside a repeat, no lookaround: `re` would backtrack for ever over some of
# those, and drawing a text that matches a lookaround is a search of its own; the pieces
# are what the lexicons are made of ("(\\w{1,12} ){0,3}" is a repeated group of classes).
_SEQUENCE = st.lists(st.one_of(_ATOMS, _repeated(_ATOMS)), min_size=1, max_size=4).map("".join)
_PART = st.one_of(
    _SEQUENCE,
    st.lists(_SEQUENCE, min_size=2, max_size=3).map(lambda parts: "(" + "|".join(parts) + ")"),
    _repeated(st.lists(_ATOMS, min_size=1, max_size=3).map("".join)),
    _SEQUENCE.map(lambda p: rf"\b{p}\b"),
    _SEQUENCE.map(lambda p: f"(?-i:{p})"),
)
_PATTERNS = st.lists(_PART, min_size=1, max_size=4).map("".join)
_TEXTS = st.text(alphabet="aAbB1 ;.\n", max_size=20)


def _assert_reported(pattern: str, text: str, start: int, stop: int) -> None:
    """Every match `re` finds in text[start:stop] has its end reported."""
    regex = re.compile(pattern, _FLAGS)
    ends = {end for _, end in Scanner([pattern]).ends(text)}
    for at in range(start, stop + 1):
        match = regex.search(text, at, stop)
        if match is not None and match.end() > match.start():
            assert match.end() in ends, (superset_pattern(pattern, {}), match)


@settings(max_examples=500, deadline=None)
@given(pattern=_PATTERNS, data=st.data())
def test_the_scan_reports_the_end_of_every_match_re_finds_in_any_stretch(pattern, data):
    # Text around a match of the pattern, so that most examples have something to find.
    text = data.draw(_TEXTS) + data.draw(st.from_regex(re.compile(pattern, _FLAGS), fullmatch=True)) + data.draw(_TEXTS)
    start, stop = sorted(data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
    _assert_reported(pattern, text, start, stop)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"ba{0,3}", "xbaaaa"),
        (r"ba{2,5}c", "baaaaac baac"),
        (r"b(\w{1,4} ){0,2}c", "b abcd abcd c"),
        (r"x.{0,60}y", "x" + "-" * 60 + "y"),
        (r"\bstor\w{1,3}s?\b", "storess stores"),
        (r"(mark|flag\w{0,3})( as paid)?", "flagged as paid"),
        (r"Strong\.?", "Strong."),
    ],
)
def test_the_longest_matches_are_reported(pattern, text):
    _assert_reported(pattern, text, 0, len(text))


def test_long_repeats_lose_their_bound_and_short_ones_keep_it():
    assert superset_pattern(r"a.{0,60}b", {}) == "a(?:.){0,}b"
    assert superset_pattern(r"a(\w{1,12} ){0,3}b", {}) == r"a(?:(?:(?:[\w]){1,} )){0,3}b"
    assert superset_pattern(r"stor\w{1,3}s?", {}) == r"stor(?:[\w]){1,3}(?:s){0,1}"


def test_a_cached_database_is_loaded_without_translating_a_single_pattern(monkeypatch):
    """A service's start-up: the patterns name the cached database; translating them into
    superset expressions (seconds in the regex parser, for a whole rubric) is for a miss."""
    patterns = [r"\bcomposite index(es)?\b", r"\bN\+1\b", "(?-i:FOR UPDATE)"]
    first = Scanner(patterns)

    def translate(pattern: str, byte_of: dict[str, int]) -> str:
        raise AssertionError(f"translated {pattern!r} although its database is cached")

    monkeypatch.setattr("services.scoring.scan.superset_pattern", translate)
    again = Scanner(patterns)
    text = "Knew composite indexes and the N+1 problem; used SELECT ... FOR UPDATE."
    assert again.ends(text) == first.ends(text) != []
    with pytest.raises(AssertionError, match="translated"):
        Scanner([*patterns, r"\bcovering index\b"])  # a pattern more: another database, compiled


# A lexicon pattern with its bounds kept, and the shortest stretches of four corpus notes
# in which Vectorscan 5.4.12 (the hyperscan wheels from 0.7.30 on) finds no match, alone in
# its database; one character less on the left, and it does. 5.4.11 finds all four.
_ENGINE_REGRESSION = (
    r"(?:no|without(?:(?: a(?:(?:n){0,1}|ny))){0,1}|missing|skip(?:[\w]){0,3}|forgot(?:(?: (?:the|a(?:n){0,1}))){0,1})"
    r" (?:(?:(?:[\w]){1,16} )){0,1}(?:(?:ownership|object[\x2d ]level (?:a(?:uthori[sz]ation|uth|ccess))|tenant"
    r"|tenancy|per[\x2d ]object|per[\x2d ]record|row[\x2d ]level|access)) (?:(?:check(?:s){0,1}|check on"
    r"|validation|authori[sz]ation|scoping|filter(?:[\w]){0,3}|isolation))"
)


@pytest.mark.parametrize(
    "text",
    [
        "an't be guessed\". No ownership check",
        "unts/{id} (authenticated, no ownership check",
        ' faster that way". no tenant filter',
        " sequential Longs\n13:40 no ownership check",
    ],
)
def test_the_pinned_engine_finds_what_vectorscan_5_4_12_loses(text):
    """Why pyproject pins the hyperscan wheel to 0.7.21 (Vectorscan 5.4.11): the engine,
    compiled and scanned as `Scanner` does, must report the match `re` finds."""
    assert re.search(_ENGINE_REGRESSION, text, _FLAGS)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=[_ENGINE_REGRESSION.encode()], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_CASELESS])
    ends: list[int] = []
    database.scan(text.encode(), match_event_handler=lambda index, start, end, flags, context: ends.append(end))
    assert ends == [len(text)]
