"""The loop closed, end to end on the real broker and database, from a Harvest-shaped server:
`ats greenhouse sync` (scorecards and self-identification) -> scoring -> aggregation ->
`ats greenhouse writeback` (one note per decision) -> `hiring-pipeline audit`.
Then what must never happen: demographics in a log or on a topic, notes text in a log."""

import asyncio
import json
import os
import random
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from hiring_pipeline.tools.recommendations import follow_latest
from schemas import topics
from tests.e2e.cli import BIN, run
from tests.greenhouse import JOB, NOTES, STRONG, Writer, clean_state
from tests.harvest_server import API_KEY, USER_ID, HarvestServer, eeoc, scorecard
from tests.kafka_io import read_until
from tests.pipeline import Service, wait_ready

pytestmark = pytest.mark.integration
MAPPING = Path(__file__).resolve().parents[2] / "samples" / "greenhouse-mapping.toml"
WEAK = dict.fromkeys(STRONG, "no")
HISPANIC, WHITE, ASIAN = "Hispanic or Latino", "White", "Asian"
DECLINE = "Decline To Self Identify"
# (gender, race): (candidates, of whom strong)
GROUPS = {
    ("Male", WHITE): (12, 9),
    ("Male", ASIAN): (8, 5),
    ("Female", HISPANIC): (10, 5),
    ("Female", WHITE): (6, 3),
    (DECLINE, DECLINE): (4, 2),
}


async def test_sync_decide_write_back_and_audit_with_no_demographics_in_logs_or_on_topics(stack, tmp_path):
    await clean_state(stack.database_url)
    base = random.randrange(10**8, 10**9 - 100)
    now = datetime.now(UTC)
    marks = {t: await _end(stack, t) for t in _all_topics()}
    expected_strong: dict[str, int] = {}
    with HarvestServer() as server:
        harvest = server.harvest
        n = 0
        for (gender, race), (count, strong) in GROUPS.items():
            for k in range(count):
                candidate, application = base + n, base + n + 7_000_000_000
                n += 1
                harvest.applications[application] = JOB
                ratings = STRONG if k < strong else WEAK
                for i in range(2):
                    harvest.put(
                        scorecard(
                            candidate * 10 + i,
                            candidate_id=candidate,
                            application_id=application,
                            updated_at=now,
                            ratings=ratings,
                            notes=NOTES if ratings is STRONG else {},
                            interviewer_id=900 + i,
                            overall="yes" if ratings is STRONG else "no",
                        )
                    )
                harvest.eeoc[application] = eeoc(
                    application, candidate, gender=gender, race=race, submitted_at=now - timedelta(days=k)
                )
            expected_strong[gender] = expected_strong.get(gender, 0) + strong
        stale = base + 99 + 7_000_000_000  # submitted three years ago: past the retention, deleted
        harvest.applications[stale] = JOB
        harvest.eeoc[stale] = eeoc(
            stale, base + 99, gender="Female", race=ASIAN, submitted_at=now - timedelta(days=1100)
        )
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers,
            "DATABASE_URL": stack.database_url,
            "GREENHOUSE_HARVEST_URL": server.url,
            "GREENHOUSE_API_KEY": API_KEY,
            "GREENHOUSE_MAPPING_FILE": str(MAPPING),
            "GREENHOUSE_EEOC_SYNC": "true",
            "GREENHOUSE_ON_BEHALF_OF": str(USER_ID),
            "GREENHOUSE_WRITEBACK_GROUP_ID": f"writeback-e2e-{base}",
            "LOG_LEVEL": "DEBUG",
        }
        services = [Service("scoring", env=env), Service("aggregation", env=env)]
        for service in services:
            service.start(tmp_path)
        writer = Writer(env, tmp_path)
        writer.start()
        try:
            await wait_ready(*services)
            await asyncio.to_thread(writer.ready)
            sync = await asyncio.to_thread(
                subprocess.run,
                [BIN, "ats", "greenhouse", "sync", "--once"],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert sync.returncode == 0, sync.stderr
            keys = {f"{base + i}:backend-engineer" for i in range(n)}
            latest = await follow_latest(
                stack.kafka_bootstrap_servers,
                until=lambda got: all(k in got and len(got[k].interviews) == 2 for k in keys),
                timeout=90,
                since=marks[topics.RECOMMENDATION],
            )
            notes_deadline = asyncio.get_running_loop().time() + 60
            while len(harvest.all_notes()) < n:
                assert asyncio.get_running_loop().time() < notes_deadline, "the notes were not all written"
                await asyncio.sleep(0.3)
            await asyncio.sleep(1)
        finally:
            writer.stop()
            for service in services:
                service.stop()
        notes = harvest.all_notes()

    decided = [latest[k] for k in keys]
    assert sorted(n["candidate_id"] for n in notes) == sorted(base + i for i in range(n))  # one note each
    assert harvest.bad_notes == []
    audit = run("audit", "--role", "backend-engineer", "--json", env=env)
    assert audit.returncode == 0, audit.stderr
    report = json.loads(audit.stdout)
    sex = {r["category"]: r for r in report["groups"]["sex"]}
    selected = {
        g: sum(r.decision.value in ("hire", "strong_hire") for r in decided if _gender(r.candidate_id, base) == g)
        for g in expected_strong
    }
    assert selected == expected_strong  # the strong loops are the hires, by construction
    assert {g: (sex[g]["candidates"], sex[g]["selected"]) for g in expected_strong} == {
        "Male": (20, 14),
        "Female": (16, 8),
        DECLINE: (4, 2),
    }
    assert sex["Female"]["selection_impact_ratio"] == round((8 / 16) / (14 / 20), 4) and sex["Female"]["flagged"]
    race = {r["category"]: r for r in report["groups"]["race/ethnicity"]}
    assert (race[HISPANIC]["candidates"], race[HISPANIC]["selected"]) == (10, 5)
    assert f"Female / {HISPANIC}" in {r["category"] for r in report["groups"]["intersection"]}
    table = run("audit", "--role", "backend-engineer", env={**env, "COLUMNS": "180"})
    assert "below four-fifths" in table.stdout and "Female" in table.stdout

    conn = await asyncpg.connect(stack.database_url)
    try:
        stored = await conn.fetch("SELECT application_id FROM greenhouse_eeoc.self_identification")
    finally:
        await conn.close()
    assert len(stored) == n and stale not in {r["application_id"] for r in stored}  # the retention

    # Privacy: demographics in no log and on no topic; the notes' text in no log.
    logs = sync.stdout + sync.stderr + "".join(s.log.read_text() for s in services) + writer.log.read_text()
    assert "greenhouse_eeoc_synced" in sync.stdout + sync.stderr and "writeback_note_written" in logs
    for word in (HISPANIC, DECLINE, "Female", '"Male"', ASIAN):
        assert word not in logs
    for note in notes:
        for line in note["body"].splitlines():
            if len(line.strip()) > 25:
                assert line.strip() not in logs
    for topic in _all_topics():
        records = await read_until(
            stack.kafka_bootstrap_servers, topic, lambda got: False, since=marks[topic], timeout=1.5
        )
        for record in records:
            blob = (record.value or b"") + b"".join(v or b"" for _, v in record.headers or ())
            for word in (HISPANIC, DECLINE, "Female", ASIAN):
                assert word.encode() not in blob, topic
    print(f"\n[closing the loop] {n} candidates, {len(notes)} notes; audit: {audit.stdout[:200]}...")


def _gender(candidate_id: str, base: int) -> str:
    index, start = int(candidate_id) - base, 0
    for (gender, _), (count, _) in GROUPS.items():
        if start <= index < start + count:
            return gender
        start += count
    raise AssertionError(candidate_id)


def _all_topics() -> list[str]:
    return [spec.name for spec in topics.topic_specs()]


async def _end(stack, topic):
    from tests.kafka_io import end_offsets

    return await end_offsets(stack.kafka_bootstrap_servers, topic)
