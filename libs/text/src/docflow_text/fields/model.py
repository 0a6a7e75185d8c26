"""The trained scorer, read from JSON and evaluated in pure Python.

``make train`` fits a gradient-boosted tree ensemble per field (scikit-learn's
``GradientBoostingClassifier``) and exports its trees here: each tree is the arrays of its
nodes (the feature tested, the threshold, the left and right child, the leaf value). A
candidate's score is the ensemble's probability, as ``predict_proba`` gives it:
``sigmoid(bias + learning_rate * sum(leaf values))``, a node sending a value to its left child
when it is at most the threshold. No numpy: the services that read fields stay light.
"""

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

FORMAT: Final = "docflow-field-scorer/1"
#: The model the package ships, written by ``make train``.
PACKAGED: Final = "fields.json"
_LEAF: Final = -1
_NODE_ARRAYS: Final = ("feature", "threshold", "left", "right", "value")


class ModelFileError(ValueError):
    """The model file is missing, not JSON, or not a scorer this evaluator reads."""


@dataclass(frozen=True)
class Tree:
    """One regression tree as parallel arrays over its nodes (scikit-learn's ``tree_``)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def leaf_value(self, row: list[float]) -> float:
        node = 0
        while self.left[node] != _LEAF:
            go_left = row[self.feature[node]] <= self.threshold[node]
            node = self.left[node] if go_left else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class FieldModel:
    """The ensemble of one field, the features it reads in order, and when to trust it:
    below ``min_confidence`` (chosen by cross-validation) the field's rule answers instead."""

    features: tuple[str, ...]
    bias: float
    learning_rate: float
    trees: tuple[Tree, ...]
    min_confidence: float = 0.0

    def probability(self, features: dict[str, float]) -> float:
        row = [features.get(name, 0.0) for name in self.features]
        raw = self.bias + self.learning_rate * sum(tree.leaf_value(row) for tree in self.trees)
        return 1.0 / (1.0 + math.exp(-raw))


@dataclass(frozen=True)
class ScorerModel:
    fields: dict[str, FieldModel]


def load_model(path: Path | None = None) -> ScorerModel | None:
    """The scorer at ``path``, else the packaged one; None when the package ships none."""
    if path is None:
        packaged = resources.files("docflow_text.fields") / "models" / PACKAGED
        if not packaged.is_file():
            return None
        return parse_model(packaged.read_text(encoding="utf-8"))
    try:
        return parse_model(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelFileError(f"cannot read the scorer {path.name}: {exc.strerror}") from exc


def parse_model(text: str) -> ScorerModel:
    """A scorer from its JSON; :class:`ModelFileError` for anything else."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ModelFileError(f"not a {FORMAT} model")
        return ScorerModel({name: _field(spec) for name, spec in data["fields"].items()})
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"a malformed {FORMAT} model: {exc}") from exc


def _field(spec: dict[str, Any]) -> FieldModel:
    model = FieldModel(
        features=tuple(str(name) for name in spec["features"]),
        bias=float(spec["bias"]),
        learning_rate=float(spec["learning_rate"]),
        trees=tuple(_tree(tree, len(spec["features"])) for tree in spec["trees"]),
        min_confidence=float(spec.get("min_confidence", 0.0)),
    )
    if not model.features or model.learning_rate <= 0 or not 0 <= model.min_confidence <= 1:
        raise ModelFileError("a field needs features, a positive rate and a confidence in 0..1")
    return model


def _tree(spec: dict[str, Any], features: int) -> Tree:
    arrays = [list(spec[name]) for name in _NODE_ARRAYS]
    size = len(arrays[0])
    if size == 0 or any(len(array) != size for array in arrays):
        raise ModelFileError("a tree's node arrays must be non-empty and of one length")
    feature, threshold, left, right, value = arrays
    _check_nodes(feature, left, right, size, features)
    return Tree(
        feature=tuple(int(f) for f in feature),
        threshold=tuple(float(t) for t in threshold),
        left=tuple(int(n) for n in left),
        right=tuple(int(n) for n in right),
        value=tuple(float(v) for v in value),
    )


def _check_nodes(
    feature: list[Any], left: list[Any], right: list[Any], size: int, features: int
) -> None:
    """Children point forward inside the tree and tested features exist: evaluation ends."""
    for node in range(size):
        if left[node] == _LEAF:
            continue
        if not (node < left[node] < size and node < right[node] < size):
            raise ModelFileError(f"node {node} of a tree has children outside it")
        if not 0 <= feature[node] < features:
            raise ModelFileError(f"node {node} of a tree tests an unknown feature")
