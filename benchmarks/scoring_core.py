"""CPU cost of the scoring core per interview, on realistic notes, beside another revision.

    python -m benchmarks.scoring_core [--iterations N] [--against REV]

The workload is the labelled corpus (`tests/data/notes/`: notes by many interviewers, of
every length and style), recombined into interviews of one note per competency, each
interview different: no cache can serve a repeated sentence. Reports CPU per interview and,
since machines are noisy, the ratio to a baseline measured in the same process: parsing
the same events from JSON with pydantic, work every consumer does anyway.

`--against REV` measures the scoring core of another git revision (a temporary worktree,
run in its own interpreter) on the same events, one right after the other, and prints the
ratio of the two: how the issue's "within 3 x today's CPU" is checked.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "notes"


def corpus_notes() -> dict[str, list[str]]:
    """The labelled corpus's notes by competency: many interviewers' words, every style."""
    by_competency: dict[str, list[str]] = {}
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_competency.setdefault(row["competency"], []).append(row["notes"])
    return by_competency


def interviews(count: int, seed: int = 7) -> list[str]:
    """`count` InterviewCompleted documents (JSON), each with one corpus note per competency."""
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


def cpu_per_call(calls: list[Callable[[], object]], rounds: int = 5) -> float:
    """Median over rounds of CPU seconds per call, each round calling every function once."""
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for call in calls:
            call()
        samples.append((time.process_time() - start) / len(calls))
    return statistics.median(samples)


def measure(documents: list[str]) -> dict[str, float]:
    """CPU per interview of this checkout's scoring core, and of parsing the event."""
    from schemas.events import InterviewCompleted
    from schemas.rubric import load_rubric
    from services.scoring.score import score_interview

    rubric, now = load_rubric(), datetime.now(UTC)
    events = [InterviewCompleted.model_validate_json(d) for d in documents]
    score_interview(events[0], rubric, now)  # compile the lexicon outside the measurement
    baseline = cpu_per_call([lambda d=d: InterviewCompleted.model_validate_json(d) for d in documents])  # type: ignore[misc]
    scoring = cpu_per_call([lambda e=e: score_interview(e, rubric, now) for e in events])  # type: ignore[misc]
    return {"baseline_us": baseline * 1e6, "scoring_us": scoring * 1e6}


def measure_revision(revision: str, documents: list[str]) -> dict[str, float]:
    """The same measurement in a temporary worktree of `revision`, in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
            check=True,
            capture_output=True,
        )
        try:
            events = Path(scratch) / "events.json"
            events.write_text(json.dumps(documents), encoding="utf-8")
            script = (
                "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[3]);"
                "from scoring_core_probe import measure; print(json.dumps(measure(json.load(open(sys.argv[2])))))"
            )
            probe = Path(scratch) / "scoring_core_probe.py"
            probe.write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
            out = subprocess.run(
                [sys.executable, "-c", script, str(tree), str(events), scratch],
                check=True,
                capture_output=True,
                text=True,
                cwd=tree,
            )
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=400, help="distinct interviews per round")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision's scoring core, same events")
    args = parser.parse_args()
    documents = interviews(args.interviews)
    here = measure(documents)
    print(f"{args.interviews} distinct interviews, 5 corpus notes each")
    print(
        f"this checkout: score_interview {here['scoring_us']:8.1f} us CPU ({here['scoring_us'] / here['baseline_us']:.1f}x parsing the event)"
    )
    if args.against:
        there = measure_revision(args.against, documents)
        print(
            f"{args.against}: score_interview {there['scoring_us']:8.1f} us CPU ({there['scoring_us'] / there['baseline_us']:.1f}x parsing the event)"
        )
        print(f"this checkout / {args.against}: {here['scoring_us'] / there['scoring_us']:.2f}x the CPU per interview")


if __name__ == "__main__":
    main()
