"""The one check every .xlsx export goes through: no cell may act as a formula.

Text typed by the clerk or imported from elsewhere can start with ``=``, ``+``, ``-``,
``@`` (or be an error value such as ``#N/A``); Excel and WPS would run it as a formula
(CSV/formula injection). Such text is written as a string cell with Excel's quote
prefix (shown as typed, never evaluated). Issue 9: "Exports never write cells that act
as formulas, a check shared by every export."

Streaming ledgers (write-only mode) call :func:`is_risky` per cell in ``xlsx_ledger``;
workbooks built in normal mode call :func:`guard_workbook` just before saving.
"""

from __future__ import annotations

from openpyxl.cell.cell import ERROR_CODES

# Text that Excel or WPS would read as a formula or an error value (CSV/formula injection).
RISKY_START = "=+-@#"  # "#" only for Excel's error values such as #N/A


def is_risky(text: str) -> bool:
    """True when *text* (non-empty) would be taken as a formula or an error value."""
    return text[0] in RISKY_START and (text[0] != "#" or text in ERROR_CODES)


def guard_workbook(wb) -> int:
    """Turn every formula cell and every formula-like text in a normal-mode workbook into
    quoted text, in place. Returns how many cells were changed. This program never writes
    formulas on purpose, so anything that would compute came from data."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell._value
                if cell.data_type == "f" or (type(v) is str and v and is_risky(v)):
                    text = v if isinstance(v, str) else str(v)
                    cell._value, cell.data_type = text, "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed
