"""Cell text shared by the spreadsheet and slide readers, and the budget that bounds it.

A sheet may declare a million rows of sixteen thousand columns, or repeat one cell a billion
times (OpenDocument's ``number-columns-repeated``): every cell produced is counted, and past
the limit the document is refused instead of filling the child's memory or time.
"""

import datetime as dt

from docflow_extract.backends.errors import DocumentRejectedError

Row = list[str]


class CellBudget:
    def __init__(self, limit: int, what: str) -> None:
        self._left = limit
        self._limit = limit
        self._what = what

    def take(self, cells: int) -> None:
        self._left -= cells
        if self._left < 0:
            raise DocumentRejectedError(
                f"{self._what} refused: it has more than {self._limit} cells "
                "(DOCFLOW_EXTRACT_MAX_CELLS)"
            )


def cell_text(value: object) -> str:
    """A cell's value as a person reads it: 3 not 3.0, a date without a midnight time."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


def trimmed(row: Row) -> Row:
    """The row without its trailing empty cells."""
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def as_lines(rows: list[Row]) -> list[str]:
    return ["\t".join(row) for row in rows]
