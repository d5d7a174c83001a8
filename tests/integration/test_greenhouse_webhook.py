"""The deletion webhook in-process (ASGI), on the real database and broker."""

import json
import random
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.events import InterviewRetracted
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.store import PublishedScorecard
from services.greenhouse.webhook import PATH, WebhookApp
from tests.greenhouse import SECRET, adapter_on, signed
from tests.kafka_io import end_offsets, read_until

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class FailingSender:
    async def send_all(self, records):
        raise ConnectionError("broker down")


@pytest.fixture
async def webhook(stack):
    """(store, post) where post(body, headers, sender=None) calls the app over ASGI."""
    async with adapter_on(stack) as (store, kafka):

        async def post(body: bytes, headers: dict[str, str], sender=None):
            app = WebhookApp(SECRET, store, sender or kafka, lambda: NOW, GreenhouseMetrics(CollectorRegistry()))
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://adapter") as client:
                return await client.post(PATH, content=body, headers=headers)

        yield store, post


async def published_scorecards(store, count):
    candidate = str(random.randrange(10**8, 10**9))
    ids = [int(candidate) * 10 + n for n in range(count)]
    await store.record_published([PublishedScorecard(i, NOW, uuid.uuid4(), candidate, "backend-engineer") for i in ids])
    return candidate, ids


def delivery(action, **payload):
    return json.dumps({"action": action, "payload": payload}).encode()


async def retractions_since(stack, since, candidate):
    key = f"{candidate}:backend-engineer".encode()
    records = await read_until(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        lambda got: False,
        keep=lambda r: r.key == key,
        since=since,
        timeout=2,
    )
    assert all(dict(r.headers)[topics.EVENT_TYPE] == b"InterviewRetracted" for r in records)
    return [InterviewRetracted.model_validate_json(r.value) for r in records]


async def test_a_signed_scorecard_deleted_publishes_one_retraction_and_a_redelivery_none(stack, webhook):
    store, post = webhook
    candidate, [scorecard_id, _] = await published_scorecards(store, 2)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)
    body = delivery("scorecard_deleted", scorecard={"id": scorecard_id, "candidate_id": int(candidate)})
    headers = {**signed(body), "Greenhouse-Event-ID": str(uuid.uuid4())}

    first, again = await post(body, headers), await post(body, headers)

    assert (first.status_code, first.json()["retracted"]) == (200, 1)
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    [event] = await retractions_since(stack, since, candidate)
    assert (event.interview_id, event.reason) == (f"greenhouse-scorecard-{scorecard_id}", "scorecard_deleted")


async def test_a_bad_or_missing_signature_is_refused_with_401_and_changes_nothing(stack, webhook):
    store, post = webhook
    candidate, [scorecard_id] = await published_scorecards(store, 1)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)
    body = delivery("scorecard_deleted", scorecard={"id": scorecard_id})
    forged = signed(body, secret=b"someone-else")

    assert (await post(body, forged)).status_code == 401
    assert (await post(body, {"Content-Type": "application/json"})).status_code == 401
    assert (await post(body + b" ", signed(body))).status_code == 401  # the body was altered after signing
    assert await retractions_since(stack, since, candidate) == []
    async with store.delivery() as tx:
        assert [s.scorecard_id for s in await tx.live_scorecards([scorecard_id])] == [scorecard_id]


async def test_greenhouses_ping_is_answered(webhook):
    _, post = webhook
    body = delivery("ping", web_hook_id=1)
    response = await post(body, signed(body))
    assert response.status_code == 200


async def test_interview_deleted_retracts_the_interviews_remaining_scorecards(stack, webhook):
    store, post = webhook
    candidate, ids = await published_scorecards(store, 3)
    interview_id = random.randrange(10**6, 10**7)
    await store.remember_interview_scorecards([(interview_id, i) for i in ids])
    first = delivery("scorecard_deleted", scorecard={"id": ids[0]})
    await post(first, {**signed(first), "Greenhouse-Event-ID": "d-1"})
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)

    body = delivery("interview_deleted", interview={"id": interview_id})
    response = await post(body, {**signed(body), "Greenhouse-Event-ID": "d-2"})

    assert response.json()["retracted"] == 2
    events = await retractions_since(stack, since, candidate)
    assert sorted(e.interview_id for e in events) == [f"greenhouse-scorecard-{i}" for i in ids[1:]]


async def test_a_broker_failure_answers_500_and_rolls_back_so_greenhouses_retry_succeeds(stack, webhook):
    store, post = webhook
    candidate, [scorecard_id] = await published_scorecards(store, 1)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)
    body = delivery("scorecard_deleted", scorecard={"id": scorecard_id})
    headers = {**signed(body), "Greenhouse-Event-ID": "retry-me"}

    failed = await post(body, headers, sender=FailingSender())
    retried = await post(body, headers)

    assert failed.status_code == 500
    assert (retried.status_code, retried.json()["retracted"]) == (200, 1)
    assert len(await retractions_since(stack, since, candidate)) == 1


async def test_a_delivery_without_the_id_it_needs_is_a_400_not_a_retry_loop(webhook):
    _, post = webhook
    body = delivery("scorecard_deleted", scorecard={})
    assert (await post(body, signed(body))).status_code == 400


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (DEEP, "nested deeper than any parser goes"),
        (b'{"action": "scorecard_deleted", "payload": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001, "deep payload"),
        (b"[1, 2]", "not an object"),
        (b'{"action": ["scorecard_deleted"], "payload": {}}', "action not a string"),
        (b'{"action": "scorecard_deleted", "payload": []}', "payload not an object"),
        (delivery("scorecard_deleted", scorecard={"id": 2**63}), "id beyond 2^63-1"),
        (delivery("scorecard_deleted", scorecard={"id": -4}), "negative id"),
        (delivery("interview_deleted", interview={"id": "9" * 5000}), "5,000 digits"),
        (delivery("scorecard_deleted", scorecard={"id": True}), "a bool"),
        (delivery("scorecard_deleted", scorecard={"id": 11.5}), "a float"),
        (delivery("scorecard_deleted", scorecard={"id": "1e3"}), "not plain digits"),
        (delivery("scorecard_deleted", scorecard={"id": " 12"}), "padded"),
        (delivery("scorecard_deleted", scorecard="11"), "scorecard not an object"),
    ],
)
async def test_a_signed_body_malformed_in_depth_answers_400_never_500(webhook, body, why):
    """Greenhouse retries a 5xx for ever (#14): what no retry can fix answers 400."""
    _, post = webhook
    response = await post(body, {**signed(body), "Greenhouse-Event-ID": f"bad-{uuid.uuid4().hex}"})
    assert response.status_code == 400, why


async def test_an_event_id_too_long_or_with_control_characters_is_stored_and_logged_as_its_digest(
    stack, webhook, capsys
):
    """A NUL in the Greenhouse-Event-ID failed the database insert (500, retried for ever)."""
    store, post = webhook
    _, [scorecard] = await published_scorecards(store, 1)
    body = delivery("scorecard_deleted", scorecard={"id": scorecard})
    hostile = "e\x00" + "x" * 10_000
    first = await post(body, {**signed(body), "Greenhouse-Event-ID": hostile})
    again = await post(body, {**signed(body), "Greenhouse-Event-ID": hostile})
    assert first.json() == {"status": "handled", "retracted": 1}
    assert again.json()["status"] == "duplicate"  # the digest is stable: a redelivery is recognised
    logged = capsys.readouterr().out
    assert "x" * 200 not in logged and "\\u0000" not in logged
