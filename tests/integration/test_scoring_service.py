"""The scoring service against the real broker and database."""

import asyncio
import json
import uuid

import asyncpg
import pytest

from schemas import topics
from schemas.events import InterviewScored
from services.scoring.app import create_app
from services.scoring.settings import ScoringSettings
from tests.factories import STRONG_NOTES, interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration


def settings(stack) -> ScoringSettings:
    return ScoringSettings(
        kafka_bootstrap_servers=stack.kafka_bootstrap_servers, database_url=stack.database_url, batch_max_records=50
    )


def candidate() -> str:
    return f"cand-{uuid.uuid4().hex[:10]}"


def as_record(event):
    return (event.key.encode(), event.model_dump_json().encode())


async def stored_count(stack, source_event_ids) -> int:
    conn = await asyncpg.connect(stack.database_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = ANY($1::uuid[])",
            list(source_event_ids),
        )
    finally:
        await conn.close()


async def test_interviews_in_become_rows_and_scored_events_with_keys_and_headers(stack):
    events = [interview(candidate_id=candidate(), notes=STRONG_NOTES) for _ in range(5)]
    keys = [e.key.encode() for e in events]
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED)
    async with running(create_app(settings(stack))):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [as_record(e) for e in events],
            headers=[("correlation_id", b"trace-123")],
        )
        out = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_SCORED,
            lambda got: len(got) >= 5,
            keep=keys_in(keys),
            since=since,
        )
    assert sorted(r.key for r in out) == sorted(keys)
    for record in out:
        scored = InterviewScored.model_validate_json(record.value)
        assert record.key == scored.key.encode()
        assert dict(record.headers)["correlation_id"] == b"trace-123"
        assert dict(record.headers)["event_type"] == b"InterviewScored"
    assert await stored_count(stack, [e.event_id for e in events]) == 5


async def test_duplicates_add_no_rows_and_republish_identical_events(stack):
    event = interview(candidate_id=candidate())
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED)
    async with running(create_app(settings(stack))):
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(event)] * 3)
        out = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_SCORED,
            lambda got: len(got) >= 3,
            keep=keys_in([event.key.encode()]),
            since=since,
        )
    assert len({r.value for r in out}) == 1
    assert await stored_count(stack, [event.event_id]) == 1


async def test_a_poison_record_is_dead_lettered_and_the_valid_records_behind_it_flow(stack):
    cand = candidate()
    key = f"{cand}:backend-engineer".encode()
    good = [interview(candidate_id=cand) for _ in range(3)]
    since_dlq = await end_offsets(stack.kafka_bootstrap_servers, topics.dead_letter(topics.INTERVIEW_COMPLETED))
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED)
    bad_role = json.loads(good[0].model_dump_json()) | {"role_id": "astronaut", "event_id": str(uuid.uuid4())}
    records = [(key, b"\x00\xffnot json"), (key, json.dumps(bad_role).encode())] + [as_record(e) for e in good]
    async with running(create_app(settings(stack))):
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, records)
        out = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_SCORED,
            lambda got: len(got) >= 3,
            keep=keys_in([key]),
            since=since,
        )
        dead = await read_until(
            stack.kafka_bootstrap_servers,
            topics.dead_letter(topics.INTERVIEW_COMPLETED),
            lambda got: len(got) >= 2,
            keep=keys_in([key]),
            since=since_dlq,
        )
    assert len(out) == 3
    assert [r.value for r in dead] == [records[0][1], records[1][1]]
    reasons = [dict(r.headers)[topics.DLQ_ERROR].decode() for r in dead]
    assert reasons[0].startswith("invalid InterviewCompleted: (document): Invalid JSON")
    assert reasons[1].startswith("invalid InterviewCompleted: role_id: Value error, unknown role 'astronaut'")


async def test_a_restart_mid_stream_loses_nothing_and_doubles_nothing(stack):
    events = [interview(candidate_id=candidate()) for _ in range(300)]
    keys = [e.key.encode() for e in events]
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED)
    await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(e) for e in events])
    async with running(create_app(settings(stack))):
        for _ in range(100):
            if await stored_count(stack, [e.event_id for e in events]) > 0:
                break
            await asyncio.sleep(0.05)
    stored_at_stop = await stored_count(stack, [e.event_id for e in events])
    async with running(create_app(settings(stack))):
        out = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_SCORED,
            lambda got: len({r.key for r in got}) >= len(events),
            keep=keys_in(keys),
            since=since,
            timeout=60,
        )
    print(f"stored when stopped: {stored_at_stop}/{len(events)}; scored records read: {len(out)}")
    assert 0 < stored_at_stop < len(events)  # really stopped mid-stream
    assert {r.key for r in out} == set(keys)
    assert await stored_count(stack, [e.event_id for e in events]) == len(events)
    by_key: dict[bytes, set[bytes]] = {}
    for r in out:
        by_key.setdefault(r.key, set()).add(r.value)
    assert all(len(values) == 1 for values in by_key.values())  # a re-published event is byte-identical


async def test_a_batch_that_fails_is_retried_not_skipped(stack):
    """The database fails the first two attempts: the events are redelivered, not committed past."""
    import contextlib

    from services.scoring.app import connect

    failures = {"left": 2}

    class FlakyStore:
        def __init__(self, inner):
            self.inner = inner

        async def save(self, scored, encoded=None):
            if failures["left"] > 0:
                failures["left"] -= 1
                raise ConnectionError("database went away")
            return await self.inner.save(scored, encoded)

        async def ping(self):
            await self.inner.ping()

    @contextlib.asynccontextmanager
    async def flaky(settings):
        async with connect(settings) as (store, sender):
            yield FlakyStore(store), sender

    events = [interview(candidate_id=candidate()) for _ in range(20)]
    async with running(create_app(settings(stack), resources=flaky)):
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(e) for e in events])
        for _ in range(200):
            if await stored_count(stack, [e.event_id for e in events]) == len(events):
                break
            await asyncio.sleep(0.1)
    assert failures["left"] == 0
    assert await stored_count(stack, [e.event_id for e in events]) == len(events)
