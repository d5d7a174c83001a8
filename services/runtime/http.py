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
from uvicorn.protocols.http.h11_impl import H11Protocol

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
        """Every check at once (an answer takes the slowest check's time, not their sum), in order."""

        async def problem(name: str, check: ReadinessCheck) -> str | None:
            try:
                await asyncio.wait_for(check(), self.timeout)
            except NotReady as exc:
                return f"{name}: not ready ({exc})"
            except Exception as exc:  # noqa: BLE001 - a failing check is the answer
                return f"{name}: down ({type(exc).__name__})"
            return None

        answers = await asyncio.gather(*(problem(name, check) for name, check in self.checks.items()))
        return [a for a in answers if a is not None]

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


class RequestHeadTimeout(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for a request's head: a client that opens a
    connection, or starts a request, and dribbles its headers is disconnected after
    `head_timeout_s` (uvicorn bounds only idle keep-alive connections). A slow body is the
    app's to bound (the Greenhouse webhook reads its body within the same time)."""

    head_timeout_s: float = 10.0
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        self._arm()
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        super().connection_lost(exc)

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._head_deadline is None and self._waiting_for_head():
            self._head_deadline = self.loop.call_later(self.head_timeout_s, self._expired)

    def _expired(self) -> None:
        self._head_deadline = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self.transport.close()


def slow_client_protocol(head_timeout_s: float) -> type[RequestHeadTimeout]:
    return type("RequestHeadTimeout", (RequestHeadTimeout,), {"head_timeout_s": head_timeout_s})


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
