"""`infra up && infra status && infra down`, twice in a row, as the issue asks; ends up."""

import pytest

from tests.e2e.cli import run

pytestmark = pytest.mark.integration


def test_infra_down_up_status_works_twice_in_a_row_and_keeps_the_topics(stack):
    for _ in range(2):
        down = run("infra", "down")
        assert down.returncode == 0, down.stderr
        status = run("infra", "status")
        assert status.returncode == 1
        assert [line.split(" - ")[0] for line in status.stdout.splitlines()] == ["kafka: DOWN", "postgres: DOWN"]
        up = run("infra", "up", timeout=180)
        assert up.returncode == 0, up.stdout + up.stderr
        status = run("infra", "status")
        assert status.returncode == 0
        assert "5 topics" in status.stdout.splitlines()[0]


def test_infra_up_is_idempotent_when_everything_already_runs(stack):
    first = run("infra", "up")
    again = run("infra", "up")
    assert first.returncode == again.returncode == 0
    assert again.stdout.count(": up - ") == 2
