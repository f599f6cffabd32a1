"""分类与公开方式 dialog: list the 主题分类 and 公开方式, add the unit's own."""

from __future__ import annotations

import sqlite_utils
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from ..core import catalog, profile
from ..core.errors import ValidationError
from . import signals
from .forms import embed_form


class CatalogDialog(QDialog):
    def __init__(self, db: sqlite_utils.Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.ui = embed_form("catalog_dialog", self, "分类与公开方式")
        f = self.ui.findChild
        self.categories: QListWidget = f(QListWidget, "categoryList")
        self.channels: QListWidget = f(QListWidget, "channelList")
        self.category_edit: QLineEdit = f(QLineEdit, "categoryEdit")
        self.channel_edit: QLineEdit = f(QLineEdit, "channelEdit")
        self.error: QLabel = f(QLabel, "errorLabel")
        buttons: QDialogButtonBox = f(QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        for b in self.ui.findChildren(QPushButton):  # Enter adds, it does not close
            b.setAutoDefault(False)
            b.setDefault(False)
        buttons.rejected.connect(self.reject)
        f(QPushButton, "addCategoryButton").clicked.connect(self.add_category)
        f(QPushButton, "addChannelButton").clicked.connect(self.add_channel)
        self.category_edit.returnPressed.connect(self.add_category)
        self.channel_edit.returnPressed.connect(self.add_channel)
        self._fill()

    def _fill(self) -> None:
        self.categories.clear()
        for c in catalog.categories(self.db):
            mark = "" if c.builtin else "（自定义）"
            item = QListWidgetItem(f"{c.code}　{c.name}{mark}", self.categories)
            source = f"考核表第{c.seed_item}项。" if c.seed_item else ""
            item.setToolTip(f"{source}{c.description}".strip() or c.name)
        self.channels.clear()
        self.channels.addItems(catalog.channels(self.db))

    def add_category(self) -> None:
        self._add(catalog.add_category, self.category_edit, self.categories)

    def add_channel(self) -> None:
        self._add(catalog.add_channel, self.channel_edit, self.channels)

    def _add(self, fn, edit: QLineEdit, view: QListWidget) -> None:
        try:
            fn(self.db, edit.text(), profile.operator(self.db))
        except ValidationError as e:
            self._say(str(e), ok=False)
            edit.setFocus()
            return
        name = edit.text().strip()
        edit.clear()
        self._say(f"已增加“{name}”。", ok=True)
        self._fill()
        view.scrollToBottom()
        signals.notify(signals.CATALOG)

    def _say(self, text: str, ok: bool) -> None:
        self.error.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.error.setText(text)


def open_catalog_dialog(parent: QWidget | None, db: sqlite_utils.Database) -> None:
    CatalogDialog(db, parent).exec()
