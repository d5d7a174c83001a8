"""The aggregation core: state merging and the role profile's decision rules."""

import dataclasses
import hashlib
import json
import uuid
from datetime import UTC, datetime

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import wire
from schemas.events import READ_RED_FLAG, InterviewScored
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Competency, Decision
from services.aggregation.decision import BANDS, Published, Verdict, decide, merge, next_recommendation
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, STRONG_NOTES, interview, on_the_wire

ROLES = load_roles()
RUBRIC = load_rubric()
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


def scored(rating="yes", *, interview_id=None, revision=1, competencies=ALL, notes=None, **kwargs) -> InterviewScored:
    event = interview(
        interview_id=interview_id,
        revision=revision,
        ratings={c: rating for c in competencies},
        notes=notes or {},
        **kwargs,
    )
    return on_the_wire(score_interview(event, RUBRIC, FIXED_TIME))


def state(*events):
    merged, _ = merge({}, events)
    return merged


@pytest.fixture(params=sorted(ROLES))
def role(request):
    return ROLES[request.param]


def test_a_loop_of_strong_yes_is_a_strong_hire(role):
    verdict = decide("c", role, state(scored("strong_yes"), scored("strong_yes")))
    assert verdict.decision == Decision.STRONG_HIRE and verdict.score == 4.0


def test_a_loop_of_plain_yes_from_two_interviewers_is_a_hire(role):
    assert decide("c", role, state(scored("yes"), scored("yes"))).decision == Decision.HIRE


def test_a_loop_of_no_is_a_no_hire_and_of_definitely_not_a_strong_no_hire(role):
    assert decide("c", role, state(scored("no"), scored("no"))).decision == Decision.NO_HIRE
    assert (
        decide("c", role, state(scored("definitely_not"), scored("definitely_not"))).decision == Decision.STRONG_NO_HIRE
    )


def test_a_required_competency_nobody_assessed_is_insufficient_evidence_naming_it(role):
    verdict = decide(
        "c", role, state(scored("strong_yes", competencies=ALL[:-1]), scored("yes", competencies=ALL[:-1]))
    )
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE and verdict.score is None
    assert "security" in verdict.reasons[0]
    assert verdict.missing_competencies == (Competency.SECURITY,)
    assert verdict.partial_score is not None and any("partial score" in r for r in verdict.reasons)


def test_a_security_red_flag_vetoes_a_hire(role):
    flagged = scored("strong_yes", notes={"security": "Stores passwords in plain text."})
    verdict = decide("c", role, state(flagged, scored("strong_yes")))
    assert verdict.decision == Decision.NO_HIRE
    assert any("security.plaintext_passwords" in r and "veto" in r for r in verdict.reasons)


def test_a_veto_does_not_soften_a_loop_that_was_already_a_strong_no(role):
    flagged = scored("definitely_not", notes={"security": "Committed API keys to git."})
    verdict = decide("c", role, state(flagged, scored("definitely_not")))
    assert verdict.decision == Decision.STRONG_NO_HIRE


def test_another_red_flag_lowers_the_decision_one_step_and_is_listed(role):
    flagged = scored("strong_yes", notes={"reliability_observability": "Swallows all exceptions."})
    verdict = decide("c", role, state(flagged, scored("strong_yes"), scored("strong_yes")))
    unflagged = decide("c", role, state(scored("strong_yes"), scored("strong_yes"), scored("strong_yes")))
    assert [f.signal for f in verdict.red_flags] == ["reliability_observability.swallows_errors"]
    assert BANDS.index(verdict.decision) == BANDS.index(unflagged.decision) - 1
    assert (
        verdict.red_flags[0].quote == "Swallows all exceptions"
        and verdict.red_flags[0].interviewer_id == flagged.interviewer_id
    )


def test_a_competency_below_the_floor_refuses_a_hire(role):
    others = [c for c in ALL if c != "databases"]
    loop = state(scored("strong_yes", competencies=others), scored("definitely_not", competencies=["databases"]))
    verdict = decide("c", role, loop)
    assert verdict.score >= role.bar  # the weighted score alone would hire
    assert verdict.decision == Decision.NO_HIRE
    assert any("databases 1.00 is below its floor" in r for r in verdict.reasons)


def test_the_competencies_a_role_weighs_most_have_a_higher_floor_than_the_rest():
    """Backend engineer: "no" on databases (floor 2.5) refuses a hire, "no" on concurrency (floor 2.0) does not."""
    role = ROLES["backend-engineer"]
    for weak, expected in (("databases", Decision.NO_HIRE), ("concurrency", Decision.HIRE)):
        rest = [c for c in ALL if c != weak]
        loop = state(
            scored("strong_yes", competencies=rest),
            scored("no", competencies=[weak]),
            scored("yes", competencies=rest),
            scored("no", competencies=[weak]),
        )
        verdict = decide("c", role, loop)
        assert verdict.decision == expected, verdict.reasons
    assert {c.competency.value: c.floor for c in verdict.competencies}["databases"] == 2.5


# --- loop rules -------------------------------------------------------------------------


def uncovered(event: InterviewScored, *competencies: str) -> InterviewScored:
    """As the new scorer reports a competency the interview did not touch: no rating, no evidence."""
    scores = [
        msgspec.structs.replace(
            s, rating=None, signals=[], red_flags=[], score=2.5, confidence=0.1, supported_by_notes=False
        )
        if s.competency.value in competencies
        else s
        for s in event.scores
    ]
    return msgspec.structs.replace(event, scores=scores)


def test_one_interviewer_is_not_a_loop_and_the_record_says_how_many_more_are_needed(role):
    verdict = decide("c", role, state(scored("strong_yes", interviewer_id="intv-a")))
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE
    assert verdict.interviewers_needed == 1 and verdict.partial_score == 4.0
    assert any("1 more needed" in r for r in verdict.reasons)


def test_two_interviews_by_the_same_interviewer_are_still_one_interviewer(role):
    loop = state(scored("yes", interviewer_id="intv-a"), scored("yes", interviewer_id="intv-a"))
    assert decide("c", role, loop).decision == Decision.INSUFFICIENT_EVIDENCE


def test_a_competency_an_interview_did_not_cover_is_not_counted_as_a_neutral_score():
    role = ROLES["backend-engineer"]
    loop = state(scored("strong_yes"), uncovered(scored("strong_yes"), "security"))
    verdict = decide("c", role, loop)
    security = next(c for c in verdict.competencies if c.competency == Competency.SECURITY)
    assert security.score == 4.0 and security.interviews == 1
    assert sorted(a.counted for a in security.assessments) == [False, True]
    assert verdict.decision == Decision.STRONG_HIRE


def test_a_required_competency_no_interview_covered_is_insufficient_evidence_saying_which():
    loop = state(uncovered(scored("yes"), "security"), uncovered(scored("yes"), "security"))
    verdict = decide("c", ROLES["backend-engineer"], loop)
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE
    assert verdict.missing_competencies == (Competency.SECURITY,)
    assert "no interview covered security" in verdict.reasons[0]


def test_an_interviewer_who_covered_nothing_does_not_count_toward_the_minimum():
    loop = state(scored("yes"), uncovered(scored(None), *ALL))
    assert decide("c", ROLES["backend-engineer"], loop).interviewers_needed == 1


def test_a_rating_without_support_in_the_notes_rests_on_the_rating():
    unsupported = [msgspec.structs.replace(s, supported_by_notes=False) for s in scored("yes").scores]
    loop = state(msgspec.structs.replace(scored("yes"), scores=unsupported), scored("yes"))
    assert decide("c", ROLES["backend-engineer"], loop).decision == Decision.HIRE


def test_a_definitely_not_outside_the_veto_competencies_is_never_averaged_away_silently():
    role = ROLES["backend-engineer"]
    loop = state(
        scored("mixed"),
        scored("mixed"),
        scored("definitely_not", competencies=["reliability_observability"], interviewer_id="intv-x"),
    )
    verdict = decide("c", role, loop)
    assert "intv-x rated reliability_observability definitely_not" in verdict.debrief_reasons
    assert verdict.needs_debrief


def test_two_interviewers_two_points_apart_need_a_debrief_and_the_lower_score_counts_until_then():
    role = ROLES["backend-engineer"]
    loop = state(scored("strong_yes", interviewer_id="intv-a"), scored("no", interviewer_id="intv-b"))
    verdict = decide("c", role, loop)
    assert any(
        "api_design: intv-a scored 4.00 and intv-b 2.00, 2.00 points apart" in r for r in verdict.debrief_reasons
    )
    assert all(c.score == 2.0 for c in verdict.competencies)
    assert verdict.decision == Decision.NO_HIRE


def test_a_computed_hire_against_a_majority_of_no_votes_needs_a_debrief():
    loop = state(scored("yes", overall="no"), scored("yes", overall="definitely_not"), scored("yes", overall="yes"))
    verdict = decide("c", ROLES["backend-engineer"], loop)
    assert verdict.decision == Decision.HIRE
    assert "computed hire against 2 of 3 overall votes for no" in verdict.debrief_reasons
    assert sorted(v.vote.value for v in verdict.votes) == ["definitely_not", "no", "yes"]


def test_a_computed_no_hire_against_a_majority_of_yes_votes_needs_a_debrief():
    loop = state(scored("no", overall="yes"), scored("no", overall="strong_yes"))
    verdict = decide("c", ROLES["backend-engineer"], loop)
    assert verdict.decision == Decision.NO_HIRE
    assert "computed no_hire against 2 of 2 overall votes for yes" in verdict.debrief_reasons


def test_votes_that_agree_with_the_decision_need_no_debrief():
    verdict = decide("c", ROLES["backend-engineer"], state(scored("yes", overall="yes"), scored("yes", overall=None)))
    assert verdict.decision == Decision.HIRE and not verdict.needs_debrief


def test_a_red_flag_that_is_an_interviewers_only_contribution_cannot_complete_a_loop():
    """One interviewer's strong_yes plus another's lone red flag is not two interviewers' hire:
    negative evidence never raises a decision, here from insufficient evidence to a hire."""
    role = ROLES["backend-engineer"]
    flag = scored(
        "mixed",
        competencies=["reliability_observability"],
        interviewer_id="intv-b",
        notes={"reliability_observability": "Swallows all exceptions."},
    )
    verdict = decide("c", role, state(scored("strong_yes", interviewer_id="intv-a"), flag))
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE
    assert verdict.interviewers_needed == 1 and verdict.partial_score is not None
    assert any("never raises a decision" in r for r in verdict.reasons)


def test_the_record_keeps_at_most_three_quotes_of_at_most_160_characters_per_assessment():
    event = scored("yes", notes=STRONG_NOTES)
    long = [
        msgspec.structs.replace(sig, quote=f"{n} " + "very " * 80) for n, sig in enumerate(event.scores[0].signals * 3)
    ]
    event = msgspec.structs.replace(
        event, scores=[msgspec.structs.replace(event.scores[0], signals=long), *event.scores[1:]]
    )
    verdict = decide("c", ROLES["backend-engineer"], state(event, scored("yes")))
    api = next(c for c in verdict.competencies if c.competency == Competency.API_DESIGN)
    quotes = [q for a in api.assessments for q in a.quotes]
    assert len(quotes) == 3
    assert all(len(q.quote) <= 160 and q.quote.endswith("…") for q in quotes)


def test_every_recommendation_names_the_role_profile_version_that_decided_it():
    verdict = decide("c", ROLES["backend-engineer"], state(scored("yes"), scored("yes")))
    recommendation = next_recommendation(verdict, None, FIXED_TIME)
    assert recommendation.role_version == ROLES["backend-engineer"].version != ""


def test_scores_of_one_competency_are_weighted_by_confidence():
    confident = scored("strong_yes", competencies=ALL, notes=STRONG_NOTES)  # evidence agrees: high confidence
    unsure = scored("mixed", competencies=ALL)  # a bare rating, no notes to back it: lower confidence
    verdict = decide("c", ROLES["backend-engineer"], state(confident, unsure))
    databases = next(c for c in verdict.competencies if c.competency.value == "databases")
    assert 3.25 < databases.score < 4.0 and databases.interviews == 2  # nearer the confident 4.0 than the mean


def test_the_role_weights_change_the_overall_score():
    # strong API design, weak databases: the Node role (API 0.30, DB 0.15) scores higher.
    mixed_loop = state(
        scored("strong_yes", competencies=["api_design"]),
        scored("no", competencies=["databases"]),
        scored("yes", competencies=["concurrency", "reliability_observability", "security"]),
    )
    node = decide("c", ROLES["node-backend-engineer"], mixed_loop).score
    generic = decide("c", ROLES["backend-engineer"], mixed_loop).score
    assert node > generic


def test_an_older_revision_arriving_late_is_ignored():
    v2 = scored("strong_yes", interview_id="i-1", revision=2)
    v1 = scored("definitely_not", interview_id="i-1", revision=1)
    merged, changed = merge(state(v2), [v1])
    assert merged["i-1"] is v2 and changed == []


def test_an_edited_scorecard_replaces_the_earlier_revision():
    v1 = scored("definitely_not", interview_id="i-1", revision=1)
    v2 = scored("strong_yes", interview_id="i-1", revision=2)
    merged, changed = merge(state(v1), [v2])
    assert merged["i-1"] is v2 and changed == ["i-1"]
    assert [(i.interview_id, i.revision) for i in decide("c", ROLES["backend-engineer"], merged).interviews] == [
        ("i-1", 2)
    ]


def test_the_same_event_twice_counts_once():
    event = scored()
    merged, changed = merge(state(event), [event])
    assert changed == [] and len(merged) == 1


def test_an_unchanged_verdict_is_not_republished_and_a_changed_one_gets_the_next_version():
    verdict = decide("c", ROLES["backend-engineer"], state(scored("yes")))
    first = next_recommendation(verdict, None, FIXED_TIME)
    assert first.version == 1
    assert next_recommendation(verdict, Published(1, verdict.fingerprint()), FIXED_TIME) is None
    changed = decide("c", ROLES["backend-engineer"], state(scored("yes"), scored("strong_yes")))
    assert next_recommendation(changed, Published(1, verdict.fingerprint()), FIXED_TIME).version == 2


def test_recommendation_ids_are_deterministic_for_the_same_version_and_content():
    verdict = decide("c", ROLES["backend-engineer"], state(scored("yes")))
    later = datetime(2030, 1, 1, tzinfo=UTC)
    assert next_recommendation(verdict, None, FIXED_TIME).event_id == next_recommendation(verdict, None, later).event_id


# --- properties ----------------------------------------------------------------------

ratings = st.sampled_from(["definitely_not", "no", "mixed", "yes", "strong_yes", None])
notes = st.sampled_from(
    ["", "Stores passwords in plain text.", "Confused threads and processes.", *STRONG_NOTES.values()]
)


@st.composite
def interview_loops(draw):
    """A loop: a few interviews, some edited (several revisions), as scored events."""
    role_id = draw(st.sampled_from(sorted(ROLES)))
    events = []
    for n in range(draw(st.integers(1, 4))):
        for revision in range(1, draw(st.integers(1, 3)) + 1):
            competencies = draw(st.lists(st.sampled_from(ALL), min_size=1, max_size=5, unique=True))
            event = interview(
                candidate_id="cand",
                role_id=role_id,
                interview_id=f"i-{n}",
                revision=revision,
                ratings={c: draw(ratings) for c in competencies},
                notes={c: draw(notes) for c in competencies},
                event_id=uuid.UUID(int=draw(st.integers(0, 2**64))),
            )
            events.append(on_the_wire(score_interview(event, RUBRIC, FIXED_TIME)))
    return role_id, events


@settings(max_examples=150, deadline=None)
@given(loop=interview_loops(), data=st.data())
def test_the_verdict_depends_only_on_the_set_of_events_not_their_order(loop, data):
    role_id, events = loop
    shuffled = data.draw(st.permutations(events))
    assert decide("cand", ROLES[role_id], state(*events)) == decide("cand", ROLES[role_id], state(*shuffled))


@settings(max_examples=100, deadline=None)
@given(loop=interview_loops(), data=st.data())
def test_redelivering_any_events_changes_nothing(loop, data):
    role_id, events = loop
    again = data.draw(st.lists(st.sampled_from(events), max_size=6))
    assert decide("cand", ROLES[role_id], state(*events, *again)) == decide("cand", ROLES[role_id], state(*events))


@settings(max_examples=100, deadline=None)
@given(loop=interview_loops())
def test_only_the_highest_revision_of_each_interview_is_counted(loop):
    role_id, events = loop
    verdict = decide("cand", ROLES[role_id], state(*events))
    highest = {}
    for e in events:
        highest[e.interview_id] = max(highest.get(e.interview_id, 0), e.revision)
    assert {(i.interview_id, i.revision) for i in verdict.interviews} == set(highest.items())


@settings(max_examples=100, deadline=None)
@given(loop=interview_loops())
def test_a_security_red_flag_never_ends_in_a_hire(loop):
    role_id, events = loop
    verdict = decide("cand", ROLES[role_id], state(*events))
    if any(f.competency.value == "security" for f in verdict.red_flags):
        assert verdict.decision not in (Decision.HIRE, Decision.STRONG_HIRE)


def test_the_fingerprint_changes_with_the_record_but_not_with_the_role_profile_version():
    """A new roles version that decides a pair the same way is no news: not republished."""
    loop = state(scored("yes"), scored("strong_yes", notes=STRONG_NOTES))
    role = ROLES["backend-engineer"]
    same = decide("c", role.model_copy(update={"version": "next"}), loop)
    assert same.fingerprint() == decide("c", role, loop).fingerprint()
    stricter = decide("c", role.model_copy(update={"min_interviewers": 3}), loop)
    assert stricter.fingerprint() != same.fingerprint()


def reference_fingerprint(verdict: Verdict) -> str:
    """The fingerprint as it was first written (json.dumps of the content): fingerprints are
    stored and a recommendation's event id is derived from one, so this text is fixed."""
    content = {
        "decision": verdict.decision.value,
        "score": verdict.score,
        "competencies": msgspec.to_builtins(verdict.competencies),
        "red_flags": msgspec.to_builtins(verdict.red_flags),
        "interviews": msgspec.to_builtins(verdict.interviews),
        "reasons": list(verdict.reasons),
        "rubric_version": verdict.rubric_version,
        "partial_score": verdict.partial_score,
        "missing_competencies": [c.value for c in verdict.missing_competencies],
        "interviewers_needed": verdict.interviewers_needed,
        "debrief_reasons": list(verdict.debrief_reasons),
        "votes": msgspec.to_builtins(verdict.votes),
        "overrides": list(verdict.overrides),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


AWKWARD_TEXT = [
    "plain",
    "caf\u00e9 \u2192 \U0001f6a9",
    "\x7f",
    '\x00\x1f\t\n"\\',
    "\u2028\u2029",
    "a\ud800b",
    "\uffff\U00010000",
]
AWKWARD_FLOATS = [
    0.0,
    -0.0,
    1.0,
    2.345,
    1e-4,
    9.99e-5,
    1e-5,
    1e-7,
    1e15,
    1e16,
    1.5e17,
    1e300,
    5e-324,
    float("nan"),
    float("inf"),
    float("-inf"),
    0.1 + 0.2,
]


@settings(max_examples=300, deadline=None)
@given(
    loop=interview_loops(),
    text=st.lists(st.sampled_from(AWKWARD_TEXT) | st.text(max_size=8), min_size=3, max_size=3),
    floats=st.lists(st.sampled_from(AWKWARD_FLOATS) | st.floats(), min_size=4, max_size=4),
)
def test_the_fingerprint_hashes_the_json_it_always_hashed_whatever_the_text_and_floats(loop, text, floats):
    """The fingerprint is written with msgspec and fixed up to json.dumps's text: non-ASCII and
    control characters, lone surrogates, floats json writes in exponent form, NaN and infinities."""
    role_id, events = loop
    verdict = decide("cand", ROLES[role_id], state(*events))
    assert verdict.fingerprint() == reference_fingerprint(verdict)
    summaries = list(verdict.competencies)
    if summaries:
        first = summaries[0]
        assessments = [msgspec.structs.replace(a, score=floats[3], interviewer_id=text[2]) for a in first.assessments]
        summaries[0] = msgspec.structs.replace(first, score=floats[0], weight=floats[1], assessments=assessments)
    awkward = dataclasses.replace(
        verdict,
        score=floats[2],
        partial_score=floats[1],
        reasons=(*verdict.reasons, text[0]),
        overrides=(text[1],),
        competencies=tuple(summaries),
    )
    assert awkward.fingerprint() == reference_fingerprint(awkward)


def test_a_red_flag_read_from_the_wording_alone_asks_the_debrief_to_confirm_it():
    """A red flag the notes model read, with no listed practice behind it, still counts
    (never a confident hire), and the record asks a person to confirm it with its quote."""
    plain = scored("yes", interviewer_id="intv-a")
    signal = wire.Signal(kind="red_flag", signal=READ_RED_FLAG, quote="a crash part-way through drops the event")
    flagged_scores = [
        msgspec.structs.replace(s, signals=[signal], red_flags=[READ_RED_FLAG], score=2.0)
        if s.competency == Competency.CONCURRENCY
        else s
        for s in plain.scores
    ]
    flagged = msgspec.structs.replace(plain, scores=flagged_scores)
    verdict = decide("c", ROLES["backend-engineer"], state(flagged, scored("yes", interviewer_id="intv-b")))
    assert verdict.decision != Decision.HIRE
    assert any(
        "intv-a's notes on concurrency read as a red flag" in r and "drops the event" in r
        for r in verdict.debrief_reasons
    )


def test_a_red_flag_from_a_listed_practice_needs_no_confirmation():
    flagged = scored("yes", notes={"concurrency": "Guards the balance with a synchronized block across 4 pods."})
    verdict = decide("c", ROLES["backend-engineer"], state(flagged, scored("yes", interviewer_id="intv-b")))
    assert not any("read as a red flag" in r for r in verdict.debrief_reasons)
