"""The README's picture of the layout is the rule the imports follow.

The `layers` block of the README lists the packages top to bottom; a module may import its
own package and those on lower rows, never a package above it or beside it on its row.
Imports are read with `ast` (those inside functions too: the CLI imports lazily), so the
picture and the code cannot drift apart without this test saying where.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("hiring_pipeline", "services", "schemas", "benchmarks")


@dataclass(frozen=True)
class Unit:
    """One package (or module) of the picture, and its row: 0 is the top."""

    module: str
    row: int

    def holds(self, module: str) -> bool:
        return module == self.module or module.startswith(self.module + ".")


def units_of(readme: str) -> list[Unit]:
    block = re.search(r"```layers\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md has no ```layers block"
    units = []
    rows = [line for line in block.group(1).splitlines() if line.strip() and line.strip() != "│"]
    for row, line in enumerate(rows):
        paths = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        for path in paths.split(" · "):
            units.append(Unit(path.strip().removesuffix("/").removesuffix(".py").replace("/", "."), row))
    return units


def unit_of(module: str, units: list[Unit]) -> Unit | None:
    """The most specific unit holding the module (services.runtime before services)."""
    holding = [u for u in units if u.holds(module)]
    return max(holding, key=lambda u: len(u.module)) if holding else None


def module_name(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import, with `from package import module` resolved to the module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (ROOT / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    ROOT / candidate.replace(".", "/") / "__init__.py"
                ).exists()
                found.append((node.lineno, candidate if is_module else node.module))
    return found


def wrong_way_imports(units: list[Unit], files: dict[str, str]) -> list[str]:
    """`files`: repository path -> source text."""
    problems = []
    for path, text in files.items():
        source = unit_of(module_name(path), units)
        if source is None:
            continue
        for line, module in imported_modules(text):
            target = unit_of(module, units)
            if target is None or target == source:
                continue
            if target.row <= source.row:
                where = "above" if target.row < source.row else "beside"
                problems.append(f"{path}:{line} imports {module}, {where} {source.module}")
    return problems


def project_files() -> dict[str, str]:
    paths = sorted(p for package in CODE for p in (ROOT / package).rglob("*.py"))
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


UNITS = units_of((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_import_points_down_the_readme_picture():
    assert wrong_way_imports(UNITS, project_files()) == []


def test_every_module_of_the_project_has_a_place_in_the_picture():
    containers = {"hiring_pipeline", "services", "benchmarks"}  # packages that only hold the drawn ones
    unplaced = [
        path
        for path in project_files()
        if unit_of(module_name(path), UNITS) is None and module_name(path) not in containers
    ]
    assert unplaced == []


def test_every_package_in_the_picture_exists():
    missing = [
        u.module
        for u in UNITS
        if not (ROOT / u.module.replace(".", "/")).exists()
        and not (ROOT / u.module.replace(".", "/")).with_suffix(".py").exists()
    ]
    assert missing == []


def test_an_import_against_the_direction_is_reported():
    service_reaching_up_and_sideways = (
        "from hiring_pipeline.tools.publish import publish\ndef later():\n    import services.aggregation.store\n"
    )
    problems = wrong_way_imports(UNITS, {"services/scoring/consumer.py": service_reaching_up_and_sideways})
    assert problems == [
        "services/scoring/consumer.py:1 imports hiring_pipeline.tools.publish, above services.scoring",
        "services/scoring/consumer.py:3 imports services.aggregation.store, beside services.scoring",
    ]


def test_the_cli_may_import_every_layer_and_a_layer_its_own_package():
    files = {
        "hiring_pipeline/cli.py": "from hiring_pipeline.devstack import infra\nimport schemas.topics\n",
        "services/runtime/service.py": "from services.runtime.kafka import KafkaSender\nfrom schemas import topics\n",
    }
    assert wrong_way_imports(UNITS, files) == []
