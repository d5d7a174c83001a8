"""The adapter's events as Kafka records on `ats.interview-completed.v1`."""

from __future__ import annotations

from schemas import topics
from schemas.events import InterviewCompleted, InterviewRetracted
from services.runtime.kafka import OutgoingRecord


def ats_record(event: InterviewCompleted | InterviewRetracted) -> OutgoingRecord:
    """Keyed candidate_id:role_id like every record of the pair, so a retraction stays in
    order with the completions it retracts; the event type travels in a header."""
    return OutgoingRecord(
        topic=topics.INTERVIEW_COMPLETED,
        key=event.key.encode(),
        value=event.model_dump_json().encode(),
        headers=[
            (topics.CORRELATION_ID, str(event.event_id).encode()),
            (topics.EVENT_TYPE, type(event).__name__.encode()),
            (topics.SCHEMA_VERSION, b"1"),
        ],
    )
