"""The decision written back to Greenhouse, against the real broker and database and the Harvest fake."""

import asyncio
import random
import uuid

import asyncpg
import pytest

from schemas import topics
from services.greenhouse.notes import REFERENCE
from services.greenhouse.settings import WritebackSettings
from services.greenhouse.writeback import create_app
from tests.e2e.cli import http_get
from tests.greenhouse import Writer, clean_state, ingested, recommendation
from tests.harvest_server import API_KEY, USER_ID, HarvestServer
from tests.kafka_io import end_offsets, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration


def settings(stack, harvest_url: str, **overrides) -> WritebackSettings:
    return WritebackSettings(
        kafka_bootstrap_servers=stack.kafka_bootstrap_servers,
        database_url=stack.database_url,
        greenhouse_harvest_url=harvest_url,
        greenhouse_api_key=API_KEY,
        greenhouse_on_behalf_of=USER_ID,
        greenhouse_writeback_group_id=f"writeback-test-{uuid.uuid4().hex[:8]}",
        **overrides,
    )


async def send(stack, recommendations) -> None:
    await produce(
        stack.kafka_bootstrap_servers,
        topics.RECOMMENDATION,
        [(r.key.encode(), r.model_dump_json().encode()) for r in recommendations],
        headers=[(topics.EVENT_TYPE, b"Recommendation")],
    )


async def until(condition, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.2)


def references(notes) -> list[str]:
    return [line for n in notes for line in n["body"].splitlines() if line.startswith(REFERENCE)]


async def test_each_changed_decision_is_one_note_unchanged_and_foreign_ones_none_a_deleted_candidate_dead_lettered(
    stack,
):
    await clean_state(stack.database_url)
    base = random.randrange(10**8, 10**9)
    greenhouse, deleted, foreign = base, base + 1, f"ats-other-{base}"
    await ingested(stack.database_url, [(greenhouse, "backend-engineer"), (deleted, "backend-engineer")])
    dlq_since = await end_offsets(stack.kafka_bootstrap_servers, topics.dead_letter(topics.RECOMMENDATION))
    with HarvestServer() as server:
        harvest = server.harvest
        harvest.deleted_candidates.add(deleted)
        harvest.rate_limit_next, harvest.retry_after, harvest.fail_notes_next = 1, "0", 1
        stream = [
            recommendation(greenhouse, 1, "no_hire", score=2.5),
            recommendation(greenhouse, 2, "no_hire", score=2.5),  # a new version, same decision and reasons
            recommendation(greenhouse, 3, "hire", score=3.1),
            recommendation(greenhouse, 3, "hire", score=3.1),  # redelivered
            recommendation(foreign, 1, "hire"),  # not from Greenhouse
            recommendation(deleted, 1, "hire"),  # 404
        ]
        await send(stack, stream)
        app = create_app(settings(stack, server.url))
        async with running(app):
            await until(lambda: len(harvest.all_notes()) >= 2)
            await asyncio.sleep(1.5)  # nothing more may come
            notes = harvest.all_notes()
            dead = await read_until(
                stack.kafka_bootstrap_servers,
                topics.dead_letter(topics.RECOMMENDATION),
                lambda got: bool(got),
                since=dlq_since,
                timeout=20,
            )
            # The same records again, as after a restart or a rebalance: nothing new.
            await send(stack, stream)
            await asyncio.sleep(2)
            assert len(harvest.all_notes()) == 2
    assert harvest.bad_notes == []  # On-Behalf-Of, user_id, body and visibility as Harvest wants them
    assert [n["candidate_id"] for n in notes] == [greenhouse, greenhouse]
    assert references(notes) == [
        f"{REFERENCE} {greenhouse}:backend-engineer version 1 " + references(notes)[0].rsplit(" ", 1)[1],
        f"{REFERENCE} {greenhouse}:backend-engineer version 3 " + references(notes)[1].rsplit(" ", 1)[1],
    ]
    first, last = (n["body"] for n in notes)
    assert "no_hire (score 2.50)" in first and "hire (score 3.10)" in last
    assert "Reasons:" in last and "Competencies:" in last and "821: yes" in last
    assert {n["visibility"] for n in notes} == {"private"} and {n["user"]["id"] for n in notes} == {USER_ID}
    [letter] = dead
    headers = dict(letter.headers)
    assert letter.key == f"{deleted}:backend-engineer".encode()
    assert headers[topics.DLQ_ERROR_TYPE] == b"harvest_404"
    assert b"not in Greenhouse" in headers[topics.DLQ_ERROR]


async def test_kill_9_of_the_writer_mid_stream_writes_every_decision_exactly_once(stack, tmp_path):
    await clean_state(stack.database_url)
    base = random.randrange(10**8, 10**9)
    candidates = [base + n for n in range(40)]
    await ingested(stack.database_url, [(c, "backend-engineer") for c in candidates])
    stream = [
        r
        for c in candidates
        for r in (
            recommendation(c, 1, "no_hire", score=2.5),
            recommendation(c, 2, "no_hire", score=2.5),
            recommendation(c, 3, "hire", score=3.1),
        )
    ]
    expected = {(c, v) for c in candidates for v in (1, 3)}
    with HarvestServer() as server:
        harvest = server.harvest
        harvest.note_delay_s = 0.03  # a kill lands while a note is in flight as often as not
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers,
            "DATABASE_URL": stack.database_url,
            "GREENHOUSE_HARVEST_URL": server.url,
            "GREENHOUSE_API_KEY": API_KEY,
            "GREENHOUSE_ON_BEHALF_OF": str(USER_ID),
            "GREENHOUSE_WRITEBACK_GROUP_ID": f"writeback-kill-{base}",
            "BATCH_MAX_RECORDS": "10",
        }
        writer = Writer(env, tmp_path)
        writer.start()
        try:
            await asyncio.to_thread(writer.ready)
            stream_task = asyncio.create_task(send_in_chunks(stack, stream, chunks=6, gap=0.2))
            await until(lambda: len(harvest.all_notes()) >= 12)
            writer.kill9()
            killed_at = len(harvest.all_notes())
            await stream_task
            writer.start()
            await asyncio.to_thread(writer.ready)
            await until(lambda: len(harvest.all_notes()) >= len(expected), timeout=90)
            await asyncio.sleep(2)  # and nothing more
            _, metrics = http_get(f"http://127.0.0.1:{writer.port}/metrics")
        finally:
            writer.stop()
    written = [(int(line.split()[2].split(":")[0]), int(line.split()[4])) for line in references(harvest.all_notes())]
    duplicates = sorted({w for w in written if written.count(w) > 1})
    found = await found_after_crash(stack.database_url)
    print(
        f"\n[writeback kill -9] killed after {killed_at} notes; {len(written)} notes for {len(expected)} "
        f"changed decisions; {found} posted just before the kill and found in the feed; duplicates: {duplicates}"
    )
    assert duplicates == []
    assert set(written) == expected
    assert harvest.bad_notes == []
    assert "greenhouse_writeback_notes_written_total" in metrics
    assert 'greenhouse_writeback_skipped_total{reason="unchanged"}' in metrics


async def send_in_chunks(stack, records, chunks: int, gap: float) -> None:
    size = -(-len(records) // chunks)
    for start in range(0, len(records), size):
        await send(stack, records[start : start + size])
        await asyncio.sleep(gap)


async def found_after_crash(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM greenhouse.decision_note_log WHERE outcome = 'found_after_crash'"
        )
    finally:
        await conn.close()
