"""Small pieces every FastStream batch subscriber of ours uses."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import structlog


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


class RetryBackoff:
    """Wraps a batch: on failure, log, wait (growing to `cap` seconds) and re-raise.

    Re-raising makes FastStream nack the batch, which seeks every partition of it back
    to its first record, so the batch is retried and nothing is committed past it. The
    wait keeps an outage (database down, broker unreachable) from becoming a hot loop;
    it stays well under max.poll.interval.ms, so the consumer keeps its partitions.
    """

    def __init__(self, log: structlog.typing.FilteringBoundLogger, first: float = 0.2, cap: float = 5.0) -> None:
        self.log, self.first, self.cap = log, first, cap
        self.delay = 0.0

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if exc is None:
            self.delay = 0.0
            return False
        if isinstance(exc, asyncio.CancelledError):
            return False
        self.delay = min(self.cap, self.delay * 2 if self.delay else self.first)
        self.log.error("batch_failed_will_retry", error_type=type(exc).__name__, retry_in_s=self.delay)
        await asyncio.sleep(self.delay)
        return False
