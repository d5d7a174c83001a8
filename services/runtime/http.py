"""Health and metrics endpoints, served beside the consumer by the same ASGI app.

`/health/live` answers while the process and its event loop run. `/health/ready`
answers 200 only when every dependency answers, else 503 with one line per failure
that says what is down (never an address or a secret). `/metrics` is Prometheus text
from the service's own registry (no process-global state, so tests can build many apps).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from faststream.asgi import AsgiResponse, get
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

ReadinessCheck = Callable[[], Awaitable[None]]


def health_routes(checks: dict[str, ReadinessCheck], registry: CollectorRegistry, timeout: float = 2.0):  # type: ignore[no-untyped-def]
    @get(include_in_schema=False)
    async def live(scope) -> AsgiResponse:  # type: ignore[no-untyped-def]
        return AsgiResponse(b"ok\n", status_code=200)

    @get(include_in_schema=False)
    async def ready(scope) -> AsgiResponse:  # type: ignore[no-untyped-def]
        problems = []
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), timeout)
            except Exception as exc:  # noqa: BLE001 - a failing check is the answer
                problems.append(f"{name}: down ({type(exc).__name__})")
        if problems:
            return AsgiResponse(("\n".join(problems) + "\n").encode(), status_code=503)
        return AsgiResponse(b"ready\n", status_code=200)

    @get(include_in_schema=False)
    async def metrics(scope) -> AsgiResponse:  # type: ignore[no-untyped-def]
        return AsgiResponse(generate_latest(registry), status_code=200, headers={"content-type": CONTENT_TYPE_LATEST})

    return [("/health/live", live), ("/health/ready", ready), ("/metrics", metrics)]


def serve(app, host: str, port: int) -> None:  # type: ignore[no-untyped-def]
    """Run an ASGI app (a service's AsgiFastStream) until SIGINT/SIGTERM, then shut down cleanly."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    asyncio.run(uvicorn.Server(config).serve())
