"""Stopping a consumer keeps a cancellation of the caller's task and only that one:
aiokafka 0.14 swallows a cancellation that arrives while its fetcher closes, and can raise
one of its own from a consumer whose internal task never ran."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from services.runtime.kafka import stop_consumer


class SwallowingConsumer:
    """As aiokafka's `Fetcher.close()`: cancel an internal task, await it under suppress."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()

    async def stop(self) -> None:
        internal = asyncio.create_task(asyncio.sleep(0.5))
        self.waiting.set()
        with contextlib.suppress(asyncio.CancelledError):
            await internal


class InternallyCancelledConsumer:
    """As a group-less aiokafka consumer whose coordination task never ran."""

    async def stop(self) -> None:
        internal = asyncio.create_task(asyncio.sleep(30))
        await asyncio.sleep(0)
        internal.cancel()
        await internal


async def test_a_cancellation_that_arrives_while_the_consumer_stops_still_cancels_the_caller():
    consumer = SwallowingConsumer()
    laps = 0

    async def sampler() -> None:
        """A loop that ends by being cancelled, as the benchmark's lag sampler (bounded here,
        so a swallowed cancellation fails the test instead of hanging it)."""
        nonlocal laps
        while laps < 3:
            laps += 1
            await stop_consumer(consumer)  # type: ignore[arg-type]

    task = asyncio.create_task(sampler())
    await consumer.waiting.wait()
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    assert task in done and task.cancelled()
    assert laps == 1


async def test_a_cancellation_raised_inside_the_consumer_alone_is_not_the_callers():
    await stop_consumer(InternallyCancelledConsumer())  # type: ignore[arg-type]
    assert not asyncio.current_task().cancelling()  # type: ignore[union-attr]


async def test_a_consumer_stopped_by_a_task_already_being_cancelled_lets_that_cancellation_go_on():
    consumer = SwallowingConsumer()
    stopped = asyncio.Event()

    async def cleanup_after_cancel() -> None:
        try:
            await asyncio.sleep(5)
        finally:
            await stop_consumer(consumer)  # type: ignore[arg-type]
            stopped.set()

    task = asyncio.create_task(cleanup_after_cancel())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stopped.is_set()
