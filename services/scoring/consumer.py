"""The scoring handler: a batch of interview-completed records in, scored events out.

Delivery: the whole batch is stored in one transaction and every outgoing record
(scored events and dead letters) is acknowledged by the broker before this returns;
only then does FastStream commit the offsets (AckPolicy.NACK_ON_ERROR). A crash anywhere before
that re-delivers the batch (an error seeks back to its first records), and the store's idempotency makes the re-run publish the
same bytes again. At least once in, effectively once in the database.

Scoring: the notes of the next `SCAN_AHEAD` interviews are scanned together, then each
interview is scored on its own (`score.scan_interviews`: the same scores for less CPU); an
interview the core fails on is dead-lettered alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import msgspec
import structlog
from aiokafka import ConsumerRecord
from prometheus_client import CollectorRegistry, Counter, Histogram

from schemas import topics, wire
from schemas.events import InterviewRetracted
from schemas.rubric import Rubric
from services.runtime.dead_letter import DeadLetter, dead_letter_records, send_dead_letters
from services.runtime.kafka import MAX_REQUEST_BYTES, RecordSender, event_record
from services.runtime.logs import info_enabled
from services.runtime.records import Accepted, decode_record
from services.scoring.evidence import Scanned
from services.scoring.score import scan_interviews, score_interview_wire
from services.scoring.store import ScoreStore

YIELD_EVERY_S = 0.005
"""Scoring is CPU work: between interviews the event loop gets a turn (health checks, the
Kafka client's heartbeats) once this much time passed, whatever the batch's size."""

SCAN_AHEAD = 64
"""Events whose notes are scanned together before they are scored (`_scanned_ahead`): enough
for the scan's database to stay in the CPU's cache, about 10 ms of scanning between turns of
the event loop."""

log = structlog.get_logger(service="scoring")


class ScoringMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.consumed = Counter("scoring_events_consumed", "Records consumed", registry=registry)
        self.scored = Counter("scoring_events_scored", "Events scored and stored", registry=registry)
        self.published = Counter("scoring_events_published", "Scored events published", registry=registry)
        self.dead_lettered = Counter(
            "scoring_events_dead_lettered", "Records sent to the DLQ", ["error_type"], registry=registry
        )
        self.batch_seconds = Histogram(
            "scoring_batch_processing_seconds",
            "Time to score, store and publish one batch",
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.event_age_seconds = Histogram(
            "scoring_event_age_seconds",
            "From the record's broker timestamp to its scored event's ack",
            registry=registry,
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )


@dataclass
class ScoringHandler:
    store: ScoreStore
    sender: RecordSender
    rubric: Rubric
    clock: Callable[[], datetime]
    metrics: ScoringMetrics
    group_id: str = "scoring"

    async def handle(self, records: Sequence[ConsumerRecord]) -> None:
        started = turn = time.perf_counter()
        decoded = [decode_record(r, wire.InterviewCompleted, InterviewRetracted) for r in records]
        dead = [d for d in decoded if isinstance(d, DeadLetter)]
        accepted: list[Accepted] = []
        scored: list[wire.InterviewScored | InterviewRetracted] = []
        ahead = self._scanned_ahead(
            [d.event for d in decoded if isinstance(d, Accepted) and not isinstance(d.event, InterviewRetracted)]
        )
        for item in decoded:
            if isinstance(item, Accepted):
                if isinstance(item.event, InterviewRetracted):  # nothing to score: forwarded as it is
                    scored.append(item.event)
                    accepted.append(item)
                    continue
                scanned = next(ahead)
                try:
                    scored.append(
                        score_interview_wire(item.event, self.rubric, wire.instant(self.clock()), scanned=scanned)
                    )
                    accepted.append(item)
                except Exception as exc:  # noqa: BLE001 - the pure core failing on one input is a bug
                    # for that input, not an outage: retrying the batch forever would stall the partition.
                    dead.append(DeadLetter(item.record, "processing_error", f"scoring failed: {type(exc).__name__}"))
                if time.perf_counter() - turn > YIELD_EVERY_S:
                    await asyncio.sleep(0)
                    turn = time.perf_counter()
        # Each scored event's JSON, written once: the store keeps it, and it is published as is.
        encoded = [wire.encode(e) if isinstance(e, wire.InterviewScored) else None for e in scored]
        payloads = await self.store.save(scored, encoded)
        outgoing = []
        for a, event, payload, mine in zip(accepted, scored, payloads, encoded, strict=True):
            if payload is None:
                continue  # a late lower revision, or a retracted interview: stored for audit, not current
            if isinstance(event, InterviewRetracted):
                outgoing.append(
                    event_record(topics.INTERVIEW_SCORED, event, correlation_id=a.correlation_id, value=payload)
                )
                continue
            if payload is not mine and not _same_interview(payload, event):  # stored before: whose was it?
                dead.append(
                    DeadLetter(
                        a.record,
                        "event_id_conflict",
                        "event_id: already used by a different interview; the first one is kept",
                    )
                )
                continue
            outgoing.append(
                event_record(topics.INTERVIEW_SCORED, event, correlation_id=a.correlation_id, value=payload)
            )
        outgoing += dead_letter_records(
            dead, self.group_id, getattr(self.sender, "max_record_bytes", MAX_REQUEST_BYTES)
        )
        await self.sender.send_all(outgoing)
        self._observe(records, accepted, dead, outgoing, started)

    def _scanned_ahead(self, events: list[wire.InterviewCompleted]) -> Iterator[list[Scanned | None] | None]:
        """Each event's notes, scanned `SCAN_AHEAD` events at a time (`scan_interviews`: the
        same scores for less CPU). A run whose scan fails yields None for each of its events:
        each is then scanned as it is scored, so the failure stays with its own record."""
        for first in range(0, len(events), SCAN_AHEAD):
            run = events[first : first + SCAN_AHEAD]
            try:
                yield from scan_interviews(run, self.rubric)
            except Exception:  # noqa: BLE001 - scored one by one, the failing event is dead-lettered
                yield from [None] * len(run)

    async def refuse(self, letters: Sequence[DeadLetter]) -> None:
        await send_dead_letters(self.sender, letters, self.group_id)
        self._observe([d.record for d in letters], [], list(letters), list(letters), time.perf_counter())

    def _observe(self, records, accepted, dead, outgoing, started) -> None:  # type: ignore[no-untyped-def]
        logger = log.bind()  # resolved once a batch; the lines per record only when INFO is on
        now_ms = time.time() * 1000
        self.metrics.consumed.inc(len(records))
        self.metrics.scored.inc(sum(not isinstance(a.event, InterviewRetracted) for a in accepted))
        self.metrics.published.inc(len(outgoing) - len(dead))
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        for a in accepted:
            self.metrics.event_age_seconds.observe(max(0.0, (now_ms - a.record.timestamp) / 1000))
        for d in dead:
            self.metrics.dead_lettered.labels(d.error_type).inc()
            logger.warning("dead_lettered", **d.log_fields())
        for a in accepted if info_enabled(logger) else ():
            logger.info(
                "interview_retracted" if isinstance(a.event, InterviewRetracted) else "interview_scored",
                correlation_id=a.correlation_id,
                interview_id=a.event.interview_id,
                revision=getattr(a.event, "revision", None),
                topic=a.record.topic,
                partition=a.record.partition,
                offset=a.record.offset,
            )
        logger.info("batch_processed", records=len(records), scored=len(accepted), dead_lettered=len(dead))


class _Interview(msgspec.Struct, gc=False):
    """The four fields that say which interview a stored InterviewScored is (the rest of its
    JSON is skipped, not parsed)."""

    candidate_id: str
    role_id: str
    interview_id: str
    revision: int


_INTERVIEW = msgspec.json.Decoder(_Interview)


def _same_interview(payload: bytes, event: wire.InterviewScored) -> bool:
    """A re-delivered event_id must be the same interview: an ATS that reuses an id for other
    content is refused (the stored first version stays), not silently mixed up."""
    stored = _INTERVIEW.decode(payload)
    return (stored.candidate_id, stored.role_id, stored.interview_id, stored.revision) == (
        event.candidate_id,
        event.role_id,
        event.interview_id,
        event.revision,
    )
