"""The event contracts between the ATS, the two services and recruiters.

Field names are fixed: the ATS and recruiters integrate against them. A change that
removes, renames or narrows a field needs a new topic version (`.v2`); the committed
JSON Schema files in `schemas/jsonschema/` and `tests/unit/test_contract_compatibility.py`
catch an accidental one.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from schemas.rubric import role_ids
from schemas.scales import RATING_SCORES, Competency, Decision, Rating

__all__ = [
    "RATING_SCORES",
    "Competency",
    "Decision",
    "Rating",
]

SCHEMA_VERSION = 1

# --- the bounds of the contract -------------------------------------------------------
# What the stores and the broker can hold, said once: a record outside them is refused at
# the edge (dead-lettered with a reason naming the bound), never retried against a
# database that refuses it. The README's "Bounds" table and the JSON Schema say the same.
MAX_NOTES_CHARS = 20_000
"""Interview notes longer than this are not notes but a pasted document: rejected."""
MAX_ID_CHARS = 200
"""Ids (interview, candidate, role, interviewer) and the correlation id header."""
MAX_REVISION = 2**63 - 1
"""The largest revision: a signed 64-bit integer, as PostgreSQL's bigint stores it."""
MAX_RUBRIC_VERSION_CHARS = 64
MAX_SIGNAL_CHARS = 200
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f-\x9f]*$"
"""No C0 or C1 control character and no DEL: PostgreSQL refuses NUL in text, and the others
turn a log line or a terminal into something else."""

Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_ID_CHARS, pattern=r"^[^:\x00-\x1f\x7f-\x9f]+$"
    ),
]
"""An opaque id from the ATS: 1 to 200 characters, no control character, no ':' (the record
key is `candidate_id:role_id`)."""


def _known_role(role_id: str) -> str:
    known = role_ids()
    if role_id not in known:
        raise ValueError(f"unknown role {role_id!r}; known roles: {', '.join(sorted(known))}")
    return role_id


KnownRole = Annotated[Identifier, AfterValidator(_known_role)]
"""A role_id with a role profile in `schemas/data/roles.toml`: what the ATS publishes."""

REVISION = (
    "An ordering number, not a time: an edited scorecard is re-sent with a higher revision, and the "
    "highest revision of an interview counts. Any integer from 1 to 2^63-1 (stored as 64 bits); the "
    "Greenhouse adapter uses the scorecard's updated_at in milliseconds since 1970."
)
"""The one place the unit of `revision` is said; every model with a revision refers to it.

Its maximum (2^63-1) was added after v1 was released: a larger revision never could be
stored (it overflowed the bigint column and stalled its partition, #14), so the bound
refuses nothing that ever worked; `schemas/tooling/json_schema.CONTRACT_FIXES` records it."""
Revision = Annotated[int, Field(ge=1, le=MAX_REVISION, description=REVISION)]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    @property
    def key(self) -> str:
        """The Kafka record key: all events of one candidate-role pair share a partition."""
        return record_key(self.candidate_id, self.role_id)  # type: ignore[attr-defined]


def record_key(candidate_id: str, role_id: str) -> str:
    return f"{candidate_id}:{role_id}"


# --- ats.interview-completed.v1 ---------------------------------------------------


class Assessment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    competency: Competency
    rating: Rating | None = Field(description="The interviewer's rating; null means no decision (notes only).")
    notes: str = Field(default="", max_length=MAX_NOTES_CHARS)


class InterviewCompleted(_Event):
    """Published by the ATS each time an interview's scorecard is submitted or edited."""

    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: uuid.UUID = Field(description="Idempotency key: a re-delivery carries the same event_id.")
    occurred_at: AwareDatetime
    interview_id: Identifier
    revision: Revision
    candidate_id: Identifier
    role_id: KnownRole
    interviewer_id: Identifier
    assessments: list[Assessment] = Field(min_length=1, max_length=5)
    overall_recommendation: Rating | None = None

    @field_validator("assessments")
    @classmethod
    def _one_assessment_per_competency(cls, assessments: list[Assessment]) -> list[Assessment]:
        seen = [a.competency for a in assessments]
        if len(seen) != len(set(seen)):
            raise ValueError("each competency may be assessed at most once per interview")
        return assessments


class InterviewRetracted(_Event):
    """Published when an interview no longer counts: its scorecard or the interview was
    deleted in the ATS. Terminal for that interview_id: a later InterviewCompleted of the
    same interview is not counted again (ATSs do not reuse interview ids).

    Travels on the same topics as the interview's other events, with the record header
    `event_type: InterviewRetracted`, so it stays in order with them on the pair's partition.
    """

    schema_version: Literal[1] = SCHEMA_VERSION
    event_type: Literal["InterviewRetracted"] = "InterviewRetracted"
    event_id: uuid.UUID = Field(description="Idempotency key: a re-delivery carries the same event_id.")
    occurred_at: AwareDatetime
    interview_id: Identifier
    candidate_id: Identifier
    role_id: KnownRole
    reason: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,63}$")] = Field(
        description="Why, as a code such as `scorecard_deleted` or `interview_deleted`; never free text."
    )


# --- hiring.interview-scored.v1 -----------------------------------------------------


READ_RED_FLAG = "notes_model.red_flag"
"""The signal id of a red flag the scorer read from how the notes are written rather than
from a listed bad practice: statistical, so the aggregation asks a debrief to confirm it."""


class Signal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["strong", "weak", "red_flag"]
    signal: str = Field(
        max_length=MAX_SIGNAL_CHARS,
        pattern=NO_CONTROL_CHARACTERS,
        description="The rubric lexicon's id of the signal, e.g. `databases.composite_index`.",
    )
    quote: str = Field(
        max_length=MAX_NOTES_CHARS, description="The words in the notes that matched, so a score explains itself."
    )


class CompetencyScore(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    competency: Competency
    score: float = Field(ge=1.0, le=4.0)
    rating: Rating | None
    signals: list[Signal]
    red_flags: list[str]
    confidence: float = Field(ge=0.0, le=1.0)
    supported_by_notes: bool | None = Field(
        default=None,
        description="Whether the notes give evidence either way. False with a null rating: the interview "
        "did not cover this competency (aggregation does not count it). Null: scored by an older scorer.",
    )


class InterviewScored(_Event):
    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: uuid.UUID = Field(
        description="Derived from source_event_id and rubric_version: a re-run gives the same id."
    )
    source_event_id: uuid.UUID
    interview_id: Identifier
    revision: Revision
    candidate_id: Identifier
    role_id: Identifier
    interviewer_id: Identifier
    rubric_version: str = Field(max_length=MAX_RUBRIC_VERSION_CHARS, pattern=NO_CONTROL_CHARACTERS)
    scored_at: AwareDatetime
    scores: list[CompetencyScore] = Field(min_length=1, max_length=5)
    overall_recommendation: Rating | None = Field(
        default=None, description="The interviewer's own overall vote, copied from InterviewCompleted."
    )


# --- hiring.recommendation.v1 ---------------------------------------------------------
# Everything after the first release is additive with a default, so a v1 reader of the
# topic keeps working; the decision record (who said what, the quotes, the rules applied)
# is what lets a recruiter check a decision rather than trust it.

MAX_QUOTE_CHARS = 160
MAX_QUOTES = 3


class Evidence(BaseModel):
    """One signal the scorer found in an interviewer's notes, with the words it matched."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["strong", "weak", "red_flag"]
    signal: str
    quote: str = Field(max_length=MAX_QUOTE_CHARS)


class AssessmentRecord(BaseModel):
    """One interview's say on one competency."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    interview_id: str
    interviewer_id: str
    rating: Rating | None
    score: float = Field(ge=1.0, le=4.0, description="The scorer's score of this interview on this competency.")
    counted: bool = Field(description="False when the interview did not cover the competency (no rating, no evidence).")
    quotes: list[Evidence] = Field(
        default_factory=list, max_length=MAX_QUOTES, description="The notes that moved the score, at most three."
    )
    red_flags: list[Evidence] = Field(default_factory=list)


class CompetencySummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    competency: Competency
    score: float | None = Field(ge=1.0, le=4.0, description="Null when no interview assessed it.")
    weight: float = Field(ge=0.0, le=1.0)
    interviews: int = Field(ge=0)
    floor: float | None = Field(default=None, description="Below this score the role refuses a hire.")
    veto: bool = Field(default=False, description="A definitely_not or a red flag here vetoes a hire.")
    assessments: list[AssessmentRecord] = Field(default_factory=list)


class RedFlag(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    competency: Competency
    signal: str
    interview_id: str
    interviewer_id: str | None = None
    quote: str | None = Field(default=None, max_length=MAX_QUOTE_CHARS)


class CountedInterview(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    interview_id: str
    revision: Revision


class OverallVote(BaseModel):
    """An interviewer's own overall recommendation, shown beside the computed decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    interview_id: str
    interviewer_id: str
    vote: Rating | None = Field(description="Null: the interviewer gave no overall recommendation.")


class Recommendation(_Event):
    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: uuid.UUID
    candidate_id: Identifier
    role_id: Identifier
    decision: Decision
    score: float | None = Field(ge=1.0, le=4.0, description="Weighted score; null when evidence is insufficient.")
    competencies: list[CompetencySummary]
    red_flags: list[RedFlag]
    interviews: list[CountedInterview]
    reasons: list[str] = Field(description="Each rule that decided, citing the threshold it applied.")
    rubric_version: str
    version: int = Field(
        ge=1, description="Strictly increasing per key; bumped only when the decision content changes."
    )
    issued_at: AwareDatetime
    role_version: str | None = Field(default=None, description="The version of the role profiles that decided.")
    partial_score: float | None = Field(
        default=None,
        ge=1.0,
        le=4.0,
        description="insufficient_evidence only: the weighted score of what the loop covered so far.",
    )
    missing_competencies: list[Competency] = Field(
        default_factory=list, description="insufficient_evidence: required competencies no interview covered."
    )
    interviewers_needed: int = Field(
        default=0, ge=0, description="insufficient_evidence: how many more distinct interviewers the role needs."
    )
    needs_debrief: bool = Field(default=False, description="The loop disagrees with itself: talk before acting.")
    debrief_reasons: list[str] = Field(default_factory=list)
    votes: list[OverallVote] = Field(default_factory=list)
    overrides: list[str] = Field(
        default_factory=list,
        description="Where the notes or the loop's rules overrode an interviewer's rating, in words.",
    )
    calibration: list[str] = Field(
        default_factory=list,
        description="Interviewers of this loop who rate a competency beyond the role's calibration threshold "
        "against their past loops, in words; when the role adjusts for it, what the adjustment changed.",
    )


EVENT_MODELS: dict[str, type[BaseModel]] = {
    "InterviewCompleted": InterviewCompleted,
    "InterviewRetracted": InterviewRetracted,
    "InterviewScored": InterviewScored,
    "Recommendation": Recommendation,
}


def describe_validation_error(exc: ValidationError, model: str = "InterviewCompleted") -> str:
    """One line naming the first offending field, e.g. `assessments.0.rating: Input should be ...`.

    Never includes the offending input itself: it may be notes text or a name.
    """
    error = exc.errors(include_input=False, include_url=False)[0]
    field = ".".join(str(part) for part in error["loc"]) or "(document)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"invalid {model}: {field}: {error['msg']}{more}"
