"""The scoring core compiled with mypyc, and how a build is found without ever running a stale one.

mypyc (part of mypy) compiles the scoring core's pure-Python modules (`MODULES`) into C
extension modules: the same source, its annotations checked at run time, less CPU per
note. A compiled module left next to its source would go on running after the source
changed, so builds live elsewhere: `hiring-pipeline compile` (`build`) writes one to
`<cache_dir>/compiled/<key>/services/scoring/`, where `key` hashes the compiled sources,
the `schemas` modules they import, this file and the interpreter's extension ABI. When
`services.scoring` is imported, its `__init__` calls `activate`, which puts the build of
the sources *as they are now* first on the package's path. Edit a source and its key
changes, no build is found, and the plain modules load exactly as without mypyc.
`HIRING_PIPELINE_COMPILED=0` turns the compiled modules off.

Imported with every `services.scoring` module: the standard library only, and no more
work than hashing ~150 KB of source.
"""

from __future__ import annotations

import hashlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Final

SWITCH: Final = "HIRING_PIPELINE_COMPILED"
"""Set to 0 to import the plain modules even where a matching build exists."""
MODULES: Final = ("clauses", "asides", "notes_model", "evidence", "score")
"""The modules of `services.scoring` that are compiled: the scoring core's hot path."""
IMPORTED: Final = ("scan", "regex_gate")
"""The other modules of `services.scoring` that they import (their types shape the compiled code)."""
GROUP: Final = "services.scoring.scoring_core"
"""mypyc's group: its shared library (`scoring_core__mypyc`) holds the compiled code of all
`MODULES`, which call one another directly; it sits beside them, found on the package's path."""
ROOT: Final = Path(__file__).resolve().parents[2]
"""The folder holding `services` and `schemas` (the checkout, or site-packages)."""


def cache_dir() -> Path:
    """Where compiled things are kept: `HIRING_PIPELINE_CACHE_DIR`, else ~/.cache/hiring-pipeline."""
    configured = os.environ.get("HIRING_PIPELINE_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hiring-pipeline"


def sources(root: Path = ROOT) -> dict[str, bytes]:
    """What a build compiles or depends on, by path relative to `root`: the compiled modules,
    the project's modules they import (`IMPORTED`, `schemas`), and this file (which names them)."""
    paths = [root / "services" / "scoring" / f"{name}.py" for name in (*MODULES, *IMPORTED, "compiled")]
    paths += sorted((root / "schemas").glob("*.py"))
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in paths}


def build_key(files: dict[str, bytes]) -> str:
    """The name of the build of `files` for this interpreter."""
    digest = hashlib.sha256(f"{EXTENSION_SUFFIXES[0]}\0".encode())
    for name, content in sorted(files.items()):
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:24]


def find_build(root: Path = ROOT) -> Path | None:
    """The build of the sources under `root` as they are now, if there is one."""
    try:
        key = build_key(sources(root))
    except OSError:  # a source missing: nothing to match
        return None
    build = cache_dir() / "compiled" / key
    return build if (build / "services" / "scoring").is_dir() else None


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def activate(package_path: list[str]) -> Path | None:
    """Put the matching build, if any, first on `services.scoring`'s `__path__`: the package's
    compiled modules then load from it, every other module from the source folder."""
    if not enabled():
        return None
    build = find_build()
    if build is not None:
        package_path.insert(0, str(build / "services" / "scoring"))
    return build


# --- the build -------------------------------------------------------------------------------

KEPT: Final = 8
"""Builds kept in the cache (other checkouts share it): the newest, and the one just built."""
_SETUP: Final = """
import sys
from mypyc.build import mypycify
from setuptools import setup

setup(
    name="scoring-core",
    script_args=["build_ext", "--inplace"],
    ext_modules=mypycify(sys.argv[2:], opt_level="3", group_name=sys.argv[1]),
)
"""


class Unavailable(RuntimeError):
    """This machine cannot compile (no mypyc, no C compiler, no Python headers): the plain modules serve."""


def build(root: Path = ROOT) -> tuple[Path, bool]:
    """Compile the sources under `root` into the cache, unless already there: the build's folder,
    and whether it was built now. Concurrent builds are safe: each works in a folder of its own
    and renames it into place, and the first rename wins."""
    import shutil
    import subprocess
    import sys
    import tempfile

    files = sources(root)  # hashed and compiled from these bytes: an edit meanwhile makes another key
    builds = cache_dir() / "compiled"
    final = builds / build_key(files)
    if (final / "services" / "scoring").is_dir():
        return final, False
    _check_toolchain()
    builds.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=builds))
    try:
        src = work / "src"
        for name, content in {**files, "services/__init__.py": b"", "services/scoring/__init__.py": b""}.items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes(content)
        config = root / "pyproject.toml"  # the project's mypy settings; mypyc needs the code to type-check
        options = ["--config-file", str(config)] if config.is_file() else ["--ignore-missing-imports"]
        modules = [f"services/scoring/{name}.py" for name in MODULES]
        done = subprocess.run(
            [sys.executable, "-c", _SETUP, GROUP, *options, *modules],
            cwd=src,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError("mypyc failed:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-40:]))
        out = work / "out" / "services" / "scoring"
        out.mkdir(parents=True)
        for built in (src / "services" / "scoring").iterdir():
            if built.name.endswith(EXTENSION_SUFFIXES[0]):
                built.rename(out / built.name)
        try:
            (work / "out").rename(final)
        except OSError:
            if not (final / "services" / "scoring").is_dir():
                raise  # not a concurrent build that got there first
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _check_loads(root, final)
    _prune(builds, final)
    return final, True


_LOADED: Final = """
import importlib, sys
for name in sys.argv[1:]:
    print(importlib.import_module(f"services.scoring.{name}").__spec__.origin)
"""


def _check_loads(root: Path, build: Path) -> None:
    """Import the compiled modules from `build` in a fresh interpreter; drop the build if they fail to."""
    import shutil
    import subprocess
    import sys

    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, SWITCH: "1", "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *MODULES], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    origins = done.stdout.split()
    if done.returncode != 0 or len(origins) != len(MODULES) or not all(o.startswith(str(build)) for o in origins):
        shutil.rmtree(build, ignore_errors=True)
        raise RuntimeError(f"the compiled modules do not load from {build}:\n{done.stdout}{done.stderr}")


def _check_toolchain() -> None:
    import importlib.util
    import shutil
    import sysconfig

    if importlib.util.find_spec("mypyc") is None:
        raise Unavailable("mypyc is not installed (it comes with mypy: the dev extras)")
    if importlib.util.find_spec("setuptools") is None:
        raise Unavailable("setuptools is not installed (mypyc builds with it)")
    compiler = os.environ.get("CC") or str(sysconfig.get_config_var("CC") or "cc")
    if shutil.which(compiler.split()[0]) is None:
        raise Unavailable(f"no C compiler ({compiler.split()[0]})")
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        raise Unavailable("no Python headers (Python.h)")


def _prune(builds: Path, keep: Path) -> None:
    """Drop all but the newest `KEPT` builds, and work folders of builds that died over an hour ago.
    A process already running a dropped build keeps its loaded modules; one about to import
    from it finds nothing there and loads the plain source."""
    import shutil
    import time

    entries = [entry for entry in builds.iterdir() if entry.is_dir()]
    done = sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.stat().st_mtime, reverse=True)
    dead = [e for e in entries if e.name.startswith(".build-") and e.stat().st_mtime < time.time() - 3600]
    for entry in [*done[KEPT:], *dead]:
        if entry != keep:
            shutil.rmtree(entry, ignore_errors=True)
