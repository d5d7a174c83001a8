"""The main job and the everyday tools, run as a user runs them."""

import json
import re
import uuid

import pytest

from hiring_pipeline.devstack.demo import SAMPLE
from hiring_pipeline.tools.dry_run import recommend
from hiring_pipeline.tools.publish import read_events
from schemas import topics
from schemas.events import Recommendation
from schemas.rubric import load_roles, load_rubric
from tests.e2e.cli import run
from tests.factories import interview
from tests.kafka_io import end_offsets, keys_in, read_until

pytestmark = pytest.mark.integration


def test_the_demo_prints_the_decision_of_every_pair_in_the_sample(stack):
    expected = recommend(read_events(SAMPLE), load_rubric(), load_roles())
    result = run("demo", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {
        (m.group(1), m.group(2)): m.group(3)
        for m in re.finditer(r"│ (cand-\S+)\s+│ (\S+)\s+│ (\S+)\s+│", result.stdout)
    }
    assert rows == {(r.candidate_id, r.role_id): r.decision.value for r in expected}
    assert {"strong_hire", "hire", "no_hire", "strong_no_hire", "insufficient_evidence"} == set(rows.values())


def test_the_sample_has_an_edit_a_duplicate_an_incomplete_loop_and_a_security_red_flag():
    events = read_events(SAMPLE)
    assert any(e.revision > 1 for e in events)
    assert len({e.event_id for e in events}) < len(events)
    decisions = {r.decision.value: r for r in recommend(events, load_rubric(), load_roles())}
    assert "insufficient_evidence" in decisions
    assert any(f.competency.value == "security" for f in decisions["no_hire"].red_flags)


def test_recommend_prints_one_final_recommendation_per_pair_ordered_by_key():
    result = run("recommend", stdin=SAMPLE.read_text())
    assert result.returncode == 0, result.stderr
    printed = [Recommendation.model_validate_json(line) for line in result.stdout.splitlines()]
    assert [r.key for r in printed] == sorted({e.key for e in read_events(SAMPLE)})
    edited = next(r for r in printed if r.candidate_id == "cand-1002")
    assert ("int-1002-design", 2) in {(i.interview_id, i.revision) for i in edited.interviews}


def test_recommend_refuses_an_invalid_line_with_exit_code_2_and_its_number():
    lines = SAMPLE.read_text().splitlines()
    lines.insert(2, json.dumps({"event_id": "nope"}))
    result = run("recommend", stdin="\n".join(lines))
    assert result.returncode == 2
    assert result.stderr.startswith("line 3: invalid InterviewCompleted:")


async def test_publish_validates_the_whole_file_before_sending_anything(stack, tmp_path):
    good = interview(candidate_id=f"cand-{uuid.uuid4().hex[:8]}")
    path = tmp_path / "loop.jsonl"
    path.write_text(good.model_dump_json() + "\n" + '{"revision": 0}\n')
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)
    refused = run("publish", str(path))
    assert refused.returncode == 2
    assert "line 2:" in refused.stderr and "nothing was sent" in refused.stderr
    path.write_text(good.model_dump_json() + "\n")
    published = run("publish", str(path), "--json")
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout) == {
        "published": 1,
        "topic": topics.INTERVIEW_COMPLETED,
        "file": str(path),
    }
    sent = await read_until(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        lambda got: len(got) >= 2,
        keep=keys_in([good.key.encode()]),
        since=since,
        timeout=3,
    )
    assert len(sent) == 1  # only the second, valid file was sent
    assert dict(sent[0].headers)["correlation_id"] == str(good.event_id).encode()
