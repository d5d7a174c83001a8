"""A process that cannot start says why in one line (one JSON log line for the services)
and exits non-zero: no traceback."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli import run

UNREACHABLE_DB = "postgresql://hiring@127.0.0.1:1/hiring"


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize("service", ["scoring", "aggregation"])
@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DATABASE_URL_FILE": "/nonexistent/db-url"}, "DATABASE_URL_FILE=/nonexistent/db-url"),
        ({"KAFKA_SASL_PASSWORD_FILE": "/nonexistent/pw"}, "KAFKA_SASL_PASSWORD_FILE=/nonexistent/pw"),
        ({"BATCH_MAX_RECORDS": "many"}, "BATCH_MAX_RECORDS"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "KAFKA_SASL_USERNAME"),
    ],
)
def test_a_service_with_a_configuration_error_writes_one_json_line(service, env, says):
    result = run("run", service, env={"HTTP_PORT": "1", **env}, timeout=60)
    assert result.returncode == 2
    entry = json.loads(one_line(result.stdout + result.stderr))
    assert entry["event"] == "configuration_error" and entry["level"] == "error" and entry["service"] == service
    assert says in entry["error"]


def test_in_console_mode_the_line_is_plain_text():
    result = run("run", "scoring", env={"LOG_FORMAT": "console", "LOG_LEVEL": "loud"}, timeout=60)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("configuration_error: LOG_LEVEL: LOG_LEVEL must be one of")


@pytest.mark.parametrize("service", ["scoring", "aggregation"])
def test_a_service_whose_database_is_down_at_start_writes_one_json_line(service):
    result = run("run", service, env={"DATABASE_URL": UNREACHABLE_DB, "HTTP_PORT": "1"}, timeout=60)
    assert result.returncode == 1
    entry = json.loads(one_line(result.stdout + result.stderr))
    assert entry["event"] == "database_unavailable" and entry["service"] == service
    assert "127.0.0.1:1/hiring" in entry["error"] and "ConnectionRefusedError" in entry["error"]


@pytest.mark.parametrize("service", ["scoring", "aggregation"])
def test_a_service_whose_kafka_is_down_at_start_writes_one_json_line(service, stack):
    result = run("run", service, env={"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "HTTP_PORT": "1"}, timeout=60)
    assert result.returncode == 1
    entry = json.loads(one_line(result.stdout + result.stderr))
    assert entry["event"] == "kafka_unavailable" and entry["service"] == service
    assert "cannot reach 127.0.0.1:1" in entry["error"]


@pytest.mark.parametrize(
    "args",
    [
        ("rebuild", "aggregation"),
        ("dlq", "list", "ats.interview-completed.v1"),
        ("dlq", "replay", "ats.interview-completed.v1"),
        ("recommendations", "--once"),
        ("infra", "status"),
    ],
)
@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DATABASE_URL_FILE": "/nonexistent/db-url"}, "DATABASE_URL_FILE=/nonexistent/db-url: No such file"),
        ({"KAFKA_SASL_PASSWORD_FILE": "/nonexistent/pw"}, "KAFKA_SASL_PASSWORD_FILE=/nonexistent/pw: No such file"),
        ({"LOG_LEVEL": "verbose", "LOG_FORMAT": "yaml"}, "LOG_FORMAT"),
    ],
)
def test_commands_with_a_configuration_error_say_it_in_one_line(args, env, says):
    result = run(*args, env=env, timeout=60)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("configuration error: ") and says in line


def test_rebuild_with_the_database_down_says_so_in_one_line():
    result = run("rebuild", "aggregation", env={"DATABASE_URL": UNREACHABLE_DB}, timeout=60)
    assert result.returncode == 1
    assert "ConnectionRefusedError" in one_line(result.stderr)


def test_greenhouse_sync_with_a_missing_secret_file_says_so_in_one_line(tmp_path):
    result = run("ats", "greenhouse", "sync", "--once", env={"GREENHOUSE_API_KEY_FILE": "/nonexistent/key"})
    assert result.returncode == 2
    assert "GREENHOUSE_API_KEY_FILE=/nonexistent/key" in one_line(result.stderr)
