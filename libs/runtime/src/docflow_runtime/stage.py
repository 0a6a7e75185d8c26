"""What a stage is: a name, the topics it reads, and a handler that knows nothing of Kafka."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from docflow_events import Envelope, EventData


class Stage(ABC):
    """A step of the flow. ``handle`` turns one event into the events that follow it.

    Handlers must be idempotent: after a crash the same event may be handled again, and the
    runtime then gives its outputs the same ids so that sinks can drop the repeat. Raise
    :class:`~docflow_runtime.errors.PermanentError` for input that can never succeed and
    :class:`~docflow_runtime.errors.TransientError` for a failure worth retrying. ``handle`` is
    called from several threads at once (never twice at once for one document).
    """

    name: ClassVar[str]
    inputs: ClassVar[tuple[str, ...]]

    @abstractmethod
    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]: ...

    def close(self) -> None:  # noqa: B027 - optional hook, most stages hold nothing to release
        """Release backends; called once when the worker stops."""
