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
    """FastStream parser that survives header values that are not UTF-8.

    FastStream decodes every header value strictly while building its message, so one
    record with a binary header would fail every attempt and stall its partition. Parse
    a copy with undecodable bytes replaced, then hand the handler the original records,
    so a dead letter still keeps the original header bytes.
    """
    batch = tuple(records) if isinstance(records, (tuple, list)) else (records,)
    safe = tuple(dataclasses.replace(r, headers=[(k, _utf8(v)) for k, v in r.headers or ()]) for r in batch)
    message = await original_parser(safe if isinstance(records, (tuple, list)) else safe[0])
    message.raw_message = records
    return message


def _utf8(value: bytes | None) -> bytes:
    return (value or b"").decode("utf-8", "replace").encode("utf-8")
