"""How ratings and notes evidence combine into one competency score."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.events import Assessment
from schemas.rubric import load_rubric
from schemas.scales import RATING_SCORES, Competency, Rating
from services.scoring.evidence import assess, compile_lexicon
from services.scoring.score import score_assessment, score_interview, scored_event_id
from tests.factories import FIXED_TIME, STRONG_NOTES, interview

RUBRIC = load_rubric()
LEXICON = compile_lexicon(RUBRIC)


def score(competency: str, rating: str | None, notes: str = ""):
    assessment = Assessment(competency=Competency(competency), rating=rating, notes=notes)
    return score_assessment(assessment, assess(notes, assessment.competency, LEXICON))


@pytest.mark.parametrize(("rating", "value"), [(r.value, r.score) for r in Rating])
def test_without_notes_the_rating_is_the_score(rating, value):
    assert score("databases", rating).score == value


def test_strong_notes_raise_a_rating_by_at_most_half_a_step():
    assert score("databases", "yes", STRONG_NOTES["databases"]).score == 3.5


def test_weak_notes_lower_a_rating():
    assert score("databases", "yes", "Could not explain a composite index; had never used EXPLAIN.").score == 2.5


def test_evidence_agreeing_with_the_rating_raises_confidence():
    agreeing = score("databases", "yes", STRONG_NOTES["databases"])
    bare = score("databases", "yes")
    contradicting = score("databases", "no", STRONG_NOTES["databases"])
    assert agreeing.confidence > bare.confidence > contradicting.confidence


def test_without_a_rating_strong_notes_score_at_least_yes():
    assert score("concurrency", None, STRONG_NOTES["concurrency"]).score >= 3.0


def test_without_a_rating_weak_notes_score_at_most_no():
    assert score("concurrency", None, "No idea about locks.").score <= 2.0


def test_without_a_rating_or_evidence_the_score_is_neutral_with_low_confidence():
    result = score("concurrency", None, "Pleasant conversation about the weather.")
    assert result.score == 2.5
    assert result.confidence <= 0.2


@pytest.mark.parametrize("rating", ["strong_yes", "yes", None])
def test_a_red_flag_caps_the_competency_at_two_whatever_the_rating(rating):
    result = score("security", rating, "Great on XSS and CSRF, but stores passwords in plain text.")
    assert result.score <= 2.0
    assert result.red_flags == ["security.plaintext_passwords"]


def test_a_score_explains_itself_with_the_signals_and_quotes():
    result = score("databases", "yes", "Ran EXPLAIN ANALYZE on the slow query.")
    assert [(s.kind, s.signal, s.quote) for s in result.signals] == [
        ("strong", "databases.query_plans", "Ran EXPLAIN ANALYZE on the slow query")
    ]


def test_scoring_is_deterministic_and_the_output_id_derives_from_the_input():
    event = interview(notes=STRONG_NOTES)
    first = score_interview(event, RUBRIC, FIXED_TIME)
    assert score_interview(event, RUBRIC, FIXED_TIME).model_dump_json() == first.model_dump_json()
    assert first.event_id == scored_event_id(event.event_id, RUBRIC.version)
    assert first.source_event_id == event.event_id


def test_every_assessed_competency_gets_exactly_one_score():
    event = interview(ratings={"api_design": "yes", "security": None})
    scored = score_interview(event, RUBRIC, FIXED_TIME)
    assert [s.competency.value for s in scored.scores] == ["api_design", "security"]


@given(
    competency=st.sampled_from(list(Competency)),
    rating=st.sampled_from([*Rating, None]),
    notes=st.text(max_size=400) | st.sampled_from(list(STRONG_NOTES.values())),
)
def test_any_notes_and_rating_give_a_score_on_the_scale(competency, rating, notes):
    result = score(competency.value, rating, notes)
    assert RATING_SCORES[Rating.DEFINITELY_NOT] <= result.score <= RATING_SCORES[Rating.STRONG_YES]
    assert 0.0 <= result.confidence <= 1.0
    if result.red_flags:
        assert result.score <= 2.0
