"""Both services as real processes, for fault tests: start, kill -9, restart, probe.

Scenarios publish a known loop, inject a fault while it flows, then check invariants
against the dry run of the same events (`hiring_pipeline.tools.dry_run.recommend`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass

import asyncpg
from aiokafka.errors import KafkaError

from hiring_pipeline.devstack.processes import ServiceProcess
from hiring_pipeline.tools.dry_run import recommend
from hiring_pipeline.tools.recommendations import follow_latest
from schemas import topics
from schemas.events import InterviewCompleted, Recommendation
from schemas.rubric import load_roles, load_rubric
from tests.factories import STRONG_NOTES, interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until

ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]
ROLES = ["backend-engineer", "java-backend-engineer", "node-backend-engineer"]
RATINGS = ["definitely_not", "no", "mixed", "yes", "strong_yes", None]


Service = ServiceProcess


async def wait_ready(*services: ServiceProcess, timeout: float = 60) -> None:
    for service in services:
        await asyncio.to_thread(service.wait_ready, timeout)


def loop_events(tag: str, candidates: int, seed: int = 0) -> list[InterviewCompleted]:
    """A realistic loop: three interviews per candidate, some edited, some delivered twice."""
    import random

    rng = random.Random(seed)
    events: list[InterviewCompleted] = []
    for n in range(candidates):
        candidate, role = f"{tag}-c{n}", ROLES[n % 3]
        for i, part in enumerate([ALL[:2], ALL[2:4], ALL[4:]]):
            ratings = {c: rng.choice(RATINGS) for c in part}
            notes = {
                c: rng.choice(["", STRONG_NOTES[c], "Stores passwords in plain text.", "No idea about locks."])
                for c in part
            }
            first = interview(
                candidate_id=candidate, role_id=role, interview_id=f"{candidate}-i{i}", ratings=ratings, notes=notes
            )
            events.append(first)
            if rng.random() < 0.2:
                events.append(first)  # a duplicate delivery
            if rng.random() < 0.2:
                edited = {c: rng.choice(RATINGS) for c in part}
                events.append(
                    interview(
                        candidate_id=candidate,
                        role_id=role,
                        interview_id=f"{candidate}-i{i}",
                        revision=2,
                        ratings=edited,
                        notes=notes,
                    )
                )
    return events


@dataclass
class Invariants:
    scored_rows: int
    events: int
    pairs: int
    settled_pairs: int
    version_problems: list[str]
    dead_letters: int

    def summary(self) -> str:
        return (
            f"{self.events} distinct events -> {self.scored_rows} scoring rows; "
            f"{self.settled_pairs}/{self.pairs} pairs at the expected decision; "
            f"{len(self.version_problems)} version problems; {self.dead_letters} dead letters"
        )


async def publish(bootstrap: str, events: list[InterviewCompleted], retry_for: float = 60) -> None:
    """Publish as an ATS would: when the broker is unreachable, retry the whole chunk (a
    retried chunk may duplicate records: the pipeline has to cope, and does)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + retry_for
    while True:
        try:
            # aiokafka's idempotent producer can wait forever on a batch in flight when the
            # broker restarts under it; an ATS would give up on the attempt and resend.
            await asyncio.wait_for(
                produce(
                    bootstrap,
                    topics.INTERVIEW_COMPLETED,
                    [(e.key.encode(), e.model_dump_json().encode()) for e in events],
                ),
                timeout=15,
            )
            return
        except (KafkaError, TimeoutError):
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.5)


async def settle(
    bootstrap: str, events: list[InterviewCompleted], since: dict | None = None, timeout: float = 120
) -> dict[str, Recommendation]:
    expected = {r.key: r for r in recommend(events, load_rubric(), load_roles())}

    def done(latest: dict[str, Recommendation]) -> bool:
        return all(_same(latest.get(k), e) for k, e in expected.items())

    return await follow_latest(bootstrap, until=done, timeout=timeout, since=since)


def _same(actual: Recommendation | None, expected: Recommendation) -> bool:
    return actual is not None and (actual.decision, actual.score, actual.interviews, actual.reasons) == (
        expected.decision,
        expected.score,
        expected.interviews,
        expected.reasons,
    )


async def check(stack, events: list[InterviewCompleted], since_dlq, since_rec) -> Invariants:
    expected = {r.key: r for r in recommend(events, load_rubric(), load_roles())}
    latest = await settle(stack.kafka_bootstrap_servers, events, since=since_rec, timeout=10)
    conn = await asyncpg.connect(stack.database_url)
    try:
        rows = await conn.fetch(
            "SELECT source_event_id, count(*) AS n FROM scoring.scored_interviews WHERE source_event_id = ANY($1::uuid[]) GROUP BY 1",
            list({e.event_id for e in events}),
        )
    finally:
        await conn.close()
    keys = [k.encode() for k in expected]
    published = await read_until(
        stack.kafka_bootstrap_servers,
        topics.RECOMMENDATION,
        lambda got: False,
        keep=keys_in(keys),
        since=since_rec,
        timeout=2,
    )
    problems = []
    per_key: dict[bytes, list[tuple[int, str]]] = {}
    for record in published:
        r = Recommendation.model_validate_json(record.value)
        per_key.setdefault(record.key, []).append((r.version, str(r.event_id)))
    for key, versions in per_key.items():
        distinct = list(dict.fromkeys(versions))  # an outbox re-send repeats (version, event_id) exactly
        numbers = [v for v, _ in distinct]
        if numbers != sorted(set(numbers)):
            problems.append(f"{key.decode()}: versions {numbers}")
    dead = await read_until(
        stack.kafka_bootstrap_servers,
        topics.dead_letter(topics.INTERVIEW_COMPLETED),
        lambda got: False,
        keep=keys_in(keys),
        since=since_dlq,
        timeout=1,
    )
    assert all(r["n"] == 1 for r in rows)
    return Invariants(
        scored_rows=sum(r["n"] for r in rows),
        events=len({e.event_id for e in events}),
        pairs=len(expected),
        settled_pairs=sum(_same(latest.get(k), e) for k, e in expected.items()),
        version_problems=problems,
        dead_letters=len(dead),
    )


async def marks(stack) -> tuple[dict, dict]:
    return (
        await end_offsets(stack.kafka_bootstrap_servers, topics.dead_letter(topics.INTERVIEW_COMPLETED)),
        await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION),
    )


def tag() -> str:
    return f"f{uuid.uuid4().hex[:6]}"


__all__ = [
    "Counter",
    "Invariants",
    "Service",
    "check",
    "loop_events",
    "marks",
    "publish",
    "settle",
    "tag",
    "wait_ready",
]
