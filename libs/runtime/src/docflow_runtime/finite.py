"""Only numbers JSON can hold leave a stage.

Pydantic writes inf and nan as null without complaint; the reader then refuses the null where
its model needs a number, a stage later and with no hint of the cause. Whoever writes a model
for others to read (:meth:`BlobStore.save`, the runtime's output events, the store's final
record) checks it first, and fails with the field named.
"""

import math
from collections.abc import Iterable

from pydantic import BaseModel

from docflow_runtime.errors import PermanentError


class NonFiniteNumberError(PermanentError):
    """A model about to be written holds inf or nan; the message names the field."""

    def __init__(self, model: str, field: str, value: float) -> None:
        super().__init__(
            f"{model} field {field} is {value}, not a finite number: JSON cannot hold it"
        )
        self.model = model
        self.field = field
        self.value = value


def check_finite(model: BaseModel) -> None:
    """Raise :class:`NonFiniteNumberError` for the first inf or nan anywhere in ``model``."""
    found = _non_finite(model)
    if found is not None:
        parts, value = found
        # Dotted, as pydantic names a field in its own errors.
        field = ".".join(str(part) for part in reversed(parts))
        raise NonFiniteNumberError(type(model).__name__, field, value)


def _non_finite(value: object) -> tuple[list[object], float] | None:
    """The first inf or nan in ``value``, with its path innermost first; the path is only
    built for what is found, as a large result holds tens of thousands of values."""
    if isinstance(value, float):
        return None if math.isfinite(value) else ([], value)
    for name, child in _children(value):
        found = _non_finite(child)
        if found is not None:
            found[0].append(name)
            return found
    return None


def _children(value: object) -> Iterable[tuple[object, object]]:
    if isinstance(value, str):  # most values of a result are text: settled first
        return ()
    if isinstance(value, BaseModel):
        return vars(value).items()
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, list | tuple):
        return enumerate(value)
    return ()
