"""Opaque pagination cursors: the order of a listing and the position (created_at, id) of the
last document of its page."""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from docflow_results.models import Document, DocumentPage, ListOrder
from docflow_results.repository import CursorOrderError, InvalidCursorError


class Position(BaseModel):
    """Where a page ended, in the order its listing runs (by creation time, then by id)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Cursors handed out before listings had an order have none: they were all newest first.
    order: ListOrder = "newest"
    created_at: AwareDatetime
    id: str


def encode_cursor(created_at: datetime, document_id: str, order: ListOrder = "newest") -> str:
    raw = Position(order=order, created_at=created_at, id=document_id).model_dump_json()
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: ListOrder = "newest") -> Position:
    """The position a cursor of an ``order`` listing names; CursorOrderError for a cursor of
    the other order, InvalidCursorError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = Position.model_validate(json.loads(raw))
    except (binascii.Error, ValueError, ValidationError) as exc:
        raise InvalidCursorError("the cursor is not one this store handed out") from exc
    if position.order != order:
        raise CursorOrderError(position.order, order)
    return position


def page_of(found: Sequence[Document], limit: int, order: ListOrder = "newest") -> DocumentPage:
    """A page from a query that asked for one document more than ``limit``: that one, when it
    came, says another page follows, which starts after the page's last document."""
    items = list(found[:limit])
    more = len(found) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].id, order) if more else None
    return DocumentPage(items=items, next_cursor=next_cursor)
