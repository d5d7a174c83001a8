"""The command line as people expect it: help for every command and option, --version,
shell completion, --json for scripts, the benchmark on the same Kafka settings."""

from __future__ import annotations

import json

import click
import pytest
from typer.main import get_command

from hiring_pipeline.cli import app
from tests.e2e.cli import run


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


COMMANDS = commands(get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_has_help(name, command):
    assert (command.help or "").strip(), f"{name} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{name} {param.opts} has no help"


def test_the_top_level_help_lists_every_command_with_one_line():
    shown = run("--help", env={"COLUMNS": "200"}).stdout
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        [line] = [line for line in shown.splitlines() if line.startswith(("│ " + name + " ",))]
        assert len(line.strip("│ ").split(None, 1)) == 2, f"{name}: {line}"


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("hiring-pipeline 0.")


def test_shell_completion_script():
    result = run("--show-completion", "bash")
    assert result.returncode == 0 and "complete" in result.stdout and "hiring" in result.stdout


def test_bench_help_explains_every_option():
    result = run("bench", "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    section = result.stdout.split("options:", 1)[1]
    entries: list[str] = []
    for line in section.splitlines():
        if line.startswith("  -"):
            entries.append(line)
        elif line.startswith("    ") and entries:
            entries[-1] += line
    assert len(entries) >= 8
    for entry in entries:
        words = [w.strip(",") for w in entry.split()]
        described = [w for w in words if not w.startswith("-") and not w.isupper()]
        assert described, f"no help: {entry}"
    assert "KAFKA_SECURITY_PROTOCOL" in result.stdout


def test_bench_refuses_sasl_without_credentials_like_every_command():
    result = run("bench", "--events", "1", env={"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"})
    assert result.returncode != 0
    assert "KAFKA_SASL_USERNAME" in result.stderr and "Traceback" not in result.stderr


def test_infra_status_json(stack):
    result = run("infra", "status", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["up"] is True
    assert [c["component"] for c in status["components"]] == ["kafka", "topics", "postgres"]
    assert {t["name"] for t in status["topics"]} >= {"ats.interview-completed.v1", "hiring.recommendation.v1"}
    assert all(t["under_replicated"] == [] and t["replication_factor"] >= 1 for t in status["topics"])


def test_rebuild_json(stack):
    result = run("rebuild", "aggregation", "--json", timeout=300)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"events", "skipped", "pairs", "republished"}


def test_progress_bars_stay_off_when_stderr_is_not_a_terminal(stack, tmp_path):
    from tests.factories import interview

    path = tmp_path / "one.jsonl"
    path.write_text(interview().model_dump_json() + "\n")
    result = run("publish", str(path))
    assert result.returncode == 0 and result.stderr == ""
