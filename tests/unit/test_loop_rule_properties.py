"""Properties of the loop rules that must hold for every loop, not just the examples.

Loops are drawn as interviewers really produce them: a few interviewers, each covering
some competencies with a rating (or none) and notes (evidence, red flags, nothing), some
scorecards edited. Competencies an interview neither rated nor gave evidence on are
marked uncovered, as the new scorer reports them, in about half the loops.
"""

import uuid

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import InterviewScored
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from services.aggregation.decision import FAVOUR, covers, decide, merge
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, STRONG_NOTES, interview, on_the_wire

ROLES = load_roles()
RUBRIC = load_rubric()
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]
RED_FLAG_NOTES = {
    "api_design": "Returns 200 for errors.",
    "databases": "Builds the SQL by concatenating the user input into the query string.",
    "concurrency": "Acks the message before processing it, so a crash loses the order, and he said that is fine.",
    "reliability_observability": "Swallows all exceptions.",
    "security": "Stores passwords in plain text.",
}
INTERVIEWERS = ["intv-a", "intv-b", "intv-c"]

ratings = st.sampled_from(["definitely_not", "no", "mixed", "yes", "strong_yes", None])
votes = st.sampled_from(["definitely_not", "no", "mixed", "yes", "strong_yes", None])


def notes_for(competency: str):
    return st.sampled_from(["", STRONG_NOTES[competency], RED_FLAG_NOTES[competency], "Had never used EXPLAIN."])


def as_new_scorer_reports(event: InterviewScored) -> InterviewScored:
    """No rating and no evidence: the new scorer says the notes do not support the competency."""
    scores = [
        s.model_copy(update={"supported_by_notes": False}) if s.rating is None and not s.signals else s
        for s in event.scores
    ]
    return event.model_copy(update={"scores": scores})


@st.composite
def interviews(draw, n: int, *, rating=ratings, notes=notes_for, revision: int = 1, new_scorer: bool = False):
    competencies = draw(st.lists(st.sampled_from(ALL), min_size=1, max_size=5, unique=True))
    event = interview(
        candidate_id="cand",
        role_id="backend-engineer",
        interview_id=f"i-{n}",
        revision=revision,
        interviewer_id=draw(st.sampled_from([*INTERVIEWERS, f"intv-{n}"])),
        ratings={c: draw(rating) for c in competencies},
        notes={c: draw(notes(c)) for c in competencies},
        overall=draw(votes),
        event_id=uuid.UUID(int=draw(st.integers(0, 2**64))),
    )
    scored = score_interview(event, RUBRIC, FIXED_TIME)
    return on_the_wire(as_new_scorer_reports(scored) if new_scorer else scored)


@st.composite
def loops(draw):
    """A role and a loop: a few interviews, some edited (several revisions)."""
    role_id = draw(st.sampled_from(sorted(ROLES)))
    new_scorer = draw(st.booleans())
    events = []
    for n in range(draw(st.integers(1, 5))):
        for revision in range(1, draw(st.integers(1, 2)) + 1):
            events.append(draw(interviews(n, revision=revision, new_scorer=new_scorer)))
    return role_id, [msgspec.structs.replace(e, role_id=role_id) for e in events]


def state(*events):
    merged, _ = merge({}, events)
    return merged


def favour(decision: Decision) -> int:
    return FAVOUR.index(decision)


@settings(max_examples=300, deadline=None)
@given(loop=loops(), data=st.data())
def test_adding_a_definitely_not_never_raises_a_decision(loop, data):
    role_id, events = loop
    strong_no = data.draw(interviews(99, rating=st.just("definitely_not")))
    before = decide("cand", ROLES[role_id], state(*events))
    after = decide("cand", ROLES[role_id], state(*events, msgspec.structs.replace(strong_no, role_id=role_id)))
    assert favour(after.decision) <= favour(before.decision), (before.reasons, after.reasons)


@settings(max_examples=300, deadline=None)
@given(loop=loops(), data=st.data())
def test_adding_a_red_flag_never_raises_a_decision(loop, data):
    role_id, events = loop
    flagged = data.draw(interviews(99, notes=lambda c: st.just(RED_FLAG_NOTES[c])))
    before = decide("cand", ROLES[role_id], state(*events))
    after = decide("cand", ROLES[role_id], state(*events, msgspec.structs.replace(flagged, role_id=role_id)))
    assert favour(after.decision) <= favour(before.decision), (before.reasons, after.reasons)


@settings(max_examples=150, deadline=None)
@given(loop=loops(), data=st.data())
def test_reordering_the_interviews_changes_nothing(loop, data):
    role_id, events = loop
    shuffled = data.draw(st.permutations(events))
    assert decide("cand", ROLES[role_id], state(*events)) == decide("cand", ROLES[role_id], state(*shuffled))


@settings(max_examples=150, deadline=None)
@given(loop=loops(), data=st.data())
def test_duplicating_interviews_changes_nothing(loop, data):
    role_id, events = loop
    again = data.draw(st.lists(st.sampled_from(events), max_size=6))
    assert decide("cand", ROLES[role_id], state(*events, *again)) == decide("cand", ROLES[role_id], state(*events))


@settings(max_examples=200, deadline=None)
@given(loop=loops(), minimum=st.integers(1, 4))
def test_a_loop_below_the_minimum_of_interviewers_is_never_a_hire(loop, minimum):
    role_id, events = loop
    role = ROLES[role_id].model_copy(update={"min_interviewers": minimum})
    merged = state(*events)
    verdict = decide("cand", role, merged)
    interviewers = {e.interviewer_id for e in merged.values() if any(covers(s) for s in e.scores)}
    if len(interviewers) < minimum:
        assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE
        assert verdict.interviewers_needed >= minimum - len(interviewers)


@settings(max_examples=200, deadline=None)
@given(loop=loops())
def test_a_strong_no_or_a_red_flag_on_security_never_ends_in_a_hire(loop):
    role_id, events = loop
    verdict = decide("cand", ROLES[role_id], state(*events))
    security = [a for c in verdict.competencies if c.competency.value == "security" for a in c.assessments if a.counted]
    if any((a.rating is not None and a.rating.value == "definitely_not") or a.red_flags for a in security):
        assert verdict.decision not in (Decision.HIRE, Decision.STRONG_HIRE)


@settings(max_examples=200, deadline=None)
@given(loop=loops())
def test_every_insufficient_evidence_says_what_is_missing_and_every_other_decision_has_a_score(loop):
    role_id, events = loop
    verdict = decide("cand", ROLES[role_id], state(*events))
    if verdict.decision == Decision.INSUFFICIENT_EVIDENCE:
        assert verdict.score is None
        assert verdict.missing_competencies or verdict.interviewers_needed
    else:
        assert verdict.score is not None and verdict.partial_score is None


def test_every_red_flag_note_the_properties_draw_is_read_as_a_red_flag():
    """The properties about red flags hold only if their notes still show one under today's lexicon."""
    from schemas.scales import Competency
    from services.scoring.evidence import assess, compile_lexicon

    lexicon = compile_lexicon(load_rubric())
    for competency, notes in RED_FLAG_NOTES.items():
        assert assess(notes, Competency(competency), lexicon).red_flags, competency
