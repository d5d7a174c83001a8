"""Files of the project that live outside its packages: the demo's sample loop, the Kafka
broker's `pom.xml`, the AsyncAPI document.

In a source checkout they are read where they are in the repository. An installed wheel
carries copies under `<prefix>/share/hiring-pipeline/` (pyproject's data-files), so the
same commands work from `pip install hiring-pipeline` and in the Docker image."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(sys.prefix) / "share" / "hiring-pipeline"


def in_checkout() -> bool:
    """True when running from the repository (an editable install), not from a wheel."""
    return (REPO_ROOT / "pyproject.toml").is_file()


def project_file(relative: str) -> Path:
    """The repository's file in a checkout, else the installed copy (which may not exist:
    the caller says what is missing)."""
    if in_checkout():
        return REPO_ROOT / relative
    return SHARED / relative
