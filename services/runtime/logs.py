"""Structured logs: JSON lines for ops, console lines for local work.

Every line carries timestamp, level and event; our own loggers add `service`, and handlers
bind correlation_id, topic, partition and offset per record. Never pass notes text or
names: log ids only.

With LOG_FORMAT=json every line a process writes is one JSON object, its libraries' lines
too: the standard library's loggers (aiokafka, FastStream, uvicorn, asyncpg) are routed
through structlog's `ProcessorFormatter`, with the library's name as `logger`. Colours only
in console mode on a terminal.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import structlog

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LEVEL_ALIASES = {"VERBOSE": "DEBUG", "TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "CRITICAL"}
# Library loggers that install handlers of their own (FastStream's coloured one, uvicorn's):
# their lines go through ours instead.
LIBRARY_LOGGERS = ("faststream", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "aiokafka", "asyncpg")


def normalise_level(level: str) -> str:
    """`info`, `INFO`, `verbose` (= DEBUG), `warn`: the level's standard name, or ValueError."""
    name = level.strip().upper()
    name = LEVEL_ALIASES.get(name, name)
    if name not in LEVELS:
        raise ValueError(f"LOG_LEVEL must be one of {', '.join(LEVELS)} (or verbose), not {level!r}")
    return name


def _renderer(log_format: str, stream: TextIO) -> structlog.typing.Processor:
    if log_format == "console":
        return structlog.dev.ConsoleRenderer(colors=stream.isatty())
    return structlog.processors.JSONRenderer()


def configure_logging(log_format: str = "json", level: str = "INFO", stream: TextIO | None = None) -> None:
    """Process-wide: each service's loggers bind `service` themselves (get_logger(service=...)).

    Libraries log at WARNING and above whatever LOG_LEVEL says (aiokafka's DEBUG lines hold
    record values, which may be notes text); their lines go to the same stream as ours, in
    the same format."""
    stream = stream or sys.stdout
    name = normalise_level(level)
    renderer = _renderer(log_format, stream)
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(name)),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for library in LIBRARY_LOGGERS:
        logger = logging.getLogger(library)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)  # the root's level (a command may have silenced one)
    logging.getLogger("faststream").setLevel(logging.INFO)  # the app's start and stop, never payloads


def info_enabled(logger: Any) -> bool:
    """Whether INFO lines of this (bound) logger are written: a handler skips building one line
    per record when they are not (LOG_LEVEL=WARNING, as under load)."""
    enabled = getattr(logger, "is_enabled_for", None)
    return enabled is None or bool(enabled(logging.INFO))


def error_line(event: str, message: str, log_format: str = "json", **fields: Any) -> str:
    """One line saying why a process cannot start, before (or without) logging being set up:
    a JSON object like every other log line, or plain text in console mode."""
    if log_format == "console":
        return f"{event}: {message}"
    timestamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return json.dumps({"event": event, "level": "error", "timestamp": timestamp, "error": message, **fields})
