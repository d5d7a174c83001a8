"""Where aggregation state lives: the service's repository, and PostgreSQL behind it.

One transaction per batch loads the affected pairs (locking each pair, so two instances
overlapping during a rebalance cannot interleave on one pair), then saves the changed
interviews, the new recommendations and their outbox rows together. The outbox relay
publishes rows after commit and deletes them once the broker has acknowledged them: a
crash between the commit and the produce leaves the rows for the next relay run.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncpg
import msgspec

from schemas import wire
from schemas.events import InterviewRetracted
from schemas.scales import Competency, Rating
from services.aggregation.calibration import Said
from services.aggregation.decision import Entry, Published, covers
from services.runtime.kafka import OutgoingRecord, RecordSender
from services.runtime.migrations import PostgresStore

SCHEMA = "aggregation"
MIGRATIONS = Path(__file__).parent / "migrations"
OUTBOX_BATCH = 1000

PairKey = tuple[str, str]
"""(candidate_id, role_id)"""


@dataclass
class PairState:
    interviews: dict[str, Entry] = field(default_factory=dict)
    published: Published | None = None


@dataclass(frozen=True)
class NewRecommendation:
    recommendation: wire.Recommendation
    fingerprint: str
    record: OutgoingRecord
    source: tuple[str, int, int] = ("", -1, -1)
    """topic, partition, offset of the record that triggered it (for the logs)."""


class PairStates(Protocol):
    async def load(self, keys: Sequence[PairKey], *, lock: bool = True) -> dict[PairKey, PairState]:
        """The pairs' state; `lock` takes a per-pair lock for the transaction (a rebuild,
        which holds the whole table, does without: it may load every pair there is)."""

    async def save(
        self,
        interviews: Sequence[Entry],
        recommendations: Sequence[NewRecommendation],
        payloads: Sequence[bytes | None] | None = None,
    ) -> list[int]:
        """Store the changed interviews, and the recommendations with their outbox rows; return
        the outbox rows' ids, in the recommendations' order. `payloads`, beside `interviews`: the
        JSON an interview was consumed as (`Accepted.payload`), stored as it is; None (or none
        given): the interview's JSON is written from the event."""

    async def clear_interviews(self) -> None:
        """Forget every counted interview (a rebuild replays them); published versions stay."""


class AggregationStore(Protocol):
    def transaction(self) -> contextlib.AbstractAsyncContextManager[PairStates]:
        """Everything loaded and saved through it commits together, or not at all."""

    async def publish_outbox(self, sender: RecordSender, fresh: Sequence[tuple[int, OutgoingRecord]] = ()) -> int:
        """Publish pending outbox rows in order; return how many were published. `fresh`: rows
        just committed, with their records: when nothing older waits, they go from memory
        instead of being read back."""

    async def assessments(self, role_id: str | None = None) -> list[Said]:
        """The covered assessments of every counted interview (of one role), for calibration."""

    async def ping(self) -> None: ...


class PostgresAggregationStore(PostgresStore):
    schema = SCHEMA
    migrations = MIGRATIONS

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[PairStates]:
        async with self.pool.acquire() as conn, conn.transaction():
            yield _PostgresPairStates(conn)

    async def publish_outbox(self, sender: RecordSender, fresh: Sequence[tuple[int, OutgoingRecord]] = ()) -> int:
        """One relay at a time (an advisory lock), so rows (and a pair's versions) go out in id
        order. The rows a batch just committed (`fresh`) are sent from memory when no older row
        waits: those still in the table are deleted and sent in one transaction (a row another
        relay took meanwhile is gone, so nothing goes twice); otherwise, or after them, the
        table is read in id order."""
        if fresh:
            ordered = sorted(fresh, key=lambda row: row[0])
            async with self.pool.acquire() as conn, conn.transaction():
                # One round trip: the lock, whether an older row waits, and (when it is ours and none
                # does) the delete. The lock and the check are evaluated before the delete looks at
                # a row; a row another relay deleted meanwhile is skipped by the delete, not returned.
                locked, older, present = await conn.fetchrow(
                    """
                    WITH relay AS (SELECT pg_try_advisory_xact_lock(hashtext('aggregation.outbox')) AS locked),
                         waiting AS (SELECT EXISTS (SELECT 1 FROM aggregation.outbox WHERE id < $1) AS older),
                         taken AS (
                             DELETE FROM aggregation.outbox
                              WHERE id = ANY($2::bigint[])
                                AND (SELECT locked FROM relay) AND NOT (SELECT older FROM waiting)
                             RETURNING id
                         )
                    SELECT (SELECT locked FROM relay), (SELECT older FROM waiting), ARRAY(SELECT id FROM taken)
                    """,
                    ordered[0][0],
                    [row[0] for row in ordered],
                )
                if not locked:
                    return 0  # the relay holds it: it publishes these rows too
                if not older:
                    taken = set(present)
                    mine = [record for row_id, record in ordered if row_id in taken]
                    await sender.send_all(mine)  # an error rolls the delete back: the relay retries
                    return len(mine)
        return await self._relay(sender)

    async def _relay(self, sender: RecordSender) -> int:
        published = 0
        while True:
            async with self.pool.acquire() as conn, conn.transaction():
                # One relay at a time, so rows (and a pair's versions) go out in id order.
                if not await conn.fetchval("SELECT pg_try_advisory_xact_lock(hashtext('aggregation.outbox'))"):
                    return published
                rows = await conn.fetch(
                    "SELECT id, topic, record_key, value, headers FROM aggregation.outbox ORDER BY id LIMIT $1",
                    OUTBOX_BATCH,
                )
                if not rows:
                    return published
                await sender.send_all(
                    [
                        OutgoingRecord(
                            r["topic"],
                            r["record_key"],
                            r["value"],
                            [(k, v.encode()) for k, v in json.loads(r["headers"])],
                        )
                        for r in rows
                    ]
                )
                await conn.execute(
                    "DELETE FROM aggregation.outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows]
                )
            published += len(rows)
            if len(rows) < OUTBOX_BATCH:
                return published

    async def assessments(self, role_id: str | None = None) -> list[Said]:
        """Every covered assessment of the counted (latest, not retracted) interviews, as
        calibration reads them: from the few fields stored beside each payload for it (`said`,
        migration 0004), or from the payload itself for a row stored without them."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                """
                SELECT i.candidate_id, i.role_id, i.interview_id, i.interviewer_id,
                       s->>0 AS competency, (s->>1)::float8 AS score, s->>2 AS rating
                  FROM aggregation.interviews i
                 CROSS JOIN LATERAL jsonb_array_elements(i.said) s
                 WHERE NOT i.retracted AND i.said IS NOT NULL AND ($1::text IS NULL OR i.role_id = $1)
                UNION ALL
                SELECT i.candidate_id, i.role_id, i.interview_id, p.doc->>'interviewer_id',
                       s->>'competency', (s->>'score')::float8, s->>'rating'
                  FROM aggregation.interviews i
                 CROSS JOIN LATERAL (SELECT i.payload::jsonb AS doc) p
                 CROSS JOIN LATERAL jsonb_array_elements(p.doc->'scores') s
                 WHERE NOT i.retracted AND i.said IS NULL AND ($1::text IS NULL OR i.role_id = $1)
                   AND NOT (s->'rating' = 'null'::jsonb AND s->'supported_by_notes' = 'false'::jsonb)
                """,
                role_id,
            )
        competencies = {c.value: c for c in Competency}  # a lookup, where calling the enum is a search
        ratings = {r.value: r for r in Rating}
        strong_no = Rating.DEFINITELY_NOT
        return [
            Said(
                r["candidate_id"],
                r["role_id"],
                r["interview_id"],
                r["interviewer_id"],
                competencies[r["competency"]],
                strong_no.score if r["rating"] == strong_no.value else r["score"],
                ratings[r["rating"]] if r["rating"] else None,
            )
            for r in rows
        ]

    async def pending_outbox(self) -> int:
        async with self.pool.acquire() as conn:
            return await conn.fetchval("SELECT count(*) FROM aggregation.outbox")


class _PostgresPairStates:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def clear_interviews(self) -> None:
        await self.conn.execute("LOCK TABLE aggregation.interviews IN EXCLUSIVE MODE")
        await self.conn.execute("DELETE FROM aggregation.interviews")

    async def load(self, keys: Sequence[PairKey], *, lock: bool = True) -> dict[PairKey, PairState]:
        ordered = sorted(set(keys))
        candidates, roles = [k[0] for k in ordered], [k[1] for k in ordered]
        # Sorted order: two transactions locking overlapping pairs cannot deadlock.
        if lock:
            await self.conn.execute(
                "SELECT pg_advisory_xact_lock(hashtext(c || ':' || r)) FROM unnest($1::text[], $2::text[]) AS k(c, r)",
                candidates,
                roles,
            )
        states: dict[PairKey, PairState] = {key: PairState() for key in ordered}
        # The pairs' interviews and what was last published for them, in one round trip (a row
        # with a payload is an interview, one without is the pair's last recommendation).
        for row in await self.conn.fetch(
            """
            SELECT i.candidate_id, i.role_id, i.retracted, i.payload, NULL::integer AS version, NULL AS fingerprint
              FROM aggregation.interviews i
              JOIN unnest($1::text[], $2::text[]) AS k(c, r) ON i.candidate_id = k.c AND i.role_id = k.r
            UNION ALL
            SELECT x.candidate_id, x.role_id, NULL, NULL, x.version, x.fingerprint
              FROM aggregation.recommendations x
              JOIN unnest($1::text[], $2::text[]) AS k(c, r) ON x.candidate_id = k.c AND x.role_id = k.r
            """,
            candidates,
            roles,
        ):
            state = states[(row["candidate_id"], row["role_id"])]
            if row["payload"] is None:
                state.published = Published(row["version"], row["fingerprint"])
                continue
            event: Entry = (
                InterviewRetracted.model_validate_json(row["payload"])
                if row["retracted"]
                else wire.read(wire.InterviewScored, row["payload"])
            )
            state.interviews[event.interview_id] = event
        return states

    async def save(
        self,
        interviews: Sequence[Entry],
        recommendations: Sequence[NewRecommendation],
        payloads: Sequence[bytes | None] | None = None,
    ) -> list[int]:
        """One statement whatever the batch size: each table's rows go in as arrays (`unnest`)
        instead of one execution per row (which halves the database's CPU per event), the three
        tables in one round trip. Beside each interview's payload go what calibration reads of it
        (`_said`). Keys are unique within a batch (one entry per changed interview,
        one recommendation per pair), as ON CONFLICT DO UPDATE requires. Each recommendation's JSON
        goes to the database once ($13), as the stored record and as the outbox row's value (its
        UTF-8 bytes)."""
        if not interviews and not recommendations:
            return []
        interview_columns = _columns(
            [
                (
                    e.candidate_id,
                    e.role_id,
                    e.interview_id,
                    getattr(e, "revision", None),
                    e.event_id,
                    isinstance(e, InterviewRetracted),
                    _payload(e, stored),
                    getattr(e, "interviewer_id", None),
                    _said(e),
                )
                for e, stored in zip(interviews, payloads or [None] * len(interviews), strict=True)
            ],
            9,
        )
        rows = await self.conn.fetch(
            """
            WITH interviews AS (
                INSERT INTO aggregation.interviews
                       (candidate_id, role_id, interview_id, revision, scored_event_id, retracted, payload,
                        interviewer_id, said)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::boolean[],
                                     $7::text[], $18::text[], $19::jsonb[])
                ON CONFLICT (candidate_id, role_id, interview_id) DO UPDATE
                   SET revision = EXCLUDED.revision, scored_event_id = EXCLUDED.scored_event_id,
                       retracted = EXCLUDED.retracted, payload = EXCLUDED.payload, updated_at = now(),
                       interviewer_id = EXCLUDED.interviewer_id, said = EXCLUDED.said
            ), stored AS (
                INSERT INTO aggregation.recommendations
                       (candidate_id, role_id, version, fingerprint, decision, payload, issued_at)
                SELECT * FROM unnest($8::text[], $9::text[], $10::integer[], $11::text[], $12::text[], $13::text[], $14::timestamptz[])
                ON CONFLICT (candidate_id, role_id) DO UPDATE
                   SET version = EXCLUDED.version, fingerprint = EXCLUDED.fingerprint, decision = EXCLUDED.decision,
                       payload = EXCLUDED.payload, issued_at = EXCLUDED.issued_at
            )
            INSERT INTO aggregation.outbox (topic, record_key, value, headers)
            SELECT topic, record_key, convert_to(payload, 'UTF8'), headers::jsonb
              FROM unnest($15::text[], $16::bytea[], $13::text[], $17::text[]) WITH ORDINALITY
                   AS r(topic, record_key, payload, headers, position)
             ORDER BY position
            RETURNING id, record_key
            """,
            *interview_columns[:7],
            *_columns(
                [
                    (
                        n.recommendation.candidate_id,
                        n.recommendation.role_id,
                        n.recommendation.version,
                        n.fingerprint,
                        n.recommendation.decision.value,
                        (n.record.value or b"").decode(),
                        n.recommendation.issued_at,
                        n.record.topic,
                        n.record.key,
                        msgspec.json.encode([[k, v.decode()] for k, v in n.record.headers]).decode(),
                    )
                    for n in recommendations
                ],
                10,
            ),
            *interview_columns[7:],
        )
        ids = {r["record_key"]: r["id"] for r in rows}  # one recommendation per pair (key) in a batch
        return [ids[n.record.key] for n in recommendations]


def _payload(event: Entry, consumed: bytes | None) -> str:
    """An interview's stored JSON: as it was consumed when the fast codec read it as it is (it
    reads back as the same event, and the database parses the same values from it), so the
    event is not encoded again; else written from the event."""
    if consumed is not None:
        return consumed.decode()
    return event.model_dump_json() if isinstance(event, InterviewRetracted) else wire.encode(event).decode()


def _said(event: Entry) -> str | None:
    """What calibration reads of an interview (`assessments`): its covered assessments as
    `[competency, score, rating]`, as JSON; None for a retraction (it counts nothing)."""
    if isinstance(event, InterviewRetracted):
        return None
    return _SAID.encode([(s.competency, s.score, s.rating) for s in event.scores if covers(s)]).decode()


_SAID = msgspec.json.Encoder()


def _columns(rows: list[tuple], width: int) -> list[list]:  # type: ignore[type-arg]
    """Rows to one list per column, as `unnest($1::t[], ...)` takes them."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
