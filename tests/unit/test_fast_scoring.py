"""The fast scoring path finds exactly what the plain one finds.

The evidence search normally runs a compiled scan (Hyperscan, `services/scoring/scan.py`)
to learn where each lexicon pattern and context regex can match, and Python's `re` only
there; clause boundaries are looked for only where one can start; the notes model sums
only the features it has weights for. Each shortcut must change nothing: these tests
hold them to the plain computations on varied and hostile notes (recombined corpus notes,
pasted code, 'İ', 'ſ', notes of thousands of characters).
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import random
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.workload import HOSTILE, corpus_notes, varied_interviews, varied_note
from schemas.events import InterviewCompleted
from schemas.rubric import load_rubric
from schemas.scales import Competency
from services.scoring import clauses as clauses_module
from services.scoring.clauses import fold_case, split_clauses
from services.scoring.evidence import assess, compile_lexicon
from services.scoring.notes_model import NotesModel, clause_counts, load_model, read, unit_scale
from services.scoring.score import score_interview, score_interviews
from tests.factories import FIXED_TIME

RUBRIC = load_rubric()
FAST = compile_lexicon(RUBRIC, "scan")
PLAIN = compile_lexicon(RUBRIC, "triggers")
EVERY = compile_lexicon(RUBRIC, "every")

NOTE_635 = (
    "I think, on balance, she is there. Perhaps a little nervous on the day. okay so on no JS she'd "
    "build iİNDEX on İD, ıdempotency\nt in fast if I with jason schema on every route so request and "
    "response shapes are the contract and the open API doc gets generated from the schemas, list "
    "endpoint with cursor pagination limit capped at like a hundred, next cursor is the last sort "
    "key plus the id to break ties, deprecation with a sunset header and a new version in the URL "
    "good. However, um so for the create order endpoint she returns two hundred for literally "
    "everything with a body like success false and an error message, validation errors missing "
    "records even when the server blows up, her reasoning was the front end only looks at the body "
    "anyway so status codes are just noise\n- She was quite tentative in the way she spoke, kept "
    'saying "I might be wrong but...", yet what she actually proposed was sound: PUT for the farmer '
    "profile because the field app sends the whole record after syncing offline, PATCH with a "
    "version number for the loan limit, and 412 when the version is stale."
)
"""Note varied-int-635 of a 10,000-interview workload (round 55 in `dev`), as it was scored."""


def _events(count: int, seed: int) -> list[InterviewCompleted]:
    documents = varied_interviews(count, seed=seed, hostile=True, most=2)
    return [InterviewCompleted.model_validate(d) for d in documents]


def _runs(events: list[InterviewCompleted], size: int) -> list[list[InterviewCompleted]]:
    return [events[n : n + size] for n in range(0, len(events), size)]


def _plain_scores(events: list[InterviewCompleted]) -> list[str]:
    return [score_interview(event, RUBRIC, FIXED_TIME, lexicon=PLAIN).model_dump_json() for event in events]


def test_the_fast_path_scores_ten_thousand_varied_interviews_exactly_as_the_plain_search():
    events = _events(10_000, seed=17)
    assert sum(len(e.assessments) for e in events) >= 10_000
    # The plain search is four times the fast path's work: a forked process (the lexicons
    # already compiled) reads most of it while this one scores the fast path.
    aside = len(events) * 3 // 5
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        plain_aside = pool.submit(_plain_scores, events[:aside])
        # As the service scores: the notes of a run of interviews scanned together, then read.
        batched = [scored for run in _runs(events, 64) for scored in score_interviews(run, RUBRIC, FIXED_TIME)]
        plain = _plain_scores(events[aside:])
        plain = plain_aside.result(timeout=900) + plain
    outcomes = set()
    for event, fast, expected in zip(events, batched, plain, strict=True):
        assert fast.model_dump_json() == expected, event.interview_id
        outcomes.update((s.competency, s.score, tuple(s.red_flags)) for s in fast.scores)
    assert len(outcomes) > 500  # the workload is varied, not six outcomes over and over


def test_notes_scanned_together_score_as_each_note_scanned_as_it_is_read():
    events = _events(1_500, seed=19)
    assert compile_lexicon(RUBRIC) is FAST  # score_interviews scans with the default lexicon
    one_by_one = [score_interview(event, RUBRIC, FIXED_TIME, lexicon=FAST) for event in events]
    assert score_interviews(events, RUBRIC, FIXED_TIME) == one_by_one
    assert [s for run in _runs(events, 7) for s in score_interviews(run, RUBRIC, FIXED_TIME)] == one_by_one


def test_the_fast_path_finds_what_searching_every_clause_for_every_pattern_finds():
    for event in _events(300, seed=18):
        assert score_interview(event, RUBRIC, FIXED_TIME, lexicon=FAST) == score_interview(
            event, RUBRIC, FIXED_TIME, lexicon=EVERY
        )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_alone_scores_the_same(text):
    for competency in {c.id for c in RUBRIC.competencies}:
        event = InterviewCompleted.model_validate(
            {
                "event_id": "00000000-0000-0000-0000-000000000001",
                "occurred_at": "2026-11-20T14:00:00Z",
                "interview_id": "i",
                "revision": 1,
                "candidate_id": "c",
                "role_id": "backend-engineer",
                "interviewer_id": "x",
                "assessments": [{"competency": competency, "rating": None, "notes": text}],
            }
        )
        assert score_interview(event, RUBRIC, FIXED_TIME, lexicon=FAST) == score_interview(
            event, RUBRIC, FIXED_TIME, lexicon=EVERY
        )


# --- clause boundaries: looked for only where one can start --------------------------------


def _notes_sample() -> list[str]:
    rng = random.Random(5)
    pool = list(itertools.chain.from_iterable(corpus_notes().values()))
    return pool + [varied_note(rng, pool, hostile=True) for _ in range(3_000)] + HOSTILE


def test_clause_boundaries_are_those_of_searching_every_position():
    for notes in _notes_sample():
        expected = [m.span() for m in clauses_module._BOUNDARY.finditer(notes)]
        assert [m.span() for m in clauses_module._boundaries(notes)] == expected, notes


# fmt: off
SEPARATORS = [
    " ", "  ", "\n", "\n  ", ".", "..", "!", "?", ";", "|", " | ", "-", " - ", " -- ", "--", "–", "—", "(", ")",
    "[", "]", " (", "e.g.", "vs.", "but", "BUT", "however", "though", "although", "whereas", "whereaſ", "yet",
    "except that", "not", "there", "Ready", "just", "hasn't", "isn’t", "other than that", "apart from that", "butter", "abut", "x", "word", "İ", "ſ", "’", "1.", "2)",
    "*", "•", "\t",
]
# fmt: on


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SEPARATORS), max_size=40))
def test_clause_boundaries_hold_on_any_mix_of_separators(parts):
    notes = "".join(parts)
    assert [m.span() for m in clauses_module._boundaries(notes)] == [
        m.span() for m in clauses_module._BOUNDARY.finditer(notes)
    ]


# --- the notes model: only weighted features summed --------------------------------------------


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled features", "python"])
def test_the_notes_model_reads_as_the_trainer_computes(compiled):
    """The reading from the trainer's own per-clause counts and scale, summed plainly."""
    loaded = load_model()
    assert loaded is not None
    model = NotesModel(loaded.version, loaded.bias, loaded.weights, compiled=compiled)
    for notes in _notes_sample():
        clauses = split_clauses(notes)
        per_clause = clause_counts(notes, clauses)
        scale = unit_scale(per_clause)
        pushes = [sum(model.weights.get(f, 0.0) * n for f, n in counts.items()) / scale for counts in per_clause]
        reading = read(notes, model, clauses)
        assert reading.logit == model.bias + sum(pushes), notes
        direction = 1.0 if reading.logit >= 0 else -1.0
        best = max(range(len(clauses)), key=lambda i: direction * pushes[i], default=None)
        assert reading.clause == (clauses[best] if best is not None and direction * pushes[best] > 0 else None)


def test_the_rubric_s_scans_miss_no_match_re_finds_in_the_labelled_notes():
    """Vectorscan 5.4.12 lost matches in large databases (README, Performance), and an engine
    may again: every pattern of the rubric, run with `re` on every sixth labelled note, must
    be reported by the scan the service runs, shared or the competency's own.

    `re` runs only where the pattern's required literals are all in the note (a necessary
    condition, `test_the_trigger_prefilter_finds_exactly_what_a_full_search_finds`): the same
    matches, found in a tenth of the time, which CI's twenty minutes need."""
    lexicon = FAST
    assert lexicon.scans is not None
    competencies = lexicon.competencies
    flags = list(
        dict.fromkeys(
            (p.rule.id, p.regex.pattern) for c in competencies.values() for p in c.patterns if p.rule.kind == "red_flag"
        )
    )
    shared = [re.compile(p, re.IGNORECASE | re.ASCII) for _, p in flags] + [p.regex for p in lexicon.judgement.patterns]
    needs = {p.regex.pattern: p.requirements for c in PLAIN.competencies.values() for p in c.patterns}
    needs.update({p.regex.pattern: p.requirements for p in PLAIN.judgement.patterns})
    folder = Path(__file__).resolve().parents[1] / "data" / "notes"
    rows = [json.loads(line) for path in sorted(folder.glob("*/*.jsonl")) for line in path.read_text().splitlines()]
    notes = [(row["notes"], Competency(row["competency"])) for row in rows if "competency" in row][::6]
    assert len(notes) > 1_000

    literals = ahocorasick.Automaton()
    for literal in {literal for required in needs.values() for each in required for literal in each}:
        literals.add_word(literal, literal)
    literals.make_automaton()

    def found(regex: re.Pattern[str], text: str, present: set[str]) -> bool:
        return all(not required.isdisjoint(present) for required in needs[regex.pattern]) and bool(regex.search(text))

    missed, matched = [], 0
    for text, competency in notes:
        folded = {literal for _, literal in literals.iter(fold_case(text))}
        reported = {index for index, _ in lexicon.scans.shared.ends(text)}
        hits = [i for i, r in enumerate(shared) if found(r, text, folded)]
        missed += [(text[:60], shared[i].pattern[:60]) for i in hits if i not in reported]
        own = lexicon.competencies[competency]
        reported = {index for index, _ in lexicon.scans.own[competency].ends(text)}
        mine = [i for i, p in enumerate(own.patterns) if p.rule.kind != "red_flag" and found(p.regex, text, folded)]
        missed += [(text[:60], own.patterns[i].regex.pattern[:60]) for i in mine if i not in reported]
        matched += len(hits) + len(mine)
    assert matched > 4 * len(notes)  # the prefilter lets through what matches
    assert missed == []


_ONCE_MISSED = {
    # "not using" in the same pattern's alternation (or in another pattern of its shape):
    # the lexicon keeps "not using CONCURRENTLY" apart since 2026.12-69.
    Competency.DATABASES: (
        "Their orders table is ~300M rows. CREATE INDEX idx_orders_status ON orders(status) in the same file, "
        "no CONCURRENTLY.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
    # The whole api_design database lost "version (number) .{0,30}(412)" in this recombined
    # note of the 10,000-interview workload; Vectorscan 5.4.11 finds it.
    Competency.API_DESIGN: (
        NOTE_635,
        "api_design.contracts_and_tooling",
    ),
}


@pytest.mark.parametrize("competency", list(_ONCE_MISSED), ids=str)
def test_a_note_hyperscan_once_missed_scores_as_the_plain_search(competency):
    """Notes on which Vectorscan 5.4.12 (the engine in the hyperscan wheels from 0.7.30 on)
    lost a match the plain search found (README, Performance)."""
    notes, signal = _ONCE_MISSED[competency]
    fast = assess(notes, competency, FAST)
    assert fast == assess(notes, competency, PLAIN)
    assert signal in {s.signal for s in fast.signals}


def test_the_scan_finds_each_of_two_red_flags_whose_patterns_are_the_same_text():
    # databases' untested backups and reliability's incident gaps share a pattern: each
    # competency must name its own, on the fast path as on the plain search.
    notes = "RDS snapshots are on, so he considers backups handled, and they've never had to restore."
    own = {
        Competency.DATABASES: "databases.hazard3.backups_untested",
        Competency.RELIABILITY_OBSERVABILITY: "reliability_observability.incident_process_gaps",
    }
    for competency, flag in own.items():
        fast, plain = assess(notes, competency, FAST), assess(notes, competency, PLAIN)
        assert fast == plain
        assert fast.red_flags == (flag,)
