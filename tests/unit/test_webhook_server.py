"""The webhook's server against slow clients, over real sockets: a request's head and body
must arrive in time, connections beyond the limit answer 503."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry

from hiring_pipeline.devstack.processes import free_port
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.webhook import PATH, WebhookApp, server
from tests.fakes import InMemoryGreenhouseStore, InMemorySender
from tests.greenhouse import SECRET


@contextlib.asynccontextmanager
async def serving(timeout_s=0.5, max_connections=4):
    app = WebhookApp(
        SECRET,
        InMemoryGreenhouseStore(),
        InMemorySender(),
        lambda: datetime.now(UTC),
        GreenhouseMetrics(CollectorRegistry()),
        body_timeout_s=timeout_s,
    )
    port = free_port()
    web = server(app, "127.0.0.1", port, timeout_s=timeout_s, max_connections=max_connections)
    task = asyncio.create_task(web.serve())
    while not web.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        web.should_exit = True
        await task


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes | None:
    """What the server sent before closing, or None if it kept the connection open."""
    try:
        return await asyncio.wait_for(reader.read(), seconds)
    except TimeoutError:
        return None


async def test_a_client_dribbling_its_request_head_is_disconnected():
    async with serving() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\n")  # never ends its headers
        assert await closed_within(reader, 3) == b""
        writer.close()


async def test_a_client_that_never_sends_its_body_gets_408():
    async with serving() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        assert (await asyncio.wait_for(reader.readline(), 3)).startswith(b"HTTP/1.1 408")
        writer.close()


async def test_connections_beyond_the_limit_answer_503():
    async with serving(timeout_s=2, max_connections=2) as port:
        idle = []
        for _ in range(2):  # two slow clients, each served (waiting for its body)
            idle.append(await asyncio.open_connection("127.0.0.1", port))
            idle[-1][1].write(b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
            await asyncio.sleep(0.2)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await asyncio.wait_for(reader.readline(), 3)).startswith(b"HTTP/1.1 503")
        writer.close()
        for _, w in idle:
            w.close()
