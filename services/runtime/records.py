"""Turning consumed records into contract models, or into dead letters with a reason.

A record is refused when a header the pipeline reads is outside its bounds (not UTF-8, too
long, control characters), when its value is not valid JSON for the topic's model (which
bounds every field, see `schemas/events.py`), or when its key is not the
`candidate_id:role_id` of its body (a wrong key would put the pair's events on two
partitions and break per-pair ordering). The reason names the field, never the input, so
it may be logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from aiokafka import ConsumerRecord
from msgspec import Struct
from pydantic import BaseModel, ValidationError

from schemas import topics, wire
from schemas.events import describe_validation_error
from services.runtime.dead_letter import DeadLetter

Model = TypeVar("Model", bound=BaseModel | Struct)
Other = TypeVar("Other", bound=BaseModel | Struct)


@dataclass(frozen=True)
class Accepted(Generic[Model]):
    record: ConsumerRecord
    event: Model
    correlation_id: str
    payload: bytes | None = None
    """The record's value when the fast codec read the event from it as it is: JSON that reads
    back as this very event, which a store may keep instead of encoding the event again. None
    when the contract model read it (it may have normalised the event, an id's spaces)."""


def header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name and value is not None:
            return value.decode("utf-8", "replace")
    return None


@overload
def decode_record(record: ConsumerRecord, model: type[Model]) -> Accepted[Model] | DeadLetter: ...


@overload
def decode_record(
    record: ConsumerRecord, model: type[Model], other: type[Other], /
) -> Accepted[Model | Other] | DeadLetter: ...


def decode_record(record: ConsumerRecord, model: type[Any], *others: type[Any]) -> Accepted[Any] | DeadLetter:
    """Decode as `model`, or as one of `others` when the record's `event_type` header names it
    (a topic may carry several event types of one pair, e.g. completions and retractions).

    A model may be a contract model or its hot-path Struct (`schemas.wire`): a Struct is
    decoded by msgspec, and a record msgspec does not accept is decided by the contract
    model, which refuses it with its reason or accepts it (normalised: an id with spaces
    around it), and then it is that model's Struct."""
    if not record.value:
        return DeadLetter(record, "empty_value", "record has no value")
    event_type = correlation_id = None
    for name, value in record.headers or ():  # one pass: the bounds, and the two headers read
        if value is None or name not in topics.READ_HEADERS:
            continue
        problem = topics.header_problem(name, value)
        if problem:
            return DeadLetter(record, "invalid_header", problem)
        if name == topics.EVENT_TYPE and event_type is None:
            event_type = value.decode()
        elif name == topics.CORRELATION_ID and correlation_id is None:
            correlation_id = value.decode()
    if event_type not in (None, model.__name__):
        chosen = {m.__name__: m for m in others}.get(event_type)
        if chosen is None:
            return DeadLetter(
                record, "unknown_event_type", f"event_type header: {event_type[:64]!r} is not consumed here"
            )
        model = chosen
    event: Any = None
    payload = None
    contract = wire.CONTRACTS.get(model)
    if contract is not None:
        event = wire.decode(model, record.value)
        payload = record.value if event is not None else None
    if event is None:
        try:
            event = (contract or model).model_validate_json(record.value)
        except ValidationError as exc:
            return DeadLetter(record, "validation_error", describe_validation_error(exc, model.__name__))
        if contract is not None:
            event = wire.from_contract(model, event)
    expected_key = event.key.encode()
    if record.key is None:
        return DeadLetter(record, "missing_key", "record has no key; expected candidate_id:role_id")
    if record.key != expected_key:
        return DeadLetter(record, "key_mismatch", "record key does not match candidate_id:role_id of its body")
    return Accepted(record, event, correlation_id or str(event.event_id), payload)
