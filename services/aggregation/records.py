"""The Kafka record of a recommendation: what the consumer and the rebuild put in the outbox."""

from __future__ import annotations

from schemas import topics
from schemas.events import Recommendation
from services.runtime.kafka import OutgoingRecord


def recommendation_record(recommendation: Recommendation, correlation_id: str) -> OutgoingRecord:
    return OutgoingRecord(
        topic=topics.RECOMMENDATION,
        key=recommendation.key.encode(),
        value=recommendation.model_dump_json().encode(),
        headers=[
            (topics.CORRELATION_ID, correlation_id.encode()),
            (topics.EVENT_TYPE, b"Recommendation"),
            (topics.SCHEMA_VERSION, b"1"),
        ],
    )
