"""What leaves the services besides events: logs and HTTP answers carry no personal data or secrets."""

import asyncio
import json
import urllib.request
import uuid

import pytest

from hiring_pipeline.devstack.demo import SAMPLE
from hiring_pipeline.tools.publish import read_events
from schemas import topics
from schemas.events import Recommendation
from tests.kafka_io import keys_in, produce, read_until
from tests.pipeline import Service, publish, settle, wait_ready

pytestmark = pytest.mark.integration
PASSWORD = f"pw-{uuid.uuid4().hex}"


def fetch(port: int, path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
            return response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.read().decode()


async def test_a_full_run_logs_no_notes_text_and_no_secrets_and_endpoints_reveal_no_configuration(stack, tmp_path):
    # Trust authentication ignores the password, so a real-looking secret can ride along.
    secret_url = stack.database_url.replace("hiring@", f"hiring:{PASSWORD}@")
    env = {"DATABASE_URL": secret_url, "KAFKA_SASL_PASSWORD": PASSWORD, "LOG_LEVEL": "DEBUG"}
    services = [Service("scoring", env=env), Service("aggregation", env=env)]
    for service in services:
        service.start(tmp_path)
    # The sample's notes under new ids: the decisions are new in whatever state the stack is.
    run, ids = uuid.uuid4().hex[:6], {}
    events = [
        e.model_copy(
            update={"event_id": ids.setdefault(e.event_id, uuid.uuid4()), "candidate_id": f"{run}-{e.candidate_id}"}
        )
        for e in read_events(SAMPLE)
    ]
    notes = {a.notes for e in events for a in e.assessments if a.notes}
    try:
        await wait_ready(*services)
        await publish(stack.kafka_bootstrap_servers, events)
        # A refused record whose body is notes text: its reason must not quote it.
        leaky = json.dumps({"assessments": [{"competency": "databases", "rating": "yes", "notes": sorted(notes)[0]}]})
        await produce(
            stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(b"cand-1001:backend-engineer", leaky.encode())]
        )
        await settle(stack.kafka_bootstrap_servers, events, timeout=60)
        await asyncio.sleep(0.5)
        answers = {
            f"{s.name}{path}": await asyncio.to_thread(fetch, s.port, path)
            for s in services
            for path in ("/health/live", "/health/ready", "/metrics")
        }
        published = await read_until(
            stack.kafka_bootstrap_servers,
            topics.RECOMMENDATION,
            lambda got: False,
            keep=keys_in([e.key.encode() for e in events]),
            timeout=3,  # from the beginning: an earlier demo's too
        )
    finally:
        for service in services:
            service.stop()
    logs = "".join(s.log.read_text() for s in services)
    # The decision record carries quotes of the notes to recruiters, on the topic only.
    records = [Recommendation.model_validate_json(r.value) for r in published]
    quotes = {
        q.quote for r in records for c in r.competencies for a in c.assessments for q in [*a.quotes, *a.red_flags]
    }
    quotes |= {f.quote for r in records for f in r.red_flags if f.quote}
    assert len(quotes) > 5
    for quote in quotes:
        assert quote not in logs
    for sentence in {o for r in records for o in [*r.overrides, *r.reasons, *r.debrief_reasons]}:
        assert sentence not in logs
    assert "interview_scored" in logs and "recommendation_issued" in logs and "dead_lettered" in logs
    assert "\x1b[" not in logs  # no colour codes in JSON logs
    for line in logs.splitlines():
        entry = json.loads(line)  # every line is one JSON object, the libraries' lines too
        assert {"event", "level", "timestamp"} <= entry.keys(), line
    for text in notes:
        for fragment in (text[:40], text[-40:]):
            assert fragment not in logs
    for secret in (PASSWORD, secret_url):
        assert secret not in logs
        assert all(secret not in answer for answer in answers.values())
    for service in services:
        metrics = answers[f"{service.name}/metrics"]
        assert "process_resident_memory_bytes" in metrics and "process_cpu_seconds_total" in metrics
        assert f'kafka_consumer_lag{{group="{service.name}",partition="0"' in metrics  # per partition
    for answer in answers.values():
        assert stack.kafka_bootstrap_servers not in answer and "postgresql://" not in answer
