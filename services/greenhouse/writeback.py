"""`hiring-pipeline ats greenhouse writeback`: each changed decision as a note in Greenhouse.

A consumer of `hiring.recommendation.v1` beside the adapter (its own consumer group, the
services' batch rules: offsets committed only after a batch succeeded). Per record:

1. the way back to Greenhouse: the pair must be one the adapter ingested scorecards for
   (`greenhouse.scorecards`); any other is skipped and counted;
2. a version at or below the last handled one is a replay or a redelivery: nothing;
3. a note claimed before a crash is looked for in the candidate's activity feed (by the
   reference line every note ends with) and recorded if it is there;
4. a decision, reasons and debrief flags equal to the last note's: nothing to write;
5. otherwise the note is claimed (committed), posted with `On-Behalf-Of`, and recorded.

So a restart, a replay or a rebalance never writes a version twice. 429 and 5xx are
retried by the client (Retry-After, backoff), then the batch is retried; a 4xx no retry
can change (404: the candidate was deleted) dead-letters the record with its reason on
`hiring.recommendation.v1.dlq`. 401/403 are a configuration error: retried, never
dead-lettered, so fixing the key loses no decision. Logs name ids, never the note.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from aiokafka import ConsumerRecord
from faststream.asgi import AsgiFastStream
from prometheus_client import CollectorRegistry, Counter

from schemas import topics
from schemas.events import Recommendation
from services.greenhouse.harvest import HarvestClient, HarvestRejected
from services.greenhouse.notes import digest, is_note_of, note_body
from services.greenhouse.notes_store import NotesStore, PairNotes, PostgresNotesStore
from services.greenhouse.settings import WritebackSettings
from services.runtime.dead_letter import DeadLetter
from services.runtime.http import serve as run_asgi
from services.runtime.kafka import RecordSender
from services.runtime.logs import configure_logging
from services.runtime.records import Accepted, decode_record
from services.runtime.service import database_and_producer, service_app

log = structlog.get_logger(service="greenhouse-writeback")


class NotesClient(Protocol):
    async def add_note(self, candidate_id: int, body: str, *, on_behalf_of: int, visibility: str) -> int: ...

    async def notes(self, candidate_id: int) -> list[dict[str, Any]]: ...


class WritebackMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.consumed = Counter("greenhouse_writeback_recommendations_consumed", "Records read", registry=registry)
        self.written = Counter("greenhouse_writeback_notes_written", "Notes written to Greenhouse", registry=registry)
        self.found = Counter(
            "greenhouse_writeback_notes_found_after_crash",
            "Notes posted before a crash, found in the activity feed, not written again",
            registry=registry,
        )
        self.skipped = Counter(
            "greenhouse_writeback_skipped",
            "Recommendations that wrote no note, by reason (not_from_greenhouse, unchanged, already_handled)",
            ["reason"],
            registry=registry,
        )
        self.dead_lettered = Counter(
            "greenhouse_writeback_dead_lettered", "Records sent to the DLQ", ["error_type"], registry=registry
        )


def rejection_reason(exc: HarvestRejected) -> str:
    meaning = {404: "the candidate is not in Greenhouse (deleted or merged)", 422: "Harvest refused the note's body"}
    return f"Harvest answered {exc.status} to the note: {meaning.get(exc.status, 'a request no retry can fix')}"


@dataclass
class WritebackHandler:
    store: NotesStore
    client: NotesClient
    sender: RecordSender
    on_behalf_of: int
    visibility: str
    metrics: WritebackMetrics
    group_id: str = "greenhouse-writeback"

    async def handle(self, records: Sequence[ConsumerRecord]) -> None:
        decoded = [decode_record(record, Recommendation) for record in records]
        self.metrics.consumed.inc(len(records))
        accepted = [d for d in decoded if isinstance(d, Accepted)]
        candidates = await self.store.greenhouse_candidates([(a.event.candidate_id, a.event.role_id) for a in accepted])
        for item in decoded:
            if isinstance(item, DeadLetter):
                await self._dead_letter(item)
            else:
                await self._write(item, candidates.get((item.event.candidate_id, item.event.role_id)))

    async def _write(self, item: Accepted[Recommendation], candidate: int | None) -> None:
        r = item.event
        ids = {"candidate_id": r.candidate_id, "role_id": r.role_id, "version": r.version}
        if candidate is None:
            return self._skipped("not_from_greenhouse", ids)
        note_digest = digest(r)
        async with self.store.pair(r.candidate_id, r.role_id) as pair:
            state = await pair.state()
            if r.version <= state.handled_version:
                return self._skipped("already_handled", ids)
            written = state.written_digest
            if state.pending_digest is not None and state.pending_version is not None:
                found = await self._find(candidate, r.key, state.pending_digest)
                if found is not None:  # posted just before a crash: it counts, once
                    await pair.written(state.pending_version, state.pending_digest, found, "found_after_crash")
                    self.metrics.found.inc()
                    log.info("writeback_note_found_after_crash", note_id=found, **ids)
                    written = state.pending_digest
            if written == note_digest:
                await pair.handled(r.version, "unchanged")
                return self._skipped("unchanged", ids)
            await self._post(item, candidate, note_digest, pair, ids)

    async def _post(
        self, item: Accepted[Recommendation], candidate: int, note_digest: str, pair: PairNotes, ids: dict[str, Any]
    ) -> None:
        r = item.event
        await pair.claim(r.version, note_digest)
        try:
            note_id = await self.client.add_note(
                candidate, note_body(r, note_digest), on_behalf_of=self.on_behalf_of, visibility=self.visibility
            )
        except HarvestRejected as exc:
            await self._dead_letter(DeadLetter(item.record, f"harvest_{exc.status}", rejection_reason(exc)))
            await pair.handled(r.version, "dead_lettered")
            return
        await pair.written(r.version, note_digest, note_id)
        self.metrics.written.inc()
        log.info(
            "writeback_note_written",
            note_id=note_id,
            decision=r.decision.value,
            correlation_id=item.correlation_id,
            **ids,
        )

    async def _find(self, candidate: int, key: str, note_digest: str) -> int | None:
        try:
            notes = await self.client.notes(candidate)
        except HarvestRejected:
            return None  # the candidate is gone: the post will say so
        return next((int(n["id"]) for n in notes if is_note_of(str(n.get("body") or ""), key, note_digest)), None)

    async def refuse(self, letters: Sequence[DeadLetter]) -> None:
        """Records the delivery rule found it cannot handle (a value too large, ...)."""
        for dead in letters:
            await self._dead_letter(dead)

    async def _dead_letter(self, dead: DeadLetter) -> None:
        await self.sender.send_all([dead.to_record(self.group_id)])
        self.metrics.dead_lettered.labels(dead.error_type).inc()
        log.warning("dead_lettered", **dead.log_fields())

    def _skipped(self, reason: str, ids: dict[str, Any]) -> None:
        self.metrics.skipped.labels(reason).inc()
        log.debug("writeback_skipped", reason=reason, **ids)


def create_app(settings: WritebackSettings | None = None) -> AsgiFastStream:
    settings = settings or WritebackSettings()
    configure_logging(settings.log_format, settings.log_level)
    registry = CollectorRegistry()
    metrics = WritebackMetrics(registry)

    @contextlib.asynccontextmanager
    async def running() -> AsyncIterator[WritebackHandler]:
        client = HarvestClient(settings.greenhouse_harvest_url, settings.api_key())
        try:
            async with database_and_producer(settings, "greenhouse-writeback", PostgresNotesStore, log) as (
                store,
                sender,
            ):
                yield WritebackHandler(
                    store,
                    client,
                    sender,
                    settings.on_behalf_of(),
                    settings.greenhouse_note_visibility,
                    metrics,
                    settings.greenhouse_writeback_group_id,
                )
        finally:
            await client.close()

    return service_app(
        name="greenhouse-writeback",
        settings=settings,
        topic=topics.RECOMMENDATION,
        group_id=settings.greenhouse_writeback_group_id,
        registry=registry,
        log=log,
        running=running,
    )


def serve(settings: WritebackSettings | None = None) -> None:
    settings = settings or WritebackSettings()
    run_asgi(create_app(settings), settings.http_host, settings.greenhouse_writeback_http_port)
