"""The aggregation handler: a batch of scored interviews in, recommendations out.

Per batch: decode (bad records become dead letters), group by candidate-role pair, and
in one transaction load each pair's state, merge, decide, and save the state with any
new recommendation in the outbox. Then the dead letters are sent and the outbox is
published; only after that does FastStream commit the offsets (AckPolicy.NACK_ON_ERROR;
an error seeks back to the first record of the batch, which is then retried).
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from aiokafka import ConsumerRecord
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from schemas import topics, wire
from schemas.events import InterviewRetracted
from schemas.rubric import RoleProfile
from services.aggregation.calibration import Calibration
from services.aggregation.decision import Entry, fold
from services.aggregation.store import AggregationStore, NewRecommendation, PairKey
from services.runtime.dead_letter import DeadLetter, send_dead_letters
from services.runtime.kafka import MAX_REQUEST_BYTES, RecordSender, RecordTooLarge, event_record, record_size
from services.runtime.logs import info_enabled
from services.runtime.records import Accepted, decode_record

log = structlog.get_logger(service="aggregation")


class AggregationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.consumed = Counter("aggregation_events_consumed", "Records consumed", registry=registry)
        self.dead_lettered = Counter(
            "aggregation_events_dead_lettered", "Records sent to the DLQ", ["error_type"], registry=registry
        )
        self.recommendations = Counter(
            "aggregation_recommendations_issued", "New recommendation versions", ["decision"], registry=registry
        )
        self.published = Counter("aggregation_outbox_published", "Outbox records published", registry=registry)
        self.calibration_beyond = Gauge(
            "aggregation_calibration_interviewers_beyond_threshold",
            "Interviewers whose offset on some competency is beyond the role's calibration threshold",
            ["role"],
            registry=registry,
        )
        self.batch_seconds = Histogram(
            "aggregation_batch_processing_seconds",
            "Time to merge, decide, store and publish one batch",
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )


@dataclass
class AggregationHandler:
    store: AggregationStore
    sender: RecordSender
    roles: dict[str, RoleProfile]
    clock: Callable[[], datetime]
    metrics: AggregationMetrics
    group_id: str = "aggregation"
    calibration: Calibration = field(default_factory=dict)
    """The interviewers' offsets, refreshed in the background (`services.aggregation.app`)."""

    async def handle(self, records: Sequence[ConsumerRecord]) -> None:
        started = time.perf_counter()
        decoded = [self._decode(r) for r in records]
        dead = [d for d in decoded if isinstance(d, DeadLetter)]
        by_pair: dict[PairKey, list[Accepted[Entry]]] = {}
        for item in decoded:
            if isinstance(item, Accepted):
                by_pair.setdefault((item.event.candidate_id, item.event.role_id), []).append(item)

        issued: list[NewRecommendation] = []
        outbox: list[int] = []
        if by_pair:
            async with self.store.transaction() as pairs:
                states = await pairs.load(list(by_pair))
                changed_interviews: list[Entry] = []
                consumed_as: list[bytes | None] = []  # beside changed_interviews: their JSON as consumed
                for key, items in by_pair.items():
                    state = states[key]
                    try:
                        step = fold(
                            key[0],
                            self.roles[key[1]],
                            state.interviews,
                            [i.event for i in items],
                            state.published,
                            self.clock(),
                            self.calibration,
                        )
                    except Exception as exc:  # noqa: BLE001 - a bug for this pair's input, not an outage:
                        # dead-letter its records rather than retry the batch forever.
                        dead += [
                            DeadLetter(i.record, "processing_error", f"aggregation failed: {type(exc).__name__}")
                            for i in items
                        ]
                        continue
                    changed = [step.interviews[i] for i in step.changed]
                    payloads = {id(i.event): i.payload for i in items}  # a changed interview is an event of this batch
                    changed_interviews += changed
                    consumed_as += [payloads.get(id(event)) for event in changed]
                    if step.recommendation is not None and step.verdict is not None:
                        trigger = items[-1]
                        record = event_record(
                            topics.RECOMMENDATION, step.recommendation, correlation_id=trigger.correlation_id
                        )
                        # Checked before it enters the outbox: a row the producer refuses would stop the relay.
                        limit = getattr(self.sender, "max_record_bytes", MAX_REQUEST_BYTES)
                        if (size := record_size(record)) > limit:
                            raise RecordTooLarge(record, size, limit)
                        source = (trigger.record.topic, trigger.record.partition, trigger.record.offset)
                        issued.append(
                            NewRecommendation(step.recommendation, step.verdict.fingerprint(), record, source)
                        )
                outbox = await pairs.save(changed_interviews, issued, consumed_as)

        await send_dead_letters(self.sender, dead, self.group_id)
        published = await self.store.publish_outbox(
            self.sender, [(row, n.record) for row, n in zip(outbox, issued, strict=True)]
        )
        self._observe(records, dead, issued, published, started)

    async def refuse(self, letters: Sequence[DeadLetter]) -> None:
        await send_dead_letters(self.sender, letters, self.group_id)
        self._observe([d.record for d in letters], list(letters), [], 0, time.perf_counter())

    def _decode(self, record: ConsumerRecord) -> Accepted[Entry] | DeadLetter:
        decoded = decode_record(record, wire.InterviewScored, InterviewRetracted)
        if isinstance(decoded, Accepted) and decoded.event.role_id not in self.roles:
            return DeadLetter(record, "unknown_role", "role_id: no role profile for this role")
        return decoded

    def _observe(self, records, dead, issued, published, started) -> None:  # type: ignore[no-untyped-def]
        logger = log.bind()  # resolved once a batch; the lines per record only when INFO is on
        self.metrics.consumed.inc(len(records))
        self.metrics.published.inc(published)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        for d in dead:
            self.metrics.dead_lettered.labels(d.error_type).inc()
            logger.warning("dead_lettered", **d.log_fields())
        for decision, count in collections.Counter(n.recommendation.decision.value for n in issued).items():
            self.metrics.recommendations.labels(decision).inc(count)  # once per decision, not per record
        for n in issued if info_enabled(logger) else ():
            logger.info(
                "recommendation_issued",
                correlation_id=dict(n.record.headers)[topics.CORRELATION_ID].decode(),
                decision=n.recommendation.decision.value,
                version=n.recommendation.version,
                candidate_id=n.recommendation.candidate_id,
                role_id=n.recommendation.role_id,
                topic=n.source[0],
                partition=n.source[1],
                offset=n.source[2],
            )
        logger.info(
            "batch_processed", records=len(records), dead_lettered=len(dead), issued=len(issued), published=published
        )
