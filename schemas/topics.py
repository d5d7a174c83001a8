"""Topic names, record headers and topic settings: the wire-level half of the contracts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

INTERVIEW_COMPLETED = "ats.interview-completed.v1"
INTERVIEW_SCORED = "hiring.interview-scored.v1"
RECOMMENDATION = "hiring.recommendation.v1"


def dead_letter(topic: str) -> str:
    """Each input topic has a dead-letter topic beside it, holding the original bytes."""
    return f"{topic}.dlq"


# What each topic carries (event type names of schemas.events), and what a consumer of an
# input topic writes. The services declare these publishers, and the AsyncAPI document is
# generated from the services' declared subscribers and publishers.
MESSAGES: dict[str, tuple[str, ...]] = {
    INTERVIEW_COMPLETED: ("InterviewCompleted", "InterviewRetracted"),
    INTERVIEW_SCORED: ("InterviewScored", "InterviewRetracted"),
    RECOMMENDATION: ("Recommendation",),
}
PUBLISHES: dict[str, tuple[str, ...]] = {
    INTERVIEW_COMPLETED: (INTERVIEW_SCORED, dead_letter(INTERVIEW_COMPLETED)),
    INTERVIEW_SCORED: (RECOMMENDATION, dead_letter(INTERVIEW_SCORED)),
    RECOMMENDATION: (dead_letter(RECOMMENDATION),),  # the Greenhouse write-back's refusals
}

# Record headers. Values are UTF-8 strings.
CORRELATION_ID = "correlation_id"
EVENT_TYPE = "event_type"
SCHEMA_VERSION = "schema_version"
MAX_HEADER_CHARS = 200
"""The headers the pipeline reads (correlation_id, event_type, schema_version): at most 200
characters of UTF-8, no control character. A record whose header is outside is refused."""
READ_HEADERS = (CORRELATION_ID, EVENT_TYPE, SCHEMA_VERSION)


def header_problem(name: str, value: bytes | None) -> str | None:
    """Why a header the pipeline reads cannot be carried on, or None. Names the header and the
    bound, never the value (it may be anything)."""
    if value is None:
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return f"header {name}: not UTF-8"
    if len(text) > MAX_HEADER_CHARS:
        return f"header {name}: longer than {MAX_HEADER_CHARS} characters"
    if not text.isprintable() if text.isascii() else _CONTROL_CHARACTER.search(text):
        # In ASCII the control characters are exactly what isprintable refuses (a plain scan,
        # cheaper than the expression on every header of every record).
        return f"header {name}: control characters are not allowed"
    return None


_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# Dead-letter headers: why the record was refused, and where it came from.
DLQ_ERROR = "dlq.error"
DLQ_ERROR_TYPE = "dlq.error_type"
DLQ_SOURCE_TOPIC = "dlq.source_topic"
DLQ_SOURCE_PARTITION = "dlq.source_partition"
DLQ_SOURCE_OFFSET = "dlq.source_offset"
DLQ_CONSUMER_GROUP = "dlq.consumer_group"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


def topic_specs(partitions: int = 6) -> list[TopicSpec]:
    """Every topic the pipeline needs. `infra up` and the tests create exactly these.

    Six partitions: enough for a few instances per consumer group to share work, few
    enough for a 2-core development machine. The recommendation topic is compacted so a
    recruiter reading it from the beginning sees the latest decision per pair; dead
    letters are kept for 30 days so a fix can be replayed.
    """
    thirty_days_ms = str(30 * 24 * 3600 * 1000)
    return [
        TopicSpec(INTERVIEW_COMPLETED, partitions),
        TopicSpec(dead_letter(INTERVIEW_COMPLETED), 1, {"retention.ms": thirty_days_ms}),
        TopicSpec(INTERVIEW_SCORED, partitions),
        TopicSpec(dead_letter(INTERVIEW_SCORED), 1, {"retention.ms": thirty_days_ms}),
        TopicSpec(
            RECOMMENDATION,
            partitions,
            {"cleanup.policy": "compact", "min.compaction.lag.ms": "0", "segment.ms": "3600000"},
        ),
        # The Greenhouse write-back's refusals (a deleted candidate's 404), with the reason.
        TopicSpec(dead_letter(RECOMMENDATION), 1, {"retention.ms": thirty_days_ms}),
    ]
