"""Trains the notes model (`services/scoring/notes_model.py`) on the labelled `dev` split.

    hiring-pipeline train-scorer [--check]

Logistic regression (scikit-learn, a development dependency: the services only read the
artifact) over the hashed clause features, L2-regularised; the artifact keeps the
features with the largest weights, rounded, so it stays small and reviewable in a diff.
Deterministic: the same notes give the same file byte for byte (`--check` verifies the
committed artifact is what the committed notes train to). Never trained on `test`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hiring_pipeline.scorer_eval import LabelledNote
from services.scoring.notes_model import BUCKETS, note_vector

TRAIN_SPLIT = Path("tests/data/notes/dev")
KEEP = 6000
"""Features kept: the rest weigh too little to move a verdict."""
REGULARISATION = 4.0


def train(notes: list[LabelledNote]) -> dict[str, object]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, cols, values = [], [], []
    for row, note in enumerate(notes):
        vector, _ = note_vector(note.notes)
        for column, value in sorted(vector.items()):
            rows.append(row)
            cols.append(column)
            values.append(value)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(notes), BUCKETS))
    labels = [note.verdict == "strong" for note in notes]
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(matrix, labels)
    weights = model.coef_[0]
    strongest = sorted(set(cols), key=lambda column: (-abs(weights[column]), column))[:KEEP]
    digest = hashlib.sha256("\n".join(f"{n.id}|{n.verdict}|{n.notes}" for n in notes).encode()).hexdigest()[:12]
    return {
        "version": f"dev-{digest}",
        "trained_on": len(notes),
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {str(column): round(float(weights[column]), 4) for column in sorted(strongest)},
    }


def render(artifact: dict[str, object]) -> str:
    return json.dumps(artifact, indent=0, sort_keys=True) + "\n"
