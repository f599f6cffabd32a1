"""What the all-or-nothing sheet imports share (core/registry_io.py for 事项,
core/application_import.py for 申请): the refusal listing every error, the cancel
notice, and a cell read as text."""

from __future__ import annotations

from datetime import date
from typing import Any

from .errors import Cancelled, ValidationError

MAX_ERRORS_SHOWN = 10


class RowsRejected(ValidationError):
    """The sheet has errors; nothing was imported. ``errors`` lists every one; a subclass
    names what was not imported in NOUN."""

    NOUN = ""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = [e.rstrip("。") for e in self.errors[:MAX_ERRORS_SHOWN]]
        more = f"……共 {len(self.errors)} 处" if len(self.errors) > MAX_ERRORS_SHOWN else ""
        super().__init__(
            f"导入失败，表格中有 {len(self.errors)} 处错误，没有导入任何{self.NOUN}。"
            "请改正后重新导入：" + "；".join(shown) + more + "。"
        )


class RowsCancelled(Cancelled):
    NOUN = ""

    def __init__(self) -> None:
        super().__init__(f"已取消导入，没有导入任何{self.NOUN}。")


def cell_text(value: Any) -> str:
    """A cell as stripped text: dates as 2026-03-15, whole floats without “.0”."""
    if value is None:
        return ""
    if isinstance(value, date):  # datetime too
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def all_or_nothing(out: list, errors: list[str], rejected: type[RowsRejected]) -> list:
    """The valid rows *out* once no row has errors; a sheet with errors, or with no rows
    under the header, is refused whole."""
    if errors:
        raise rejected(errors)
    if not out:
        raise ValidationError(
            f"表格里没有可导入的{rejected.NOUN}（表头下面是空的）。请在表头下面逐行填写后再导入。"
        )
    return out
