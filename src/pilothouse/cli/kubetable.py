"""The `RESOURCES:` block of `pilot status`: server-side tables printed as `kubectl get` prints them."""

from __future__ import annotations

from typing import Any

# kubectl's tab writer: minimum cell width 6, padding 3, spaces
_MIN_WIDTH, _PADDING = 6, 3


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        # a multi-line cell shows its first line only, marked as cut
        for i, ch in enumerate(cell):
            if ch in "\f\n\r":
                return cell[:i] + "..."
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _aligned(lines: list[list[str]]) -> str:
    """Go's text/tabwriter over cells that each line separates with tabs (the last cell is not padded)."""
    ncols = max((len(line) for line in lines), default=0)
    widths = [0] * ncols
    for line in lines:
        for j, cell in enumerate(line[:-1]):
            widths[j] = max(widths[j], max(len(cell) + _PADDING, _MIN_WIDTH))
    out = []
    for line in lines:
        text = "".join(cell.ljust(widths[j]) for j, cell in enumerate(line[:-1]))
        out.append(text + (line[-1] if line else "") + "\n")
    return "".join(out)


class TablePrinter:
    """kubectl's human-readable printer for Table objects: one header per run of tables with the same columns."""

    def __init__(self) -> None:
        self._last_columns: Any = None
        self._printed_headers = False

    def print_obj(self, obj: dict[str, Any]) -> str:
        if obj.get("kind") != "Table":
            return f"failed to print object type: not a table ({obj.get('kind')})\n"
        columns = obj.get("columnDefinitions") or []
        rows = obj.get("rows") or []
        no_headers = self._printed_headers and (not columns or columns == self._last_columns)
        if not columns:
            columns = self._last_columns or []
        elif columns != self._last_columns:
            self._last_columns = columns
            self._printed_headers = False
        if rows:
            self._printed_headers = True
        shown = [i for i, c in enumerate(columns) if (c.get("priority") or 0) == 0]
        lines: list[list[str]] = []
        if not no_headers:
            if not rows:
                return ""
            lines.append([str(columns[i].get("name", "")).upper() for i in shown])
        for row in rows:
            cells = row.get("cells") or []
            lines.append([_cell_text(cells[i]) if i < len(cells) else "" for i in shown if i < len(cells)])
        return _aligned(lines)


def resources_block(resources: dict[str, list[dict[str, Any]]]) -> str:
    """``RESOURCES:`` and each ``==> version/Kind`` group (sorted, where Helm's order is a map's)."""
    printer = TablePrinter()
    buf = []
    for key in sorted(resources):
        buf.append(f"==> {key}\n")
        for obj in resources[key]:
            buf.append(printer.print_obj(obj))
        buf.append("\n")
    return "RESOURCES:\n" + "".join(buf) + "\n"
