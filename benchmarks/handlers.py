"""CPU cost of both services' handlers per event, with in-memory stores, beside another revision.

    python -m benchmarks.handlers [--events N] [--rounds N] [--against REV]

What the services do per event besides the broker and the database: decoding and checking
each record, scoring (the scoring core, measured on its own too), building and encoding
the outgoing events, merging and deciding, the records, metrics and logs. The stores keep
state in memory but encode what they store as the PostgreSQL stores do; the sender only
collects records. The workload is loops of three interviews per candidate (three
interviewers, the three roles), notes recombined from the labelled corpus, batches of 500
records as the services receive them.

Per round, each side reports CPU per event: the scoring handler, the scoring core alone
(as the revision's handler calls it: `score_interviews_wire` over runs of the decoded events,
`score_interview_wire` over each, or `score_interview` over the parsed events), the scoring edge (the
handler less the core: everything else it does per event; the core is compiled by mypyc, so
it can no longer be answered from a cache by replacing a module's function) and the
aggregation handler; and a digest of every published byte, so two revisions that publish
the same records print the same digest. `--against REV` runs REV's handlers on the same
records in a temporary worktree, taking turns round by round on one core (as
`benchmarks.scoring_core` does); each side's median round counts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BATCH = 500
ROLES = ["backend-engineer", "java-backend-engineer", "node-backend-engineer"]
RATINGS = [None, "no", "mixed", "yes", "yes", "strong_yes"]
CLOCK = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def documents(count: int, seed: int = 7) -> list[str]:
    """`count` InterviewCompleted documents (JSON): loops of three interviews per candidate,
    the five competencies split between them, each note one to three corpus notes joined."""
    from benchmarks.workload import corpus_notes  # here: the other revision's probe never imports it

    by_competency = corpus_notes()
    competencies = sorted(by_competency)
    rng = random.Random(f"handlers:{seed}")
    result = []
    for number in range(count):
        loop, turn = divmod(number, 3)
        part = [competencies[:2], competencies[2:4], competencies[4:]][turn]
        result.append(
            json.dumps(
                {
                    "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "occurred_at": "2026-11-20T14:00:00Z",
                    "interview_id": f"h-{loop}-i{turn}",
                    "revision": 1,
                    "candidate_id": f"h-{loop}",
                    "role_id": ROLES[loop % 3],
                    "interviewer_id": f"intv-{turn}",
                    "assessments": [
                        {
                            "competency": c,
                            "rating": rng.choice(RATINGS),
                            "notes": " ".join(rng.sample(by_competency[c], rng.randint(1, 3))),
                        }
                        for c in part
                    ],
                },
                separators=(",", ":"),
                ensure_ascii=False,
            )
        )
    return result


def _json(event: Any) -> bytes:
    """An event's JSON as the stores write it: the contract model's, or the fast codec's."""
    dump = getattr(event, "model_dump_json", None)
    if dump is not None:
        return dump().encode()  # type: ignore[no-any-return]
    from schemas import wire  # type: ignore[attr-defined, unused-ignore]  # only where the fast codec exists

    return wire.encode(event)  # type: ignore[no-any-return, unused-ignore]


class Sender:
    max_record_bytes = 1_048_576

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_all(self, records: Sequence[Any]) -> None:
        self.sent.extend(records)


class ScoreStore:
    """Every event new and current, its JSON written as the PostgreSQL store writes it."""

    async def save(self, outcomes: Sequence[Any], encoded: Sequence[Any] | None = None) -> list[bytes | None]:
        """`encoded`: the JSON the handler wrote already, which the PostgreSQL store keeps (a
        revision without it passes none)."""
        return [_json(o) if e is None else e for o, e in zip(outcomes, encoded or [None] * len(outcomes), strict=True)]

    async def ping(self) -> None:
        pass


class PairStates:
    def __init__(self, store: AggregationStore) -> None:
        self.store = store

    async def load(self, keys: Sequence[Any], *, lock: bool = True) -> dict[Any, Any]:
        from services.aggregation.store import PairState

        return {k: self.store.pairs.get(k) or PairState() for k in keys}

    async def save(
        self, interviews: Sequence[Any], recommendations: Sequence[Any], payloads: Sequence[Any] | None = None
    ) -> list[int]:
        """`payloads`: the JSON an interview was consumed as, which the PostgreSQL store keeps
        instead of encoding the event (a revision without it passes none)."""
        from services.aggregation.store import PairState

        for event, payload in zip(interviews, payloads or [None] * len(interviews), strict=True):
            self.store.payloads.append(_json(event) if payload is None else payload)
            state = self.store.pairs.setdefault((event.candidate_id, event.role_id), PairState())
            state.interviews[event.interview_id] = event
        for new in recommendations:
            key = (new.recommendation.candidate_id, new.recommendation.role_id)
            self.store.pairs.setdefault(key, PairState()).published = _published(
                new.recommendation.version, new.fingerprint
            )
            self.store.outbox.append(new.record)
        return list(range(len(recommendations)))


def _published(version: int, fingerprint: str) -> Any:
    from services.aggregation.decision import Published

    return Published(version, fingerprint)


class AggregationStore:
    def __init__(self) -> None:
        self.pairs: dict[Any, Any] = {}
        self.payloads: list[bytes] = []
        self.outbox: list[Any] = []

    @contextlib.asynccontextmanager
    async def transaction(self) -> Any:
        yield PairStates(self)

    async def publish_outbox(self, sender: Any, fresh: Any = ()) -> int:
        pending, self.outbox = self.outbox, []
        await sender.send_all(pending)
        return len(pending)

    async def assessments(self, role_id: str | None = None) -> list[Any]:
        return []

    async def ping(self) -> None:
        pass


class Rounds:
    """This checkout's handlers, ready to measure a round at a time."""

    def __init__(self, docs: list[str]) -> None:
        from aiokafka import ConsumerRecord
        from prometheus_client import CollectorRegistry

        from schemas import topics
        from schemas.events import InterviewCompleted
        from schemas.rubric import load_roles, load_rubric
        from services.aggregation.consumer import AggregationHandler, AggregationMetrics
        from services.runtime.logs import configure_logging
        from services.scoring.consumer import ScoringHandler, ScoringMetrics
        from services.scoring.score import score_interview

        configure_logging("json", "WARNING")  # as the benchmark runs the services
        self.rubric, self.roles = load_rubric(), load_roles()
        self.events = [InterviewCompleted.model_validate_json(d) for d in docs]
        score_interview(self.events[0], self.rubric, CLOCK)  # compile the lexicon outside the measurement

        def record(topic: str, offset: int, key: bytes | None, value: bytes | None, headers: Any) -> Any:
            return ConsumerRecord(
                topic, offset % 6, offset, 0, 0, key, value, None, len(key or b""), len(value or b""), tuple(headers)
            )

        self.record = record
        self.completed = [
            record(
                topics.INTERVIEW_COMPLETED,
                n,
                e.key.encode(),
                d.encode(),
                [
                    ("correlation_id", str(e.event_id).encode()),
                    ("event_type", b"InterviewCompleted"),
                    ("schema_version", b"1"),
                ],
            )
            for n, (e, d) in enumerate(zip(self.events, docs, strict=True))
        ]
        self.scoring = lambda sender: ScoringHandler(
            ScoreStore(), sender, self.rubric, lambda: CLOCK, ScoringMetrics(CollectorRegistry())
        )
        self.aggregation = lambda sender: AggregationHandler(
            AggregationStore(), sender, self.roles, lambda: CLOCK, AggregationMetrics(CollectorRegistry())
        )
        self.score_all: Callable[[], object] = lambda: [score_interview(e, self.rubric, CLOCK) for e in self.events]
        self.topics = topics
        import services.scoring.consumer as consumer_module
        import services.scoring.score as score_module

        # The core as the revision's handler calls it: runs of decoded events scanned together,
        # or decoded events one by one (else the contract's models, as set above).
        if hasattr(score_module, "score_interviews_wire"):
            from schemas import wire

            hot = [wire.read(wire.InterviewCompleted, d) for d in docs]
            step = consumer_module.SCAN_AHEAD
            self.score_all = lambda: [
                score_module.score_interviews_wire(hot[n : n + step], self.rubric, wire.instant(CLOCK))
                for n in range(0, len(hot), step)
            ]
        elif hasattr(score_module, "score_interview_wire"):
            from schemas import wire

            hot = [wire.read(wire.InterviewCompleted, d) for d in docs]
            self.score_all = lambda: [
                score_module.score_interview_wire(e, self.rubric, wire.instant(CLOCK)) for e in hot
            ]

    def round(self) -> dict[str, Any]:
        return asyncio.run(self._round())

    async def _round(self) -> dict[str, Any]:
        scored = Sender()
        handler = self.scoring(scored)
        started = time.process_time()
        for i in range(0, len(self.completed), BATCH):
            await handler.handle(self.completed[i : i + BATCH])
        scoring = time.process_time() - started

        started = time.process_time()
        self.score_all()
        core = time.process_time() - started
        edge = scoring - core

        inputs = [
            self.record(self.topics.INTERVIEW_SCORED, n, r.key, r.value, r.headers) for n, r in enumerate(scored.sent)
        ]
        recommended = Sender()
        aggregator = self.aggregation(recommended)
        started = time.process_time()
        for i in range(0, len(inputs), BATCH):
            await aggregator.handle(inputs[i : i + BATCH])
        aggregation = time.process_time() - started

        n = len(self.completed)
        digest = hashlib.sha256()
        for r in [*scored.sent, *recommended.sent]:
            digest.update(r.topic.encode() + b"\0" + (r.key or b"") + b"\0" + (r.value or b"") + b"\0")
            digest.update(repr(r.headers).encode())
        return {
            "scoring_us": scoring / n * 1e6,
            "core_us": core / n * 1e6,
            "edge_us": edge / n * 1e6,
            "aggregation_us": aggregation / n * 1e6,
            "published": [len(scored.sent), len(recommended.sent)],
            "digest": digest.hexdigest()[:16],
        }


def serve(docs: list[str]) -> None:
    """Measure a round for every line on stdin; print each as JSON (the other revision's side)."""
    rounds = Rounds(docs)
    print("ready", flush=True)
    for _ in sys.stdin:
        print(json.dumps(rounds.round()), flush=True)


def measure(docs: list[str], rounds: int, against: str | None) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Median figures per event of this checkout's handlers and, with `against`, of that revision's."""
    from benchmarks.beside import measure_beside  # here, not above: this file is the other side's probe too

    return measure_beside(Rounds(docs).round, docs, rounds, against, Path(__file__))


def _line(name: str, figures: dict[str, Any]) -> str:
    return (
        f"{name:>14}: scoring {figures['scoring_us']:7.1f} us/event (core {figures['core_us']:6.1f}, "
        f"edge {figures['edge_us']:6.1f}), aggregation {figures['aggregation_us']:6.1f} us/event; "
        f"published {figures['published'][0]} + {figures['published'][1]}, digest {figures['digest']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000, help="interview events per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per side (the median counts)")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision's handlers, same records")
    args = parser.parse_args()
    here, there = measure(documents(args.events), args.rounds, args.against)
    print(f"{args.events} events in loops of three, batches of {BATCH}; median of {args.rounds} rounds, CPU per event")
    print(_line("this checkout", here))
    if args.against and there is not None:
        print(_line(args.against, there))
        for key, name in [("edge_us", "scoring edge"), ("aggregation_us", "aggregation")]:
            print(f"{name} this checkout / {args.against}: {here[key] / there[key]:.2f}x")


if __name__ == "__main__":
    main()
