"""The contracts' twin for the services' hot path: msgspec Structs, field for field.

The pydantic models in `schemas/events.py` are the contract (the JSON Schema files, the
AsyncAPI document, every tool and the dead letters' reasons come from them). The services
decode and encode their events about ten times a second per partition, so they use these
Structs instead: the same field names, order, defaults and JSON, 2 to 5 times cheaper to
decode and encode (InterviewCompleted decoded in about 6 us instead of 13, InterviewScored
in 15 instead of 75, encoded in 4 instead of 16, on the development machine). `tests/unit/test_fast_path.py` holds the two equal.

- **Decoding accepts nothing the contract refuses.** Every bound of the contract is checked
  here too, the same or stricter: an id with whitespace at either end (the contract strips
  it), a time with more than six fractional digits (the contract truncates it, msgspec
  would round), a UUID in braces, `"1"` for an integer are refused here and left to the
  contract model, which either accepts them (normalised) or refuses them with its reason
  (`services.runtime.records` does that). What is accepted here equals what the contract
  model makes of it.
- **Encoding is byte for byte the contract model's `model_dump_json()`**: compact JSON, every
  field (defaults too) in declaration order, UTF-8 unescaped, times as pydantic writes
  them (`Z` for UTC; held as that text here, see `Instant`).

Only the events the services publish or consume at volume are here (InterviewCompleted,
InterviewScored, Recommendation); retractions are rare and stay contract models end to end.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta, Struct
from pydantic import BaseModel

from schemas import events
from schemas.rubric import role_ids
from schemas.scales import Competency, Decision, Rating

_ID = r"[^\s:\x00-\x1f\x7f-\x9f](?:[^:\x00-\x1f\x7f-\x9f]*[^\s:\x00-\x1f\x7f-\x9f])?"
IDENTIFIERS = re.compile(rf"{_ID}\x00{_ID}\x00{_ID}\x00{_ID}")
"""Four ids joined by NUL (which no id may hold), checked in one `fullmatch`: each without `:`
or a control character, like the contract's `Identifier`, and without whitespace at either
end, which the contract strips (so an id with it is left to the contract model)."""
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""What `schemas.events.NO_CONTROL_CHARACTERS` refuses. In ASCII text these are exactly the
characters `str.isprintable()` refuses, which scans an event's signal names in a quarter of
the time this expression takes (the names are ASCII but for a foreign rubric's)."""
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")
"""RFC 3339 with `T`, `Z` or an offset in minutes, at most six fractional digits: the times
the contract reads as Python does (the rest is left to the contract model)."""

Identifier = Annotated[str, Meta(min_length=1, max_length=events.MAX_ID_CHARS)]
"""Its length here; what it may hold is checked once for the event's four ids (`IDENTIFIERS`)."""
Revision = Annotated[int, Meta(ge=1, le=events.MAX_REVISION)]
Instant = str
"""An aware time, held as the text pydantic writes for it (`2026-11-20T14:00:00Z`): decoding
checks it is a real time and rewrites it to that form; `instant()` makes one from a datetime.
(Held as text because msgspec rounds a seventh fractional digit where pydantic truncates it.)"""
Notes = Annotated[str, Meta(max_length=events.MAX_NOTES_CHARS)]


class _Wire(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, gc=False):
    """Immutable like the contract models, unknown fields refused (`extra="forbid"`); not
    tracked by the garbage collector (they never form reference cycles). Each subclass says
    `frozen` and `kw_only` again for type checkers (msgspec inherits them anyway)."""


# --- ats.interview-completed.v1 -------------------------------------------------------


class Assessment(_Wire, frozen=True, kw_only=True):
    competency: Competency
    rating: Rating | None
    notes: Notes = ""


class InterviewCompleted(_Wire, frozen=True, kw_only=True):
    schema_version: Literal[1] = 1
    event_id: uuid.UUID
    occurred_at: Instant
    interview_id: Identifier
    revision: Revision
    candidate_id: Identifier
    role_id: Identifier
    interviewer_id: Identifier
    assessments: Annotated[list[Assessment], Meta(min_length=1, max_length=5)]
    overall_recommendation: Rating | None = None

    @property
    def key(self) -> str:
        return events.record_key(self.candidate_id, self.role_id)


# --- hiring.interview-scored.v1 -------------------------------------------------------


class Signal(_Wire, frozen=True, kw_only=True):
    kind: Literal["strong", "weak", "red_flag"]
    signal: Annotated[str, Meta(max_length=events.MAX_SIGNAL_CHARS)]
    """No control character either: checked once per InterviewScored, for all its signals."""
    quote: Notes


class CompetencyScore(_Wire, frozen=True, kw_only=True):
    competency: Competency
    score: Annotated[float, Meta(ge=1.0, le=4.0)]
    rating: Rating | None
    signals: list[Signal]
    red_flags: list[str]
    confidence: Annotated[float, Meta(ge=0.0, le=1.0)]
    supported_by_notes: bool | None = None


class InterviewScored(_Wire, frozen=True, kw_only=True):
    schema_version: Literal[1] = 1
    event_id: uuid.UUID
    source_event_id: uuid.UUID
    interview_id: Identifier
    revision: Revision
    candidate_id: Identifier
    role_id: Identifier
    interviewer_id: Identifier
    rubric_version: Annotated[str, Meta(max_length=events.MAX_RUBRIC_VERSION_CHARS)]
    scored_at: Instant
    scores: Annotated[list[CompetencyScore], Meta(min_length=1, max_length=5)]
    overall_recommendation: Rating | None = None

    @property
    def key(self) -> str:
        return events.record_key(self.candidate_id, self.role_id)


# --- hiring.recommendation.v1 (published only: built by the aggregation core) ------------


class Evidence(_Wire, frozen=True, kw_only=True):
    kind: Literal["strong", "weak", "red_flag"]
    signal: str
    quote: str


class AssessmentRecord(_Wire, frozen=True, kw_only=True):
    interview_id: str
    interviewer_id: str
    rating: Rating | None
    score: float
    counted: bool
    quotes: list[Evidence] = []
    red_flags: list[Evidence] = []


class CompetencySummary(_Wire, frozen=True, kw_only=True):
    competency: Competency
    score: float | None
    weight: float
    interviews: int
    floor: float | None = None
    veto: bool = False
    assessments: list[AssessmentRecord] = []


class RedFlag(_Wire, frozen=True, kw_only=True):
    competency: Competency
    signal: str
    interview_id: str
    interviewer_id: str | None = None
    quote: str | None = None


class CountedInterview(_Wire, frozen=True, kw_only=True):
    interview_id: str
    revision: int


class OverallVote(_Wire, frozen=True, kw_only=True):
    interview_id: str
    interviewer_id: str
    vote: Rating | None


class Recommendation(_Wire, frozen=True, kw_only=True):
    schema_version: Literal[1] = 1
    event_id: uuid.UUID
    candidate_id: str
    role_id: str
    decision: Decision
    score: float | None
    competencies: list[CompetencySummary]
    red_flags: list[RedFlag]
    interviews: list[CountedInterview]
    reasons: list[str]
    rubric_version: str
    version: int
    issued_at: datetime
    role_version: str | None = None
    partial_score: float | None = None
    missing_competencies: list[Competency] = []
    interviewers_needed: int = 0
    needs_debrief: bool = False
    debrief_reasons: list[str] = []
    votes: list[OverallVote] = []
    overrides: list[str] = []
    calibration: list[str] = []

    @property
    def key(self) -> str:
        return events.record_key(self.candidate_id, self.role_id)


# --- the codec ------------------------------------------------------------------------

Hot = TypeVar("Hot", InterviewCompleted, InterviewScored)

CONTRACTS: dict[type[Struct], type[BaseModel]] = {
    InterviewCompleted: events.InterviewCompleted,
    InterviewScored: events.InterviewScored,
}
"""The Structs `decode` reads, and the contract model each mirrors."""

_ENCODER = msgspec.json.Encoder()


def encode(event: Struct) -> bytes:
    """The event's JSON, byte for byte its contract model's `model_dump_json()`."""
    return _ENCODER.encode(event)


def decode(kind: type[Hot], data: bytes | str) -> Hot | None:
    """The event, or None when the bytes are not one this module accepts: the contract model
    then decides (and says why, when it refuses them too)."""
    try:
        event: Hot = _DECODERS[kind].decode(data)
        _CHECKS[kind](event)
    except (msgspec.DecodeError, ValueError):  # msgspec.ValidationError is a DecodeError
        return None
    return event


def read(kind: type[Hot], data: bytes | str) -> Hot:
    """An event the contract accepts, as its Struct (stored payloads, replayed topics):
    `decode`, else the contract model's reading of it. Raises pydantic's ValidationError."""
    event = decode(kind, data)
    return event if event is not None else from_contract(kind, CONTRACTS[kind].model_validate_json(data))


def from_contract(kind: type[Hot], model: BaseModel) -> Hot:
    """The Struct of a contract model the contract accepted (a record this module left to it)."""
    return msgspec.convert(model.model_dump(mode="json"), kind)


def instant(moment: datetime) -> str:
    """An aware datetime as pydantic writes it (`Z` for UTC, microseconds only when there are some)."""
    if moment.utcoffset() is None:
        raise ValueError("a naive datetime is not an instant")
    return _ENCODER.encode(moment)[1:-1].decode()


def uuid5(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """`uuid.uuid5(namespace, name)`, computed as it does but without its per-call import and
    its checks (about half its cost): the ids of the events the services derive from others."""
    digest = hashlib.sha1(namespace.bytes + name.encode()).digest()
    return uuid.UUID(int=int.from_bytes(digest[:16]) & _UUID_KEEP | _UUID_VERSION_5)


_UUID_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_VERSION_5 = (5 << 76) | (0x8000 << 48)
"""The version (5) and variant (RFC 4122) bits, as `uuid.UUID(..., version=5)` sets them."""


# --- the contract's checks that are not a field's own bound ---------------------------------


def _check_completed(event: InterviewCompleted) -> None:
    _check_identifiers(event.interview_id, event.candidate_id, event.role_id, event.interviewer_id)
    _canonical_instant(event, "occurred_at")
    if event.role_id not in role_ids():
        raise ValueError("unknown role")  # the contract model says which, and names the known ones
    if len({a.competency for a in event.assessments}) != len(event.assessments):
        raise ValueError("each competency may be assessed at most once per interview")


def _check_scored(event: InterviewScored) -> None:
    _check_identifiers(event.interview_id, event.candidate_id, event.role_id, event.interviewer_id)
    names = "".join([event.rubric_version, *(s.signal for score in event.scores for s in score.signals)])
    if not names.isprintable() if names.isascii() else CONTROL_CHARACTER.search(names):
        raise ValueError("a control character in rubric_version or a signal")
    _canonical_instant(event, "scored_at")


def _check_identifiers(*ids: str) -> None:
    if IDENTIFIERS.fullmatch("\x00".join(ids)) is None:
        raise ValueError("an id with a colon, a control character or whitespace at either end")


def _canonical_instant(event: Struct, name: str) -> None:
    """A time as pydantic writes it is taken as it is (once it parses: 2026-02-30 does not);
    another of the shapes of `INSTANT` is rewritten to that form (`+00:00` becomes `Z`,
    `.000000` goes), so an event re-encoded here equals the contract's; any other is refused."""
    text: str = getattr(event, name)
    canonical = instant(datetime.fromisoformat(text))
    if canonical != text:
        if INSTANT.fullmatch(text) is None:
            raise ValueError("a time in a form left to the contract model")
        msgspec.structs.force_setattr(event, name, canonical)


_DECODERS: dict[type[Struct], msgspec.json.Decoder[Any]] = {
    InterviewCompleted: msgspec.json.Decoder(InterviewCompleted),
    InterviewScored: msgspec.json.Decoder(InterviewScored),
}
_CHECKS: dict[type[Struct], Callable[[Any], None]] = {
    InterviewCompleted: _check_completed,
    InterviewScored: _check_scored,
}
