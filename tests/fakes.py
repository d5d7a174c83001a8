"""In-memory stand-ins for the services' repositories and the producer.

They implement the same Protocols as the real adapters and obey the same rules; the
integration tests run the same contract tests against PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from aiokafka import ConsumerRecord

from schemas.events import InterviewRetracted, InterviewScored
from services.runtime.kafka import OutgoingRecord


class InMemoryScoreStore:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[bool, bytes]] = {}
        self.current: dict[str, int] = {}
        self.retracted: dict[str, bytes] = {}
        self.healthy = True

    async def save(self, outcomes: Sequence[InterviewScored | InterviewRetracted]) -> list[bytes | None]:
        if not self.healthy:
            raise ConnectionError("database down")
        results: list[bytes | None] = []
        for event in outcomes:
            if isinstance(event, InterviewRetracted):
                payload = self.retracted.setdefault(event.interview_id, event.model_dump_json().encode())
                results.append(payload)
                continue
            key = str(event.source_event_id)
            if key in self.rows:
                was_current, payload = self.rows[key]
                results.append(payload if was_current and event.interview_id not in self.retracted else None)
                continue
            is_current = event.interview_id not in self.retracted and event.revision >= self.current.get(event.interview_id, 0)
            if is_current:
                self.current[event.interview_id] = event.revision
            payload = event.model_dump_json().encode()
            self.rows[key] = (is_current, payload)
            results.append(payload if is_current else None)
        return results

    async def ping(self) -> None:
        if not self.healthy:
            raise ConnectionError("database down")


class InMemorySender:
    def __init__(self) -> None:
        self.sent: list[OutgoingRecord] = []

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        self.sent.extend(records)

    def on(self, topic: str) -> list[OutgoingRecord]:
        return [r for r in self.sent if r.topic == topic]


def consumer_record(
    value: bytes | None,
    key: bytes | None,
    *,
    topic: str,
    offset: int = 0,
    partition: int = 0,
    headers: Sequence[tuple[str, bytes]] = (),
) -> ConsumerRecord:
    return ConsumerRecord(
        topic=topic, partition=partition, offset=offset, timestamp=0, timestamp_type=0,
        key=key, value=value, checksum=None,
        serialized_key_size=len(key or b""), serialized_value_size=len(value or b""), headers=tuple(headers),
    )


class InMemoryAggregationStore:
    """Same contract as PostgresAggregationStore: a transaction commits state and outbox together."""

    def __init__(self) -> None:
        from services.aggregation.store import PairState

        self._pair_state = PairState
        self.pairs: dict = {}
        self.outbox: list[OutgoingRecord] = []
        self.healthy = True

    @contextlib.asynccontextmanager
    async def transaction(self):
        if not self.healthy:
            raise ConnectionError("database down")
        staged = _StagedPairs(self)
        yield staged
        for key, state in staged.pairs.items():  # commit: only when the block did not raise
            self.pairs[key] = state
        self.outbox.extend(staged.outbox)

    async def publish_outbox(self, sender) -> int:
        pending, self.outbox = self.outbox, []
        try:
            await sender.send_all(pending)
        except BaseException:
            self.outbox = pending + self.outbox
            raise
        return len(pending)

    async def ping(self) -> None:
        if not self.healthy:
            raise ConnectionError("database down")


class _StagedPairs:
    def __init__(self, store: InMemoryAggregationStore) -> None:
        self.store = store
        self.pairs: dict = {}
        self.outbox: list[OutgoingRecord] = []

    async def clear_interviews(self) -> None:
        self.cleared = True
        for key, state in self.store.pairs.items():
            self.pairs[key] = self.store._pair_state({}, state.published)

    async def load(self, keys, *, lock=True):
        result = {}
        for key in keys:
            current = self.pairs.get(key) or self.store.pairs.get(key)
            result[key] = self.store._pair_state(dict(current.interviews), current.published) if current else self.store._pair_state()
        self.pairs.update(result)
        return result

    async def save(self, interviews, recommendations) -> None:
        from services.aggregation.decision import Published

        for event in interviews:
            self.pairs[(event.candidate_id, event.role_id)].interviews[event.interview_id] = event
        for new in recommendations:
            key = (new.recommendation.candidate_id, new.recommendation.role_id)
            self.pairs[key].published = Published(new.recommendation.version, new.fingerprint)
            self.outbox.append(new.record)
