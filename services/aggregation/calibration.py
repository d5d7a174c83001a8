"""Interviewer calibration: how each interviewer's ratings and scores sit against the rest
of their loops. Pure functions.

For every interview an interviewer gave on a competency that someone else in the same
loop (candidate and role) also covered, the offset is their counted score minus the mean
of the others' (the rating's offset likewise, where both rated). Per interviewer and
competency: the mean offset, its spread (standard deviation) and the number of interviews
it rests on. A positive offset rates above the loop (lenient), a negative one below (harsh).

The aggregation service computes it from the scored interviews it already stores (its own
schema, no new input), refreshes it in the background and hands it to `decide`: the
decision record names an interviewer of the loop whose offset is beyond the role's
`calibration_threshold` on at least `calibration_min_interviews` interviews, and when the
role sets `calibration_adjust`, their score on that competency counts corrected by it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from schemas.rubric import RoleProfile
from schemas.scales import RATING_SCORES, Competency, Rating


@dataclass(frozen=True)
class Said:
    """One interview's assessment of one competency, as calibration needs it."""

    candidate_id: str
    role_id: str
    interview_id: str
    interviewer_id: str
    competency: Competency
    score: float
    """The counted score (a definitely_not counts 1.0)."""
    rating: Rating | None


@dataclass(frozen=True)
class Offset:
    interviewer_id: str
    competency: Competency
    offset: float
    """Mean of (their counted score - the mean of the rest of the loop), in points of the scale."""
    spread: float
    interviews: int
    rating_offset: float | None = None
    """The same on ratings alone, over the interviews where they and someone else rated."""

    def beyond(self, role: RoleProfile) -> bool:
        return self.interviews >= role.calibration_min_interviews and abs(self.offset) >= role.calibration_threshold

    def sentence(self) -> str:
        """`intv-7 rates security 1.10 points above their loops over 23 interviews (spread 0.40)`"""
        direction = "above" if self.offset >= 0 else "below"
        return (
            f"{self.interviewer_id} rates {self.competency.value} {abs(self.offset):.2f} points {direction} "
            f"their loops over {self.interviews} interviews (spread {self.spread:.2f})"
        )


Calibration = Mapping[tuple[str, Competency], Offset]
"""(interviewer_id, competency) -> their offset"""


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _spread(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def calibrate(assessments: Iterable[Said]) -> dict[tuple[str, Competency], Offset]:
    """Every interviewer's offset per competency, from the covered assessments of every loop."""
    loops: dict[tuple[str, str, Competency], list[Said]] = defaultdict(list)
    for said in assessments:
        loops[(said.candidate_id, said.role_id, said.competency)].append(said)
    scores: dict[tuple[str, Competency], list[float]] = defaultdict(list)
    ratings: dict[tuple[str, Competency], list[float]] = defaultdict(list)
    for entries in loops.values():
        for said in entries:
            others = [o for o in entries if o.interviewer_id != said.interviewer_id]
            if not others:
                continue
            key = (said.interviewer_id, said.competency)
            scores[key].append(said.score - _mean([o.score for o in others]))
            rated = [RATING_SCORES[o.rating] for o in others if o.rating is not None]
            if said.rating is not None and rated:
                ratings[key].append(RATING_SCORES[said.rating] - _mean(rated))
    return {
        key: Offset(
            interviewer_id=key[0],
            competency=key[1],
            offset=round(_mean(values), 3),
            spread=round(_spread(values), 3),
            interviews=len(values),
            rating_offset=round(_mean(ratings[key]), 3) if ratings.get(key) else None,
        )
        for key, values in sorted(scores.items(), key=lambda kv: (kv[0][0], kv[0][1].value))
    }


def beyond_threshold(role: RoleProfile, calibration: Calibration) -> list[Offset]:
    return [o for o in calibration.values() if o.beyond(role)]
