"""Small pieces every FastStream batch subscriber of ours uses."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any


async def raw_records(message: Any) -> list[Any]:
    """FastStream decoder that hands the handler the aiokafka records themselves.

    We validate each value with pydantic ourselves (a bad record must become a dead
    letter, not fail the batch), and we need key, headers, partition and offset.
    """
    raw = message.raw_message
    return list(raw) if isinstance(raw, (tuple, list)) else [raw]


async def tolerant_parser(records: Any, original_parser: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream parser that survives header values that are not UTF-8, at the cost of one
    record per batch.

    FastStream decodes every header value strictly while building its message, so one
    record with a binary header would fail every attempt and stall its partition. Its batch
    message keeps only the first record's headers (and offsets, for its id); the handler
    reads the records themselves (`raw_records`). So FastStream parses a copy of the first
    record alone, with undecodable bytes replaced, and the message then carries the original
    records, so a dead letter still keeps the original header bytes.
    """
    batch = isinstance(records, (tuple, list))
    first = records[0] if batch else records
    safe = dataclasses.replace(first, headers=[(k, _utf8(v)) for k, v in first.headers or ()])
    message = await original_parser((safe,) if batch else safe)
    message.raw_message = records
    return message


def _utf8(value: bytes | None) -> bytes:
    return (value or b"").decode("utf-8", "replace").encode("utf-8")
