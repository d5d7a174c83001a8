"""The aggregation core: state merging and the role profile's decision rules."""

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import InterviewScored
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from services.aggregation.decision import Published, decide, merge, next_recommendation
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, STRONG_NOTES, interview

ROLES = load_roles()
RUBRIC = load_rubric()
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


def scored(rating="yes", *, interview_id=None, revision=1, competencies=ALL, notes=None, **kwargs) -> InterviewScored:
    event = interview(
        interview_id=interview_id, revision=revision, ratings={c: rating for c in competencies},
        notes=notes or {}, **kwargs,
    )
    return score_interview(event, RUBRIC, FIXED_TIME)


def state(*events):
    merged, _ = merge({}, events)
    return merged


@pytest.fixture(params=sorted(ROLES))
def role(request):
    return ROLES[request.param]


def test_a_loop_of_strong_yes_is_a_strong_hire(role):
    verdict = decide("c", role, state(scored("strong_yes"), scored("strong_yes")))
    assert verdict.decision == Decision.STRONG_HIRE and verdict.score == 4.0


def test_a_loop_of_plain_yes_is_a_hire(role):
    assert decide("c", role, state(scored("yes"))).decision == Decision.HIRE


def test_a_loop_of_no_is_a_no_hire_and_of_definitely_not_a_strong_no_hire(role):
    assert decide("c", role, state(scored("no"))).decision == Decision.NO_HIRE
    assert decide("c", role, state(scored("definitely_not"))).decision == Decision.STRONG_NO_HIRE


def test_a_required_competency_nobody_assessed_is_insufficient_evidence_naming_it(role):
    verdict = decide("c", role, state(scored("strong_yes", competencies=ALL[:-1])))
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE and verdict.score is None
    assert "security" in verdict.reasons[0]


def test_a_security_red_flag_vetoes_a_hire(role):
    flagged = scored("strong_yes", notes={"security": "Stores passwords in plain text."})
    verdict = decide("c", role, state(flagged, scored("strong_yes")))
    assert verdict.decision == Decision.NO_HIRE
    assert any("security.plaintext_passwords" in r and "veto" in r for r in verdict.reasons)


def test_a_security_red_flag_with_a_score_below_the_bar_is_a_strong_no_hire(role):
    flagged = scored("mixed", notes={"security": "Committed API keys to git."})
    assert decide("c", role, state(flagged)).decision == Decision.STRONG_NO_HIRE


def test_another_red_flag_lowers_the_decision_one_step_and_is_listed(role):
    flagged = scored("strong_yes", notes={"concurrency": "Confused threads and processes."})
    verdict = decide("c", role, state(flagged, scored("strong_yes"), scored("strong_yes")))
    unflagged = decide("c", role, state(scored("strong_yes"), scored("strong_yes"), scored("strong_yes")))
    assert [f.signal for f in verdict.red_flags] == ["concurrency.threads_vs_processes"]
    order = [Decision.STRONG_NO_HIRE, Decision.NO_HIRE, Decision.HIRE, Decision.STRONG_HIRE]
    assert order.index(verdict.decision) == order.index(unflagged.decision) - 1


def test_a_competency_below_the_floor_refuses_a_hire(role):
    others = [c for c in ALL if c != "databases"]
    loop = state(scored("strong_yes", competencies=others), scored("definitely_not", competencies=["databases"]))
    verdict = decide("c", role, loop)
    assert verdict.score >= role.bar  # the weighted score alone would hire
    assert verdict.decision == Decision.NO_HIRE
    assert any("databases below the floor" in r for r in verdict.reasons)


def test_scores_of_one_competency_are_weighted_by_confidence():
    confident = scored("strong_yes", competencies=ALL, notes=STRONG_NOTES)  # evidence agrees: high confidence
    unsure = scored(None, competencies=ALL)  # no rating, no notes: neutral 2.5, low confidence
    verdict = decide("c", ROLES["backend-engineer"], state(confident, unsure))
    databases = next(c for c in verdict.competencies if c.competency.value == "databases")
    assert 3.5 < databases.score < 4.0 and databases.interviews == 2


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
    assert [(i.interview_id, i.revision) for i in decide("c", ROLES["backend-engineer"], merged).interviews] == [("i-1", 2)]


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
notes = st.sampled_from(["", "Stores passwords in plain text.", "Confused threads and processes.", *STRONG_NOTES.values()])


@st.composite
def interview_loops(draw):
    """A loop: a few interviews, some edited (several revisions), as scored events."""
    role_id = draw(st.sampled_from(sorted(ROLES)))
    events = []
    for n in range(draw(st.integers(1, 4))):
        for revision in range(1, draw(st.integers(1, 3)) + 1):
            competencies = draw(st.lists(st.sampled_from(ALL), min_size=1, max_size=5, unique=True))
            event = interview(
                candidate_id="cand", role_id=role_id, interview_id=f"i-{n}", revision=revision,
                ratings={c: draw(ratings) for c in competencies}, notes={c: draw(notes) for c in competencies},
                event_id=uuid.UUID(int=draw(st.integers(0, 2**64))),
            )
            events.append(score_interview(event, RUBRIC, FIXED_TIME))
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


def test_the_fingerprint_is_the_hash_of_the_contents_json_as_first_stored():
    """Fingerprints are stored: a cheaper computation must give exactly the old value."""
    import hashlib
    import json

    flagged = scored("yes", notes={"security": "Stores passwords in plain text."})
    verdict = decide("cand-1", ROLES["backend-engineer"], state(flagged, scored("strong_yes", notes=STRONG_NOTES)))
    assert verdict.red_flags and verdict.interviews
    as_first_stored = {
        "decision": verdict.decision.value, "score": verdict.score,
        "competencies": [c.model_dump(mode="json") for c in verdict.competencies],
        "red_flags": [f.model_dump(mode="json") for f in verdict.red_flags],
        "interviews": [i.model_dump(mode="json") for i in verdict.interviews],
        "reasons": list(verdict.reasons), "rubric_version": verdict.rubric_version,
    }
    assert verdict.fingerprint() == hashlib.sha256(json.dumps(as_first_stored, sort_keys=True).encode()).hexdigest()
