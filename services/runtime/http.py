"""Health and metrics of every long-running process, and the server that runs them.

One plain ASGI app answers the same three routes in the services (beside their FastStream
consumer), the Greenhouse sync loop and the Greenhouse webhook (beside its endpoint):
`/health/live` answers while the process and its event loop run. `/health/ready` answers
200 only when every check passes, else 503 with one line per failure that says what is
down (never an address or a secret). `/metrics` is Prometheus text from the process's own
registry (no process-global state, so tests can build many apps).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Iterator, MutableMapping
from typing import Any

import uvicorn
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

ReadinessCheck = Callable[[], Awaitable[None]]
Refresh = Callable[[], Awaitable[None]]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ROUTES = ("/health/live", "/health/ready", "/metrics")


class NotReady(RuntimeError):
    """A readiness check's own verdict; its message is safe to show."""


class HealthApp:
    """`/health/live`, `/health/ready` and `/metrics`; 404 elsewhere.

    `/metrics` has the process's own metrics (`process_*`: CPU, memory, open files; `python_*`)
    beside the registry's, and runs each `refresh` (gauges read at scrape time, like the
    consumer lag) before answering."""

    def __init__(
        self,
        checks: dict[str, ReadinessCheck],
        registry: CollectorRegistry,
        timeout: float = 2.0,
        refresh: list[Refresh] | None = None,
    ) -> None:
        self.checks = checks
        self.registry = registry
        self.timeout = timeout
        self.refresh = refresh or []
        with_process_metrics(registry)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/health/live":
            return await respond(send, 200, b"ok\n")
        if path == "/health/ready":
            problems = await self.problems()
            if problems:
                return await respond(send, 503, ("\n".join(problems) + "\n").encode())
            return await respond(send, 200, b"ready\n")
        if path == "/metrics":
            for refresh in self.refresh:
                # A refresh that fails leaves the last values: still right to serve.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(refresh(), self.timeout)
            return await respond(send, 200, generate_latest(self.registry), CONTENT_TYPE_LATEST)
        return await respond(send, 404, b"not found\n")

    async def problems(self) -> list[str]:
        problems = []
        for name, check in self.checks.items():
            try:
                await asyncio.wait_for(check(), self.timeout)
            except NotReady as exc:
                problems.append(f"{name}: not ready ({exc})")
            except Exception as exc:  # noqa: BLE001 - a failing check is the answer
                problems.append(f"{name}: down ({type(exc).__name__})")
        return problems

    def routes(self) -> list[tuple[str, HealthApp]]:
        """The app under each of its paths, as FastStream's `asgi_routes` takes them."""
        return [(path, self) for path in ROUTES]


def with_process_metrics(registry: CollectorRegistry) -> None:
    """`process_*` (CPU seconds, resident memory, open file descriptors, start time) and the
    interpreter's `python_*` in `registry`, once."""
    if getattr(registry, "_process_metrics", False):
        return
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    registry._process_metrics = True  # type: ignore[attr-defined]


async def respond(send: Send, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM once its graceful shutdown is done, which kills the process
    before the caller closes its pool and producer; here the signal only stops serving."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            yield
            self._captured_signals.clear()  # uvicorn's own list (0.29+): nothing to re-raise


def serve(app: Any, host: str, port: int) -> None:
    """Run an ASGI app (a service's AsgiFastStream) until SIGINT/SIGTERM, then shut down cleanly."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", log_config=None)
    asyncio.run(uvicorn.Server(config).serve())


async def serve_alongside(work: Coroutine[Any, Any, None], app: Any, host: str, port: int) -> None:
    """Run `work` while `app` is served; SIGTERM stops the server, which stops the work."""
    server = Server(uvicorn.Config(app, host=host, port=port, lifespan="off", log_level="warning", log_config=None))
    worker, serving = asyncio.create_task(work), asyncio.create_task(server.serve())
    done, _ = await asyncio.wait({worker, serving}, return_when=asyncio.FIRST_COMPLETED)
    if worker in done:
        server.should_exit = True
        await serving
        worker.result()
    else:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
