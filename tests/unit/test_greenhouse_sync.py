"""One poll's rules, with a Harvest-shaped local server and the in-memory store and sender."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest

from schemas import topics
from services.greenhouse.harvest import HarvestClient, HarvestError
from services.greenhouse.mapping import GreenhouseMapping
from services.greenhouse.sync import sync_once
from tests.fakes import InMemoryGreenhouseStore, InMemorySender
from tests.greenhouse import loop
from tests.harvest_server import API_KEY, HarvestServer

MAPPING = GreenhouseMapping.load(Path(__file__).resolve().parents[2] / "samples" / "greenhouse-mapping.toml")
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def no_wait(seconds):
    pass


@pytest.fixture
def harvest():
    with HarvestServer() as server:
        yield server


async def poll(harvest, store, sender, **kwargs):
    client = HarvestClient(harvest.url, API_KEY, per_page=2, attempts=2, sleep=no_wait)
    try:
        return await sync_once(client, store, sender, MAPPING, lambda: START, timedelta(minutes=5), **kwargs)
    finally:
        await client.close()


async def test_a_poll_cut_short_keeps_the_mark_and_the_next_one_publishes_only_the_rest(harvest):
    store, sender = InMemoryGreenhouseStore(), InMemorySender()
    loop(harvest.harvest, candidates=3, per_candidate=1, now=START - timedelta(hours=1))
    harvest.harvest.failing_pages = {2}
    with pytest.raises(HarvestError):
        await poll(harvest, store, sender)
    assert store.mark is None
    assert len(sender.sent) == 2  # page 1 went out and was recorded

    harvest.harvest.failing_pages = set()
    report = await poll(harvest, store, sender)
    assert (report.published, report.unchanged) == (1, 2)
    assert len({r.value for r in sender.on(topics.INTERVIEW_COMPLETED)}) == 3
    assert store.mark == START - timedelta(minutes=5)  # the poll's start, minus the overlap


async def test_since_rereads_older_scorecards_without_publishing_them_again(harvest):
    store, sender = InMemoryGreenhouseStore(), InMemorySender()
    loop(harvest.harvest, candidates=2, per_candidate=1, now=START - timedelta(days=2))
    await poll(harvest, store, sender)
    again = await poll(harvest, store, sender, since=START - timedelta(days=3))
    assert (again.fetched, again.published) == (2, 0)
    last = [unquote(r) for r in harvest.harvest.requests if r.startswith("/v1/scorecards")][-1]
    assert "updated_after=2026-11-22T09:00:00Z" in last


async def test_each_application_is_looked_up_once(harvest):
    store, sender = InMemoryGreenhouseStore(), InMemorySender()
    loop(harvest.harvest, candidates=1, per_candidate=3, now=START)
    await poll(harvest, store, sender)
    assert sum("/v1/applications/" in r for r in harvest.harvest.requests) == 1


async def test_the_loop_is_ready_only_after_a_complete_poll_and_counts_what_it_did(harvest):
    from prometheus_client import CollectorRegistry

    from services.greenhouse.metrics import GreenhouseMetrics
    from services.greenhouse.sync import SyncLoop
    from services.runtime.http import NotReady

    loop(harvest.harvest, candidates=2, per_candidate=1, now=START)
    harvest.harvest.failing_pages = {1}
    client = HarvestClient(harvest.url, API_KEY, per_page=2, attempts=1, sleep=no_wait)
    metrics = GreenhouseMetrics(CollectorRegistry())
    poller = SyncLoop(
        client, InMemoryGreenhouseStore(), InMemorySender(), MAPPING, lambda: START, timedelta(minutes=5), 60.0, metrics
    )
    try:
        with pytest.raises(HarvestError):
            await poller.run(once=True)
        with pytest.raises(NotReady, match="no poll completed yet"):
            await poller.ready()
        harvest.harvest.failing_pages = set()
        await poller.run(once=True)
        await poller.ready()
    finally:
        await client.close()
    sample = metrics.registry.get_sample_value
    assert sample("greenhouse_sync_polls_total", {"outcome": "failed"}) == 1
    assert sample("greenhouse_sync_polls_total", {"outcome": "ok"}) == 1
    assert sample("greenhouse_scorecards_published_total") == 2


async def test_a_backfill_reports_its_progress_after_each_page(harvest):
    store, sender = InMemoryGreenhouseStore(), InMemorySender()
    loop(harvest.harvest, candidates=5, per_candidate=1, now=START - timedelta(days=2))
    seen: list[int] = []
    report = await poll(
        harvest, store, sender, since=START - timedelta(days=3), on_page=lambda r: seen.append(r.fetched)
    )
    assert seen == [2, 4, 5]  # pages of two: the bar moves as each page is published
    assert report.fetched == 5
