"""The fixed vocabularies of the contracts: competencies, the rating scale, decisions."""

from __future__ import annotations

import enum


class Competency(str, enum.Enum):
    API_DESIGN = "api_design"
    DATABASES = "databases"
    CONCURRENCY = "concurrency"
    RELIABILITY_OBSERVABILITY = "reliability_observability"
    SECURITY = "security"


class Rating(str, enum.Enum):
    """Greenhouse's scorecard attribute scale, so an ATS adapter maps it one to one."""

    DEFINITELY_NOT = "definitely_not"
    NO = "no"
    MIXED = "mixed"
    YES = "yes"
    STRONG_YES = "strong_yes"

    @property
    def score(self) -> float:
        return RATING_SCORES[self]


RATING_SCORES: dict[Rating, float] = {
    Rating.DEFINITELY_NOT: 1.0,
    Rating.NO: 2.0,
    Rating.MIXED: 2.5,
    Rating.YES: 3.0,
    Rating.STRONG_YES: 4.0,
}


class Decision(str, enum.Enum):
    STRONG_HIRE = "strong_hire"
    HIRE = "hire"
    NO_HIRE = "no_hire"
    STRONG_NO_HIRE = "strong_no_hire"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
