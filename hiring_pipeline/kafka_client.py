"""Two small helpers for the command-line tools' own Kafka clients."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


async def partitions_of(bootstrap_servers: str, topic: str) -> list[TopicPartition]:
    """The topic's partitions, from the broker (a fresh consumer has no metadata yet)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        [description] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if description.get("error_code"):
        raise RuntimeError(f"topic {topic} not found: run `hiring-pipeline infra up`")
    return sorted(TopicPartition(topic, p["partition"]) for p in description["partitions"])


async def stop_consumer(consumer: AIOKafkaConsumer) -> None:
    """aiokafka 0.14's group-less consumer can raise CancelledError from `stop()` when its
    internal task never ran; swallow that one, never a cancellation of our own task."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
