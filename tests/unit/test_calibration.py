"""Interviewer calibration: offsets against the rest of the loop, named in the record, an opt-in adjustment."""

import uuid
from datetime import UTC, datetime

from schemas.events import InterviewScored
from schemas.rubric import load_roles
from schemas.scales import Competency, Decision, Rating
from services.aggregation.calibration import Said, calibrate
from services.aggregation.decision import assessments, decide
from tests.factories import on_the_wire
from tests.fakes import InMemoryAggregationStore

ROLE = load_roles()["backend-engineer"]
SEC = Competency.SECURITY


def scored(candidate: str, interviewer: str, ratings: dict[Competency, str]) -> InterviewScored:
    interview = f"{candidate}-{interviewer}"
    return on_the_wire(
        InterviewScored.model_validate(
            {
                "event_id": str(uuid.uuid4()),
                "source_event_id": str(uuid.uuid4()),
                "interview_id": interview,
                "revision": 1,
                "candidate_id": candidate,
                "role_id": ROLE.id,
                "interviewer_id": interviewer,
                "rubric_version": "test",
                "scored_at": datetime(2026, 12, 1, tzinfo=UTC).isoformat(),
                "scores": [
                    {
                        "competency": c.value,
                        "score": Rating(r).score,
                        "rating": r,
                        "signals": [],
                        "red_flags": [],
                        "confidence": 0.5,
                        "supported_by_notes": False,
                    }
                    for c, r in ratings.items()
                ],
            }
        )
    )


def history() -> list[InterviewScored]:
    """12 loops: intv-7 rates security strong_yes; the others yes+yes (offset +1.0), or no+yes (+1.5)."""
    loops = []
    for n in range(12):
        second = "yes" if n < 6 else "no"
        loops += [
            scored(f"h{n}", "intv-7", {SEC: "strong_yes"}),
            scored(f"h{n}", "intv-a", {SEC: "yes"}),
            scored(f"h{n}", "intv-b", {SEC: second}),
        ]
    return loops


def said(interviews: list[InterviewScored]) -> list[Said]:
    return assessments(interviews)


def test_offsets_spread_and_counts_are_those_of_the_loops():
    calibration = calibrate(said(history()))
    lenient = calibration[("intv-7", SEC)]
    assert (lenient.offset, lenient.interviews) == (1.25, 12)
    assert abs(lenient.spread - 0.261) < 0.001  # sd of six 1.0 and six 1.5
    assert lenient.rating_offset == 1.25
    assert lenient.sentence() == "intv-7 rates security 1.25 points above their loops over 12 interviews (spread 0.26)"
    # intv-b: yes against strong_yes and yes (3.5) six times: -0.5; no against 3.5 six times: -1.5
    harsh = calibration[("intv-b", SEC)]
    assert (harsh.offset, harsh.interviews) == (-1.0, 12)
    assert harsh.sentence().startswith("intv-b rates security 1.00 points below their loops")
    # intv-a: yes against (4.0, 3.0) six times: -0.5; against (4.0, 2.0) six times: 0.0
    steady = calibration[("intv-a", SEC)]
    assert steady.offset == -0.25
    assert lenient.beyond(ROLE) and harsh.beyond(ROLE) and not steady.beyond(ROLE)


def test_an_interviewer_alone_on_a_competency_has_no_offset_and_a_short_history_is_not_named():
    calibration = calibrate(said([scored("x", "solo", {SEC: "yes"})]))
    assert calibration == {}
    few = calibrate(said(history()[:9]))  # three loops
    assert not few[("intv-7", SEC)].beyond(ROLE)


def loop() -> dict[str, InterviewScored]:
    """intv-7's strong_yes on security lifts the loop just over the bar (2.99 against 2.90)."""
    all_yes = dict.fromkeys(Competency, "yes")
    interviews = [
        scored("c1", "intv-7", {**all_yes, SEC: "strong_yes"}),
        scored(
            "c1", "intv-x", {**all_yes, Competency.CONCURRENCY: "mixed", Competency.RELIABILITY_OBSERVABILITY: "mixed"}
        ),
    ]
    return {i.interview_id: i for i in interviews}


def test_the_record_names_an_interviewer_beyond_the_threshold_and_decides_as_before_by_default():
    calibration = calibrate(said(history()))
    plain = decide("c1", ROLE, loop())
    named = decide("c1", ROLE, loop(), calibration)
    assert plain.decision == named.decision == Decision.HIRE
    assert named.calibration == (
        "intv-7 rates security 1.25 points above their loops over 12 interviews (spread 0.26)",
    )
    assert named.reasons == plain.reasons
    # a history growing is no news for the pair: the sentences do not change its fingerprint
    assert plain.calibration == () and plain.fingerprint() == named.fingerprint()


def test_when_the_role_adjusts_the_named_score_is_corrected_and_the_record_says_what_changed():
    adjusting = ROLE.model_copy(update={"calibration_adjust": True})
    verdict = decide("c1", adjusting, loop(), calibrate(said(history())))
    assert verdict.decision == Decision.NO_HIRE
    [reason] = [r for r in verdict.reasons if r.startswith("calibration adjustment")]
    assert reason == (
        "calibration adjustment (backend-engineer sets calibration_adjust): intv-7's security counted 1.25 lower; "
        "weighted score 2.99 without it, 2.89 with it: hire without it, no_hire with it"
    )
    security = next(c for c in verdict.competencies if c.competency == SEC)
    assert security.score == 2.875
    assert [a.score for a in security.assessments] == [4.0, 3.0]  # the record still shows what was scored


async def test_the_in_memory_store_reads_assessments_as_postgres_does():
    store = InMemoryAggregationStore()
    async with store.transaction() as pairs:
        await pairs.load([("h0", ROLE.id)])
        await pairs.save(history()[:3], [])
    assert {(s.interviewer_id, s.score) for s in await store.assessments()} == {
        ("intv-7", 4.0),
        ("intv-a", 3.0),
        ("intv-b", 3.0),
    }
