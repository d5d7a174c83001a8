"""The write-back's state in the adapter's schema (`greenhouse`): which note each pair has.

`greenhouse_candidates` is the way back from the pipeline's ids to Greenhouse: the pairs
the adapter published scorecards for (`greenhouse.scorecards`, written at ingest). A pair
is handled under a session advisory lock, so two writers overlapping in a rebalance never
post for the same pair at once; the lock goes with the connection if the process dies.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from services.greenhouse.store import PostgresGreenhouseStore


@dataclass(frozen=True)
class NoteState:
    handled_version: int = 0
    written_digest: str | None = None
    note_id: int | None = None
    pending_version: int | None = None
    pending_digest: str | None = None


class PairNotes(Protocol):
    """One pair's note state, under the pair's lock. Each call commits on its own."""

    async def state(self) -> NoteState: ...

    async def claim(self, version: int, digest: str) -> None:
        """About to post: remembered before the request leaves."""

    async def written(self, version: int, digest: str, note_id: int, outcome: str = "written") -> None: ...

    async def handled(self, version: int, outcome: str) -> None:
        """Done without a note (unchanged, dead_lettered); a claim is dropped."""


class NotesStore(Protocol):
    async def greenhouse_candidates(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Greenhouse's candidate id of each pair the adapter ingested; other pairs are absent."""

    def pair(self, candidate_id: str, role_id: str) -> contextlib.AbstractAsyncContextManager[PairNotes]: ...

    async def ping(self) -> None: ...


class PostgresNotesStore(PostgresGreenhouseStore):
    async def greenhouse_candidates(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        wanted = sorted(set(pairs))
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                """
                SELECT DISTINCT s.candidate_id, s.role_id FROM greenhouse.scorecards s
                  JOIN unnest($1::text[], $2::text[]) AS k(c, r) ON s.candidate_id = k.c AND s.role_id = k.r
                """,
                [c for c, _ in wanted],
                [r for _, r in wanted],
            )
        # The adapter publishes Greenhouse's candidate id as the candidate_id (mapping.to_event).
        return {(r["candidate_id"], r["role_id"]): int(r["candidate_id"]) for r in rows if r["candidate_id"].isdigit()}

    @contextlib.asynccontextmanager
    async def pair(self, candidate_id: str, role_id: str) -> AsyncIterator[PairNotes]:
        lock = f"greenhouse.decision_notes:{candidate_id}:{role_id}"
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtext($1))", lock)
            try:
                yield _PostgresPairNotes(conn, candidate_id, role_id)
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock)


class _PostgresPairNotes:
    def __init__(self, conn: asyncpg.Connection, candidate_id: str, role_id: str) -> None:
        self.conn = conn
        self.key = (candidate_id, role_id)

    async def state(self) -> NoteState:
        row = await self.conn.fetchrow(
            "SELECT handled_version, written_digest, note_id, pending_version, pending_digest"
            " FROM greenhouse.decision_notes WHERE candidate_id = $1 AND role_id = $2",
            *self.key,
        )
        return NoteState(**dict(row)) if row else NoteState()

    async def claim(self, version: int, digest: str) -> None:
        await self.conn.execute(
            """
            INSERT INTO greenhouse.decision_notes (candidate_id, role_id, pending_version, pending_digest)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (candidate_id, role_id) DO UPDATE
               SET pending_version = EXCLUDED.pending_version, pending_digest = EXCLUDED.pending_digest,
                   updated_at = now()
            """,
            *self.key,
            version,
            digest,
        )

    async def written(self, version: int, digest: str, note_id: int, outcome: str = "written") -> None:
        async with self.conn.transaction():
            await self.conn.execute(
                """
                INSERT INTO greenhouse.decision_notes AS n
                       (candidate_id, role_id, handled_version, written_digest, note_id)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (candidate_id, role_id) DO UPDATE
                   SET handled_version = GREATEST(n.handled_version, EXCLUDED.handled_version),
                       written_digest = EXCLUDED.written_digest, note_id = EXCLUDED.note_id,
                       pending_version = NULL, pending_digest = NULL, updated_at = now()
                """,
                *self.key,
                version,
                digest,
                note_id,
            )
            await self._log(version, outcome, note_id)

    async def handled(self, version: int, outcome: str) -> None:
        async with self.conn.transaction():
            await self.conn.execute(
                """
                INSERT INTO greenhouse.decision_notes AS n (candidate_id, role_id, handled_version)
                VALUES ($1, $2, $3)
                ON CONFLICT (candidate_id, role_id) DO UPDATE
                   SET handled_version = GREATEST(n.handled_version, EXCLUDED.handled_version),
                       pending_version = NULL, pending_digest = NULL, updated_at = now()
                """,
                *self.key,
                version,
            )
            await self._log(version, outcome, None)

    async def _log(self, version: int, outcome: str, note_id: int | None) -> None:
        await self.conn.execute(
            "INSERT INTO greenhouse.decision_note_log (candidate_id, role_id, version, outcome, note_id)"
            " VALUES ($1, $2, $3, $4, $5)",
            *self.key,
            version,
            outcome,
            note_id,
        )
