"""Shared set-up of the Greenhouse adapter's tests: a Harvest-shaped loop, a clean state."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import random
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg

from hiring_pipeline.devstack.processes import HIRING_PIPELINE, free_port
from tests.e2e.cli import wait_http
from tests.harvest_server import Harvest, scorecard

JOB = 4011001  # backend-engineer in samples/greenhouse-mapping.toml
OTHER_JOB = 5550001  # not in the mapping
SECRET = b"test-webhook-secret"
STRONG = {
    "API Design": "strong_yes",
    "Data Modeling": "strong_yes",
    "Concurrency": "yes",
    "Operability": "strong_yes",
    "Security Mindset": "yes",
}
NOTES = {
    "API Design": "<p>Idempotency keys on POST, <b>cursor-based pagination</b>, 201 and 409 used correctly.</p>",
    "Data Modeling": "<p>Proposed a composite index and checked EXPLAIN ANALYZE.</p>",
}


async def clean_state(database_url: str) -> None:
    """The adapter's schema emptied (its migrations applied first), so each test starts a fresh install."""
    from services.greenhouse.eeoc import PostgresEeocStore
    from services.greenhouse.store import PostgresGreenhouseStore

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        await PostgresGreenhouseStore.migrate(pool)
        await PostgresEeocStore.migrate(pool)
        async with pool.acquire() as conn:
            await conn.execute(
                "TRUNCATE greenhouse.sync_state, greenhouse.scorecards, greenhouse.applications,"
                " greenhouse.interview_scorecards, greenhouse.webhook_deliveries, greenhouse.decision_notes,"
                " greenhouse.decision_note_log, greenhouse_eeoc.self_identification, greenhouse_eeoc.sync_state"
            )
    finally:
        await pool.close()


@contextlib.asynccontextmanager
async def adapter_on(stack) -> AsyncIterator[tuple]:  # type: ignore[type-arg]
    """(store, sender) of the adapter on the real database and broker, from an empty state."""
    from services.greenhouse.store import PostgresGreenhouseStore
    from services.runtime.kafka import KafkaSender, new_producer

    await clean_state(stack.database_url)
    pool = await asyncpg.create_pool(stack.database_url, min_size=1, max_size=2)
    producer = new_producer(stack.kafka_bootstrap_servers, "greenhouse-test")
    await producer.start()
    try:
        yield PostgresGreenhouseStore(pool), KafkaSender(producer)
    finally:
        await producer.stop()
        await pool.close()


def loop(harvest: Harvest, *, candidates: int, per_candidate: int, now: datetime | None = None) -> list[int]:
    """Fresh candidate ids, each with `per_candidate` strong scorecards for JOB; returns the candidate ids."""
    now = now or datetime.now(UTC)
    base = random.randrange(10**8, 10**9)
    ids = []
    for n in range(candidates):
        candidate = base + n
        application = candidate + 7_000_000_000
        harvest.applications[application] = JOB
        for k in range(per_candidate):
            harvest.put(
                scorecard(
                    candidate * 10 + k,
                    candidate_id=candidate,
                    application_id=application,
                    updated_at=now,
                    ratings=STRONG,
                    notes=NOTES,
                )
            )
        ids.append(candidate)
    return ids


def signed(body: bytes, secret: bytes = SECRET) -> dict[str, str]:
    return {
        "Signature": "sha256 " + hmac.new(secret, body, hashlib.sha256).hexdigest(),
        "Content-Type": "application/json",
    }


def recommendation(candidate: int | str, version: int, decision: str = "hire", *, score: float = 3.2, why: str = ""):  # type: ignore[no-untyped-def]
    """A Recommendation as aggregation publishes it: for the write-back, which reads only the record."""
    from schemas.events import Recommendation

    reasons = [f"weighted score {score:.2f} is where the bands put {decision}{why}"]
    return Recommendation.model_validate(
        {
            "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{candidate}:{version}:{decision}:{why}")),
            "candidate_id": str(candidate),
            "role_id": "backend-engineer",
            "decision": decision,
            "score": score,
            "competencies": [
                {
                    "competency": "api_design",
                    "score": score,
                    "weight": 0.25,
                    "interviews": 1,
                    "assessments": [
                        {
                            "interview_id": f"greenhouse-scorecard-{candidate}0",
                            "interviewer_id": "821",
                            "rating": "yes",
                            "score": score,
                            "counted": True,
                        }
                    ],
                }
            ],
            "red_flags": [],
            "interviews": [{"interview_id": f"greenhouse-scorecard-{candidate}0", "revision": 1}],
            "reasons": reasons,
            "rubric_version": "test",
            "version": version,
            "issued_at": datetime.now(UTC).isoformat(),
            "votes": [{"interview_id": f"greenhouse-scorecard-{candidate}0", "interviewer_id": "821", "vote": "yes"}],
        }
    )


async def ingested(database_url: str, pairs: list[tuple[int, str]]) -> None:
    """As if `sync` had published a scorecard of each (Greenhouse candidate, role) pair."""
    from services.greenhouse.store import PostgresGreenhouseStore, PublishedScorecard

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        await PostgresGreenhouseStore(pool).record_published(
            [
                PublishedScorecard(candidate * 10, datetime.now(UTC), uuid.uuid4(), str(candidate), role)
                for candidate, role in pairs
            ]
        )
    finally:
        await pool.close()


class Writer:
    """`hiring-pipeline ats greenhouse writeback` as a process: start, kill -9, stop."""

    def __init__(self, env: dict[str, str], log_dir) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "GREENHOUSE_WRITEBACK_HTTP_PORT": str(self.port)}
        self.log = log_dir / f"writeback-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [HIRING_PIPELINE, "ats", "greenhouse", "writeback"],
            env=self.env,
            stdout=open(self.log, "ab"),  # noqa: SIM115 - the child holds it
            stderr=subprocess.STDOUT,
        )

    def ready(self) -> None:
        wait_http(f"http://127.0.0.1:{self.port}/health/ready")

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            return self.process.wait(timeout=30)
        return self.process.returncode
