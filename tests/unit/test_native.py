"""The compiled loops (`native/`) find exactly what their Python originals find.

`split_clauses` splits ASCII notes with `hiring_pipeline_native.split_clauses`, and the
notes model reads with `NotesFeatures`, when the module is installed (`scripts/bootstrap.sh`
builds it); the Python functions stay the reference. These tests hold the two to the same
clauses and the same floats on the labelled corpus, recombined and hostile notes, and random
mixes of every kind of separator, the ASCII characters `re` and `str.strip` call space, and
words a tokeniser could cut differently.
"""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarks.workload import HOSTILE, corpus_notes, varied_note
from services.scoring import clauses
from services.scoring.clauses import Clause, python_split_clauses, split_clauses
from services.scoring.notes_model import (
    _NEGATIONS,
    NotesModel,
    _one_byte_per_character,
    clause_counts,
    load_model,
    negation_scope,
    read,
)

native = pytest.importorskip("hiring_pipeline_native")

MODEL = load_model()
assert MODEL is not None
PYTHON_MODEL = NotesModel(MODEL.version, MODEL.bias, MODEL.weights, compiled=False)


def _notes_sample() -> list[str]:
    rng = random.Random(11)
    pool = list(itertools.chain.from_iterable(corpus_notes().values()))
    return pool + [varied_note(rng, pool, hostile=True) for _ in range(3_000)] + HOSTILE


# fmt: off
PIECES = [
    " ", "  ", "\n", "\n  ", "\r\n", "\t", "\x0b", "\x0c", "\x1c", "\x1f", ".", "..", "...", "!", "?", "?!", ";", "|",
    " | ", "-", " - ", " -- ", "--", "---", "(", ")", "[", "]", " (", "()", "e.g.", "E.G.", "i.e.", "vs.", "etc.",
    "approx.", "incl.", "cf.", "e.g\n.", "xvs.", "but", "BUT", "But", "however", "though", "although", "whereas",
    "yet", "except that", "other than that", "apart from that", "Apart From That", "butter", "abut", "yeti", "x/but",
    "x-but", "_but", "1.", "2)", "12)", "123.", "*", "> ", "- ", "* ", "x", "word", "Word", "_", "'", "don't",
    "can't", "didn't", "NOT", "no", "never", "without", "a-b", "c++", "c#", "node.js", "3x", "10k", "v2",
    "objectoptimisticlockingfailureexception", "https://example.com/a-b/c.d", "'quoted'", "x.y.", "a/b/c", "é", "’",
    "=", "=?", "= ?", "id=? ", "x = ?!", "on", "in", "of", "for", "about", "around", "at", "with", "ontology",
    "view yet on", "YET IN", "yet\ton", ", yet of",
]
# fmt: on


@settings(max_examples=2_000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_mix_of_separators_splits_as_the_python_split_does(parts):
    notes = "".join(parts)
    assert split_clauses(notes) == python_split_clauses(notes)


def test_notes_split_as_the_python_split_splits_them():
    for notes in _notes_sample():
        assert split_clauses(notes) == python_split_clauses(notes), notes


# Non-ASCII characters the compiled split reads as a stand-in byte ("–", "—", and what is no
# letter, digit, space or bullet), and some it leaves to the Python split.
NON_ASCII_PIECES = [
    "—",
    "–",
    " — ",
    " – ",
    " —— ",
    " –- ",
    " -— ",
    " --— ",
    "—but",
    "x—y",
    "’",
    "‘",
    "“",
    "”",
    "’s",
    "→",
    "✓",
    "≠",
    "🔥",
    "🚩",
    "👍️",
    "\u200b",
    "\u200d",
    "…",
    "€",
    "é",
    "İ",
    "ſ",
    "K",
    "\u00a0",
    "\u2009",
    "•",
    "·",
    "Ω",
    "½",
    "²",
]


@settings(max_examples=3_000, deadline=None)
@given(st.lists(st.sampled_from(PIECES + NON_ASCII_PIECES), max_size=40))
@example(["e.g.", "’", "?!"])  # found by CI: a curly quote before "?!" is disbelief, no question
def test_any_mix_with_non_ascii_characters_splits_as_the_python_split_does(parts):
    notes = "".join(parts)
    assert split_clauses(notes) == python_split_clauses(notes)


def test_notes_with_dashes_emoji_and_quotes_take_the_compiled_split():
    notes = "Knew MVCC — but could not explain it → 🚩 “no idea”. Solid otherwise?"
    text = clauses._one_byte_per_character(notes)
    assert text is not None and len(text) == len(notes)
    assert native.split_clause_bytes(text) == [tuple(c) for c in python_split_clauses(notes)]
    assert clauses._one_byte_per_character("café • done") is None  # a letter and a bullet: read in Python
    with pytest.raises(ValueError):
        native.split_clause_bytes("café".encode("latin-1"))


def test_ascii_notes_take_the_compiled_split():
    notes = "Knew MVCC, but could not explain it. Solid otherwise?"
    assert native.split_clauses(notes) == [tuple(c) for c in python_split_clauses(notes)]
    assert all(isinstance(c, Clause) for c in split_clauses(notes))


def test_the_compiled_split_refuses_text_it_would_read_by_other_rules():
    with pytest.raises(ValueError):
        native.split_clauses("knew it but ſo what")


def _same_reading(notes: str) -> None:
    clauses = python_split_clauses(notes)
    compiled, reference = read(notes, MODEL, clauses), read(notes, PYTHON_MODEL, clauses)
    assert (compiled.logit, compiled.clause) == (reference.logit, reference.clause), notes


def test_the_compiled_features_read_every_note_to_the_same_floats():
    assert MODEL.features is not None and PYTHON_MODEL.features is None
    for notes in _notes_sample():
        _same_reading(notes)


@settings(max_examples=2_000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_any_mix_of_words_and_separators_reads_to_the_same_floats(parts):
    _same_reading(" ".join(parts))


# fmt: off
WORD_PIECES = [
    "a", "didn", "t", "s", "rock", "n", "9", "'", "''", "’", "'s", "'t", " ", ".", "-", "X", "it", "NOT", "e.g.",
    "he", "She", "HIS", "her", "guy", "they", "'d", "hers", "man",
]
# fmt: on


@settings(max_examples=2_000, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=40))
def test_words_with_apostrophes_or_pronouns_anywhere_in_them_read_to_the_same_floats(parts):
    _same_reading("".join(parts))


def _compensated_sum(values):
    """CPython 3.12's `sum()` of floats from the int 0: Neumaier's compensated addition."""
    values = iter(values)
    total = next(values, None)
    if total is None:
        return 0
    total, compensation = 0 + total, 0.0
    for x in values:
        t = total + x
        compensation += (total - t) + x if abs(total) >= abs(x) else (x - t) + total
        total = t
    return total + compensation if compensation and math.isfinite(compensation) else total


def test_the_compiled_features_add_as_a_compensating_python_sum_adds():
    """Where `sum()` compensates (3.12 on), the compiled features add as it does; this
    Python may not, so its compensation is written out here."""
    plain, compensating = (
        native.NotesFeatures(MODEL.weights, sorted(_NEGATIONS), MODEL.bias, compensated)
        for compensated in (False, True)
    )
    differing = 0
    for notes in _notes_sample():
        clauses = python_split_clauses(notes)
        text = _one_byte_per_character(notes)
        expected = [
            _compensated_sum(MODEL.weights[f] * n for f, n in counts.items() if f in MODEL.weights)
            for counts in clause_counts(notes, clauses)
        ]
        scope = negation_scope(notes, clauses)
        assert compensating.clause_sums(text, clauses, scope)[0] == expected, notes
        differing += plain.clause_sums(text, clauses, scope)[0] != expected
    assert differing > 0  # the two ways of adding do differ on these notes


def test_scan_matches_sort_into_the_clauses_the_python_loop_finds():
    """`Located.locate` (with `Ends` as the match handler) gives `_scanned` exactly what its
    Python loop gives: the same clauses for each own and judgement pattern, the same ends
    of each context regex, on every competency, ASCII notes and the rest ('İ', '’', emoji)."""
    import dataclasses

    from schemas.rubric import load_rubric
    from services.scoring import evidence
    from services.scoring.scan import scan_available

    assert scan_available(), "Hyperscan is part of the install (scripts/bootstrap.sh): this compares its path"
    lexicon = evidence.compile_lexicon(load_rubric(), "scan")
    assert lexicon.scans is not None and lexicon.scans.located is not None
    plain = dataclasses.replace(lexicon.scans, located=None)
    rng = random.Random(23)
    pool = list(itertools.chain.from_iterable(corpus_notes().values()))
    notes_sample = _notes_sample() + [varied_note(rng, pool) for _ in range(1_000)]
    notes_sample += [f"{n} İ’ 🔥 {n}" for n in pool[:200]]
    assert sum(not n.isascii() for n in notes_sample) > 500
    found = 0
    for number, notes in enumerate(notes_sample):
        if not notes.strip():
            continue
        clauses = split_clauses(notes)
        starts = [c.start for c in clauses]
        for competency in itertools.islice(itertools.cycle(lexicon.competencies), number % 5, number % 5 + 2):
            own = lexicon.competencies[competency]
            args = (notes, clauses, starts)
            compiled = evidence._scanned(*args, lexicon.scans, competency, own, lexicon.judgement)
            python = evidence._scanned(*args, plain, competency, own, lexicon.judgement)
            assert compiled == python, notes
            found += bool(compiled[0])
    assert found > 1_000


def test_a_note_without_full_stops_reads_to_the_same_floats_with_its_negations_scoped():
    notes = (
        "catches exception at the controller and logs the message with no stack trace and returns 200 "
        "log format is free text with string concatenation nobody reads the logs and there is never "
        "an alert on anything either so he would not know the service was down until customers call"
    )
    assert negation_scope(notes, python_split_clauses(notes)) > 0
    _same_reading(notes)
    _same_reading(notes.upper())


def test_the_compiled_features_read_a_whole_clause_negated_when_no_scope_is_given():
    """A caller built before the scope (a benchmark's older checkout) reads as scope 0 did."""
    notes = "no stack trace and returns 200 log format is free text " * 4
    clauses = [(c.start, c.end) for c in python_split_clauses(notes)]
    assert MODEL.features.read(notes, clauses) == MODEL.features.read(notes, clauses, 0)
    assert MODEL.features.read(notes, clauses) != MODEL.features.read(notes, clauses, 2)
