"""The scorer's figures on labelled notes it was never tuned on, held to floors in CI.

The `test` split holds interviewers' voices that neither the lexicons nor the notes model
saw (`tests/data/notes/README.md`); `hiring-pipeline eval` prints the same figures with
every failure. The floors are the figures this engine reaches, so a change that makes the
scorer worse on unseen notes fails here; the README gives the figures and the targets.
"""

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from hiring_pipeline.tools.scorer_eval import (
    ASIDES,
    DEFAULT_SPLIT,
    as_she,
    evaluate,
    load_labelled,
    score_note,
    with_asides,
    with_typos,
    without_apostrophes,
    without_sentence_ends,
    wrapped,
)
from schemas.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {"accuracy": 0.95, "red_flag_recall": 0.90, "false_red_flags": 0.03}


def test_the_held_out_split_has_enough_notes_of_every_kind():
    notes = load_labelled([ROOT / DEFAULT_SPLIT])
    assert len(notes) >= 300
    assert {n.verdict for n in notes} == {"strong", "weak"}
    assert sum(n.red_flag for n in notes) >= 60


def test_the_scorer_meets_its_floors_on_voices_it_was_never_tuned_on():
    report = evaluate(load_labelled([ROOT / DEFAULT_SPLIT]), load_rubric())
    assert report.accuracy >= FLOORS["accuracy"], report.accuracy
    assert report.red_flag_recall is not None and report.red_flag_recall >= FLOORS["red_flag_recall"], (
        report.red_flag_recall
    )
    assert report.false_red_flags <= FLOORS["false_red_flags"], report.false_red_flags


def test_the_scorer_holds_its_floors_when_one_word_in_twenty_is_misspelt():
    """Interviewers type fast and never proofread: the verdicts must not rest on spelling."""
    report = evaluate(with_typos(load_labelled([ROOT / DEFAULT_SPLIT]), 0.05), load_rubric())
    assert report.accuracy >= FLOORS["accuracy"], report.accuracy
    assert report.red_flag_recall is not None and report.red_flag_recall >= FLOORS["red_flag_recall"], (
        report.red_flag_recall
    )
    assert report.false_red_flags <= FLOORS["false_red_flags"], report.false_red_flags


def test_the_scorer_holds_its_floors_when_no_sentence_ends_with_a_full_stop():
    """Some interviewers type on without full stops, and dictation often drops them: a hint
    in one sentence must not take back what the others say."""
    report = evaluate(without_sentence_ends(load_labelled([ROOT / DEFAULT_SPLIT])), load_rubric())
    assert report.accuracy >= FLOORS["accuracy"], report.accuracy
    assert report.red_flag_recall is not None and report.red_flag_recall >= FLOORS["red_flag_recall"], (
        report.red_flag_recall
    )
    assert report.false_red_flags <= FLOORS["false_red_flags"], report.false_red_flags


def test_no_verdict_on_the_held_out_split_moves_when_he_becomes_she():
    """A verdict must not depend on the candidate's gender as the interviewer's pronoun gives
    it (adverse impact): every test note about "him" reads the same about "her". The score
    itself may move only where "she" is longer than "he" and tips a note over the length at
    which it reads as written without full stops (one note of the split)."""
    rubric = load_rubric()
    written = load_labelled([ROOT / DEFAULT_SPLIT])
    pairs = [
        (score_note(n, rubric), score_note(s, rubric)) for n, s in zip(written, as_she(written), strict=True) if n != s
    ]
    assert len(pairs) >= 150
    assert [(a.id, a.got, b.got) for a, b in pairs if (a.got, a.red_flags) != (b.got, b.red_flags)] == []
    assert sum(a.score != b.score for a, b in pairs) <= len(pairs) // 100


def test_the_scorer_holds_its_floors_on_notes_typed_without_apostrophes():
    """ "didnt", "wasnt", "its": many interviewers type them so."""
    _holds_floors(evaluate(without_apostrophes(load_labelled([ROOT / DEFAULT_SPLIT])), load_rubric()))


def test_the_scorer_holds_its_floors_on_notes_wrapped_at_seventy_two_columns():
    """Notes pasted from an email, or typed in an editor that wraps lines at a width."""
    _holds_floors(evaluate(wrapped(load_labelled([ROOT / DEFAULT_SPLIT]), 72), load_rubric()))


def test_the_scorer_holds_its_floors_when_each_note_opens_with_a_sentence_about_the_interview():
    """ "Call started 5 mins late on my end.", "Very punctual.", "Referred by Marta from the
    payments team.": sentences written by an author who never saw the scorer's rules, so
    this measures how far the asides it sets aside generalise, not how well they fit."""
    _holds_floors(evaluate(with_asides(load_labelled([ROOT / DEFAULT_SPLIT]), seed=1), load_rubric()))


def _holds_floors(report) -> None:  # type: ignore[no-untyped-def]
    assert report.accuracy >= FLOORS["accuracy"], report.accuracy
    assert report.red_flag_recall is not None and report.red_flag_recall >= FLOORS["red_flag_recall"]
    assert report.false_red_flags <= FLOORS["false_red_flags"], report.false_red_flags


def test_the_perturbations_change_only_what_they_say():
    notes = load_labelled([ROOT / DEFAULT_SPLIT])
    for changed in (without_apostrophes(notes), wrapped(notes, 72), as_she(notes)):
        assert [(n.id, n.verdict, n.red_flag) for n in changed] == [(n.id, n.verdict, n.red_flag) for n in notes]
    assert sum(a.notes != b.notes for a, b in zip(notes, without_apostrophes(notes), strict=True)) >= 200
    assert not any(re.search(r"[A-Za-z]['’][A-Za-z]", n.notes) for n in without_apostrophes(notes))
    assert all(max(map(len, n.notes.split("\n"))) <= 72 or " " not in n.notes for n in wrapped(notes, 72))
    opened = with_asides(notes, seed=1)
    sentences = set(filter(None, map(str.strip, (ROOT / ASIDES).read_text(encoding="utf-8").splitlines())))
    assert [(n.id, n.verdict, n.red_flag) for n in opened] == [(n.id, n.verdict, n.red_flag) for n in notes]
    assert all(
        o.notes.endswith(n.notes) and o.notes[: -len(n.notes)].strip() in sentences
        for o, n in zip(opened, notes, strict=True)
    )
    assert len({o.notes[: -len(n.notes)] for o, n in zip(opened, notes, strict=True)}) >= 60
    assert with_asides(notes, seed=1) == opened != with_asides(notes, seed=2)
    assert as_she([replace(notes[0], notes="He said HIS team trusts him; he'd fix it himself.")])[0].notes == (
        "She said HER team trusts her; she'd fix it herself."
    )


def test_taking_out_sentence_ends_keeps_every_other_character_and_every_label():
    notes = load_labelled([ROOT / DEFAULT_SPLIT])
    run_on = without_sentence_ends(notes)
    for before, after in zip(notes, run_on, strict=True):
        assert (before.id, before.verdict, before.red_flag) == (after.id, after.verdict, after.red_flag)
        assert re.sub(r"[.!?]", "", before.notes) == re.sub(r"[.!?]", "", after.notes)
    assert not any(re.search(r"\w[.!?]+\s", n.notes) for n in run_on)
    assert sum(re.search(r"\w[.!?]+\s", n.notes) is not None for n in notes) > len(notes) / 2


def test_typos_hit_about_the_share_of_words_asked_and_leave_ids_labels_and_short_words_alone():
    notes = load_labelled([ROOT / DEFAULT_SPLIT])
    typed = with_typos(notes, 0.1, seed=7)
    assert typed == with_typos(notes, 0.1, seed=7) and typed != with_typos(notes, 0.1, seed=8)
    assert with_typos(notes, 0.0) == notes
    words = changed = 0
    for before, after in zip(notes, typed, strict=True):
        assert (before.id, before.verdict, before.red_flag, before.kind) == (
            after.id,
            after.verdict,
            after.red_flag,
            after.kind,
        )
        old, new = before.notes.split(), after.notes.split()
        assert len(old) == len(new)  # a typo changes letters inside a word, never the spaces
        for a, b in zip(old, new, strict=True):
            words += any(len(run) >= 4 for run in re.findall(r"[A-Za-z]+", a))
            if a != b:
                changed += 1
                assert a[0] == b[0] and abs(len(a) - len(b)) <= 1, (a, b)
    assert 0.07 < changed / words < 0.12, changed / words


def test_no_note_is_in_both_splits():
    dev = {n.notes for n in load_labelled([ROOT / "tests/data/notes/dev"])}
    test = {n.notes for n in load_labelled([ROOT / DEFAULT_SPLIT])}
    assert not dev & test


def test_eval_prints_the_figures_and_each_failure_by_note_id(tmp_path):
    labelled = tmp_path / "notes.jsonl"
    rows = [
        {
            "id": "n1",
            "competency": "security",
            "notes": "Stores passwords in plain text.",
            "verdict": "weak",
            "red_flag": "plain-text passwords",
        },
        {
            "id": "n2",
            "competency": "databases",
            "notes": "Ran EXPLAIN ANALYZE and added a composite index.",
            "verdict": "weak",
            "red_flag": None,
        },
    ]
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = subprocess.run(
        [sys.executable, "-m", "hiring_pipeline.cli", "eval", str(labelled)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert "accuracy: 50.0 %" in out.stdout
    assert "red-flag recall: 100.0 %" in out.stdout
    assert "n2 [databases] expected weak, got strong" in out.stdout
    assert "n1 [" not in out.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "hiring_pipeline.cli", "eval", str(labelled), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(as_json.stdout)
    assert report["notes"] == 2 and [f["id"] for f in report["failures"]] == ["n2"]
    typed = subprocess.run(
        [sys.executable, "-m", "hiring_pipeline.cli", "eval", str(labelled), "--json", "--typos", "0.5", "--seed", "3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    expected = evaluate(with_typos(load_labelled([labelled]), 0.5, seed=3), load_rubric()).to_json()
    assert json.loads(typed.stdout) == json.loads(json.dumps(expected)) != report


def test_a_labelled_file_with_a_bad_verdict_is_refused_in_one_line(tmp_path):
    labelled = tmp_path / "bad.jsonl"
    labelled.write_text(json.dumps({"competency": "security", "notes": "x", "verdict": "maybe"}) + "\n")
    out = subprocess.run(
        [sys.executable, "-m", "hiring_pipeline.cli", "eval", str(labelled)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "verdict must be strong or weak" in out.stderr


def test_the_committed_notes_model_is_what_the_dev_split_trains_to():
    out = subprocess.run(
        [sys.executable, "-m", "hiring_pipeline.cli", "train-scorer", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr


def test_the_notes_model_is_fitted_to_its_optimum_so_where_the_solver_stops_moves_no_weight():
    """A fit stopped early depends on the path to it: one more round of notes in `dev` then
    moves verdicts that the notes did not touch. Solved to the optimum, a far tighter stop
    gives the same weights."""
    from hiring_pipeline.tools import scorer_training

    notes = load_labelled(sorted((ROOT / "tests/data/notes/dev").glob("*.jsonl"))[:4])
    matrix, _ = scorer_training._features([note.notes for note in notes])
    for balanced, labels in (
        (False, [note.verdict == "strong" for note in notes]),
        (True, [note.red_flag for note in notes]),
    ):
        fitted = scorer_training.fit(matrix, labels, [1.0] * len(notes), balanced=balanced)
        tighter = scorer_training.fit(
            matrix, labels, [1.0] * len(notes), balanced=balanced, tolerance=scorer_training.TOLERANCE / 1000
        )
        assert fitted.n_iter_[0] < scorer_training.MAX_ITERATIONS
        assert abs(fitted.coef_[0] - tighter.coef_[0]).max() < 1e-3


def test_leaving_voices_out_scores_each_voice_with_a_model_trained_only_on_the_other_folds():
    import dataclasses
    import json as json_module

    from hiring_pipeline.tools.scorer_training import render, train
    from hiring_pipeline.tools.voices_left_out import folds_of, outcomes_left_out
    from services.scoring.evidence import compile_lexicon
    from services.scoring.notes_model import model_from

    notes = load_labelled(sorted((ROOT / "tests/data/notes/dev").glob("*.jsonl"))[:4])
    voices = sorted({note.voice for note in notes})
    folds = folds_of(notes, 2)
    # dealt in name order: the first and third voices in one fold, the second and fourth in the other
    assert [{notes[i].voice for i in fold} for fold in folds] == [{voices[0], voices[2]}, {voices[1], voices[3]}]
    assert sorted(i for fold in folds for i in fold) == list(range(len(notes)))
    # the scorer reads one note with an aside before it; the models train on the notes as written
    read = list(notes)
    read[folds[0][0]] = with_asides([notes[folds[0][0]]], 1)[0]
    assert read[folds[0][0]].notes != notes[folds[0][0]].notes

    left_out = outcomes_left_out(notes, 2, scored=read, neutral=[], processes=1)

    rubric = load_rubric()

    def read_with_a_model_trained_on(trained):
        model = model_from(json_module.loads(render(train(trained, []))))
        return dataclasses.replace(compile_lexicon(rubric), model=model)

    for held, other in ((folds[0], folds[1]), (folds[1], folds[0])):
        lexicon = read_with_a_model_trained_on([notes[i] for i in other])
        assert [left_out[i] for i in held] == [score_note(read[i], rubric, lexicon) for i in held]
    # the folds run side by side in processes to the same outcomes
    assert outcomes_left_out(notes, 2, scored=read, neutral=[], processes=2) == left_out


def test_eval_leaves_voices_out_on_request_and_refuses_more_folds_than_voices_in_one_line():
    files = [str(p) for p in sorted((ROOT / "tests/data/notes/dev").glob("*.jsonl"))[:3]]
    command = [sys.executable, "-m", "hiring_pipeline.cli", "eval", *files, "--leave-voices-out"]
    out = subprocess.run([*command, "3"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "notes: 210" in out.stdout and "accuracy:" in out.stdout
    refused = subprocess.run([*command, "4"], capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines()[-1].endswith("3 voices, 4 folds")


def test_a_model_trained_elsewhere_agrees_with_the_committed_one_only_up_to_float_noise():
    from hiring_pipeline.tools.scorer_training import FLOAT_NOISE, agrees

    committed = {"version": "v", "bias": -1.2225, "weights": {"timeout": 0.9025, "edge": -0.9026, "cap": 2.0}}
    noisy = {"version": "v", "bias": -1.2224, "weights": {"with zod": 0.9025, "edge": -0.9037, "cap": 2.0}}
    assert agrees(committed, noisy)
    moved = {**committed, "weights": {**committed["weights"], "cap": 2.0 + 2 * FLOAT_NOISE}}
    added = {**committed, "weights": {**committed["weights"], "new feature": 1.5}}
    assert not agrees(committed, moved)
    assert not agrees(committed, added)
    assert not agrees(committed, {**committed, "version": "w"})


def test_a_model_with_extra_or_missing_features_does_not_agree():
    from hiring_pipeline.tools.scorer_training import agrees

    committed = {"version": "v", "weights": {"timeout": 0.9025, "edge": -0.9026, "cap": 2.0}}
    extra = {**committed, "weights": {**committed["weights"], **{f"new{i}": 0.05 for i in range(10)}}}
    dropped = {**committed, "weights": {"edge": -0.9026, "cap": 2.0}}
    renamed = {**committed, "weights": {"timeout": 0.9025, "edge": -0.9026, "other": 2.0}}
    assert not agrees(committed, extra)
    assert not agrees(committed, dropped)
    assert not agrees(committed, renamed)
