"""CPU cost of the scoring core per interview, on realistic notes, beside another revision.

    python -m benchmarks.scoring_core [--interviews N] [--rounds N] [--against REV]

The workload is the labelled corpus (`tests/data/notes/`: notes by many interviewers, of
every length and style), recombined into interviews of one note per competency, each
interview different: no cache can serve a repeated sentence. Reports CPU per interview and,
since machines are noisy, the ratio to a baseline measured in the same process: parsing
the same events from JSON with pydantic, work every consumer does anyway.

`--against REV` measures the scoring core of another git revision (a temporary worktree,
run in its own interpreter) on the same events and prints the ratio of the two: how the
issue's "within 3 x the starting commit's CPU" is checked. The two take turns, round by
round, and each side's median round counts: on a machine shared with other work, a burst
of load then slows both sides, not one.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def interviews(count: int, seed: int = 7) -> list[str]:
    """`count` InterviewCompleted documents (JSON), each with one corpus note per competency."""
    from benchmarks.workload import corpus_notes  # here: the other revision's probe never imports it

    by_competency = corpus_notes()
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        assessments = [
            {
                "competency": competency,
                "rating": rng.choice([None, "no", "mixed", "yes", "strong_yes"]),
                "notes": rng.choice(notes),
            }
            for competency, notes in sorted(by_competency.items())
        ]
        documents.append(
            json.dumps(
                {
                    "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "occurred_at": "2026-11-20T14:00:00Z",
                    "interview_id": f"int-{number}",
                    "revision": 1,
                    "candidate_id": f"cand-{number}",
                    "role_id": "backend-engineer",
                    "interviewer_id": "intv-bench",
                    "assessments": assessments,
                }
            )
        )
    return documents


def cpu_per_call(calls: Sequence[Callable[[], object]]) -> float:
    """CPU seconds per call over one round, calling every function once."""
    start = time.process_time()
    for call in calls:
        call()
    return (time.process_time() - start) / len(calls)


class Rounds:
    """This checkout's scoring core, ready to measure a round at a time."""

    def __init__(self, documents: list[str]) -> None:
        from schemas.events import InterviewCompleted
        from schemas.rubric import load_rubric
        from services.scoring.score import score_interview

        rubric, now = load_rubric(), datetime.now(UTC)
        events = [InterviewCompleted.model_validate_json(d) for d in documents]
        score_interview(events[0], rubric, now)  # compile the lexicon outside the measurement
        self.parse = [lambda d=d: InterviewCompleted.model_validate_json(d) for d in documents]
        self.one_by_one = [lambda e=e: score_interview(e, rubric, now) for e in events]
        self.runs: list[Callable[[], object]] | None = None
        from services.scoring import score as core

        if not hasattr(core, "scan_interviews"):  # a revision whose service scores one by one
            return
        from schemas import wire
        from services.scoring.consumer import SCAN_AHEAD
        from services.scoring.score import score_interviews_wire

        hot = [wire.read(wire.InterviewCompleted, d) for d in documents]
        runs = [hot[n : n + SCAN_AHEAD] for n in range(0, len(hot), SCAN_AHEAD)]
        at = wire.instant(now)
        self.runs = [functools.partial(score_interviews_wire, run, rubric, at) for run in runs]
        self.per_run = [len(run) for run in runs]

    def round(self) -> dict[str, float]:
        """`scoring_us`: CPU per interview scored as the revision's service scores them (one
        by one, or in runs whose notes are scanned together); `one_by_one_us`: each alone."""
        figures = {"baseline_us": cpu_per_call(self.parse) * 1e6, "one_by_one_us": cpu_per_call(self.one_by_one) * 1e6}
        figures["scoring_us"] = figures["one_by_one_us"]
        if self.runs is not None:
            figures["scoring_us"] = cpu_per_call(self.runs) * len(self.runs) / sum(self.per_run) * 1e6
        return figures


def serve(documents: list[str]) -> None:
    """Measure a round for every line on stdin; print each as JSON (the other revision's side)."""
    rounds = Rounds(documents)
    print("ready", flush=True)
    for _ in sys.stdin:
        print(json.dumps(rounds.round()), flush=True)


def measure(
    documents: list[str], rounds: int = 5, against: str | None = None
) -> tuple[dict[str, float], dict[str, float] | None]:
    """Median CPU per interview of this checkout's scoring core and of parsing the event;
    with `against`, of that revision's too, the two measured in turns."""
    from benchmarks.beside import measure_beside  # here, not above: this file is the other side's probe too

    return measure_beside(Rounds(documents).round, documents, rounds, against, Path(__file__))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=400, help="distinct interviews per round")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision's scoring core, same events")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per side (the median counts)")
    args = parser.parse_args()
    documents = interviews(args.interviews)
    here, there = measure(documents, args.rounds, args.against)
    print(f"{args.interviews} distinct interviews, 5 corpus notes each; median of {args.rounds} rounds")
    for name, side in (("this checkout", here), (args.against, there)):
        if side is None:
            continue
        alone = side.get("one_by_one_us", side["scoring_us"])
        print(
            f"{name}: {side['scoring_us']:8.1f} us CPU per interview as its service scores them "
            f"({side['scoring_us'] / side['baseline_us']:.1f}x parsing the event); each alone {alone:8.1f} us"
        )
    if args.against and there is not None:
        print(f"this checkout / {args.against}: {here['scoring_us'] / there['scoring_us']:.2f}x the CPU per interview")
        alone = here["one_by_one_us"] / there.get("one_by_one_us", there["scoring_us"])
        print(f"  each interview scored alone on both sides: {alone:.2f}x")


if __name__ == "__main__":
    main()
