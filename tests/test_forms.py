"""Every Designer form in forms/ loads through the one helper (DESIGN.md: Forms)."""

import pytest
from PySide6.QtWidgets import QWidget

from gongkai_desktop.ui import forms


def test_there_are_forms():
    names = forms.form_names()
    assert "main_window" in names and "registry_tab" in names and "item_dialog" in names


@pytest.mark.parametrize("name", forms.form_names())
def test_form_loads(qtbot, name):
    # promoted widgets register themselves when their module is imported
    import gongkai_desktop.ui.flow_chart  # noqa: F401

    w = forms.load_form(name)
    qtbot.addWidget(w)
    assert isinstance(w, QWidget)
    assert w.objectName()


def test_missing_form_has_chinese_message():
    with pytest.raises(FileNotFoundError, match="找不到界面文件"):
        forms.load_form("no_such_form")
