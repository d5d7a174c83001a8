"""`rebuild aggregation` against the real broker and database."""

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest

import schemas.rubric
from schemas import topics
from schemas.events import Decision, Recommendation
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.rebuild import replay
from services.aggregation.settings import AggregationSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.e2e.cli import run
from tests.factories import interview, retraction
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


async def snapshot(stack):
    conn = await asyncpg.connect(stack.database_url)
    try:
        interviews = await conn.fetch(
            "SELECT candidate_id, role_id, interview_id, revision, payload FROM aggregation.interviews ORDER BY 1, 2, 3"
        )
        recommendations = await conn.fetch(
            "SELECT candidate_id, role_id, version, fingerprint FROM aggregation.recommendations ORDER BY 1, 2"
        )
        return [tuple(r) for r in interviews], [tuple(r) for r in recommendations]
    finally:
        await conn.close()


async def test_rebuild_replays_into_empty_state_and_arrives_at_the_same_recommendations(stack):
    """Including a retracted interview: the replay must keep it retracted."""
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    key = f"{candidate}:backend-engineer".encode()
    events = [
        interview(candidate_id=candidate, interview_id=f"{candidate}-{n}", ratings={c: "yes" for c in part})
        for n, part in enumerate([ALL[:3], ALL[3:], ALL])
    ]
    dropped = retraction(candidate_id=candidate, interview_id=events[2].interview_id)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    async with (
        running(scoring_app(ScoringSettings(**addresses))),
        running(aggregation_app(AggregationSettings(**addresses))),
    ):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(e.key.encode(), e.model_dump_json().encode()) for e in events],
        )
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(dropped.key.encode(), dropped.model_dump_json().encode())],
            headers=[(topics.EVENT_TYPE, b"InterviewRetracted")],
        )
        await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: any(
                len(Recommendation.model_validate_json(r.value).interviews) == 2
                and "1 retracted interview(s) not counted" in Recommendation.model_validate_json(r.value).reasons
                for r in got
            ),
            keep=keys_in([key]),
            since=since,
        )
    before = await snapshot(stack)
    assert any(row[2] == dropped.interview_id and row[3] is None for row in before[0])  # the tombstone
    conn = await asyncpg.connect(stack.database_url)
    try:
        await conn.execute("DELETE FROM aggregation.interviews")  # the state is lost
    finally:
        await conn.close()

    result = run("rebuild", "aggregation")
    assert result.returncode == 0, result.stderr
    assert "0 recommendations changed" in result.stdout
    assert await snapshot(stack) == before


async def test_rebuild_refuses_while_the_aggregation_service_runs(stack):
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    async with running(aggregation_app(AggregationSettings(**addresses))) as app:
        for _ in range(100):
            consumer = app.broker.subscribers[0].consumer
            if consumer is not None and consumer.assignment():
                break
            await asyncio.sleep(0.1)
        result = run("rebuild", "aggregation")
    assert result.returncode == 1
    assert "stop the aggregation service first" in result.stderr


async def test_rebuild_under_changed_role_profiles_republishes_only_the_pairs_whose_decision_changed(stack, tmp_path):
    """A stricter minimum of interviewers: the two-interviewer loop becomes insufficient
    evidence, the three-interviewer loop decides as before and publishes nothing. A second
    rebuild under the bundled profiles restores the first decision."""
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    two, three = f"two-{uuid.uuid4().hex[:8]}", f"three-{uuid.uuid4().hex[:8]}"
    events = [
        *[interview(candidate_id=two, interview_id=f"{two}-{n}", ratings={c: "yes" for c in ALL}) for n in range(2)],
        *[
            interview(candidate_id=three, interview_id=f"{three}-{n}", ratings={c: "yes" for c in ALL})
            for n in range(3)
        ],
    ]
    keys = [f"{two}:backend-engineer".encode(), f"{three}:backend-engineer".encode()]
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    async with (
        running(scoring_app(ScoringSettings(**addresses))),
        running(aggregation_app(AggregationSettings(**addresses))),
    ):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(e.key.encode(), e.model_dump_json().encode()) for e in events],
        )
        await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: (
                {(r.key, len(Recommendation.model_validate_json(r.value).interviews)) for r in got}
                >= {(keys[0], 2), (keys[1], 3)}
            ),
            keep=keys_in(keys),
            since=since,
        )

    stricter = tmp_path / "roles.toml"
    bundled = (Path(schemas.rubric.RUBRIC_DIR) / "roles.toml").read_text()
    stricter.write_text(
        bundled.replace('version = "', 'version = "stricter-', 1).replace(
            "min_interviewers = 2", "min_interviewers = 3"
        )
    )
    before_rebuild = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    result = run("rebuild", "aggregation", env={"ROLES_FILE": str(stricter)})
    assert result.returncode == 0, result.stderr
    assert "role profiles stricter-" in result.stdout
    republished = [
        Recommendation.model_validate_json(r.value)
        for r in await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: False,
            keep=keys_in(keys),
            since=before_rebuild,
            timeout=3,
        )
    ]
    assert [(r.candidate_id, r.decision, r.interviewers_needed) for r in republished] == [
        (two, Decision.INSUFFICIENT_EVIDENCE, 1)
    ]
    assert republished[0].role_version.startswith("stricter-")

    restored = run("rebuild", "aggregation")
    assert restored.returncode == 0, restored.stderr
    back = [
        Recommendation.model_validate_json(r.value)
        for r in await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: False,
            keep=keys_in(keys),
            since=before_rebuild,
            timeout=3,
        )
    ]
    assert [(r.candidate_id, r.decision) for r in back] == [(two, Decision.INSUFFICIENT_EVIDENCE), (two, Decision.HIRE)]


def test_rebuild_refuses_a_role_profiles_file_that_does_not_load(stack, tmp_path):
    broken = tmp_path / "roles.toml"
    broken.write_text("version = 'x'\n[[roles]]\nid = 'backend-engineer'\n")
    result = run("rebuild", "aggregation", env={"ROLES_FILE": str(broken)})
    assert result.returncode == 2 and "rebuild refused: role profiles" in result.stderr


async def test_the_replay_reports_its_progress_up_to_the_end_of_the_topic(stack):
    """What `rebuild aggregation` draws its progress bar from: records read out of records to read."""
    await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED, [(b"c:backend-engineer", b"not an event")])
    calls: list[tuple[int, int]] = []
    _, _, events, skipped = await replay(stack.kafka_options(), lambda done, total: calls.append((done, total)))
    assert calls, "no progress reported"
    done, total = calls[-1]
    assert done == total == events + skipped >= 1
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
