"""From a Greenhouse Harvest scorecard to an InterviewCompleted event: pure functions.

Greenhouse knows nothing of our rubric. A mapping file the user edits says which job is
which role, and which scorecard attribute (or custom question) speaks to which
competency. Everything else follows fixed rules:

- the interview is the scorecard: `interview_id` is `greenhouse-scorecard-<id>`;
- an edit is a new revision: `revision` is `updated_at` in milliseconds, and `event_id`
  is derived from the scorecard id and `updated_at`, so fetching the same version twice
  gives the same event (the pipeline counts it once) and an edit a new, higher one;
- ratings keep Greenhouse's scale (our `Rating` is that scale); `no_decision` is null;
  several attributes mapped to one competency are averaged to the nearest rating,
  rounding down (a tie between `yes` and `mixed` is `mixed`: the bar is not lowered);
- notes are attribute notes and mapped question answers, HTML stripped;
- private notes are never scoring input, whatever the mapping says;
- only ids leave Greenhouse: no names, no emails.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from schemas.events import MAX_NOTES_CHARS, InterviewCompleted, InterviewRetracted
from schemas.rubric import role_ids
from schemas.scales import RATING_SCORES, Competency, Rating

NAMESPACE = uuid.UUID("6c1f3f0e-2b7a-4d0b-9a57-1f6f2f0c9e41")
PRIVATE_QUESTION = re.compile(r"private", re.IGNORECASE)


# --- what we read of Harvest's JSON (documented field names; everything else ignored) ---


class _Harvest(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class HarvestUser(_Harvest):
    id: int


class HarvestAttribute(_Harvest):
    name: str
    type: str | None = None
    note: str | None = None
    rating: str | None = None


class HarvestQuestion(_Harvest):
    id: int | None = None
    question: str
    answer: str | None = None


class HarvestScorecard(_Harvest):
    id: int
    updated_at: AwareDatetime
    submitted_at: AwareDatetime | None = None
    candidate_id: int
    application_id: int
    interviewer: HarvestUser | None = None
    submitted_by: HarvestUser | None = None
    overall_recommendation: str | None = None
    attributes: list[HarvestAttribute] = Field(default_factory=list)
    questions: list[HarvestQuestion] = Field(default_factory=list)


# --- the user's mapping file ------------------------------------------------------------


class GreenhouseMapping(BaseModel):
    """`jobs`: Greenhouse job id -> role_id; `attributes`: attribute name -> competency;
    `questions`: custom question text -> competency (optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jobs: dict[int, str]
    attributes: dict[str, Competency]
    questions: dict[str, Competency] = Field(default_factory=dict)

    @field_validator("jobs")
    @classmethod
    def _known_roles(cls, jobs: dict[int, str]) -> dict[int, str]:
        unknown = sorted(set(jobs.values()) - role_ids())
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)}; known roles: {', '.join(sorted(role_ids()))}")
        return jobs

    @field_validator("questions")
    @classmethod
    def _never_private_notes(cls, questions: dict[str, Competency]) -> dict[str, Competency]:
        private = [q for q in questions if PRIVATE_QUESTION.search(q)]
        if private:
            raise ValueError(f"private notes are not scoring input: remove {private[0]!r} from [questions]")
        return questions

    @classmethod
    def load(cls, path: Path) -> GreenhouseMapping:
        with path.open("rb") as f:
            return cls.model_validate(tomllib.load(f))


# --- the mapping ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A scorecard that yields no event, and why (a code, safe to log and count)."""

    scorecard_id: int
    reason: str


def interview_id(scorecard_id: int) -> str:
    return f"greenhouse-scorecard-{scorecard_id}"


def revision(updated_at: datetime) -> int:
    """The contract's revision is an ordering number (`schemas.events.REVISION`); milliseconds
    keep two edits of one scorecard within the same second in order."""
    return int(updated_at.timestamp() * 1000)


def completed_event_id(scorecard_id: int, updated_at: datetime) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"scorecard:{scorecard_id}:{revision(updated_at)}")


def retracted_event_id(scorecard_id: int) -> uuid.UUID:
    """One per scorecard, whichever webhook (scorecard or interview deleted) reports it."""
    return uuid.uuid5(NAMESPACE, f"scorecard:{scorecard_id}:retracted")


def to_event(
    scorecard: HarvestScorecard, job_id: int | None, mapping: GreenhouseMapping
) -> InterviewCompleted | Skipped:
    if job_id is None:
        return Skipped(scorecard.id, "no_job")
    role_id = mapping.jobs.get(job_id)
    if role_id is None:
        return Skipped(scorecard.id, "unmapped_job")
    interviewer = scorecard.interviewer or scorecard.submitted_by
    if interviewer is None:
        return Skipped(scorecard.id, "no_interviewer")
    assessments = _assessments(scorecard, mapping)
    if not assessments:
        return Skipped(scorecard.id, "no_mapped_attributes")
    return InterviewCompleted(
        event_id=completed_event_id(scorecard.id, scorecard.updated_at),
        occurred_at=scorecard.updated_at.astimezone(UTC),
        interview_id=interview_id(scorecard.id),
        revision=revision(scorecard.updated_at),
        candidate_id=str(scorecard.candidate_id),
        role_id=role_id,
        interviewer_id=str(interviewer.id),
        assessments=assessments,  # type: ignore[arg-type]
        overall_recommendation=rating(scorecard.overall_recommendation),
    )


def retraction(
    scorecard_id: int, candidate_id: str, role_id: str, reason: str, occurred_at: datetime
) -> InterviewRetracted:
    return InterviewRetracted(
        event_id=retracted_event_id(scorecard_id),
        occurred_at=occurred_at,
        interview_id=interview_id(scorecard_id),
        candidate_id=candidate_id,
        role_id=role_id,
        reason=reason,
    )


def rating(value: str | None) -> Rating | None:
    """Greenhouse's rating strings are our scale; `no_decision` (and anything unknown) is null."""
    try:
        return Rating(value) if value else None
    except ValueError:
        return None


def combined_rating(ratings: list[Rating]) -> Rating | None:
    """The mean of several ratings, as the nearest rating at or below it."""
    if not ratings:
        return None
    mean = sum(RATING_SCORES[r] for r in ratings) / len(ratings)
    at_or_below = [r for r in Rating if RATING_SCORES[r] <= mean + 1e-9]
    return max(at_or_below, key=lambda r: RATING_SCORES[r])


def _assessments(scorecard: HarvestScorecard, mapping: GreenhouseMapping) -> list[dict[str, object]]:
    ratings: dict[Competency, list[Rating]] = {}
    notes: dict[Competency, list[str]] = {}
    for attribute in scorecard.attributes:
        competency = mapping.attributes.get(attribute.name)
        if competency is None:
            continue
        ratings.setdefault(competency, [])
        notes.setdefault(competency, [])
        if (r := rating(attribute.rating)) is not None:
            ratings[competency].append(r)
        if attribute.note and (text := plain_text(attribute.note)):
            notes[competency].append(text)
    for question in scorecard.questions:
        competency = mapping.questions.get(question.question)
        if competency is None or PRIVATE_QUESTION.search(question.question):
            continue
        if question.answer and (text := plain_text(question.answer)):
            notes.setdefault(competency, []).append(text)
            ratings.setdefault(competency, [])
    assessments: list[dict[str, object]] = []
    for competency in Competency:
        if competency not in ratings:
            continue
        text = "\n".join(notes.get(competency, []))[:MAX_NOTES_CHARS]
        combined = combined_rating(ratings[competency])
        if combined is None and not text:
            continue  # `no_decision` and nothing written: no evidence either way
        assessments.append({"competency": competency, "rating": combined, "notes": text})
    return assessments


class _TextOnly(HTMLParser):
    BLOCKS = frozenset({"p", "br", "li", "div", "ul", "ol", "tr", "h1", "h2", "h3", "h4"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(fragment: str) -> str:
    """The text of a Greenhouse answer (which may hold `<p>`, `<ul>`, `<li>`, `<b>`, `<i>`,
    `<a>`): tags dropped, entities decoded, whitespace tidied, one line per block."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
