"""In-memory stand-ins for the services' repositories and the producer.

They implement the same Protocols as the real adapters and obey the same rules; the
integration tests run the same contract tests against PostgreSQL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from aiokafka import ConsumerRecord

from schemas import wire
from schemas.events import InterviewRetracted
from services.runtime.kafka import OutgoingRecord


class InMemoryScoreStore:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[bool, bytes]] = {}
        self.current: dict[tuple[str, str, str], int] = {}
        self.retracted: dict[tuple[str, str, str], bytes] = {}
        self.healthy = True

    async def save(
        self, outcomes: Sequence[wire.InterviewScored | InterviewRetracted], encoded=None
    ) -> list[bytes | None]:
        if not self.healthy:
            raise ConnectionError("database down")
        results: list[bytes | None] = []
        for event, written in zip(outcomes, encoded or [None] * len(outcomes), strict=True):
            pair_interview = (event.candidate_id, event.role_id, event.interview_id)  # an interview is its pair's
            if isinstance(event, InterviewRetracted):
                payload = self.retracted.setdefault(pair_interview, event.model_dump_json().encode())
                results.append(payload)
                continue
            key = str(event.source_event_id)
            if key in self.rows:
                was_current, payload = self.rows[key]
                results.append(payload if was_current and pair_interview not in self.retracted else None)
                continue
            is_current = pair_interview not in self.retracted and event.revision >= self.current.get(pair_interview, 0)
            if is_current:
                self.current[pair_interview] = event.revision
            payload = written if written is not None else wire.encode(event)
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
        topic=topic,
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key or b""),
        serialized_value_size=len(value or b""),
        headers=tuple(headers),
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

    async def publish_outbox(self, sender, fresh=()) -> int:
        """Everything pending, in order (`fresh` is what the PostgreSQL store may send from memory)."""
        pending, self.outbox = self.outbox, []
        try:
            await sender.send_all(pending)
        except BaseException:
            self.outbox = pending + self.outbox
            raise
        return len(pending)

    async def assessments(self, role_id=None) -> list:
        from services.aggregation.decision import assessments

        return assessments(
            e
            for (_, r), state in sorted(self.pairs.items())
            if role_id is None or r == role_id
            for e in state.interviews.values()
            if isinstance(e, wire.InterviewScored)
        )

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
            result[key] = (
                self.store._pair_state(dict(current.interviews), current.published)
                if current
                else self.store._pair_state()
            )
        self.pairs.update(result)
        return result

    async def save(self, interviews, recommendations, payloads=None) -> list[int]:
        from services.aggregation.decision import Published

        for event in interviews:
            self.pairs[(event.candidate_id, event.role_id)].interviews[event.interview_id] = event
        for new in recommendations:
            key = (new.recommendation.candidate_id, new.recommendation.role_id)
            self.pairs[key].published = Published(new.recommendation.version, new.fingerprint)
            self.outbox.append(new.record)
        first = len(self.store.outbox) + 1
        return list(range(first, first + len(recommendations)))


class InMemoryGreenhouseStore:
    """The Greenhouse adapter's store in memory: same contract as PostgresGreenhouseStore."""

    def __init__(self) -> None:
        self.mark = None
        self.scorecards: dict = {}  # scorecard_id -> (PublishedScorecard, retracted)
        self.jobs: dict = {}
        self.interviews: dict = {}
        self.deliveries: set[str] = set()

    async def high_water_mark(self):
        return self.mark

    async def set_high_water_mark(self, mark) -> None:
        self.mark = mark

    async def published_versions(self, scorecard_ids):
        return {i: self.scorecards[i][0].updated_at for i in scorecard_ids if i in self.scorecards}

    async def record_published(self, scorecards) -> None:
        for s in scorecards:
            current = self.scorecards.get(s.scorecard_id)
            if current is None or current[0].updated_at < s.updated_at:
                self.scorecards[s.scorecard_id] = (s, current[1] if current else False)

    async def jobs_of(self, application_ids):
        return {a: self.jobs[a] for a in application_ids if a in self.jobs}

    async def remember_jobs(self, jobs) -> None:
        self.jobs.update(jobs)

    async def remember_interview_scorecards(self, pairs) -> None:
        for interview_id, scorecard_id in pairs:
            self.interviews.setdefault(interview_id, set()).add(scorecard_id)

    @contextlib.asynccontextmanager
    async def delivery(self):
        staged = _StagedDelivery(self)
        yield staged
        self.deliveries |= staged.claimed  # commit: only when the block did not raise
        for i in staged.retracted:
            self.scorecards[i] = (self.scorecards[i][0], True)

    async def ping(self) -> None:
        pass


class _StagedDelivery:
    def __init__(self, store: InMemoryGreenhouseStore) -> None:
        self.store = store
        self.claimed: set[str] = set()
        self.retracted: list[int] = []

    async def claim(self, delivery_id: str, action: str) -> bool:
        if delivery_id in self.store.deliveries or delivery_id in self.claimed:
            return False
        self.claimed.add(delivery_id)
        return True

    async def scorecards_of_interview(self, interview_id: int) -> list[int]:
        return sorted(self.store.interviews.get(interview_id, ()))

    async def live_scorecards(self, scorecard_ids):
        return [
            self.store.scorecards[i][0]
            for i in sorted(scorecard_ids)
            if i in self.store.scorecards and not self.store.scorecards[i][1]
        ]

    async def mark_retracted(self, scorecard_ids) -> None:
        self.retracted += list(scorecard_ids)
