import json
import uuid

import pytest
from pydantic import ValidationError

from schemas.events import (
    InterviewCompleted,
    InterviewScored,
    Recommendation,
    describe_validation_error,
)
from schemas.rubric import load_rubric
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, STRONG_NOTES, interview


def _recommendation() -> Recommendation:
    return Recommendation.model_validate(
        {
            "event_id": str(uuid.uuid4()),
            "candidate_id": "cand-1",
            "role_id": "backend-engineer",
            "decision": "hire",
            "score": 3.2,
            "competencies": [{"competency": "databases", "score": 3.2, "weight": 0.25, "interviews": 2}],
            "red_flags": [
                {"competency": "api_design", "signal": "api_design.confuses_status_codes", "interview_id": "i-1"}
            ],
            "interviews": [{"interview_id": "i-1", "revision": 2}],
            "reasons": ["weighted score 3.20 is at or above the hiring bar 2.90"],
            "rubric_version": "2026.11-1",
            "version": 3,
            "issued_at": FIXED_TIME.isoformat(),
        }
    )


@pytest.mark.parametrize(
    "event",
    [
        interview(notes=STRONG_NOTES),
        score_interview(interview(notes=STRONG_NOTES), load_rubric(), FIXED_TIME),
        _recommendation(),
    ],
    ids=["InterviewCompleted", "InterviewScored", "Recommendation"],
)
def test_every_contract_round_trips_through_json_unchanged(event):
    assert type(event).model_validate_json(event.model_dump_json()) == event


def test_the_record_key_is_candidate_and_role():
    assert interview(candidate_id="c-9", role_id="node-backend-engineer").key == "c-9:node-backend-engineer"


def _payload(**changes):
    data = json.loads(interview().model_dump_json())
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"revision": 0}, "revision"),
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"occurred_at": "2026-11-20T14:00:00"}, "occurred_at"),
        ({"schema_version": 2}, "schema_version"),
        ({"assessments": []}, "assessments"),
        ({"assessments": [{"competency": "cooking", "rating": "yes", "notes": ""}]}, "assessments.0.competency"),
        ({"assessments": [{"competency": "databases", "rating": "maybe", "notes": ""}]}, "assessments.0.rating"),
        ({"candidate_id": "a:b"}, "candidate_id"),
        ({"role_id": "astronaut"}, "role_id"),
    ],
)
def test_an_invalid_interview_is_refused_with_an_error_naming_the_field(changes, field):
    with pytest.raises(ValidationError) as caught:
        InterviewCompleted.model_validate_json(_payload(**changes))
    assert describe_validation_error(caught.value).startswith(f"invalid InterviewCompleted: {field}:")


def test_an_unknown_role_is_rejected_and_the_known_roles_are_named():
    with pytest.raises(ValidationError) as caught:
        InterviewCompleted.model_validate_json(_payload(role_id="astronaut"))
    assert "backend-engineer" in describe_validation_error(caught.value)


def test_a_competency_assessed_twice_in_one_interview_is_refused():
    twice = [{"competency": "databases", "rating": "yes", "notes": ""}] * 2
    with pytest.raises(ValidationError, match="at most once"):
        InterviewCompleted.model_validate_json(_payload(assessments=twice))


def test_the_validation_error_line_never_contains_the_input():
    secret_note = "Jane Doe said her password is hunter2"
    with pytest.raises(ValidationError) as caught:
        InterviewCompleted.model_validate_json(
            _payload(assessments=[{"competency": "databases", "rating": "yes", "notes": secret_note * 2000}])
        )
    line = describe_validation_error(caught.value)
    assert "assessments.0.notes" in line and "hunter2" not in line


def test_scored_events_keep_the_interview_key():
    event = interview(candidate_id="c-2", role_id="java-backend-engineer")
    assert score_interview(event, load_rubric(), FIXED_TIME).key == event.key


def test_recommendation_scores_stay_on_the_rating_scale():
    data = json.loads(_recommendation().model_dump_json())
    data["score"] = 4.5
    with pytest.raises(ValidationError, match="score"):
        Recommendation.model_validate(data)


def test_interview_scored_requires_at_least_one_score():
    data = json.loads(score_interview(interview(), load_rubric(), FIXED_TIME).model_dump_json())
    data["scores"] = []
    with pytest.raises(ValidationError, match="scores"):
        InterviewScored.model_validate(data)


def test_the_unit_of_revision_is_said_once_and_the_greenhouse_adapter_writes_what_it_says():
    """The field is an ordering number; the adapter's milliseconds are what the contract names."""
    import json
    from datetime import UTC, datetime
    from pathlib import Path

    from schemas.events import REVISION
    from services.greenhouse.mapping import revision

    assert "ordering number" in REVISION and "milliseconds" in REVISION and "seconds (" not in REVISION
    assert revision(datetime(2026, 11, 20, 14, 0, 0, 250_000, tzinfo=UTC)) == 1795183200250
    root = Path(__file__).resolve().parents[2]
    for name in ("InterviewCompleted", "InterviewScored"):
        schema = json.loads((root / "schemas" / "jsonschema" / f"{name}.json").read_text())
        assert schema["properties"]["revision"]["description"] == REVISION
    assert "timestamp in seconds" not in (root / "docs" / "asyncapi.json").read_text()
    assert "timestamp in seconds" not in (root / "README.md").read_text()
