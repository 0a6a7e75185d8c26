"""Textract tables as rows of cell texts, with the merged cells named."""

from collections import defaultdict
from typing import Any

from docflow_events.v1 import Table
from docflow_events.v1.results import MergedCell
from docflow_extract.backends.textract.text import clean


def table_of(table: Any, page_number: int) -> Table:
    cells = list(table.table_cells)
    grid = _grid(cells)
    merged = [_merge(group, grid) for group in _merge_groups(cells)]
    return Table(page=page_number, rows=grid, merged_cells=merged)


def _grid(cells: list[Any]) -> list[list[str]]:
    rows = max((cell.row_index + cell.row_span - 1 for cell in cells), default=0)
    columns = max((cell.col_index + cell.col_span - 1 for cell in cells), default=0)
    grid = [[""] * columns for _ in range(rows)]
    for cell in cells:
        grid[cell.row_index - 1][cell.col_index - 1] = clean(cell.text)
    return grid


def _merge_groups(cells: list[Any]) -> list[list[Any]]:
    groups: defaultdict[str, list[Any]] = defaultdict(list)
    for cell in cells:
        if cell.parent_cell_id is not None:
            groups[str(cell.parent_cell_id)].append(cell)
    return [group for group in groups.values() if len(group) > 1]


def _merge(group: list[Any], grid: list[list[str]]) -> MergedCell:
    """Moves the merged cells' texts, in reading order, into the top-left one, as the local
    backend's tables have them; the other covered cells become empty."""
    ordered = sorted(group, key=lambda cell: (cell.row_index, cell.col_index))
    top, left = ordered[0].row_index, ordered[0].col_index
    bottom = max(cell.row_index for cell in group)
    right = max(cell.col_index for cell in group)
    text = " ".join(grid[c.row_index - 1][c.col_index - 1] for c in ordered).split()
    for cell in ordered:
        grid[cell.row_index - 1][cell.col_index - 1] = ""
    grid[top - 1][left - 1] = " ".join(text)
    return MergedCell(row=top, column=left, row_span=bottom - top + 1, column_span=right - left + 1)
