"""The 保存/取消 button box most dialogs share, worded in Chinese."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

SAVE = QDialogButtonBox.StandardButton.Save
OK = QDialogButtonBox.StandardButton.Ok


def wire_box(
    box: QDialogButtonBox,
    dialog: QDialog,
    on_accept: Callable,
    ok_text: str = "保存",
    ok: QDialogButtonBox.StandardButton = SAVE,
) -> None:
    """*ok* reads *ok_text* and runs *on_accept*; 取消 rejects *dialog*."""
    box.button(ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(on_accept)
    box.rejected.connect(dialog.reject)
