"""The scorer on interviewers its notes model never read: each voice scored by a model trained without it.

    hiring-pipeline eval --leave-voices-out 4 [FILE ...]     (default: the dev split)

The notes model trains on `dev`, so `eval` on `dev` measures notes the model has read. To
choose a setting on `dev` (the model's penalty, `CLEARLY_STRONG`, a threshold) without fooling
ourselves, the voices are dealt into folds and each fold's notes are scored by a model trained
on the other folds (and the neutral notes): the figures are those of interviewers the model
never saw. The lexicons stay as they are; they were written from all of `dev`, so these
figures still flatter them, which `test`, the sealed voices and each new round read on arrival
measure instead.

Voices are dealt in name order (the first to fold 0, the second to fold 1, ...), so every run
has the same folds and two settings compare note for note. The folds run side by side, one
process each, up to the cores this process may use: about four minutes for `dev` on two.
The model of each fold trains on the other folds of the notes given, so on `dev` (the default)
it is the committed model's training less a fold; given another split, it trains on that split.
"""

from __future__ import annotations

import dataclasses
import json
import os
from concurrent.futures import ProcessPoolExecutor
from typing import cast

from hiring_pipeline.tools.scorer_eval import LabelledNote, Outcome, Report, report, score_note
from hiring_pipeline.tools.scorer_training import load_neutral, render, train


def folds_of(notes: list[LabelledNote], folds: int) -> list[list[int]]:
    """The positions in `notes` of each fold's notes: every voice whole, in one fold."""
    voices = sorted({note.voice for note in notes})
    if folds < 2:
        raise ValueError(f"leaving voices out needs at least 2 folds, not {folds}")
    if len(voices) < folds:
        raise ValueError(f"leaving voices out needs a voice per fold: {len(voices)} voices, {folds} folds")
    fold_of = {voice: number % folds for number, voice in enumerate(voices)}
    return [[i for i, note in enumerate(notes) if fold_of[note.voice] == fold] for fold in range(folds)]


def leave_voices_out(
    notes: list[LabelledNote],
    folds: int,
    *,
    scored: list[LabelledNote] | None = None,
    neutral: list[str] | None = None,
    processes: int | None = None,
) -> Report:
    """The figures of `notes`, each fold scored by a model trained on the others as written.
    `scored`: the same notes, in the same order, as the scorer is to read them (with typos,
    asides ...; by default as written)."""
    return report(outcomes_left_out(notes, folds, scored=scored, neutral=neutral, processes=processes), notes)


def outcomes_left_out(
    notes: list[LabelledNote],
    folds: int,
    *,
    scored: list[LabelledNote] | None = None,
    neutral: list[str] | None = None,
    processes: int | None = None,
) -> list[Outcome]:
    """Each note's outcome, in the order of `notes` (see `leave_voices_out`)."""
    scored = notes if scored is None else scored
    if [n.id for n in scored] != [n.id for n in notes]:
        raise ValueError("the notes to score must be the labelled notes, in the same order")
    neutral = load_neutral() if neutral is None else neutral
    groups = folds_of(notes, folds)
    jobs = [
        ([notes[i] for other in groups if other is not group for i in other], [scored[i] for i in group], neutral)
        for group in groups
    ]
    workers = min(folds, processes or len(os.sched_getaffinity(0)))
    if workers == 1:
        results = [_score_fold(*job) for job in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_score_fold, *zip(*jobs, strict=True)))
    outcomes: list[Outcome | None] = [None] * len(notes)
    for group, fold in zip(groups, results, strict=True):
        for i, outcome in zip(group, fold, strict=True):
            outcomes[i] = outcome
    assert all(o is not None for o in outcomes), "every note belongs to exactly one fold"
    return cast(list[Outcome], outcomes)


def _score_fold(trained: list[LabelledNote], held: list[LabelledNote], neutral: list[str]) -> list[Outcome]:
    """`held` scored by the rubric's lexicons with a notes model trained on `trained` alone."""
    from schemas.rubric import load_rubric
    from services.scoring.evidence import compile_lexicon
    from services.scoring.notes_model import model_from

    rubric = load_rubric()
    model = model_from(json.loads(render(train(trained, neutral))))
    lexicon = dataclasses.replace(compile_lexicon(rubric), model=model)
    return [score_note(note, rubric, lexicon) for note in held]
