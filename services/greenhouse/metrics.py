"""The Greenhouse adapter's Prometheus metrics.

Both processes serve them with the shared health app (`services.runtime.http`): the
webhook beside its endpoint, the sync loop on `GREENHOUSE_SYNC_HTTP_PORT`. Sync is ready
while its last poll succeeded recently; the webhook while its database answers.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge


class GreenhouseMetrics:
    """One registry per process (no global state), so tests can build many."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.fetched = Counter("greenhouse_scorecards_fetched", "Scorecards read from Harvest", registry=registry)
        self.published = Counter("greenhouse_scorecards_published", "Scorecard versions published", registry=registry)
        self.unchanged = Counter(
            "greenhouse_scorecards_unchanged", "Scorecards fetched again, nothing new", registry=registry
        )
        self.skipped = Counter(
            "greenhouse_scorecards_skipped", "Scorecards that map to no event", ["reason"], registry=registry
        )
        self.polls = Counter("greenhouse_sync_polls", "Polls of Harvest", ["outcome"], registry=registry)
        self.last_success = Gauge(
            "greenhouse_sync_last_success_timestamp_seconds", "End of the last complete poll", registry=registry
        )
        self.harvest_requests = Counter("greenhouse_harvest_requests", "Requests sent to Harvest", registry=registry)
        self.rate_limited = Counter("greenhouse_harvest_rate_limited", "429 answers from Harvest", registry=registry)
        self.deliveries = Counter(
            "greenhouse_webhook_deliveries", "Webhook deliveries", ["action", "outcome"], registry=registry
        )
        self.retractions = Counter(
            "greenhouse_retractions_published", "InterviewRetracted events published", registry=registry
        )

    def observe_poll(self, report: Any, requests: int, rate_limited: int, finished_at: float) -> None:
        """Count one complete poll (`report` is a SyncReport; requests and 429s since the last one)."""
        self.polls.labels("ok").inc()
        self.fetched.inc(report.fetched)
        self.published.inc(report.published)
        self.unchanged.inc(report.unchanged)
        for reason, n in report.skipped.items():
            self.skipped.labels(reason).inc(n)
        self.harvest_requests.inc(requests)
        self.rate_limited.inc(rate_limited)
        self.last_success.set(finished_at)
