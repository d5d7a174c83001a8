"""`hiring-pipeline ats greenhouse webhook`: Greenhouse's deletion webhooks become retractions.

`POST /webhooks/greenhouse` takes Greenhouse's `scorecard_deleted` and `interview_deleted`
deliveries (and its `ping`). Each must carry `Signature: sha256 <hex>`, the HMAC-SHA256 of
the raw body with the shared secret, else 401 and nothing happens. A delivery is handled
in one database transaction: claim its `Greenhouse-Event-ID` (a redelivery answers 200
and does nothing), find the published scorecards it deletes, publish one
InterviewRetracted per scorecard and wait for the broker's acknowledgement, mark them
retracted. Any failure rolls everything back and answers 500, so Greenhouse retries.

Hostile or broken bodies answer 4xx, never 5xx (Greenhouse retries a 5xx for ever): a
signed body that is not a JSON object, nested too deeply, or whose ids are not plain
integers from 1 to 2^63-1 answers 400. The `Greenhouse-Event-ID` is used (and logged) as it
is only when it is a short plain token; otherwise its SHA-256 stands in for it. The body
must arrive within `body_timeout_s` (408).

A plain ASGI app (three routes do not need a framework); `server()` serves it with uvicorn
with a connection limit and timeouts against slow clients, behind TLS termination or with
the certificate itself (`GREENHOUSE_SSL_CERTFILE`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog

from schemas import topics
from services.greenhouse.mapping import retraction
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.store import GreenhouseStore
from services.runtime.http import HealthApp, Send, Server, respond, slow_client_protocol
from services.runtime.kafka import RecordSender, event_record

log = structlog.get_logger(service="greenhouse")

PATH = "/webhooks/greenhouse"
MAX_BODY = 1024 * 1024
REASONS = {"scorecard_deleted": "scorecard_deleted", "interview_deleted": "interview_deleted"}
MAX_ID = 2**63 - 1
PLAIN_TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
"""A Greenhouse-Event-ID used and logged as it is; anything else is replaced by its digest."""
ACTION = re.compile(r"[a-z_]{1,64}")


def plain_id(value: object) -> int | None:
    """A Greenhouse id: an integer (or a string of digits) from 1 to 2^63-1; else None.
    Not a bool, a float, '1e3', ' 12', '0x10' or 5,000 digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def delivery_id_of(header: str | None, body: bytes) -> str:
    """The delivery's idempotency key, safe to store and log: the header when it is a short
    plain token, else a digest of it (stable across Greenhouse's retries); of the body without one."""
    if header is None or header == "":
        return hashlib.sha256(body).hexdigest()
    if PLAIN_TOKEN.fullmatch(header):
        return header
    return "sha256:" + hashlib.sha256(header.encode("latin-1")).hexdigest()


def valid_signature(secret: bytes, body: bytes, header: str | None) -> bool:
    """`header` is `sha256 <hex digest>`; compared in constant time."""
    if not header:
        return False
    algorithm, _, signature = header.strip().partition(" ")
    if algorithm.lower() != "sha256" or not signature:
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


class WebhookApp:
    def __init__(
        self,
        secret: bytes,
        store: GreenhouseStore,
        sender: RecordSender,
        clock: Callable[[], datetime],
        metrics: GreenhouseMetrics,
        body_timeout_s: float = 10.0,
    ) -> None:
        self.body_timeout_s = body_timeout_s
        self.secret = secret
        self.store = store
        self.sender = sender
        self.clock = clock
        self.metrics = metrics
        self.health = HealthApp({"database": store.ping}, metrics.registry)

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict]], send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path != PATH:
            return await self.health(scope, receive, send)
        if method != "POST":
            return await answer_json(send, 405, {"error": "POST only"})
        try:
            body = await asyncio.wait_for(_body(receive), self.body_timeout_s)
        except TimeoutError:
            self.metrics.deliveries.labels("unknown", "timeout").inc()
            return await answer_json(send, 408, {"error": "body not received in time"})
        if body is None:
            return await answer_json(send, 413, {"error": "body too large"})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not valid_signature(self.secret, body, headers.get("signature")):
            log.warning("greenhouse_webhook_refused", reason="invalid_signature")
            self.metrics.deliveries.labels("unknown", "bad_signature").inc()
            return await answer_json(send, 401, {"error": "invalid signature"})
        try:
            delivery = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            delivery = None
        action = delivery.get("action") if isinstance(delivery, dict) else None
        payload = delivery.get("payload") if isinstance(delivery, dict) else None
        if not isinstance(action, str) or not ACTION.fullmatch(action) or not isinstance(payload, dict | None):
            self.metrics.deliveries.labels("unknown", "invalid").inc()
            return await answer_json(send, 400, {"error": "not a Greenhouse webhook body"})
        action_label = action if action in (*REASONS, "ping") else "other"
        if action == "ping":
            self.metrics.deliveries.labels(action_label, "pong").inc()
            return await answer_json(send, 200, {"status": "pong"})
        delivery_id = delivery_id_of(headers.get("greenhouse-event-id"), body)
        try:
            status, answer = await self._handle(delivery_id, action, payload or {})
        except Exception as exc:  # noqa: BLE001 - rolled back; Greenhouse retries a 5xx
            log.error("greenhouse_webhook_failed", delivery_id=delivery_id, action=action, error=type(exc).__name__)
            self.metrics.deliveries.labels(action_label, "failed").inc()
            return await answer_json(send, 500, {"error": "not processed, retry"})
        self.metrics.deliveries.labels(action_label, str(answer.get("status", "invalid"))).inc()
        self.metrics.retractions.inc(int(answer.get("retracted", 0)))
        return await answer_json(send, status, answer)

    async def _handle(self, delivery_id: str, action: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if action not in REASONS:
            log.info("greenhouse_webhook_ignored", delivery_id=delivery_id, action=action)
            return 200, {"status": "ignored", "action": action}
        subject = "scorecard" if action == "scorecard_deleted" else "interview"
        about = payload.get(subject)
        target = plain_id(about.get("id")) if isinstance(about, dict) else None
        if target is None:
            return 400, {"error": f"{action}: payload.{subject}.id must be an integer from 1 to 2^63-1"}
        async with self.store.delivery() as tx:
            if not await tx.claim(delivery_id, action):
                log.info("greenhouse_webhook_duplicate", delivery_id=delivery_id, action=action)
                return 200, {"status": "duplicate", "retracted": 0}
            ids = [target] if subject == "scorecard" else await tx.scorecards_of_interview(target)
            live = await tx.live_scorecards(ids)
            now = self.clock()
            events = [retraction(s.scorecard_id, s.candidate_id, s.role_id, REASONS[action], now) for s in live]
            await self.sender.send_all([event_record(topics.INTERVIEW_COMPLETED, e) for e in events])
            await tx.mark_retracted([s.scorecard_id for s in live])
        log.info(
            "greenhouse_webhook_handled",
            delivery_id=delivery_id,
            action=action,
            scorecard_ids=[s.scorecard_id for s in live],
            retracted=len(events),
        )
        return 200, {"status": "handled", "retracted": len(events)}


async def answer_json(send: Send, status: int, answer: dict[str, Any]) -> None:
    """The webhook's own answers are JSON, for Greenhouse's delivery log."""
    await respond(send, status, json.dumps(answer).encode(), "application/json")


async def _body(receive: Callable[[], Awaitable[dict]]) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def server(
    app: Any,
    host: str,
    port: int,
    *,
    timeout_s: float = 10.0,
    max_connections: int = 64,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
) -> Server:
    """uvicorn for the webhook: at most `max_connections` at once (beyond: 503), a request's
    head within `timeout_s`, idle keep-alive connections closed after 5 s, headers at most 16 KiB."""
    import uvicorn

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="off",
        log_level="warning",
        log_config=None,  # our logging setup formats uvicorn's lines too
        http=slow_client_protocol(timeout_s),
        limit_concurrency=max_connections + 1,  # uvicorn counts the new connection itself
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
    )
    return Server(config)
