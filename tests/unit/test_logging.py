"""Logs: every line one JSON object with LOG_FORMAT=json, the libraries' lines too."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from services.runtime.logs import configure_logging, error_line, normalise_level


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    libraries = {name: logging.getLogger(name).level for name in ("aiokafka", "faststream", "uvicorn.error")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, library_level in libraries.items():
        logging.getLogger(name).setLevel(library_level)
    structlog.reset_defaults()


def test_library_loggers_write_json_lines_through_the_same_stream():
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # as the command line silences it for its tools
    import faststream  # noqa: F401 - installs its coloured handler on import, which must go
    import uvicorn  # noqa: F401

    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream)
    structlog.get_logger(service="scoring").info("started", http_port=1)
    logging.getLogger("faststream").info("FastStream app starting...")
    logging.getLogger("aiokafka").warning("broker gone")
    logging.getLogger("uvicorn.error").error("boom")
    try:
        raise RuntimeError("bad")
    except RuntimeError:
        logging.getLogger("aiokafka.conn").exception("with a traceback")
    logging.getLogger("aiokafka").info("noise")  # libraries: WARNING and above

    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["event"] for e in entries] == [
        "started",
        "FastStream app starting...",
        "broker gone",
        "boom",
        "with a traceback",
    ]
    assert all({"level", "timestamp"} <= e.keys() for e in entries)
    assert entries[0]["service"] == "scoring"
    assert entries[2] == entries[2] | {"logger": "aiokafka", "level": "warning"}
    assert "RuntimeError: bad" in entries[4]["exception"]
    assert "\x1b[" not in stream.getvalue()


def test_console_format_has_no_colours_when_not_a_terminal():
    stream = io.StringIO()
    configure_logging("console", "info", stream=stream)
    structlog.get_logger().info("hello", n=1)
    logging.getLogger("aiokafka").warning("broker gone")
    text = stream.getvalue()
    assert "hello" in text and "broker gone" in text
    assert "\x1b[" not in text


@pytest.mark.parametrize(("given", "level"), [("info", "INFO"), ("verbose", "DEBUG"), ("Warn", "WARNING")])
def test_log_levels_by_name_and_alias(given, level):
    assert normalise_level(given) == level


def test_an_unknown_log_level_is_a_clear_error():
    with pytest.raises(ValueError, match="LOG_LEVEL must be one of"):
        normalise_level("loud")


def test_an_error_line_is_one_json_object_or_one_plain_line():
    entry = json.loads(error_line("configuration_error", "LOG_LEVEL: wrong", service="scoring"))
    assert entry | {"timestamp": None} == {
        "event": "configuration_error",
        "level": "error",
        "error": "LOG_LEVEL: wrong",
        "service": "scoring",
        "timestamp": None,
    }
    assert error_line("configuration_error", "LOG_LEVEL: wrong", "console") == "configuration_error: LOG_LEVEL: wrong"


def test_libraries_stay_at_warning_with_log_level_debug_their_debug_lines_hold_record_values():
    stream = io.StringIO()
    configure_logging("json", "DEBUG", stream=stream)
    structlog.get_logger().debug("ours")
    logging.getLogger("aiokafka.producer").debug("Appending message value b'notes text' to partition")
    logging.getLogger("aiokafka.producer").warning("retrying")
    assert [json.loads(line)["event"] for line in stream.getvalue().splitlines()] == ["ours", "retrying"]
