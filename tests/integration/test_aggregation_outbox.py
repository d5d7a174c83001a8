"""The aggregation's outbox in PostgreSQL: a batch's own rows go from memory when nothing older
waits, in id order behind anything older otherwise, and never twice."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from services.aggregation.store import PostgresAggregationStore
from services.runtime.kafka import OutgoingRecord
from tests.fakes import InMemorySender

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(stack):
    pool = await asyncpg.create_pool(stack.database_url, min_size=1, max_size=3)
    await PostgresAggregationStore.migrate(pool)
    await _drain(PostgresAggregationStore(pool))  # what other tests left
    yield PostgresAggregationStore(pool)
    await _drain(PostgresAggregationStore(pool))  # and what a test leaves, so no relay publishes it
    await pool.close()


async def _drain(store: PostgresAggregationStore) -> None:
    while await store.publish_outbox(InMemorySender()):
        pass


async def _rows(store: PostgresAggregationStore, count: int) -> list[tuple[int, OutgoingRecord]]:
    """`count` committed outbox rows, as a batch's save leaves them, with their records."""
    tag = uuid.uuid4().hex[:8]
    records = [
        OutgoingRecord("hiring.recommendation.v1", f"{tag}-{n}:r".encode(), f"v{n}".encode(), [("h", b"1")])
        for n in range(count)
    ]
    async with store.pool.acquire() as conn:
        ids = [
            await conn.fetchval(
                "INSERT INTO aggregation.outbox (topic, record_key, value, headers)"
                ' VALUES ($1, $2, $3, \'[["h", "1"]]\'::jsonb) RETURNING id',
                r.topic,
                r.key,
                r.value,
            )
            for r in records
        ]
    return list(zip(ids, records, strict=True))


async def _pending(store: PostgresAggregationStore) -> int:
    async with store.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM aggregation.outbox")


async def test_a_batch_sends_its_own_rows_from_memory_and_deletes_them(store):
    fresh = await _rows(store, 3)
    sender = InMemorySender()
    assert await store.publish_outbox(sender, fresh) == 3
    assert sender.sent == [record for _, record in fresh]
    assert await _pending(store) == 0


async def test_an_older_row_goes_first_then_the_batch_s_own_in_id_order(store):
    older = await _rows(store, 2)  # a batch whose publish failed after its commit
    fresh = await _rows(store, 2)
    sender = InMemorySender()
    assert await store.publish_outbox(sender, fresh) == 4
    assert [r.value for r in sender.sent] == [r.value for _, r in [*older, *fresh]]
    assert await _pending(store) == 0


async def test_rows_another_relay_published_meanwhile_are_not_sent_again(store):
    fresh = await _rows(store, 3)
    relay = InMemorySender()
    assert await store.publish_outbox(relay) == 3  # the background relay got there first
    late = InMemorySender()
    assert await store.publish_outbox(late, fresh) == 0
    assert late.sent == []


async def test_a_failed_send_leaves_the_rows_for_the_relay(store):
    fresh = await _rows(store, 2)

    class Down(InMemorySender):
        async def send_all(self, records):
            raise ConnectionError("broker down")

    with pytest.raises(ConnectionError):
        await store.publish_outbox(Down(), fresh)
    assert await _pending(store) == 2
    relay = InMemorySender()
    assert await store.publish_outbox(relay) == 2
    assert relay.sent == [r for _, r in fresh]


async def test_while_another_relay_holds_the_lock_nothing_is_sent(store):
    fresh = await _rows(store, 1)
    async with store.pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('aggregation.outbox'))")
        sender = InMemorySender()
        assert await asyncio.wait_for(store.publish_outbox(sender, fresh), 10) == 0
        assert sender.sent == []
    assert await _pending(store) == 1


async def test_a_saved_recommendation_is_stored_and_queued_byte_for_byte(store):
    """Its JSON goes to the database once, for the recommendations table and the outbox row."""
    from datetime import UTC, datetime

    from schemas import wire
    from schemas.scales import Decision
    from services.aggregation.store import NewRecommendation

    tag = uuid.uuid4().hex[:8]
    recommendation = wire.Recommendation(
        event_id=uuid.uuid4(),
        candidate_id=f"c-{tag}",
        role_id="backend-engineer",
        decision=Decision.HIRE,
        score=3.25,
        competencies=[],
        red_flags=[],
        interviews=[],
        reasons=['“quoted” — é 🙂 \\ " \n'],
        rubric_version="r",
        version=1,
        issued_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    record = OutgoingRecord(
        "hiring.recommendation.v1", recommendation.key.encode(), wire.encode(recommendation), [("h", "é".encode())]
    )
    async with store.transaction() as pairs:
        [row] = await pairs.save([], [NewRecommendation(recommendation, "fingerprint", record)])
    async with store.pool.acquire() as conn:
        value = await conn.fetchval("SELECT value FROM aggregation.outbox WHERE id = $1", row)
        payload = await conn.fetchval(
            "SELECT payload FROM aggregation.recommendations WHERE candidate_id = $1", recommendation.candidate_id
        )
    assert value == record.value and payload.encode() == record.value
    sender = InMemorySender()
    assert await store.publish_outbox(sender) == 1
    assert sender.sent == [record]


async def test_an_interview_is_stored_as_it_was_consumed_and_reads_back_the_same(store):
    """The JSON a record brought (`Accepted.payload`) is stored as it is, not encoded again; an
    interview without it (a contract-normalised one) is written from the event. Both load back as
    the events they were, and calibration reads the same assessments from either."""
    from datetime import UTC, datetime

    from schemas import wire
    from schemas.rubric import load_rubric
    from schemas.scales import Decision
    from services.aggregation.decision import Published, assessments
    from services.aggregation.store import NewRecommendation
    from services.scoring.score import score_interview
    from tests.factories import FIXED_TIME, STRONG_NOTES, interview, on_the_wire

    tag = uuid.uuid4().hex[:8]
    events = [
        on_the_wire(
            score_interview(
                interview(
                    candidate_id=f"c-{tag}",
                    interview_id=f"i-{n}",
                    interviewer_id=f"v{n}",
                    # the second leaves security unrated and without notes: not covered, not read
                    ratings={
                        c: None if n and c == "security" else "definitely_not" if c == "databases" else "yes"
                        for c in STRONG_NOTES
                    },
                    notes={c: notes for c, notes in STRONG_NOTES.items() if not (n and c == "security")},
                ),
                load_rubric(),
                FIXED_TIME,
            )
        )
        for n in range(2)
    ]
    consumed = wire.encode(events[0]).replace(b'"revision":1', b'"revision" : 1')  # JSON as another writer spaces it
    assert wire.decode(wire.InterviewScored, consumed) == events[0]
    recommendation = wire.Recommendation(
        event_id=uuid.uuid4(),
        candidate_id=f"c-{tag}",
        role_id=events[0].role_id,
        decision=Decision.HIRE,
        score=3.25,
        competencies=[],
        red_flags=[],
        interviews=[],
        reasons=[],
        rubric_version="r",
        version=4,
        issued_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    record = OutgoingRecord("hiring.recommendation.v1", recommendation.key.encode(), wire.encode(recommendation), [])
    try:
        async with store.transaction() as pairs:  # the interviews and a recommendation in one statement
            await pairs.save(events, [NewRecommendation(recommendation, "fp", record)], [consumed, None])
        async with store.pool.acquire() as conn:
            stored = dict(
                await conn.fetch(
                    "SELECT interview_id, payload FROM aggregation.interviews WHERE candidate_id = $1", f"c-{tag}"
                )
            )
        assert stored == {"i-0": consumed.decode(), "i-1": wire.encode(events[1]).decode()}
        async with store.transaction() as pairs:
            state = (await pairs.load([(f"c-{tag}", events[0].role_id)]))[(f"c-{tag}", events[0].role_id)]
        assert state.interviews == {"i-0": events[0], "i-1": events[1]}
        assert state.published == Published(4, "fp")
        said = [s for s in await store.assessments(events[0].role_id) if s.candidate_id == f"c-{tag}"]
        assert sorted(said, key=repr) == sorted(assessments(events), key=repr)
        assert len(said) == 9  # five and four covered assessments
        assert sorted(said, key=repr) == await _read_from_payloads(store, f"c-{tag}", events[0].role_id)
    finally:  # rows no topic holds: a rebuild (tests/integration/test_rebuild.py) would not make them again
        async with store.pool.acquire() as conn:
            await conn.execute("DELETE FROM aggregation.interviews WHERE candidate_id = $1", f"c-{tag}")
            await conn.execute("DELETE FROM aggregation.recommendations WHERE candidate_id = $1", f"c-{tag}")


async def _read_from_payloads(store: PostgresAggregationStore, candidate: str, role: str) -> list:
    """A pair's assessments as calibration reads them from the payloads (rows stored without
    `said`), and again after migration 0004's backfill: both as from `said`."""
    from pathlib import Path

    async with store.pool.acquire() as conn:
        stored = await conn.fetch(
            "SELECT interview_id, interviewer_id, said FROM aggregation.interviews WHERE candidate_id = $1 ORDER BY 1",
            candidate,
        )
        await conn.execute(
            "UPDATE aggregation.interviews SET interviewer_id = NULL, said = NULL WHERE candidate_id = $1", candidate
        )
    from_payloads = sorted((s for s in await store.assessments(role) if s.candidate_id == candidate), key=repr)
    migration = Path(__file__).parents[2] / "services/aggregation/migrations/0004_calibration_columns.sql"
    backfill = migration.read_text(encoding="utf-8")
    async with store.pool.acquire() as conn:
        await conn.execute(backfill[backfill.index("DO $$") :])
        assert (
            await conn.fetch(
                "SELECT interview_id, interviewer_id, said FROM aggregation.interviews WHERE candidate_id = $1",
                candidate,
            )
            == stored
        )  # the backfill writes what the store writes
    assert sorted((s for s in await store.assessments(role) if s.candidate_id == candidate), key=repr) == from_payloads
    return from_payloads
