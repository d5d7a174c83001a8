"""`hiring-pipeline consumer skip SERVICE --partition P --offset O`: move a service's consumer
group past a record, the last resort when a record stalls a partition anyway.

A dry run by default: it says where the group stands, which records it would skip and
where it would resume. `--apply` does it, and only while the service is stopped (its
group has no member: the broker would refuse a commit beside a running member anyway).
The skipped records are not lost: each goes to the input's dead-letter topic first (error
type `skipped_by_operator`, as a summary when too large), so `dlq replay` can send them
back after a fix; then the group's offset is committed at `offset + 1`. Every step is logged.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from aiokafka import TopicPartition

from schemas import topics
from services.runtime.dead_letter import DeadLetter, send_dead_letters
from services.runtime.kafka import KafkaOptions, admin_client, kafka_sender, open_topic

log = structlog.get_logger(tool="consumer-skip")
INPUTS = {"scoring": topics.INTERVIEW_COMPLETED, "aggregation": topics.INTERVIEW_SCORED}
MAX_SKIP = 10_000
"""More records than this at once is not skipping a record: refused (reset the group instead)."""


class SkipRefused(RuntimeError):
    """Why the group was not moved; one line for the operator."""


@dataclass(frozen=True)
class SkipPlan:
    service: str
    group: str
    topic: str
    partition: int
    committed: int | None
    """The group's committed offset (the next record it reads), None when it never committed."""
    resume_at: int
    skipped: list[int]
    """Offsets of the records skipped (sent to the dead-letter topic)."""
    applied: bool

    def lines(self) -> list[str]:
        where = "nothing committed yet" if self.committed is None else f"committed offset {self.committed}"
        verb = "moved" if self.applied else "would move (dry run; --apply to do it)"
        skipped = f"{self.skipped[0]}..{self.skipped[-1]}" if self.skipped else "none"
        return [
            f"group {self.group} on {self.topic}[{self.partition}]: {where}",
            f"{verb} to offset {self.resume_at}, skipping {len(self.skipped)} record(s) ({skipped}), "
            f"each {'sent' if self.applied else 'to be sent'} to {topics.dead_letter(self.topic)} first",
        ]


async def active_members(kafka: KafkaOptions, group: str) -> int:
    async with admin_client(kafka) as admin:
        [description] = await admin.describe_consumer_groups([group])
    return len(description.groups[0][5]) if description.groups else 0


async def skip_past(
    kafka: KafkaOptions, service: str, group: str, partition: int, offset: int, *, apply: bool
) -> SkipPlan:
    topic = INPUTS[service]
    members = await active_members(kafka, group)
    if members:
        raise SkipRefused(f"consumer group {group!r} has {members} active member(s): stop the {service} service first")
    tp = TopicPartition(topic, partition)
    async with open_topic(kafka, topic, group_id=group) as reader:
        if tp not in reader.partitions:
            raise SkipRefused(f"{topic} has no partition {partition}")
        committed = await reader.consumer.committed(tp)
        beginning, end = (await reader.beginning())[tp], (await reader.end())[tp]
        start = beginning if committed is None else max(committed, beginning)
        if not start <= offset < end:
            raise SkipRefused(
                f"offset {offset} is not waiting in {topic}[{partition}]: the group reads from {start}, "
                f"the partition ends at {end}"
            )
        if offset - start + 1 > MAX_SKIP:
            raise SkipRefused(f"that skips {offset - start + 1} records, more than {MAX_SKIP}: reset the group instead")
        records = [r for batch in [b async for b in reader.batches({tp: start}, {tp: offset + 1})] for r in batch]
        plan = SkipPlan(service, group, topic, partition, committed, offset + 1, [r.offset for r in records], apply)
        log.warning("consumer_skip_planned" if not apply else "consumer_skip_applying", **_fields(plan))
        if not apply:
            return plan
        reason = f"skipped by an operator: group {group} moved past offset {offset} of {topic}[{partition}]"
        async with kafka_sender(kafka, "hiring-pipeline-consumer-skip") as sender:
            await send_dead_letters(sender, [DeadLetter(r, "skipped_by_operator", reason) for r in records], group)
        await reader.consumer.commit({tp: offset + 1})  # only after every skipped record is in the DLQ
    log.warning("consumer_group_moved", **_fields(plan))
    return plan


def _fields(plan: SkipPlan) -> dict[str, object]:
    return {
        "group": plan.group,
        "topic": plan.topic,
        "partition": plan.partition,
        "committed": plan.committed,
        "resume_at": plan.resume_at,
        "skipped": len(plan.skipped),
        "applied": plan.applied,
    }
