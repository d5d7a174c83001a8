"""Dead letters: a record we cannot process goes to `<topic>.dlq` with the reason.

The original key, value and headers are kept byte for byte, so a fixed consumer can
replay it; the reason travels in `dlq.*` headers. Publishing is awaited before the
source offset is committed, so a refused record is never lost.

Dead-lettering never fails on size: a record too large to go to the dead-letter topic
whole (a value near the broker's limit, or megabytes a producer compressed) goes as a
summary instead, a small JSON document with the reason, the source coordinates, the key,
the sizes, a SHA-256 digest and the head of the value, marked by the header `dlq.summary`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import ConsumerRecord
from aiokafka.errors import MessageSizeTooLargeError

from schemas import topics
from services.runtime.kafka import MAX_REQUEST_BYTES, OutgoingRecord, RecordSender, RecordTooLarge, record_size

MAX_REASON_CHARS = 1000
SUMMARY = "dlq.summary"
"""Header of a dead letter that carries a summary instead of the original value."""
HEAD_BYTES = 1024
MAX_KEY_BYTES = 1024


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

    def to_record(self, consumer_group: str, max_bytes: int = MAX_REQUEST_BYTES) -> OutgoingRecord:
        """The record for `<source topic>.dlq`: original key and value, reason in headers; the
        summary instead when that would be over `max_bytes`."""
        whole = OutgoingRecord(
            topic=topics.dead_letter(self.record.topic),
            key=self.record.key,
            value=self.record.value or b"",
            headers=self.headers(consumer_group),
        )
        return whole if record_size(whole) <= max_bytes else self.summary(consumer_group)

    def summary(self, consumer_group: str) -> OutgoingRecord:
        """A few kilobytes whatever the record's size: enough to find, judge and fetch it again."""
        key, value = self.record.key, self.record.value or b""
        headers = list(self.record.headers or ())
        document = {
            "summary": "the record was too large to dead-letter whole",
            "error_type": self.error_type,
            "reason": self.reason[:MAX_REASON_CHARS],
            "source": {"topic": self.record.topic, "partition": self.record.partition, "offset": self.record.offset},
            "key": None if key is None else key[:MAX_KEY_BYTES].decode("utf-8", "replace"),
            "key_bytes": None if key is None else len(key),
            "value_bytes": len(value),
            "headers": len(headers),
            "headers_bytes": sum(len(k) + len(v or b"") for k, v in headers),
            "value_sha256": hashlib.sha256(value).hexdigest(),
            "value_head": value[:HEAD_BYTES].decode("utf-8", "replace"),
        }
        ours = [(k, v) for k, v in self.headers(consumer_group) if k.startswith("dlq.")]
        return OutgoingRecord(
            topic=topics.dead_letter(self.record.topic),
            key=key
            if key is None or len(key) <= MAX_KEY_BYTES
            else b"sha256:" + hashlib.sha256(key).hexdigest().encode(),
            value=json.dumps(document).encode(),
            headers=[*ours, (SUMMARY, b"true")],
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


def dead_letter_records(
    letters: Sequence[DeadLetter], consumer_group: str, max_bytes: int = MAX_REQUEST_BYTES
) -> list[OutgoingRecord]:
    return [d.to_record(consumer_group, max_bytes) for d in letters]


async def send_dead_letters(sender: RecordSender, letters: Sequence[DeadLetter], consumer_group: str) -> None:
    """Send dead letters; one the broker still refuses for its size (a dead-letter topic with a
    smaller `max.message.bytes`) goes again as its summary, so this never fails on size."""
    limit = getattr(sender, "max_record_bytes", MAX_REQUEST_BYTES)
    try:
        await sender.send_all(dead_letter_records(letters, consumer_group, limit))
    except (RecordTooLarge, MessageSizeTooLargeError):
        for letter in letters:  # the summaries of all: re-sending one whole could duplicate it
            await sender.send_all([letter.summary(consumer_group)])
