"""The one helper that loads Qt Designer forms from forms/ (源码、wheel 与打包程序通用)."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..paths import forms_dir

_custom: list[type] = []


def register_custom_widget(cls: type) -> type:
    """Make a promoted widget class known to the loader (use as a decorator)."""
    if cls not in _custom:
        _custom.append(cls)
    return cls


def form_names() -> list[str]:
    return sorted(p.stem for p in forms_dir().glob("*.ui"))


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Load forms/NAME.ui and return its top-level widget (object names as in Designer)."""
    path = forms_dir() / f"{name}.ui"
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"找不到界面文件 {path.name}，请重新安装本软件。")
    loader = QUiLoader()
    for cls in _custom:
        loader.registerCustomWidget(cls)
    try:
        widget = loader.load(f, parent)
    finally:
        f.close()
    if widget is None:
        raise RuntimeError(f"界面文件 {path.name} 无法加载：{loader.errorString()}")
    return widget


def form_child(form: QWidget, cls: type, name: str, form_name: str):
    """The child *name* of a loaded form; a clear error when forms/FORM_NAME.ui lacks it."""
    found = form.findChild(cls, name)
    if found is None:
        raise RuntimeError(f"{form_name}.ui lacks {name}")
    return found


def host(widget: QWidget, parent_host: QWidget) -> None:
    """Put *widget* into the empty placeholder *parent_host* of a form, filling it."""
    lay = QVBoxLayout(parent_host)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(widget)


def embed_form(name: str, host: QWidget, title: str | None = None, margin: int = 4) -> QWidget:
    """Load forms/NAME.ui into *host* (a dialog or tab) filling it; returns the form."""
    form = load_form(name, host)
    lay = QVBoxLayout(host)
    lay.setContentsMargins(margin, margin, margin, margin)
    lay.addWidget(form)
    host.setWindowTitle(title or form.windowTitle())
    host.resize(form.size())
    return form
