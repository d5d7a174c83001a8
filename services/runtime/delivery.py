"""The one rule for a consumed batch that fails, for every consuming service.

Every error is one of two kinds:

- **transient**: the broker or the database is unreachable, busy or slow (connection
  errors, timeouts, a server shutting down, a serialization failure). Nothing is wrong
  with the records: the batch is retried, after a pause that grows to `cap` seconds, until
  it passes. Offsets are not committed meanwhile (FastStream seeks the batch back).
- **permanent for one record**: the data itself is refused (a database data, encoding,
  constraint or limit error; an outgoing record over the producer's size). Retrying cannot
  help: the batch is split in halves, each half processed on its own, until the record at
  fault is alone; it is dead-lettered with its reason and source topic, partition and
  offset, and every other record is processed once. A half that succeeds is never
  processed again, so nothing is published twice.

An error of neither list (a bug on one input, say) is retried like a transient one while
the database or the broker is down, and after `unclassified_attempts` failures of the same
batch with both answering it is treated as permanent.

Visible: retries, splits and consecutive failures are counted, the age of the oldest
record fetched but not yet processed is a gauge per partition, and readiness turns 503
with the batch's coordinates and error after `unready_after` consecutive failures.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Protocol

import asyncpg
import structlog
from aiokafka import ConsumerRecord
from aiokafka.errors import KafkaError, MessageSizeTooLargeError, RecordTooLargeError
from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.runtime.dead_letter import DeadLetter
from services.runtime.http import NotReady
from services.runtime.kafka import RecordTooLarge


class Kind(enum.Enum):
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    UNCLASSIFIED = "unclassified"


PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.DataError,  # SQLSTATE class 22: out of range, invalid text, NUL in text, bad encoding
    asyncpg.IntegrityConstraintViolationError,  # 23: check, not null, unique, foreign key
    asyncpg.ProgramLimitExceededError,  # 54: an index row or a statement too large
    RecordTooLarge,  # ours: an outgoing record over the producer's limit, found before sending
    MessageSizeTooLargeError,
    RecordTooLargeError,
    UnicodeError,
    OverflowError,
)
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TimeoutError,
    OSError,  # ConnectionError, refused, reset, DNS
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # the connection closed under the query, the pool closing
    asyncpg.exceptions.OperatorInterventionError,  # 57: admin shutdown, cannot connect now, query canceled
    asyncpg.exceptions.InsufficientResourcesError,  # 53: too many connections, disk full
    asyncpg.exceptions.TransactionRollbackError,  # 40: serialization failure, deadlock
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.SyntaxOrAccessError,  # 42: a missing table or privilege: deployment, not data
    asyncpg.exceptions.InvalidAuthorizationSpecificationError,
)


def classify(exc: BaseException) -> Kind:
    if isinstance(exc, PERMANENT_ERRORS):
        return Kind.PERMANENT
    if isinstance(exc, TRANSIENT_ERRORS):
        return Kind.TRANSIENT
    if isinstance(exc, KafkaError):  # the size errors are above: the rest is the broker, not the record
        return Kind.TRANSIENT
    return Kind.UNCLASSIFIED


def dead_letter_for(record: ConsumerRecord, exc: BaseException, kind: Kind) -> DeadLetter:
    """The reason a record is refused, naming the error's type (and SQLSTATE), never a value."""
    name = type(exc).__name__
    if isinstance(exc, (RecordTooLarge, MessageSizeTooLargeError, RecordTooLargeError)):
        detail = f" ({exc})" if isinstance(exc, RecordTooLarge) else ""
        return DeadLetter(record, "too_large", f"an outgoing record it causes is too large to publish{detail}")
    if isinstance(exc, asyncpg.PostgresError):
        return DeadLetter(record, "database_refused", f"the database refused it: {name} (SQLSTATE {exc.sqlstate})")
    if isinstance(exc, (UnicodeError, OverflowError)):
        return DeadLetter(record, "encoding_error", f"it cannot be encoded for the database or broker: {name}")
    if kind is Kind.UNCLASSIFIED:
        return DeadLetter(
            record, "processing_error", f"processing failed with {name} while the database and broker answered"
        )
    return DeadLetter(record, "processing_error", f"processing failed: {name}")


class Handler(Protocol):
    async def handle(self, records: Sequence[ConsumerRecord]) -> None: ...

    async def refuse(self, letters: Sequence[DeadLetter]) -> None:
        """Send dead letters the rule found (counted and logged like the handler's own)."""


class _OldestUnprocessed(Collector):
    """`<name>_oldest_unprocessed_record_age_seconds{topic,partition}`: the age of the oldest
    record fetched but not processed yet, from its broker timestamp; 0 once processed. It
    grows while a batch is stuck, computed when scraped."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pending: dict[tuple[str, int], float | None] = {}
        """(topic, partition) -> oldest waiting record's timestamp in seconds; None when none waits"""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            f"{self.name}_oldest_unprocessed_record_age_seconds",
            "Age of the oldest fetched record not yet processed, per partition (0 when none waits)",
            labels=["topic", "partition"],
        )
        now = time.time()
        for (topic, partition), timestamp in sorted(self.pending.items()):
            family.add_metric([topic, str(partition)], 0.0 if timestamp is None else max(0.0, now - timestamp))
        yield family


class Delivery:
    """The rule's state for one service: backoff, counts, readiness."""

    def __init__(
        self,
        name: str,
        registry: CollectorRegistry,
        log: structlog.typing.FilteringBoundLogger,
        *,
        infrastructure_answers: Callable[[], Awaitable[bool]],
        unready_after: int = 5,
        unclassified_attempts: int = 3,
        first: float = 0.2,
        cap: float = 5.0,
        retry_in_place_s: float = 120.0,
    ) -> None:
        self.log = log
        self.infrastructure_answers = infrastructure_answers
        self.unready_after, self.unclassified_attempts = unready_after, unclassified_attempts
        self.first, self.cap, self.retry_in_place_s = first, cap, retry_in_place_s
        self.delay = 0.0
        self.consecutive = 0
        self.last_failure = ""
        self.retries = Counter(
            f"{name}_batch_retries", "Batches retried after a transient error", ["error_type"], registry=registry
        )
        self.splits = Counter(
            f"{name}_batch_splits", "Batches split to find a record with a permanent error", registry=registry
        )
        self.failures = Gauge(
            f"{name}_consecutive_batch_failures",
            "Failures of the current batch since the last success",
            registry=registry,
        )
        self.oldest = _OldestUnprocessed(name)
        registry.register(self.oldest)

    # --- readiness ------------------------------------------------------------------------

    async def ready(self) -> None:
        if self.consecutive >= self.unready_after:
            raise NotReady(f"{self.last_failure}, failed {self.consecutive} times in a row")

    # --- the rule -------------------------------------------------------------------------

    async def deliver(self, records: Sequence[ConsumerRecord], handler: Handler) -> None:
        if not records:
            return
        self._waiting(records)
        try:
            await handler.handle(records)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            kind = await self._judge(exc, self.consecutive + 1)
            if kind is Kind.TRANSIENT:
                await self._failed(records, exc)
                raise  # FastStream seeks the batch back; it is fetched and tried again
            self.log.warning("batch_split", error_type=type(exc).__name__, records=len(records), **_where(records[0]))
            await self._split(records, handler, exc, kind, time.monotonic() + self.retry_in_place_s)
        self._succeeded(records)

    async def _judge(self, exc: BaseException, attempts: int) -> Kind:
        kind = classify(exc)
        if kind is not Kind.UNCLASSIFIED:
            return kind
        if attempts < self.unclassified_attempts or not await self.infrastructure_answers():
            return Kind.TRANSIENT
        return Kind.UNCLASSIFIED

    async def _split(
        self, records: Sequence[ConsumerRecord], handler: Handler, exc: BaseException, kind: Kind, deadline: float
    ) -> None:
        """`records` failed with `exc`, permanent (or unclassified, judged so): find the record."""
        if len(records) == 1:
            letter = dead_letter_for(records[0], exc, kind)
            await self._in_place(lambda: handler.refuse([letter]), records, deadline)
            return
        self.splits.inc()
        middle = len(records) // 2
        for half in (records[:middle], records[middle:]):  # in order: each partition's order is kept
            await self._attempt(half, handler, deadline)

    async def _attempt(self, records: Sequence[ConsumerRecord], handler: Handler, deadline: float) -> None:
        while True:
            try:
                await handler.handle(records)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                kind = classify(exc)
                # An unclassified error inside a split: the batch already failed the same way
                # with the infrastructure answering, so it is judged permanent while it answers.
                if kind is Kind.PERMANENT or (kind is Kind.UNCLASSIFIED and await self.infrastructure_answers()):
                    return await self._split(records, handler, exc, kind, deadline)
                await self._retry_in_place(records, exc, deadline)

    async def _in_place(
        self, action: Callable[[], Awaitable[None]], records: Sequence[ConsumerRecord], deadline: float
    ) -> None:
        while True:
            try:
                return await action()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - sending a dead letter: only transient errors remain
                await self._retry_in_place(records, exc, deadline)

    async def _retry_in_place(self, records: Sequence[ConsumerRecord], exc: BaseException, deadline: float) -> None:
        """A transient error after part of the batch was processed: retry that part where it is
        (going back to the batch's start would process the done part again), until the
        deadline keeps the consumer well inside max.poll.interval.ms; then give up on the
        batch, which is fetched again (its done part then republishes the same bytes)."""
        await self._failed(records, exc)
        if time.monotonic() > deadline:
            raise exc

    async def _failed(self, records: Sequence[ConsumerRecord], exc: BaseException) -> None:
        self.consecutive += 1
        self.failures.set(self.consecutive)
        where = _where(records[0])
        self.last_failure = (
            f"batch of {len(records)} from {where['topic']}[{where['partition']}]@{where['offset']}: "
            f"{type(exc).__name__}"
        )
        self.retries.labels(type(exc).__name__).inc()
        self.delay = min(self.cap, self.delay * 2 if self.delay else self.first)
        self.log.error(
            "batch_failed_will_retry",
            error_type=type(exc).__name__,
            retry_in_s=self.delay,
            consecutive_failures=self.consecutive,
            records=len(records),
            **where,
        )
        await asyncio.sleep(self.delay)

    def _waiting(self, records: Sequence[ConsumerRecord]) -> None:
        for record in records:
            key = (record.topic, record.partition)
            seen = self.oldest.pending.get(key)
            timestamp = record.timestamp / 1000
            if seen is None or timestamp < seen:
                self.oldest.pending[key] = timestamp

    def _succeeded(self, records: Sequence[ConsumerRecord]) -> None:
        self.delay = 0.0
        self.consecutive = 0
        self.failures.set(0)
        self.last_failure = ""
        for record in records:
            self.oldest.pending[(record.topic, record.partition)] = None


def _where(record: ConsumerRecord) -> dict[str, object]:
    return {"topic": record.topic, "partition": record.partition, "offset": record.offset}
