"""The loop rules and the recruiter's `explain` against the real broker and database.

The four loops of issue #16 go through both running services; the recommendations on the
topic must be the decisions a committee would sign, the same as the dry run's, and
`hiring-pipeline explain` must show their records as a recruiter reads them.
"""

import json
import uuid

import pytest

from hiring_pipeline.tools.dry_run import recommend
from schemas import topics
from schemas.events import Recommendation
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.settings import AggregationSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.e2e.cli import run
from tests.factories import STRONG_NOTES, interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]
SECRETS = "Committed API keys to git in a side project, and stores passwords in plain text."


def loops(run_id: str) -> dict[str, list]:
    """candidate id -> the loop of one of the issue's examples."""
    veto, solo, override, strong = (f"{name}-{run_id}" for name in ("veto", "solo", "override", "strong"))
    return {
        veto: [
            *[
                interview(
                    candidate_id=veto,
                    interview_id=f"{veto}-{i}",
                    ratings={c: "yes" for c in ALL},
                    notes=STRONG_NOTES,
                    overall="yes",
                )
                for i in range(4)
            ],
            interview(
                candidate_id=veto,
                interview_id=f"{veto}-sec",
                interviewer_id="intv-sec",
                ratings={"security": "definitely_not"},
                overall="no",
            ),
        ],
        solo: [interview(candidate_id=solo, interviewer_id="intv-solo", ratings={c: "strong_yes" for c in ALL})],
        override: [
            interview(
                candidate_id=override,
                interview_id=f"{override}-design",
                interviewer_id="intv-ana",
                overall="yes",
                ratings={"api_design": "yes", "databases": "yes", "concurrency": "yes"},
            ),
            interview(
                candidate_id=override,
                interview_id=f"{override}-ops",
                interviewer_id="intv-raj",
                overall="yes",
                ratings={"reliability_observability": "yes", "security": "strong_yes"},
                notes={"security": SECRETS},
            ),
        ],
        strong: [
            interview(candidate_id=strong, ratings={c: "strong_yes" for c in ALL}, notes=STRONG_NOTES) for _ in range(2)
        ],
    }


async def test_the_issues_loops_are_decided_as_a_committee_would_and_explain_shows_their_records(stack):
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    run_id = uuid.uuid4().hex[:8]
    by_candidate = loops(run_id)
    events = [e for loop in by_candidate.values() for e in loop]
    keys = [f"{c}:backend-engineer".encode() for c in by_candidate]
    expected = {r.candidate_id: r for r in recommend(events, load_rubric(), load_roles())}
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)

    def settled(got) -> bool:
        latest = {}
        for r in got:
            rec = Recommendation.model_validate_json(r.value)
            latest[rec.candidate_id] = rec
        return len(latest) == len(by_candidate) and all(
            len(latest[c].interviews) == len(expected[c].interviews) for c in by_candidate
        )

    async with (
        running(scoring_app(ScoringSettings(**addresses))),
        running(aggregation_app(AggregationSettings(**addresses))),
    ):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(e.key.encode(), e.model_dump_json().encode()) for e in events],
        )
        got = await read_until(
            stack.kafka_bootstrap_servers, topics.RECOMMENDATION, settled, keep=keys_in(keys), since=since, timeout=60
        )
    latest: dict[str, Recommendation] = {}
    for record in got:
        rec = Recommendation.model_validate_json(record.value)
        latest[rec.candidate_id] = rec

    decisions = {c.split("-")[0]: latest[c].decision for c in by_candidate}
    assert decisions == {
        "veto": Decision.NO_HIRE,
        "solo": Decision.INSUFFICIENT_EVIDENCE,
        "override": Decision.NO_HIRE,
        "strong": Decision.STRONG_HIRE,
    }
    for candidate, rec in latest.items():  # the services decide exactly as the dry run does
        assert rec.model_dump(exclude={"event_id", "issued_at", "version"}) == expected[candidate].model_dump(
            exclude={"event_id", "issued_at", "version"}
        )

    override = f"override-{run_id}"
    shown = run("explain", override, "backend-engineer", env={"COLUMNS": "100"})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"{override} for backend-engineer: no_hire (score {latest[override].score:.2f})"
    assert max(len(line) for line in lines) <= 100
    flat = " ".join(shown.stdout.split())
    assert "intv-raj rated security strong_yes; the notes describe committed secrets" in flat
    assert "capped at 2.00" in flat and "Committed API keys to git" in flat
    assert "computed no_hire against 2 of 2 overall votes for yes" in flat
    assert "intv-ana: yes" in flat and "intv-raj: yes" in flat

    as_json = run("explain", override, "backend-engineer", "--json")
    assert as_json.returncode == 0
    assert Recommendation.model_validate(json.loads(as_json.stdout)) == latest[override]

    solo = run("explain", f"solo-{run_id}", "backend-engineer")
    assert "insufficient_evidence (partial score 4.00)" in solo.stdout
    assert "more distinct interviewers needed: 1" in solo.stdout

    unknown = run("explain", f"nobody-{run_id}", "backend-engineer")
    assert unknown.returncode == 1 and "no recommendation" in unknown.stderr
