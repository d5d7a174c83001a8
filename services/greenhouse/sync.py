"""`hiring-pipeline ats greenhouse sync`: poll Harvest for scorecards, publish what is new.

One poll: every scorecard updated since the high-water mark (minus an overlap), page by
page; per page, the versions not published before are mapped and sent (waiting for the
broker's acknowledgements), then recorded. Scheduled interviews are read the same way,
to remember which scorecards an `interview_deleted` webhook retracts. Only when the
whole poll has completed does the high-water mark move, to the poll's start.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from pydantic import ValidationError

from schemas import topics
from services.greenhouse.harvest import HarvestClient
from services.greenhouse.mapping import GreenhouseMapping, HarvestScorecard, Skipped, to_event
from services.greenhouse.metrics import GreenhouseMetrics
from services.greenhouse.store import GreenhouseStore, PublishedScorecard
from services.runtime.http import NotReady
from services.runtime.kafka import RecordSender, event_record

log = structlog.get_logger(service="greenhouse")


@dataclass
class SyncReport:
    fetched: int = 0
    published: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items())) or "none"
        return (
            f"{self.fetched} scorecards fetched: {self.published} published, "
            f"{self.unchanged} unchanged, skipped: {skipped}"
        )


async def sync_once(
    client: HarvestClient,
    store: GreenhouseStore,
    sender: RecordSender,
    mapping: GreenhouseMapping,
    clock: Callable[[], datetime],
    overlap: timedelta,
    since: datetime | None = None,
    on_page: Callable[[SyncReport], None] = lambda report: None,
) -> SyncReport:
    """One poll. `since` overrides the stored high-water mark (to re-read after a mapping change).
    `on_page` sees the report so far after each page of scorecards (a backfill's progress)."""
    started = clock()
    mark = since if since is not None else await store.high_water_mark()
    report = SyncReport()
    async for page in client.scorecards(mark):
        await _publish_page(page, client, store, sender, mapping, report)
        on_page(report)
    async for page in client.scheduled_interviews(mark):
        await store.remember_interview_scorecards(
            (int(interview["id"]), int(person["scorecard_id"]))
            for interview in page
            for person in interview.get("interviewers") or []
            if person.get("scorecard_id")
        )
    await store.set_high_water_mark(started - overlap)
    log.info(
        "greenhouse_sync_done",
        fetched=report.fetched,
        published=report.published,
        unchanged=report.unchanged,
        skipped=dict(report.skipped),
        requests=client.requests,
        rate_limited=client.rate_limited,
    )
    return report


async def _publish_page(
    page: list[dict[str, Any]],
    client: HarvestClient,
    store: GreenhouseStore,
    sender: RecordSender,
    mapping: GreenhouseMapping,
    report: SyncReport,
) -> None:
    report.fetched += len(page)
    scorecards = []
    for raw in page:
        try:
            scorecards.append(HarvestScorecard.model_validate(raw))
        except ValidationError:
            report.skipped["invalid_scorecard"] += 1
            log.warning("greenhouse_scorecard_skipped", scorecard_id=raw.get("id"), reason="invalid_scorecard")
    known = await store.published_versions([s.id for s in scorecards])
    fresh = [s for s in scorecards if s.id not in known or known[s.id] < s.updated_at]
    report.unchanged += len(scorecards) - len(fresh)
    jobs = await _jobs(client, store, {s.application_id for s in fresh})
    events, published = [], []
    for scorecard in fresh:
        outcome = to_event(scorecard, jobs.get(scorecard.application_id), mapping)
        if isinstance(outcome, Skipped):
            report.skipped[outcome.reason] += 1
            log.info("greenhouse_scorecard_skipped", scorecard_id=scorecard.id, reason=outcome.reason)
            continue
        events.append(outcome)
        published.append(
            PublishedScorecard(
                scorecard.id, scorecard.updated_at, outcome.event_id, outcome.candidate_id, outcome.role_id
            )
        )
    await sender.send_all([event_record(topics.INTERVIEW_COMPLETED, e) for e in events])
    await store.record_published(published)
    report.published += len(events)


async def _jobs(client: HarvestClient, store: GreenhouseStore, application_ids: set[int]) -> dict[int, int | None]:
    """Each application's job: from the store, else from Harvest (then remembered)."""
    jobs = await store.jobs_of(sorted(application_ids))
    missing = {a: await client.job_of_application(a) for a in sorted(application_ids - set(jobs))}
    if missing:
        await store.remember_jobs(missing)
    return {**jobs, **missing}


jobs_of_applications = _jobs


@dataclass
class SyncLoop:
    """Polls every `interval`; a failed poll is logged and counted and the next one repeats
    it (the high-water mark did not move). Ready while the last poll completed within
    three intervals (at least ten minutes)."""

    client: HarvestClient
    store: GreenhouseStore
    sender: RecordSender
    mapping: GreenhouseMapping
    clock: Callable[[], datetime]
    overlap: timedelta
    interval_s: float
    metrics: GreenhouseMetrics
    since: datetime | None = None
    on_page: Callable[[SyncReport], None] = lambda report: None
    after_poll: Callable[[], Awaitable[object]] | None = None
    """Run after each complete poll, as part of it (a pass the wiring adds, when configured)."""
    last_success: float | None = None
    _counted: tuple[int, int] = (0, 0)

    async def run(self, *, once: bool = False, on_report: Callable[[SyncReport], None] = lambda r: None) -> None:
        while True:
            try:
                report = await sync_once(
                    self.client,
                    self.store,
                    self.sender,
                    self.mapping,
                    self.clock,
                    self.overlap,
                    self.since,
                    self.on_page,
                )
                if self.after_poll is not None:
                    await self.after_poll()
            except Exception as exc:
                self.metrics.polls.labels("failed").inc()
                if once:
                    raise
                log.error("greenhouse_sync_failed", error=type(exc).__name__, detail=str(exc)[:200])
            else:
                self._observe(report)
                on_report(report)
                self.since = None  # `--since` applies to the first poll only
                if once:
                    return
            await asyncio.sleep(self.interval_s)

    async def ready(self) -> None:
        if self.last_success is None:
            raise NotReady("no poll completed yet")
        age = time.time() - self.last_success
        if age > max(3 * self.interval_s, 600.0):
            raise NotReady(f"last complete poll {age:.0f} s ago")

    def _observe(self, report: SyncReport) -> None:
        self.last_success = time.time()
        requests, rate_limited = self.client.requests, self.client.rate_limited
        self.metrics.observe_poll(
            report, requests - self._counted[0], rate_limited - self._counted[1], self.last_success
        )
        self._counted = (requests, rate_limited)
