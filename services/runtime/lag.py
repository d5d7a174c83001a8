"""Consumer lag per partition, for `/metrics`: how far each assigned partition's consumer
position is behind its end (the high watermark of the last fetch).

Read when Prometheus scrapes, from the consumer's own state (no request to the broker);
partitions no longer assigned to this instance are dropped, so a rebalance leaves no
stale series behind."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.errors import IllegalStateError
from prometheus_client import CollectorRegistry, Gauge


def consumer_lag_refresher(
    registry: CollectorRegistry, group_id: str, consumer: Callable[[], Any]
) -> Callable[[], Awaitable[None]]:
    """A refresh for the `kafka_consumer_lag` gauge of `consumer()` (an AIOKafkaConsumer, or
    None before it started)."""
    lag = Gauge(
        "kafka_consumer_lag",
        "Records between this instance's consumer position and the partition's end, per assigned partition",
        ["group", "topic", "partition"],
        registry=registry,
    )
    seen: set[tuple[str, str, str]] = set()

    async def refresh() -> None:
        current = consumer()
        now: set[tuple[str, str, str]] = set()
        if current is not None:
            for tp in sorted(current.assignment()):
                end = current.highwater(tp)
                if end is None:  # nothing fetched from it yet
                    continue
                try:  # known once fetched; never wait on one being reset or sought
                    position = await asyncio.wait_for(current.position(tp), 0.2)
                except (TimeoutError, IllegalStateError):
                    continue
                labels = (group_id, tp.topic, str(tp.partition))
                lag.labels(*labels).set(max(0, end - position))
                now.add(labels)
        for gone in seen - now:
            lag.remove(*gone)
        seen.clear()
        seen.update(now)

    return refresh
