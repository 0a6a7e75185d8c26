"""Cursors carry their listing's order; those handed out before orders existed stay valid."""

import base64
import json

import pytest

from docflow_results.cursor import decode_cursor, encode_cursor
from docflow_results.repository import CursorOrderError, InvalidCursorError
from docflow_testing.results import T0


def test_a_cursor_names_its_order_and_position() -> None:
    position = decode_cursor(encode_cursor(T0, "doc-1", "oldest"), "oldest")
    assert (position.order, position.created_at, position.id) == ("oldest", T0, "doc-1")


def test_a_cursor_from_before_orders_continues_a_newest_first_listing() -> None:
    raw = json.dumps({"created_at": T0.isoformat(), "id": "doc-1"}).encode()
    old = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert decode_cursor(old).id == "doc-1"
    with pytest.raises(CursorOrderError, match="newest-first listing, not oldest-first"):
        decode_cursor(old, "oldest")


def test_a_cursor_with_fields_of_its_own_is_not_ours() -> None:
    raw = json.dumps({"order": "oldest", "since": T0.isoformat(), "id": "doc-1"}).encode()
    with pytest.raises(InvalidCursorError) as refused:
        decode_cursor(base64.urlsafe_b64encode(raw).decode(), "oldest")
    assert not isinstance(refused.value, CursorOrderError)
