"""Candidates' self-identification cannot reach scoring or decisions.

It lives in the Greenhouse adapter's `greenhouse_eeoc` schema (`services/greenhouse/eeoc.py`).
Only the adapter's EEOC module, its HTTP client and wiring, and the operator's audit tool
may name it: any other module that imports it, or mentions the schema or the endpoint (a
query, a topic), fails this test. The contracts carry no field for it.
"""

import ast
import re
from pathlib import Path

from schemas.events import EVENT_MODELS

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "services/greenhouse/eeoc.py",  # the store and the sync pass
    "services/greenhouse/harvest.py",  # GET /v1/eeoc
    "services/greenhouse/app.py",  # runs the pass after each poll
    "services/greenhouse/settings.py",  # GREENHOUSE_EEOC_SYNC, the retention
    "hiring_pipeline/tools/audit.py",  # the adverse-impact report
    "hiring_pipeline/cli.py",  # `hiring-pipeline audit`
}
MENTION = re.compile(r"eeoc|self_identification|demographic", re.IGNORECASE)


def code_files() -> dict[str, str]:
    paths = [p for d in ("services", "schemas", "hiring_pipeline", "benchmarks") for p in (ROOT / d).rglob("*.py")]
    paths += list((ROOT / "services").rglob("*.sql"))
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def offenders(files: dict[str, str]) -> list[str]:
    found = []
    for path, text in files.items():
        if path in ALLOWED or path.startswith("services/greenhouse/eeoc_migrations/"):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if MENTION.search(line):
                found.append(f"{path}:{number}: {line.strip()[:80]}")
        if path.endswith(".py"):
            for node in ast.walk(ast.parse(text)):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                found += [
                    f"{path}:{node.lineno}: imports {n}"
                    for n in names[:1]
                    if any("eeoc" in m or "audit" in m for m in names)
                ]
    return found


def test_no_service_or_contract_imports_or_queries_the_self_identification():
    assert offenders(code_files()) == []


def test_the_check_catches_an_import_and_a_query():
    sneaky = {
        "services/aggregation/decision.py": "from services.greenhouse.eeoc import PostgresEeocStore\n",
        "services/scoring/store.py": 'SQL = "SELECT gender FROM greenhouse_eeoc.self_identification"\n',
    }
    assert len(offenders(sneaky)) == 3


def test_no_event_on_any_topic_has_a_field_for_it():
    words = re.compile(r"gender|race|sex|ethnic|veteran|disabilit|eeoc", re.IGNORECASE)

    def fields(schema: dict) -> list[str]:
        found = []
        for name, sub in (schema.get("properties") or {}).items():
            found.append(name)
            found += fields(sub)
        for sub in (schema.get("$defs") or {}).values():
            found += fields(sub)
        return found

    for model in EVENT_MODELS.values():
        assert [f for f in fields(model.model_json_schema()) if words.search(f)] == []
