"""Errors raised while reading events: each says exactly what is wrong with a message.

All of them are permanent: the same bytes will never decode, so a stage sends such a message
to its dead-letter topic at once instead of retrying it.
"""


class EventDecodeError(ValueError):
    """A Kafka message is not a valid docflow event."""


class MissingHeaderError(EventDecodeError):
    """A required CloudEvents header (``ce_id``, ``ce_type``, ...) is absent."""

    def __init__(self, header: str) -> None:
        super().__init__(f"required CloudEvents header {header!r} is missing")
        self.header = header


class UnsupportedSpecVersionError(EventDecodeError):
    """The ``ce_specversion`` header names a CloudEvents version other than 1.0."""


class UnsupportedContentTypeError(EventDecodeError):
    """The ``content-type`` header is not JSON."""


class UnknownEventTypeError(EventDecodeError):
    """The ``ce_type`` header names no event type this library knows."""

    def __init__(self, event_type: str) -> None:
        super().__init__(f"unknown event type {event_type!r}")
        self.event_type = event_type


class InvalidPayloadError(EventDecodeError):
    """The message value is not JSON, or does not match the schema of its event type."""
