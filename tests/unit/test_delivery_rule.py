"""The one delivery rule (services/runtime/delivery.py) with an in-memory handler: transient
errors retried, permanent ones split down to their record, visible in metrics and readiness.
The same rule against the real broker and database: tests/integration/test_stalls.py."""

from __future__ import annotations

import hashlib
import json

import asyncpg
import pytest
import structlog
from aiokafka.errors import KafkaConnectionError
from prometheus_client import CollectorRegistry

from schemas import topics
from services.runtime.dead_letter import SUMMARY, DeadLetter, send_dead_letters
from services.runtime.delivery import Delivery, Kind, classify
from services.runtime.http import NotReady
from services.runtime.kafka import KafkaSender, OutgoingRecord, RecordTooLarge, record_size
from tests.fakes import InMemorySender, consumer_record

TOPIC = topics.INTERVIEW_COMPLETED


def records(n: int, partition: int = 0):
    return [consumer_record(b"v%d" % i, b"k", topic=TOPIC, offset=i, partition=partition) for i in range(n)]


class Handler:
    """Fails every call whose records include a poisoned offset; counts what was processed."""

    def __init__(self, poisoned: dict[int, BaseException], transient_failures: int = 0) -> None:
        self.poisoned = poisoned
        self.transient_failures = transient_failures
        self.processed: list[int] = []
        self.refused: list[DeadLetter] = []
        self.calls = 0

    async def handle(self, batch) -> None:
        self.calls += 1
        if self.transient_failures:
            self.transient_failures -= 1
            raise ConnectionRefusedError("database down")
        for r in batch:
            if r.offset in self.poisoned:
                raise self.poisoned[r.offset]
        self.processed += [r.offset for r in batch]

    async def refuse(self, letters) -> None:
        self.refused += letters


def delivery(registry=None, answers=True, **options) -> Delivery:
    async def infrastructure_answers() -> bool:
        return answers

    return Delivery(
        "svc",
        registry or CollectorRegistry(),
        structlog.get_logger(),
        infrastructure_answers=infrastructure_answers,
        first=0.001,
        cap=0.002,
        **options,
    )


def data_error() -> asyncpg.DataError:
    error = asyncpg.exceptions.NumericValueOutOfRangeError("bigint out of range")
    error.sqlstate = "22003"
    return error


async def test_a_permanent_error_splits_the_batch_and_dead_letters_only_its_record():
    handler = Handler({5: data_error()})
    await delivery().deliver(records(16), handler)
    assert sorted(handler.processed) == [i for i in range(16) if i != 5]  # each once
    assert len(handler.processed) == 15
    [letter] = handler.refused
    assert (letter.record.offset, letter.error_type) == (5, "database_refused")
    assert letter.reason == "the database refused it: NumericValueOutOfRangeError (SQLSTATE 22003)"


async def test_two_bad_records_of_different_kinds_are_both_found_and_the_rest_processed_in_order():
    too_large = RecordTooLarge(OutgoingRecord("t", b"k", b"x"), 2_000_000, 1_048_576)
    handler = Handler({2: UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogate"), 9: too_large})
    await delivery().deliver(records(12), handler)
    assert handler.processed == [i for i in range(12) if i not in (2, 9)]  # in partition order
    assert [(d.record.offset, d.error_type) for d in handler.refused] == [(2, "encoding_error"), (9, "too_large")]
    assert "2000000 bytes, over the producer's limit of 1048576" in handler.refused[1].reason


async def test_a_transient_error_is_re_raised_for_a_retry_counted_and_readiness_turns_503_after_n():
    registry = CollectorRegistry()
    rule = delivery(registry, unready_after=3)
    handler = Handler({}, transient_failures=3)
    batch = records(4, partition=2)
    for attempt in range(3):
        with pytest.raises(ConnectionRefusedError):
            await rule.deliver(batch, handler)
        if attempt < 2:
            await rule.ready()
    with pytest.raises(NotReady, match=r"batch of 4 from ats.interview-completed.v1\[2\]@0: ConnectionRefusedError"):
        await rule.ready()
    assert registry.get_sample_value("svc_batch_retries_total", {"error_type": "ConnectionRefusedError"}) == 3
    assert registry.get_sample_value("svc_consecutive_batch_failures") == 3
    age = registry.get_sample_value("svc_oldest_unprocessed_record_age_seconds", {"topic": TOPIC, "partition": "2"})
    assert age is not None and age > 1_000_000  # consumer_record's timestamp is 0: a record waiting since 1970
    await rule.deliver(batch, handler)
    await rule.ready()
    assert handler.processed == [0, 1, 2, 3] and handler.refused == []
    assert registry.get_sample_value("svc_consecutive_batch_failures") == 0
    assert (
        registry.get_sample_value("svc_oldest_unprocessed_record_age_seconds", {"topic": TOPIC, "partition": "2"}) == 0
    )


async def test_an_unclassified_error_is_retried_then_split_once_the_infrastructure_answers():
    rule = delivery(unclassified_attempts=3)
    handler = Handler({1: KeyError("a bug for this input")})
    for _ in range(2):
        with pytest.raises(KeyError):
            await rule.deliver(records(4), handler)
    await rule.deliver(records(4), handler)
    assert handler.processed == [0, 2, 3]
    assert [(d.record.offset, d.error_type) for d in handler.refused] == [(1, "processing_error")]


async def test_an_unclassified_error_while_the_infrastructure_is_down_is_never_dead_lettered():
    rule = delivery(answers=False, unclassified_attempts=1)
    handler = Handler({1: KeyError("?")})
    for _ in range(5):
        with pytest.raises(KeyError):
            await rule.deliver(records(4), handler)
    assert handler.refused == [] and handler.processed == []


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (data_error(), Kind.PERMANENT),
        (asyncpg.exceptions.CheckViolationError("check"), Kind.PERMANENT),
        (asyncpg.exceptions.UntranslatableCharacterError("nul"), Kind.PERMANENT),
        (RecordTooLarge(OutgoingRecord("t", None, b""), 2, 1), Kind.PERMANENT),
        (ConnectionRefusedError(), Kind.TRANSIENT),
        (TimeoutError(), Kind.TRANSIENT),
        (asyncpg.exceptions.ConnectionDoesNotExistError("gone"), Kind.TRANSIENT),
        (asyncpg.exceptions.AdminShutdownError("shutdown"), Kind.TRANSIENT),
        (asyncpg.exceptions.UndefinedTableError("missing"), Kind.TRANSIENT),
        (KafkaConnectionError(), Kind.TRANSIENT),
        (RuntimeError(), Kind.UNCLASSIFIED),
    ],
)
def test_errors_are_transient_or_permanent_by_type(error, kind):
    assert classify(error) is kind


def test_a_record_too_large_to_dead_letter_whole_becomes_a_summary():
    value = b"x" * 1_048_400
    record = consumer_record(value, b"cand:role", topic=TOPIC, offset=42, partition=3, headers=[("h", b"1")])
    out = DeadLetter(record, "validation_error", "invalid InterviewCompleted: assessments.0.notes: too long").to_record(
        "scoring"
    )
    assert record_size(out) < 4096
    assert dict(out.headers)[SUMMARY] == b"true"
    assert dict(out.headers)[topics.DLQ_SOURCE_OFFSET] == b"42" and out.key == b"cand:role"
    summary = json.loads(out.value)
    assert summary["source"] == {"topic": TOPIC, "partition": 3, "offset": 42}
    assert summary["value_bytes"] == len(value) and summary["value_sha256"] == hashlib.sha256(value).hexdigest()
    assert summary["value_head"] == "x" * 1024 and summary["reason"].startswith("invalid InterviewCompleted")


def test_a_small_record_is_dead_lettered_whole():
    record = consumer_record(b"{}", b"k", topic=TOPIC, headers=[("trace", b"\xff")])
    out = DeadLetter(record, "validation_error", "r").to_record("scoring")
    assert out.value == b"{}" and ("trace", b"\xff") in out.headers and SUMMARY not in dict(out.headers)


async def test_a_dead_letter_the_broker_refuses_for_its_size_goes_again_as_a_summary():
    class RefusesLarge(InMemorySender):
        max_record_bytes = 10_000_000

        async def send_all(self, records):
            if any(len(r.value or b"") > 4000 for r in records):
                raise RecordTooLarge(records[0], 2, 1)
            await super().send_all(records)

    sender = RefusesLarge()
    record = consumer_record(b"y" * 5000, b"k", topic=TOPIC)
    await send_dead_letters(sender, [DeadLetter(record, "validation_error", "r")], "scoring")
    [out] = sender.sent
    assert dict(out.headers)[SUMMARY] == b"true"


async def test_the_sender_checks_every_size_before_sending_anything():
    class Producer:
        _max_request_size = 1000

        def __init__(self) -> None:
            self.sent: list = []

        async def send(self, *args, **kwargs):
            self.sent.append(args)
            raise AssertionError("nothing may be sent")

    producer = Producer()
    sender = KafkaSender(producer)  # type: ignore[arg-type]
    with pytest.raises(RecordTooLarge, match="over the producer's limit of 1000"):
        await sender.send_all([OutgoingRecord("t", b"k", b"small"), OutgoingRecord("t", b"k", b"z" * 2000)])
    assert producer.sent == []
