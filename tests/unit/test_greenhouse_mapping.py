"""Greenhouse scorecards to InterviewCompleted events: the pure mapping."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from schemas.scales import Competency, Rating
from services.greenhouse.mapping import (
    GreenhouseMapping,
    HarvestScorecard,
    Skipped,
    combined_rating,
    plain_text,
    to_event,
)
from tests.harvest_server import scorecard

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "greenhouse-mapping.toml"
MAPPING = GreenhouseMapping.load(SAMPLE)
JOB = 4011001
EDITED = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)

RATINGS = {
    "API Design": "strong_yes",
    "Data Modeling": "yes",
    "SQL": "mixed",
    "Concurrency": "no_decision",
    "Operability": "yes",
    "Security Mindset": "definitely_not",
    "Culture Add": "yes",
}


def card(**overrides):
    defaults = dict(candidate_id=1234, application_id=3456, updated_at=EDITED, ratings=RATINGS)
    return HarvestScorecard.model_validate(scorecard(77, **{**defaults, **overrides}))


def assessments(event):
    return {a.competency: a for a in event.assessments}


def test_the_sample_mapping_file_loads_and_names_real_roles_and_competencies():
    assert MAPPING.jobs[JOB] == "backend-engineer"
    assert MAPPING.attributes["SQL"] == Competency.DATABASES


def test_a_scorecard_becomes_an_interview_of_the_mapped_role_with_ids_only():
    event = to_event(card(), JOB, MAPPING)
    assert (event.interview_id, event.candidate_id, event.role_id, event.interviewer_id) == (
        "greenhouse-scorecard-77",
        "1234",
        "backend-engineer",
        "821",
    )
    assert event.overall_recommendation == Rating.YES
    body = event.model_dump_json()
    assert "Robert" not in body and "Jane" not in body and "salary" not in body


def test_ratings_map_one_to_one_and_no_decision_without_notes_is_no_assessment():
    found = assessments(to_event(card(), JOB, MAPPING))
    assert found[Competency.API_DESIGN].rating == Rating.STRONG_YES
    assert found[Competency.SECURITY].rating == Rating.DEFINITELY_NOT
    assert Competency.CONCURRENCY not in found


def test_no_decision_with_a_note_keeps_the_note_without_a_rating():
    event = to_event(card(notes={"Concurrency": "Could not explain a race condition."}), JOB, MAPPING)
    assert assessments(event)[Competency.CONCURRENCY].rating is None
    assert assessments(event)[Competency.CONCURRENCY].notes == "Could not explain a race condition."


def test_two_attributes_of_one_competency_average_down_to_a_rating():
    assert assessments(to_event(card(), JOB, MAPPING))[Competency.DATABASES].rating == Rating.MIXED  # yes + mixed
    assert combined_rating([Rating.STRONG_YES, Rating.NO]) == Rating.YES
    assert combined_rating([Rating.YES, Rating.YES]) == Rating.YES
    assert combined_rating([]) is None


def test_html_in_notes_and_answers_is_stripped():
    event = to_event(
        card(
            notes={
                "API Design": "<p>Used <b>idempotency keys</b> &amp; cursor pagination</p><ul><li>201</li><li>409</li></ul>"
            },
            questions=[
                {
                    "id": 1,
                    "question": "Describe the schema the candidate designed",
                    "answer": "<p>A composite index on <i>(tenant_id, created_at)</i></p>",
                }
            ],
        ),
        JOB,
        MAPPING,
    )
    assert assessments(event)[Competency.API_DESIGN].notes == "Used idempotency keys & cursor pagination\n201\n409"
    assert assessments(event)[Competency.DATABASES].notes == "A composite index on (tenant_id, created_at)"


def test_private_notes_are_never_scoring_input():
    with pytest.raises(ValidationError, match="private notes"):
        GreenhouseMapping.model_validate({"jobs": {}, "attributes": {}, "questions": {"Private Notes": "security"}})
    event = to_event(
        card(questions=[{"id": None, "question": "Private Notes", "answer": "red flag: lied"}]), JOB, MAPPING
    )
    assert all("lied" not in a.notes for a in event.assessments)


def test_an_edit_is_a_new_event_with_a_higher_revision_and_a_refetch_the_same_event():
    first, again = to_event(card(), JOB, MAPPING), to_event(card(), JOB, MAPPING)
    edited = to_event(card(updated_at=EDITED + timedelta(seconds=1)), JOB, MAPPING)
    assert first == again
    assert edited.event_id != first.event_id
    assert edited.revision > first.revision > 2**31  # milliseconds: needs the 64-bit revision columns


@pytest.mark.parametrize(
    ("job", "ratings", "reason"),
    [
        (None, RATINGS, "no_job"),
        (999, RATINGS, "unmapped_job"),
        (JOB, {"Culture Add": "yes"}, "no_mapped_attributes"),
    ],
)
def test_a_scorecard_that_cannot_be_mapped_is_skipped_with_a_reason(job, ratings, reason):
    assert to_event(card(ratings=ratings), job, MAPPING) == Skipped(77, reason)


def test_a_mapping_to_an_unknown_role_is_refused_when_loaded():
    with pytest.raises(ValidationError, match="unknown role"):
        GreenhouseMapping.model_validate({"jobs": {1: "astronaut"}, "attributes": {}})


def test_plain_text_keeps_one_line_per_block_and_decodes_entities():
    assert plain_text("<p>a &lt;b&gt;</p><p>  c   d </p>") == "a <b>\nc d"
