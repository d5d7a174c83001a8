"""The deletion webhook's rules over ASGI, with the in-memory store and sender."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.events import InterviewRetracted
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.store import PublishedScorecard
from services.greenhouse.webhook import MAX_BODY, PATH, WebhookApp, valid_signature
from tests.fakes import InMemoryGreenhouseStore, InMemorySender
from tests.greenhouse import SECRET, signed

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class BrokenSender:
    async def send_all(self, records):
        raise ConnectionError("broker down")


@pytest.fixture
async def store():
    store = InMemoryGreenhouseStore()
    await store.record_published(
        [PublishedScorecard(i, NOW, uuid.uuid4(), "1234", "backend-engineer") for i in (11, 12)]
    )
    await store.remember_interview_scorecards([(900, 11), (900, 12)])
    return store


async def call(store, sender, body=b"", headers=None, method="POST", path=PATH):
    app = WebhookApp(SECRET, store, sender, lambda: NOW, GreenhouseMetrics(CollectorRegistry()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://adapter") as client:
        return await client.request(method, path, content=body, headers=headers or {})


def delivery(action, **payload):
    return json.dumps({"action": action, "payload": payload}).encode()


def test_a_signature_is_the_hmac_sha256_of_the_raw_body_with_the_shared_secret():
    body = b'{"action": "ping"}'
    digest = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    assert valid_signature(SECRET, body, f"sha256 {digest}")
    assert not valid_signature(SECRET, body, f"sha1 {digest}")
    assert not valid_signature(SECRET, body + b"\n", f"sha256 {digest}")
    assert not valid_signature(b"other", body, f"sha256 {digest}")
    assert not valid_signature(SECRET, body, None)


async def test_a_scorecard_deleted_delivery_publishes_a_retraction_keyed_by_the_pair(store):
    sender = InMemorySender()
    body = delivery("scorecard_deleted", scorecard={"id": 11})
    response = await call(store, sender, body, {**signed(body), "Greenhouse-Event-ID": "e-1"})
    assert response.json() == {"status": "handled", "retracted": 1}
    [record] = sender.on(topics.INTERVIEW_COMPLETED)
    assert record.key == b"1234:backend-engineer"
    assert dict(record.headers)[topics.EVENT_TYPE] == b"InterviewRetracted"
    assert InterviewRetracted.model_validate_json(record.value).interview_id == "greenhouse-scorecard-11"


async def test_the_same_delivery_twice_publishes_once(store):
    sender = InMemorySender()
    body = delivery("interview_deleted", interview={"id": 900})
    headers = {**signed(body), "Greenhouse-Event-ID": "e-2"}
    await call(store, sender, body, headers)
    again = await call(store, sender, body, headers)
    assert again.json()["status"] == "duplicate"
    assert len(sender.on(topics.INTERVIEW_COMPLETED)) == 2  # both scorecards of the interview, once


async def test_an_unsigned_delivery_is_refused_and_nothing_is_published(store):
    sender = InMemorySender()
    response = await call(store, sender, delivery("scorecard_deleted", scorecard={"id": 11}))
    assert response.status_code == 401
    assert sender.sent == []


async def test_a_failed_publish_answers_500_and_claims_nothing_so_the_retry_works(store):
    body = delivery("scorecard_deleted", scorecard={"id": 12})
    headers = {**signed(body), "Greenhouse-Event-ID": "e-3"}
    assert (await call(store, BrokenSender(), body, headers)).status_code == 500
    sender = InMemorySender()
    assert (await call(store, sender, body, headers)).json()["retracted"] == 1


async def test_a_deleted_scorecard_never_published_retracts_nothing(store):
    sender = InMemorySender()
    body = delivery("scorecard_deleted", scorecard={"id": 999})
    assert (await call(store, sender, body, signed(body))).json()["retracted"] == 0
    assert sender.sent == []


async def test_other_actions_are_acknowledged_and_ignored(store):
    sender = InMemorySender()
    body = delivery("candidate_hired", application={"id": 1})
    assert (await call(store, sender, body, signed(body))).json()["status"] == "ignored"
    assert sender.sent == []


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", PATH, b"", 405),
        ("POST", "/elsewhere", b"", 404),
        ("POST", PATH, b"x" * (MAX_BODY + 1), 413),
        ("GET", "/health/live", b"", 200),
    ],
)
async def test_the_http_surface_answers_plainly(store, method, path, body, status):
    assert (await call(store, InMemorySender(), body, method=method, path=path)).status_code == status


async def test_a_signed_body_that_is_not_json_is_a_400(store):
    body = b"not json"
    assert (await call(store, InMemorySender(), body, signed(body))).status_code == 400


async def test_deliveries_and_retractions_are_counted_on_metrics(store):
    metrics = GreenhouseMetrics(CollectorRegistry())
    app = WebhookApp(SECRET, store, InMemorySender(), lambda: NOW, metrics)
    body = delivery("scorecard_deleted", scorecard={"id": 11})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://adapter") as client:
        await client.post(PATH, content=body, headers=signed(body))
        await client.post(PATH, content=body, headers={"Signature": "sha256 00"})
        text = (await client.get("/metrics")).text
        ready = await client.get("/health/ready")
    assert 'greenhouse_webhook_deliveries_total{action="scorecard_deleted",outcome="handled"} 1.0' in text
    assert 'greenhouse_webhook_deliveries_total{action="unknown",outcome="bad_signature"} 1.0' in text
    assert "greenhouse_retractions_published_total 1.0" in text
    assert ready.status_code == 200
