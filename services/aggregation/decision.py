"""From the latest scored interviews of a candidate-role pair to a recommendation.

Three pure steps, each a plain function over contract models:

1. `merge`: the state of a pair is the latest revision of each interview. An older
   revision arriving late is ignored and the same event twice counts once; ties at the
   same revision are broken by rubric version and then source event id, so the state
   depends only on the *set* of events, never on their order. A retraction is terminal:
   it supersedes every revision of its interview, before or after it.
2. `decide`: per competency, the confidence-weighted mean of the interviews that assessed
   it; per role, the weight-weighted mean of the competencies; then the role profile's
   rules, each of which says what it did in `reasons`.
3. `next_recommendation`: a new `version` only when the decision's content changed; an
   unchanged decision is not re-published.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas.events import (
    CompetencySummary,
    CountedInterview,
    InterviewRetracted,
    InterviewScored,
    Recommendation,
    RedFlag,
    record_key,
)
from schemas.rubric import RoleProfile
from schemas.scales import Competency, Decision

RECOMMENDATION_NAMESPACE = uuid.UUID("0d6f1c3a-6a51-4f51-8d7e-5b0f9a3e2c77")
MIN_WEIGHT = 0.05
"""A score with zero confidence still counts a little, so a lone guess is not ignored."""

RANK = [Decision.STRONG_NO_HIRE, Decision.NO_HIRE, Decision.HIRE, Decision.STRONG_HIRE]

Entry = InterviewScored | InterviewRetracted
Interviews = Mapping[str, Entry]
"""The state of one pair: interview_id -> the latest InterviewScored of that interview,
or its retraction."""


def _precedence(event: InterviewScored) -> tuple[int, str, str]:
    return (event.revision, event.rubric_version, str(event.source_event_id))


def supersedes(incoming: Entry, current: Entry | None) -> bool:
    if current is None:
        return True
    if isinstance(current, InterviewRetracted):
        return False  # terminal; the first retraction is kept
    if isinstance(incoming, InterviewRetracted):
        return True
    return _precedence(incoming) > _precedence(current)


def merge(state: Interviews, events: Iterable[Entry]) -> tuple[dict[str, Entry], list[str]]:
    """The new state, and the ids of the interviews whose counted event changed."""
    merged = dict(state)
    changed: list[str] = []
    for event in events:
        if supersedes(event, merged.get(event.interview_id)):
            merged[event.interview_id] = event
            if event.interview_id not in changed:
                changed.append(event.interview_id)
    return merged, changed


@dataclass(frozen=True)
class Verdict:
    """The content of a recommendation: everything but its id, version and time."""

    candidate_id: str
    role_id: str
    decision: Decision
    score: float | None
    competencies: tuple[CompetencySummary, ...]
    red_flags: tuple[RedFlag, ...]
    interviews: tuple[CountedInterview, ...]
    reasons: tuple[str, ...]
    rubric_version: str

    def fingerprint(self) -> str:
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> str:
        """The hash of the content as JSON. Built from plain dicts, not `model_dump`: the same
        JSON (a test holds them equal, so stored fingerprints stay valid) at a third of the
        cost, and computed once per verdict."""
        content = {
            "decision": self.decision.value,
            "score": self.score,
            "competencies": [
                {"competency": c.competency.value, "score": c.score, "weight": c.weight, "interviews": c.interviews}
                for c in self.competencies
            ],
            "red_flags": [
                {"competency": f.competency.value, "signal": f.signal, "interview_id": f.interview_id} for f in self.red_flags
            ],
            "interviews": [{"interview_id": i.interview_id, "revision": i.revision} for i in self.interviews],
            "reasons": list(self.reasons),
            "rubric_version": self.rubric_version,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def decide(candidate_id: str, role: RoleProfile, interviews: Interviews) -> Verdict:
    ordered = [e for _, e in sorted(interviews.items()) if isinstance(e, InterviewScored)]
    retracted = len(interviews) - len(ordered)
    competencies = _combine(role, ordered)
    scores = {c.competency: c.score for c in competencies if c.score is not None}
    red_flags = tuple(
        sorted(
            (RedFlag(competency=s.competency, signal=flag, interview_id=i.interview_id)
             for i in ordered for s in i.scores for flag in s.red_flags),
            key=lambda f: (f.competency.value, f.signal, f.interview_id),
        )
    )
    counted = tuple(CountedInterview(interview_id=i.interview_id, revision=i.revision) for i in ordered)
    rubric_version = max((i.rubric_version for i in ordered), default="")
    decision, score, reasons = _apply_rules(role, scores, red_flags)
    if retracted:
        reasons.append(f"{retracted} retracted interview(s) not counted")
    return Verdict(candidate_id, role.id, decision, score, competencies, red_flags, counted, tuple(reasons), rubric_version)


def _combine(role: RoleProfile, interviews: Sequence[InterviewScored]) -> tuple[CompetencySummary, ...]:
    summaries = []
    for competency in Competency:
        if competency not in role.weights and competency not in role.required:
            continue
        entries = [(s.score, max(s.confidence, MIN_WEIGHT)) for i in interviews for s in i.scores if s.competency == competency]
        total = sum(w for _, w in entries)
        score = round(sum(v * w for v, w in entries) / total, 3) if entries else None
        summaries.append(
            CompetencySummary(competency=competency, score=score, weight=role.weights.get(competency, 0.0), interviews=len(entries))
        )
    return tuple(summaries)


def _apply_rules(
    role: RoleProfile, scores: Mapping[Competency, float], red_flags: Sequence[RedFlag]
) -> tuple[Decision, float | None, list[str]]:
    reasons: list[str] = []
    flagged = sorted({f.competency.value for f in red_flags})
    missing = [c.value for c in role.required if c not in scores]
    if missing:
        reasons.append(f"insufficient evidence: no interview assessed {', '.join(missing)} (required for {role.id})")
        if flagged:
            reasons.append(f"red flags already noted in {', '.join(flagged)}")
        return Decision.INSUFFICIENT_EVIDENCE, None, reasons

    weighted = {c: role.weights.get(c, 0.0) for c in scores}
    total_weight = sum(weighted.values())
    overall = round(sum(scores[c] * w for c, w in weighted.items()) / total_weight, 3)
    decision = _band(role, overall)
    relation = "at or above" if overall >= role.bar else "below"
    reasons.append(f"weighted score {overall:.2f} is {relation} the hiring bar {role.bar:.2f}: {decision.value}")

    below_floor = sorted(c.value for c, s in scores.items() if s < role.floor and c in weighted)
    if below_floor and RANK.index(decision) > RANK.index(Decision.NO_HIRE):
        decision = Decision.NO_HIRE
        reasons.append(f"{', '.join(below_floor)} below the floor {role.floor:.2f}: hire refused")

    other_flags = sorted({f.signal for f in red_flags if f.competency not in role.veto_competencies})
    if other_flags:
        lowered = RANK[max(0, RANK.index(decision) - 1)]
        reasons.append(f"red flags {', '.join(other_flags)}: decision lowered one step to {lowered.value}")
        decision = lowered

    veto_flags = sorted({f.signal for f in red_flags if f.competency in role.veto_competencies})
    if veto_flags:
        cap = Decision.STRONG_NO_HIRE if overall < role.bar else Decision.NO_HIRE
        if RANK.index(decision) > RANK.index(cap):
            decision = cap
        reasons.append(f"red flags {', '.join(veto_flags)} veto a hire: {decision.value}")
    return decision, overall, reasons


def _band(role: RoleProfile, overall: float) -> Decision:
    if overall >= role.bar + role.strong_margin:
        return Decision.STRONG_HIRE
    if overall >= role.bar:
        return Decision.HIRE
    if overall >= role.bar - role.strong_no_margin:
        return Decision.NO_HIRE
    return Decision.STRONG_NO_HIRE


@dataclass(frozen=True)
class Published:
    """What was last published for a pair: enough to know whether a verdict is news."""

    version: int
    fingerprint: str


def next_recommendation(verdict: Verdict, previous: Published | None, issued_at: datetime) -> Recommendation | None:
    """The recommendation to publish, or None when the verdict says nothing new."""
    fingerprint = verdict.fingerprint()
    if previous is not None and previous.fingerprint == fingerprint:
        return None
    if previous is None and not verdict.interviews:
        return None  # only retractions for a pair never recommended: nothing to tell anyone
    version = previous.version + 1 if previous else 1
    key = record_key(verdict.candidate_id, verdict.role_id)
    return Recommendation(
        event_id=uuid.uuid5(RECOMMENDATION_NAMESPACE, f"{key}|{version}|{fingerprint}"),
        candidate_id=verdict.candidate_id,
        role_id=verdict.role_id,
        decision=verdict.decision,
        score=verdict.score,
        competencies=list(verdict.competencies),
        red_flags=list(verdict.red_flags),
        interviews=list(verdict.interviews),
        reasons=list(verdict.reasons),
        rubric_version=verdict.rubric_version,
        version=version,
        issued_at=issued_at,
    )
