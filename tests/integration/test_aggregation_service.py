"""Both services against the real broker and database: interviews in, recommendations out."""

import asyncio
import contextlib
import uuid

import asyncpg
import pytest

from schemas import topics
from schemas.events import Recommendation
from schemas.scales import Decision
from services.aggregation.app import connect as aggregation_connect
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.rebuild import commit_offsets
from services.aggregation.settings import AggregationSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.factories import interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


def addresses(stack) -> dict:
    return {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}


def as_record(event):
    return (event.key.encode(), event.model_dump_json().encode())


def loop(candidate, role="backend-engineer", rating="yes", **kwargs):
    """Three interviews that together assess every competency."""
    return [
        interview(
            candidate_id=candidate,
            role_id=role,
            interview_id=f"{candidate}-i{n}",
            ratings={c: rating for c in part},
            **kwargs,
        )
        for n, part in enumerate([ALL[:2], ALL[2:4], ALL[4:]])
    ]


def assigned(app) -> set[int]:
    consumer = app.broker.subscribers[0].consumer
    return {tp.partition for tp in consumer.assignment()} if consumer is not None else set()


def recommendations(records) -> list[Recommendation]:
    return [Recommendation.model_validate_json(r.value) for r in records]


async def test_a_full_loop_yields_one_current_recommendation_per_pair_and_an_edit_changes_it(stack):
    a, b = f"cand-{uuid.uuid4().hex[:8]}", f"cand-{uuid.uuid4().hex[:8]}"
    loop_a, loop_b = loop(a, rating="strong_yes"), loop(b, role="java-backend-engineer", rating="no")
    keys = [f"{a}:backend-engineer".encode(), f"{b}:java-backend-engineer".encode()]
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    async with (
        running(scoring_app(ScoringSettings(**addresses(stack)))),
        running(aggregation_app(AggregationSettings(**addresses(stack)))),
    ):
        await produce(
            stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(e) for e in loop_a + loop_b]
        )

        def final(got):
            latest = {}
            for r in recommendations(got):
                latest[r.key] = r
            return len(latest) == 2 and all(r.decision != Decision.INSUFFICIENT_EVIDENCE for r in latest.values())

        first = await read_until(
            stack.kafka_bootstrap_servers, topics.RECOMMENDATION, final, keep=keys_in(keys), since=since
        )
        latest = {r.key: r for r in recommendations(first)}
        assert latest[keys[0].decode()].decision == Decision.STRONG_HIRE
        assert latest[keys[1].decode()].decision == Decision.NO_HIRE
        assert "weighted score" in latest[keys[0].decode()].reasons[0]

        edited = loop_a[2].model_copy(
            update={
                "event_id": uuid.uuid4(),
                "revision": 2,
                "assessments": [
                    loop_a[2].assessments[0].model_copy(update={"notes": "Stores passwords in plain text."})
                ],
            }
        )
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(edited)])
        after_edit = await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: any(r.decision == Decision.NO_HIRE for r in recommendations(got)),
            keep=keys_in(keys[:1]),
            since=since,
        )
    versions = [r.version for r in recommendations(after_edit)]
    assert versions == list(range(1, len(versions) + 1))  # strictly increasing by one, none repeated
    last = recommendations(after_edit)[-1]
    assert last.decision == Decision.NO_HIRE
    assert any("security.plaintext_passwords" in reason for reason in last.reasons)
    assert (f"{a}-i2", 2) in {(i.interview_id, i.revision) for i in last.interviews}


async def test_a_crash_between_database_commit_and_produce_neither_loses_nor_duplicates(stack):
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    key = f"{candidate}:node-backend-engineer".encode()
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    crashed = asyncio.Event()

    class CrashOnRecommendation:
        def __init__(self, inner):
            self.inner = inner

        async def send_all(self, records):
            if any(r.topic == topics.RECOMMENDATION for r in records):
                crashed.set()
                raise SystemExit("simulated crash after the commit, before the produce")
            await self.inner.send_all(records)

    @contextlib.asynccontextmanager
    async def crashing(settings):
        async with aggregation_connect(settings) as (store, sender):
            yield store, CrashOnRecommendation(sender)

    settings = AggregationSettings(**addresses(stack), outbox_relay_interval_s=3600)
    async with running(scoring_app(ScoringSettings(**addresses(stack)))):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [as_record(e) for e in loop(candidate, role="node-backend-engineer")],
        )
        with contextlib.suppress(BaseException):
            async with running(aggregation_app(settings, resources=crashing)):
                await asyncio.wait_for(crashed.wait(), 30)
        conn = await asyncpg.connect(stack.database_url)
        try:
            pending = await conn.fetchval("SELECT count(*) FROM aggregation.outbox WHERE record_key = $1", key)
        finally:
            await conn.close()
        assert pending >= 1  # the recommendation was committed with the state, not lost

        async with running(aggregation_app(settings)):
            out = await read_until(
                stack.kafka_bootstrap_servers,
                topics.RECOMMENDATION,
                lambda got: any(r.decision != Decision.INSUFFICIENT_EVIDENCE for r in recommendations(got)),
                keep=keys_in([key]),
                since=since,
            )
            await asyncio.sleep(1.0)  # anything doubled would arrive now
            out = await read_until(
                stack.kafka_bootstrap_servers,
                topics.RECOMMENDATION,
                lambda got: False,
                keep=keys_in([key]),
                since=since,
                timeout=1.0,
            )
    versions = [r.version for r in recommendations(out)]
    assert versions == list(range(1, len(versions) + 1))
    assert recommendations(out)[-1].decision == Decision.HIRE


async def test_two_aggregation_instances_split_the_pairs_without_double_processing(stack):
    candidates = [f"cand-{uuid.uuid4().hex[:8]}" for _ in range(12)]
    keys = [f"{c}:backend-engineer".encode() for c in candidates]
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    group = f"aggregation-split-{uuid.uuid4().hex[:6]}"
    # The new group starts at the topic's end, not at whatever backlog a long-lived stack holds.
    await commit_offsets(
        stack.kafka_bootstrap_servers, group, await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED)
    )
    first = AggregationSettings(**addresses(stack), aggregation_group_id=group)
    second = AggregationSettings(**addresses(stack), aggregation_group_id=group)
    apps = [aggregation_app(first), aggregation_app(second)]
    async with running(scoring_app(ScoringSettings(**addresses(stack)))), running(apps[0]), running(apps[1]):
        for _ in range(150):  # wait until both members joined and the partitions are split
            if all(assigned(app) for app in apps):
                break
            await asyncio.sleep(0.1)
        events = [e for c in candidates for e in loop(c)]
        await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [as_record(e) for e in events])
        out = await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: sum(r.decision == Decision.HIRE for r in recommendations(got)) >= len(candidates),
            keep=keys_in(keys),
            since=since,
            timeout=60,
        )
        assignments = [assigned(app) for app in apps]
    assert all(assignments) and not (assignments[0] & assignments[1])  # each owns a disjoint share
    per_key: dict[str, list[int]] = {}
    for r in recommendations(out):
        per_key.setdefault(r.key, []).append(r.version)
    assert set(per_key) == {k.decode() for k in keys}
    assert all(v == list(range(1, len(v) + 1)) for v in per_key.values())  # no version issued twice
