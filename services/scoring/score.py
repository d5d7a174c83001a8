"""Scores one interview against the rubric: ratings anchor, notes move and explain.

The rules, per assessed competency:
- With a rating, the rating's value anchors the score and the notes' evidence moves it
  by at most half a step (0.25 per net strong-over-weak signal). Evidence that agrees
  with the rating raises confidence; evidence that contradicts it lowers confidence.
- Without a rating, the notes alone decide: strong signals only give at least 3.0 (yes),
  weak signals only give at most 2.0 (no), mixed evidence lands between, and no evidence
  at all gives a neutral 2.5 with low confidence.
- A red flag caps the competency at 2.0 whatever the rating, and is always reported.

Pure and deterministic: the clock value comes in as an argument, and the output event's
id is derived from the input event's id and the rubric version, so re-scoring the same
event gives byte-identical output.

Two faces, one set of rules: `score_interview` takes and gives the contract models (the
command line, the dry run, the tools); `score_interview_wire` the hot path's Structs
(`schemas.wire`, the scoring service), the same scores and the same JSON.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from schemas import wire
from schemas.events import Assessment, CompetencyScore, InterviewCompleted, InterviewScored, Signal
from schemas.rubric import Rubric
from schemas.scales import Rating
from services.scoring.evidence import Evidence, Lexicon, Scanned, assess, compile_lexicon, scan_notes

SCORED_EVENT_NAMESPACE: Final = uuid.UUID("6f2c8f64-2b0e-4f7e-9d55-1c1f3b8a9e10")
STEP: Final = 0.25
MAX_NUDGE: Final = 0.5
RED_FLAG_CAP: Final = 2.0
NEUTRAL: Final = 2.5
CLEAR: Final = 0.75
"""Net evidence from which the notes alone say yes or no."""


def scored_event_id(source_event_id: uuid.UUID, rubric_version: str) -> uuid.UUID:
    """`uuid.uuid5(SCORED_EVENT_NAMESPACE, f"{source_event_id}|{rubric_version}")`, computed as
    uuid5 does but without its per-call import and its checks (a third of the cost)."""
    digest = hashlib.sha1(_NAMESPACE + f"{source_event_id}|{rubric_version}".encode()).digest()
    return uuid.UUID(int=int.from_bytes(digest[:16]) & _KEEP | _VERSION_5)


_NAMESPACE: Final = SCORED_EVENT_NAMESPACE.bytes
_KEEP: Final = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_VERSION_5: Final = (5 << 76) | (0x8000 << 48)
"""The version (5) and variant (RFC 4122) bits, as `uuid.UUID(..., version=5)` sets them."""


def scan_interviews(
    events: Sequence[InterviewCompleted] | Sequence[wire.InterviewCompleted], rubric: Rubric
) -> list[list[Scanned | None]]:
    """Every note of a run of interviews scanned back to back (`evidence.scan_notes`), per
    interview and assessment, for `score_interview(..., scanned=)`: the same scores for less
    CPU than scanning each note as it is read. The service scans its batch this way, a few
    dozen interviews at a time."""
    notes = [(a.notes, a.competency) for event in events for a in event.assessments]
    found = iter(scan_notes(notes, compile_lexicon(rubric)))
    return [list(itertools.islice(found, len(event.assessments))) for event in events]


def score_interviews(
    events: Sequence[InterviewCompleted], rubric: Rubric, scored_at: datetime
) -> list[InterviewScored]:
    """`score_interview` of each event, their notes scanned together first (`scan_interviews`)."""
    return [
        score_interview(event, rubric, scored_at, scanned=scanned)
        for event, scanned in zip(events, scan_interviews(events, rubric), strict=True)
    ]


def score_interviews_wire(
    events: Sequence[wire.InterviewCompleted], rubric: Rubric, scored_at: str
) -> list[wire.InterviewScored]:
    """`score_interview_wire` of each event, their notes scanned together first: what the
    scoring handler does with each run of a batch (it also keeps one event's failure to
    itself, and lets the event loop in between)."""
    return [
        score_interview_wire(event, rubric, scored_at, scanned=scanned)
        for event, scanned in zip(events, scan_interviews(events, rubric), strict=True)
    ]


def score_interview(
    event: InterviewCompleted,
    rubric: Rubric,
    scored_at: datetime,
    lexicon: Lexicon | None = None,
    scanned: Sequence[Scanned | None] | None = None,
) -> InterviewScored:
    """`lexicon`: the rubric compiled for another search than the default (tests compare them).
    `scanned`: the event's notes already scanned (`scan_interviews`), one per assessment."""
    lexicon = lexicon or compile_lexicon(rubric)
    found = scanned or [None] * len(event.assessments)
    scores = [
        score_assessment(assessment, assess(assessment.notes, assessment.competency, lexicon, scan))
        for assessment, scan in zip(event.assessments, found, strict=True)
    ]
    return InterviewScored(
        event_id=scored_event_id(event.event_id, rubric.version),
        source_event_id=event.event_id,
        interview_id=event.interview_id,
        revision=event.revision,
        candidate_id=event.candidate_id,
        role_id=event.role_id,
        interviewer_id=event.interviewer_id,
        rubric_version=rubric.version,
        scored_at=scored_at,
        scores=scores,
        overall_recommendation=event.overall_recommendation,
    )


def score_interview_wire(
    event: wire.InterviewCompleted,
    rubric: Rubric,
    scored_at: str,
    lexicon: Lexicon | None = None,
    scanned: Sequence[Scanned | None] | None = None,
) -> wire.InterviewScored:
    """`score_interview` on the hot path's Structs: the same event, as `schemas.wire` holds it.
    `scored_at` as `wire.instant()` writes it."""
    lexicon = lexicon or compile_lexicon(rubric)
    scores = []
    found = scanned or [None] * len(event.assessments)
    for assessment, scan in zip(event.assessments, found, strict=True):
        evidence = assess(assessment.notes, assessment.competency, lexicon, scan)
        score, confidence, red_flags = _judged(assessment.rating, evidence)
        scores.append(
            wire.CompetencyScore(
                competency=assessment.competency,
                score=score,
                rating=assessment.rating,
                signals=list(evidence.signals),
                red_flags=red_flags,
                confidence=confidence,
                supported_by_notes=evidence.supported,
            )
        )
    return wire.InterviewScored(
        event_id=scored_event_id(event.event_id, rubric.version),
        source_event_id=event.event_id,
        interview_id=event.interview_id,
        revision=event.revision,
        candidate_id=event.candidate_id,
        role_id=event.role_id,
        interviewer_id=event.interviewer_id,
        rubric_version=rubric.version,
        scored_at=scored_at,
        scores=scores,
        overall_recommendation=event.overall_recommendation,
    )


def score_assessment(assessment: Assessment, evidence: Evidence) -> CompetencyScore:
    score, confidence, red_flags = _judged(assessment.rating, evidence)
    return CompetencyScore(
        competency=assessment.competency,
        score=score,
        rating=assessment.rating,
        signals=[Signal(kind=s.kind, signal=s.signal, quote=s.quote) for s in evidence.signals],
        red_flags=red_flags,
        confidence=confidence,
        supported_by_notes=evidence.supported,
    )


def _judged(rating: Rating | None, evidence: Evidence) -> tuple[float, float, list[str]]:
    """Score, confidence (both rounded as published) and red flags of one competency."""
    red_flags = list(evidence.red_flags)
    if rating is not None:
        score, confidence = _rated(rating, evidence.weight)
    else:
        score, confidence = _unrated(evidence)
    if red_flags:
        score = min(score, RED_FLAG_CAP)
        confidence = max(confidence, 0.6)  # a red flag is explicit evidence, not a guess
    return round(score, 3), round(confidence, 3), red_flags


def _rated(rating: Rating, weight: float) -> tuple[float, float]:
    """The rating anchors; the notes move it by at most half a step either way."""
    anchor = rating.score
    score = _clamp(anchor + _clamp(STEP * weight, -MAX_NUDGE, MAX_NUDGE), 1.0, 4.0)
    agrees = (weight > 0 and anchor >= 3.0) or (weight < 0 and anchor <= 2.5)
    contradicts = (weight > 0 and anchor <= 2.0) or (weight < 0 and anchor >= 3.0)
    if agrees:
        confidence = min(0.95, 0.7 + 0.05 * abs(weight))
    elif contradicts:
        confidence = 0.45
    else:
        confidence = 0.6
    return score, confidence


def _unrated(evidence: Evidence) -> tuple[float, float]:
    """Notes alone: clear evidence for gives at least yes (3.0), against at most no (2.0);
    evidence that cancels out lands between; no evidence at all is a neutral 2.5 that the
    output marks as not supported by the notes."""
    weight = evidence.weight
    if not evidence.supported:
        return NEUTRAL, 0.1
    certainty = min(0.7, 0.35 + 0.1 * abs(weight))
    if weight >= CLEAR:
        return _clamp(3.0 + STEP * (weight - 1), 3.0, 4.0), certainty
    if weight <= -CLEAR:
        return _clamp(2.0 + STEP * (weight + 1), 1.0, 2.0), certainty
    return NEUTRAL + weight / 2, 0.3


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
