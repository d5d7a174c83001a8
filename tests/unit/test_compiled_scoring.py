"""The scoring core compiled by mypyc scores exactly as its Python source, and only a build of
the sources as they are now is ever loaded (`services/scoring/compiled.py`).

The install always compiles it (scripts/bootstrap.sh runs `hiring-pipeline compile`), so the
comparison fails, rather than skips, when no build is there. Both sides run in their own
interpreter, one with the switch on and one with it off, whatever this process was asked for.
"""

from __future__ import annotations

import ast
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

import pytest

from benchmarks.workload import varied_interviews
from schemas.events import InterviewScored
from services.scoring import compiled

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 10_000
SCORED = """
import sys
from benchmarks.workload import varied_interviews
from schemas import wire
from schemas.events import InterviewCompleted
from schemas.rubric import load_rubric
from services.scoring import evidence
from services.scoring.score import score_interview, score_interview_wire
from tests.factories import FIXED_TIME

origin = evidence.__spec__.origin
if sys.argv[2] == "compiled":
    from services.scoring import compiled
    assert origin.startswith(str(compiled.cache_dir())), "no build of the scoring core: run `hiring-pipeline compile`"
else:
    assert origin.endswith(".py"), origin
rubric = load_rubric()
start, stop = int(sys.argv[3]), int(sys.argv[4])
for document in varied_interviews(int(sys.argv[1]), seed=31, hostile=True, most=2)[start:stop]:
    print(score_interview(InterviewCompleted.model_validate(document), rubric, FIXED_TIME).model_dump_json())
    event = wire.from_contract(wire.InterviewCompleted, InterviewCompleted.model_validate(document))
    print(wire.encode(score_interview_wire(event, rubric, "2026-11-20T14:00:00Z")).decode())
"""


Running = tuple[subprocess.Popen[str], IO[str]]


def _scoring(side: str, start: int, stop: int) -> Running:
    """An interpreter printing the `score_interview` and `score_interview_wire` output of
    events `start` to `stop`, as JSON lines, with the compiled modules (`side` "compiled")
    or the plain ones ("plain"), into a file (through a pipe it would wait for its reader)."""
    printed = tempfile.TemporaryFile("w+")  # noqa: SIM115 - read and closed by `_output`
    process = subprocess.Popen(
        [sys.executable, "-c", SCORED, str(EVENTS), side, str(start), str(stop)],
        cwd=ROOT,
        env={**os.environ, compiled.SWITCH: "1" if side == "compiled" else "0"},
        stdout=printed,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, printed


def _started(side: str, parts: int) -> list[Running]:
    """Every event's output from `side`, read by `parts` interpreters at once: the plain
    modules take three times the compiled ones' CPU, and CI's machine has two cores."""
    bounds = [EVENTS * n // parts for n in range(parts + 1)]
    return [_scoring(side, start, stop) for start, stop in itertools.pairwise(bounds)]


def _output(running: list[Running]) -> list[str]:
    """The lines the interpreters printed, in their order."""
    lines = []
    for process, printed in running:
        _, err = process.communicate(timeout=900)
        assert process.returncode == 0, err
        with printed:
            printed.seek(0)
            lines += printed.read().splitlines()
    return lines


def test_the_compiled_core_scores_ten_thousand_varied_interviews_exactly_as_the_python_source():
    documents = varied_interviews(EVENTS, seed=31, hostile=True, most=2)
    assert sum(len(d["assessments"]) for d in documents) >= 10_000
    compiled_side, plain_side = _started("compiled", 1), _started("plain", 2)
    fast, plain = _output(compiled_side), _output(plain_side)
    assert len(plain) == len(fast) == 2 * len(documents)
    outcomes = set()
    for number, document in enumerate(documents):
        assert fast[2 * number] == plain[2 * number], document["interview_id"]
        assert fast[2 * number + 1] == plain[2 * number + 1], document["interview_id"]
        scored = InterviewScored.model_validate_json(fast[2 * number])
        outcomes.update((s.competency, s.score, tuple(s.red_flags)) for s in scored.scores)
    assert len(outcomes) > 500  # varied work, not six outcomes over and over


PROJECT = ("services", "schemas", "hiring_pipeline", "benchmarks")


def test_the_hashed_sources_include_every_project_module_the_compiled_ones_import_and_theirs():
    hashed = set(compiled.sources())
    for name in (*compiled.MODULES, *compiled.IMPORTED):
        tree = ast.parse((ROOT / "services" / "scoring" / f"{name}.py").read_text(encoding="utf-8"))
        for node in [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]:
            module = str(node.module)
            if module.split(".")[0] not in PROJECT:
                continue
            modules = [f"schemas.{a.name}" for a in node.names] if module == "schemas" else [module]
            for module in modules:
                assert f"{module.replace('.', '/')}.py" in hashed, f"{name} imports {module}"


# --- which build loads: a stand-in build in a copy of the sources -------------------------------

WHICH = "import services.scoring.clauses as m; print(m.__spec__.origin)"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the sources a build depends on, with a stand-in 'build' of them in its own cache:
    a `clauses` module that only says where it was loaded from."""
    root = tmp_path / "tree"
    for name in [*compiled.sources(ROOT), "services/__init__.py", "services/scoring/__init__.py"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, root / name)
    build = tmp_path / "cache" / "compiled" / compiled.build_key(compiled.sources(root)) / "services" / "scoring"
    build.mkdir(parents=True)
    (build / "clauses.py").write_text("BUILT = True\n")
    return root


def _loaded_from(root: Path, **env: str) -> Path:
    cache = root.parent / "cache"
    done = subprocess.run(
        [sys.executable, "-c", WHICH],
        cwd=root,
        env={**os.environ, "HIRING_PIPELINE_CACHE_DIR": str(cache), compiled.SWITCH: "1", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return Path(done.stdout.strip())


def test_a_build_of_the_sources_as_they_are_loads_before_the_source(tree):
    assert _loaded_from(tree).is_relative_to(tree.parent / "cache" / "compiled")


@pytest.mark.parametrize("edited", ["services/scoring/evidence.py", "services/scoring/scan.py", "schemas/events.py"])
def test_a_build_of_sources_edited_since_is_never_loaded(tree, edited):
    with (tree / edited).open("a") as source:
        source.write("# edited\n")
    assert _loaded_from(tree) == tree / "services" / "scoring" / "clauses.py"


def test_the_switch_turns_a_matching_build_off(tree):
    assert _loaded_from(tree, **{compiled.SWITCH: "0"}) == tree / "services" / "scoring" / "clauses.py"
