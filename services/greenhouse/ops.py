"""What ops see of the Greenhouse adapter: Prometheus metrics, and health over plain ASGI.

Both processes serve `/health/live`, `/health/ready` and `/metrics`: the webhook beside
its endpoint, the sync loop on `GREENHOUSE_SYNC_HTTP_PORT`. Sync is ready while its last
poll succeeded recently; the webhook while its database answers.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import uvicorn
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    generate_latest,
)

ReadinessCheck = Callable[[], Awaitable[None]]


class GreenhouseMetrics:
    """One registry per process (no global state), so tests can build many."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.fetched = Counter("greenhouse_scorecards_fetched", "Scorecards read from Harvest", registry=registry)
        self.published = Counter("greenhouse_scorecards_published", "Scorecard versions published", registry=registry)
        self.unchanged = Counter("greenhouse_scorecards_unchanged", "Scorecards fetched again, nothing new",
                                 registry=registry)
        self.skipped = Counter("greenhouse_scorecards_skipped", "Scorecards that map to no event", ["reason"],
                               registry=registry)
        self.polls = Counter("greenhouse_sync_polls", "Polls of Harvest", ["outcome"], registry=registry)
        self.last_success = Gauge("greenhouse_sync_last_success_timestamp_seconds", "End of the last complete poll",
                                  registry=registry)
        self.harvest_requests = Counter("greenhouse_harvest_requests", "Requests sent to Harvest", registry=registry)
        self.rate_limited = Counter("greenhouse_harvest_rate_limited", "429 answers from Harvest", registry=registry)
        self.deliveries = Counter("greenhouse_webhook_deliveries", "Webhook deliveries", ["action", "outcome"],
                                  registry=registry)
        self.retractions = Counter("greenhouse_retractions_published", "InterviewRetracted events published",
                                   registry=registry)

    def observe_poll(self, report: Any, requests: int, rate_limited: int, finished_at: float) -> None:
        """Count one complete poll (`report` is a SyncReport; requests and 429s since the last one)."""
        self.polls.labels("ok").inc()
        self.fetched.inc(report.fetched)
        self.published.inc(report.published)
        self.unchanged.inc(report.unchanged)
        for reason, n in report.skipped.items():
            self.skipped.labels(reason).inc(n)
        self.harvest_requests.inc(requests)
        self.rate_limited.inc(rate_limited)
        self.last_success.set(finished_at)


class OpsApp:
    """`/health/live`, `/health/ready` (200 when every check passes, else 503 naming what
    is down, never an address or a secret) and `/metrics`."""

    def __init__(self, checks: dict[str, ReadinessCheck], registry: CollectorRegistry) -> None:
        self.checks = checks
        self.registry = registry

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict]], send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/health/live":
            return await respond(send, 200, {"status": "ok"})
        if path == "/health/ready":
            problems = []
            for name, check in self.checks.items():
                try:
                    await check()
                except NotReady as exc:
                    problems.append(f"{name}: not ready ({exc})")
                except Exception as exc:  # noqa: BLE001 - a failing check is the answer
                    problems.append(f"{name}: down ({type(exc).__name__})")
            return await respond(send, 503 if problems else 200, {"status": problems or "ready"})
        if path == "/metrics":
            body = generate_latest(self.registry)
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", CONTENT_TYPE_LATEST.encode())]})
            return await send({"type": "http.response.body", "body": body})
        return await respond(send, 404, {"error": "not found"})


class NotReady(RuntimeError):
    """A readiness check's own verdict; its message is safe to show."""


async def respond(send, status: int, answer: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(answer).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM once its graceful shutdown is done, which kills the process
    before the caller closes its pool and producer; here the signal only stops serving."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            yield
            self._captured_signals.clear()  # uvicorn's own list (0.29+): nothing to re-raise
