"""Structured logs: JSON lines for ops, coloured console lines for local work.

Every line carries timestamp, level, service and event; handlers bind correlation_id,
topic, partition and offset per record. Never pass notes text or names: log ids only.
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(log_format: str = "json", level: str = "INFO") -> None:
    """Process-wide: each service's loggers bind `service` themselves (get_logger(service=...))."""
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer() if log_format == "console" else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    # Library loggers (aiokafka, faststream, uvicorn) go to stderr at WARNING: they do not
    # know our record context, and their INFO lines are noise for ops.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
