"""The recruiter's views of a decision record: readable at 100 columns, nothing cropped."""

import io
import re

import pytest
from rich.console import Console

from hiring_pipeline.devstack.demo import SAMPLE
from hiring_pipeline.tools.dry_run import recommend
from hiring_pipeline.tools.publish import read_events
from hiring_pipeline.tools.recommendations import table
from schemas.explanation import explain
from schemas.rubric import load_roles, load_rubric

RECOMMENDATIONS = recommend(read_events(SAMPLE), load_rubric(), load_roles())


def words(text: str) -> list[str]:
    return re.findall(r"[\w.:()\"'-]+", text)


def rendered(width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(table(RECOMMENDATIONS, width=width))
    return console.export_text()


@pytest.mark.parametrize("width", [100, 200])
def test_the_recommendations_table_fits_the_width_and_keeps_every_word_of_every_reason(width):
    text = rendered(width)
    assert max(len(line) for line in text.splitlines()) <= width
    flat = " ".join(text.split())
    for r in RECOMMENDATIONS:
        for sentence in [*r.reasons, *r.debrief_reasons, *r.overrides]:
            for word in words(sentence):
                # a word wider than its column is folded onto the next line, never cut off
                assert word in flat or (len(word) > 28 and word[:25] in flat and word[-3:] in flat), (word, sentence)
        assert "…" not in text


def test_the_explanation_wraps_at_100_columns_and_keeps_every_reason_quote_and_interviewer():
    for r in RECOMMENDATIONS:
        lines = explain(r, 100)
        assert max(len(line) for line in lines) <= 100
        flat = " ".join(" ".join(lines).split())
        for sentence in [*r.reasons, *r.debrief_reasons, *r.overrides]:
            assert " ".join(sentence.split()) in flat
        for c in r.competencies:
            for a in c.assessments:
                assert a.interviewer_id in flat
                for q in [*a.quotes, *a.red_flags]:
                    assert " ".join(q.quote.split()) in flat


def test_the_explanation_of_an_insufficient_loop_says_what_is_missing_and_its_partial_score():
    [r] = [r for r in RECOMMENDATIONS if r.decision.value == "insufficient_evidence"]
    text = "\n".join(explain(r))
    assert "partial score" in text.splitlines()[0]
    assert "competencies no interview covered: security" in text


def test_the_explanation_shows_the_interviewers_votes_beside_the_decision():
    [r] = [r for r in RECOMMENDATIONS if r.candidate_id == "cand-1003"]
    text = "\n".join(explain(r))
    assert "Interviewers and their overall votes (1 strong_yes, 1 yes):" in text
    assert "Needs a debrief before acting:" in text and "Overrides:" in text
