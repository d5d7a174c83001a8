"""Dead letters: a record we cannot process goes to `<topic>.dlq` with the reason.

The original key, value and headers are kept byte for byte, so a fixed consumer can
replay it; the reason travels in `dlq.*` headers. Publishing is awaited before the
source offset is committed, so a refused record is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import ConsumerRecord

from schemas import topics
from services.runtime.kafka import OutgoingRecord

MAX_REASON_CHARS = 1000


@dataclass(frozen=True)
class DeadLetter:
    record: ConsumerRecord
    error_type: str
    reason: str

    def headers(self, consumer_group: str) -> list[tuple[str, bytes]]:
        reason = self.reason[:MAX_REASON_CHARS]
        ours = [
            (topics.DLQ_ERROR, reason.encode("utf-8", "replace")),
            (topics.DLQ_ERROR_TYPE, self.error_type.encode()),
            (topics.DLQ_SOURCE_TOPIC, self.record.topic.encode()),
            (topics.DLQ_SOURCE_PARTITION, str(self.record.partition).encode()),
            (topics.DLQ_SOURCE_OFFSET, str(self.record.offset).encode()),
            (topics.DLQ_CONSUMER_GROUP, consumer_group.encode()),
        ]
        original = [(k, v) for k, v in (self.record.headers or ()) if not k.startswith("dlq.")]
        return original + ours

    def to_record(self, consumer_group: str) -> OutgoingRecord:
        """The record for `<source topic>.dlq`: original key and value, reason in headers."""
        return OutgoingRecord(
            topic=topics.dead_letter(self.record.topic),
            key=self.record.key,
            value=self.record.value or b"",
            headers=self.headers(consumer_group),
        )

    def log_fields(self) -> dict[str, object]:
        """What ops may see: where the record was and why it was refused, never its content."""
        return {
            "error_type": self.error_type,
            "reason": self.reason,
            "topic": self.record.topic,
            "partition": self.record.partition,
            "offset": self.record.offset,
        }
