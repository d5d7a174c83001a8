"""The four loops of issue #16, decided as a hiring committee would sign them.

Each went through `hiring-pipeline recommend` to a decision no committee would sign; each
now gives the decision a committee would, and a record that explains it. They run the
whole in-process pipeline (scoring, then aggregation) from InterviewCompleted events.
"""

from hiring_pipeline.tools.dry_run import recommend
from schemas.events import Recommendation
from schemas.explanation import explain
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from tests.factories import STRONG_NOTES, interview

ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


def decided(*events) -> Recommendation:
    [recommendation] = recommend(list(events), load_rubric(), load_roles())
    return recommendation


def positive_loop(n: int = 4):
    return [
        interview(
            interview_id=f"int-{i}",
            interviewer_id=f"intv-{i}",
            ratings={c: "yes" for c in ALL},
            notes=STRONG_NOTES,
            overall="yes",
        )
        for i in range(n)
    ]


def security_strong_no(notes: str):
    return interview(
        interview_id="int-sec",
        interviewer_id="intv-sec",
        ratings={"security": "definitely_not"},
        notes={"security": notes},
        overall="no",
    )


def test_a_strong_no_on_security_among_four_positive_interviews_vetoes_the_hire_and_asks_for_a_debrief():
    for notes in ("", "We talked through the login flow."):  # empty notes, or notes the scorer does not flag
        r = decided(*positive_loop(), security_strong_no(notes))
        assert r.decision == Decision.NO_HIRE
        assert r.score is not None and r.score >= load_roles()["backend-engineer"].bar  # the mean alone would hire
        assert any("intv-sec rated security definitely_not" in reason and "veto" in reason for reason in r.reasons)
        assert r.needs_debrief and "intv-sec rated security definitely_not" in r.debrief_reasons
        security = next(c for c in r.competencies if c.competency.value == "security")
        assert security.veto and any(
            a.interviewer_id == "intv-sec" and a.rating.value == "definitely_not" for a in security.assessments
        )


def test_one_interviewer_rating_everything_strong_yes_is_not_a_loop():
    r = decided(interview(interviewer_id="intv-solo", ratings={c: "strong_yes" for c in ALL}, overall="strong_yes"))
    assert r.decision == Decision.INSUFFICIENT_EVIDENCE
    assert r.score is None and r.partial_score == 4.0
    assert r.interviewers_needed == 1
    assert any("1 distinct interviewer(s), backend-engineer needs at least 2: 1 more needed" in x for x in r.reasons)
    assert any("partial score 4.00" in x for x in r.reasons)


def test_notes_describing_committed_secrets_override_a_strong_yes_on_security_and_say_so():
    notes = "Committed API keys to git in a side project, and stores passwords in plain text."
    loop = [
        interview(
            interview_id="int-design",
            interviewer_id="intv-ana",
            overall="yes",
            ratings={"api_design": "yes", "databases": "yes", "concurrency": "yes"},
        ),
        interview(
            interview_id="int-ops",
            interviewer_id="intv-raj",
            overall="yes",
            ratings={"reliability_observability": "yes", "security": "strong_yes"},
            notes={"security": notes},
        ),
    ]
    r = decided(*loop)
    assert r.decision == Decision.NO_HIRE
    [override] = r.overrides
    assert override.startswith("intv-raj rated security strong_yes; the notes describe committed secrets (")
    assert "plaintext passwords" in override and override.endswith("capped at 2.00")
    assert "Committed API keys to git" in override
    assert [(v.interviewer_id, v.vote.value) for v in r.votes] == [("intv-ana", "yes"), ("intv-raj", "yes")]
    assert "computed no_hire against 2 of 2 overall votes for yes" in r.debrief_reasons
    flags = {f.signal: f.quote for f in r.red_flags}
    assert flags["security.committed_secrets"].startswith("Committed API keys to git")
    text = "\n".join(explain(r))
    assert "capped at 2.00" in text and "intv-raj: yes" in text


def test_a_strong_hire_cites_the_strong_hire_threshold_and_insufficient_evidence_shows_its_partial_score():
    loop = [
        interview(interviewer_id=f"intv-{i}", ratings={c: "strong_yes" for c in ALL}, notes=STRONG_NOTES)
        for i in range(2)
    ]
    r = decided(*loop)
    assert r.decision == Decision.STRONG_HIRE
    assert (
        r.reasons[0]
        == "weighted score 4.00 is at or above the strong-hire threshold 3.50 (hiring bar 2.90 + 0.60): strong_hire"
    )

    partial = decided(interview(ratings={c: "yes" for c in ALL[:3]}), interview(ratings={c: "yes" for c in ALL[:3]}))
    assert partial.decision == Decision.INSUFFICIENT_EVIDENCE
    assert partial.partial_score == 3.0
    assert [c.value for c in partial.missing_competencies] == ["reliability_observability", "security"]
    assert any("partial score 3.00" in x for x in partial.reasons)
