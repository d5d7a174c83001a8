"""CPU cost of the scoring core: one interview, five competencies, ~1,000-character notes.

    python -m benchmarks.scoring_core [--iterations N]

The notes are realistic: a few sentences with rubric signals (strong, negated and a red
flag) inside ordinary interview prose. Reports CPU time per interview and, because machines are noisy, the ratio to a baseline
measured in the same run: parsing the same event from JSON with pydantic (work every
consumer does anyway). The issue's target: well under a millisecond per interview.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime

from schemas.events import InterviewCompleted
from schemas.rubric import load_rubric
from services.scoring.score import score_interview

SIGNAL_SENTENCES = {
    "api_design": "Modelled orders and line items as resources, used 201 with a Location header on create and 409 "
    "when the version does not match. Proposed idempotency keys on the payment POST. ",
    "databases": "Sketched the schema, then proposed a composite index on (tenant_id, created_at) and checked it with "
    "EXPLAIN ANALYZE. Could not explain when a covering index helps. ",
    "concurrency": "Described a lost update on the stock counter and fixed it with SELECT ... FOR UPDATE. Unsure about "
    "isolation levels, no idea about write skew. ",
    "reliability_observability": "Structured JSON logs with correlation IDs and readiness probes, alerting on SLO burn "
    "rate. Relies on console.log when debugging locally. ",
    "security": "Raised SQL injection and CSRF unprompted, parameterized queries everywhere, argon2 for passwords, "
    "secrets kept in Vault. ",
}
PROSE = (
    "The candidate took a moment to restate the problem and asked good clarifying questions about expected load, "
    "the size of the team that would own the service and what the product people actually needed first. The "
    "conversation stayed friendly and focused; when I pushed back on one of the assumptions the candidate "
    "adjusted the plan without getting defensive and explained what would change in the rollout. Communication "
    "was clear throughout, diagrams were tidy, and the time was managed well enough that we reached the "
    "follow-up questions at the end of the session with a few minutes to spare for their own questions. "
)


def sample_event() -> InterviewCompleted:
    return InterviewCompleted(
        event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), interview_id="int-bench", revision=1,
        candidate_id="cand-bench", role_id="backend-engineer", interviewer_id="intv-bench",
        assessments=[
            {"competency": c, "rating": "yes", "notes": (text + PROSE * 3)[:1000]} for c, text in SIGNAL_SENTENCES.items()
        ],
    )


def cpu_per_call(fn, iterations: int, rounds: int = 5) -> float:  # type: ignore[no-untyped-def]
    """Median over rounds of CPU seconds per call."""
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(iterations):
            fn()
        samples.append((time.process_time() - start) / iterations)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    rubric, event = load_rubric(), sample_event()
    raw = event.model_dump_json().encode()
    now = datetime.now(UTC)
    score_interview(event, rubric, now)  # compile the lexicon outside the measurement
    baseline = cpu_per_call(lambda: InterviewCompleted.model_validate_json(raw), args.iterations)
    scoring = cpu_per_call(lambda: score_interview(event, rubric, now), args.iterations)
    print(f"notes per interview: 5 x {len(event.assessments[0].notes)} characters")
    print(f"baseline (parse the event JSON): {baseline * 1e6:8.1f} us CPU")
    print(f"score_interview:                 {scoring * 1e6:8.1f} us CPU  ({scoring / baseline:.1f}x the baseline)")


if __name__ == "__main__":
    main()
