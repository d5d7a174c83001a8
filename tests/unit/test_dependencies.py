"""Reproducible installs: the lock files pin every dependency within pyproject's ranges,
the bootstrap script and the image install from them, and 0.x dependencies have an upper bound."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    pairs = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {canonicalize_name(n): v for n, v in pairs}


@pytest.mark.parametrize(
    ("lock", "requirements"), [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME + DEV)]
)
def test_the_lock_pins_every_direct_dependency_inside_its_range(lock, requirements):
    pinned = pins(lock)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} missing from {lock}: run scripts/lock.sh"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}: run scripts/lock.sh"
        )


def test_the_runtime_lock_is_part_of_the_dev_lock():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {n: dev.get(n) for n in runtime} == runtime


@pytest.mark.parametrize("requirement", RUNTIME + DEV, ids=str)
def test_a_0x_dependency_has_an_upper_bound(requirement):
    lower = [s for s in requirement.specifier if s.operator in (">=", "~=", "==")]
    if any(s.version.startswith("0.") for s in lower):
        assert any(s.operator in ("<", "<=", "~=", "==") for s in requirement.specifier), (
            f"{requirement}: a 0.x release may break its API in a minor version; add an upper bound"
        )


def test_bootstrap_and_the_image_install_from_the_locks():
    assert "pip install -q -r requirements-dev.lock" in (ROOT / "scripts" / "bootstrap.sh").read_text()
    assert "requirements.lock" in (ROOT / "Dockerfile").read_text()
