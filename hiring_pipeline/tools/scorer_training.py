"""Trains the notes model (`services/scoring/notes_model.py`) on the labelled `dev` split.

    hiring-pipeline train-scorer [--check]

Logistic regression (scikit-learn, a development dependency: the services only read the
artifact) over the clause features (words, negated words, word pairs), L2-regularised; the artifact keeps the
features with the largest weights, rounded, so it stays small and reviewable in a diff.
Deterministic: the same notes give the same file byte for byte (`--check` verifies the
committed artifact is what the committed notes train to). Never trained on `test`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hiring_pipeline.tools.scorer_eval import LabelledNote
from services.scoring.clauses import split_clauses
from services.scoring.notes_model import clause_counts, unit_scale

TRAIN_SPLIT = Path("tests/data/notes/dev")
KEEP = 6000
"""Features kept: the rest weigh too little to move a verdict."""
REGULARISATION = 4.0


def train(notes: list[LabelledNote]) -> dict[str, object]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = []
    for note in notes:
        per_clause = clause_counts(note.notes, split_clauses(note.notes))
        scale = unit_scale(per_clause)
        total: dict[str, float] = {}
        for clause in per_clause:
            for feature, n in clause.items():
                total[feature] = total.get(feature, 0.0) + n / scale
        counts.append(total)
    vocabulary = {feature: column for column, feature in enumerate(sorted({f for c in counts for f in c}))}
    rows, cols, values = [], [], []
    for row, total in enumerate(counts):
        for feature, value in sorted(total.items()):
            rows.append(row)
            cols.append(vocabulary[feature])
            values.append(value)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(notes), len(vocabulary)))
    labels = [note.verdict == "strong" for note in notes]
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(matrix, labels)
    weights = model.coef_[0]
    strongest = sorted(vocabulary, key=lambda feature: (-abs(weights[vocabulary[feature]]), feature))[:KEEP]
    digest = hashlib.sha256("\n".join(f"{n.id}|{n.verdict}|{n.notes}" for n in notes).encode()).hexdigest()[:12]
    return {
        "version": f"dev-{digest}",
        "trained_on": len(notes),
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {feature: round(float(weights[vocabulary[feature]]), 4) for feature in sorted(strongest)},
    }


def render(artifact: dict[str, object]) -> str:
    return json.dumps(artifact, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
