"""Reading the current recommendation per pair from the compacted topic."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from services.runtime.kafka import partitions_of, stop_consumer
from schemas import topics
from schemas.events import Recommendation


async def follow_latest(
    bootstrap_servers: str,
    until: Callable[[dict[str, Recommendation]], bool],
    timeout: float,
    on_update: Callable[[dict[str, Recommendation]], None] = lambda latest: None,
) -> dict[str, Recommendation]:
    """Read the recommendation topic from the beginning, keeping the highest version per key,
    until `until(latest)` holds or `timeout` seconds pass; return the latest per key."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    latest: dict[str, Recommendation] = {}
    try:
        partitions = await partitions_of(bootstrap_servers, topics.RECOMMENDATION)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    try:
                        recommendation = Recommendation.model_validate_json(record.value or b"")
                    except ValidationError:
                        continue  # not ours to judge here; the topic's producers validate
                    current = latest.get(recommendation.key)
                    if current is None or recommendation.version > current.version:
                        latest[recommendation.key] = recommendation
            on_update(latest)
            if until(latest):
                break
        return latest
    finally:
        await stop_consumer(consumer)
