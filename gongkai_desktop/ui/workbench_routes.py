"""Main-window routes for the 工作台 and the common shortcuts (issue 8 §1, §4): open a
record in its tab, go to the tab that fixes a requirement, Ctrl+N / Ctrl+F / Ctrl+P on
whatever tab is current, and the calendar banner linking to 工具 → 节假日安排.

Kept apart from main_window.py so that file stays about building the window."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from ..core import workbench

TAB_REGISTRY = "公开登记"
BANNER_STYLE = (
    "QLabel { background: #fff4d6; color: #5a3600; border: 1px solid #e0b050;"
    " border-radius: 3px; padding: 4px 8px; }"
)


class CalendarBanner(QLabel):
    """推算 warning above the tabs: next year's holiday schedule is missing while an open
    deadline reaches into it (RULES.md §1). ``linkActivated('holidays')`` opens the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarBanner")
        self.setWordWrap(True)
        self.setStyleSheet(BANNER_STYLE)
        self.text_plain = ""
        self.hide()

    def update_for(self, db, today: date | None) -> None:
        text = workbench.calendar_warning(db, today or date.today()) if db is not None else None
        self.text_plain = text or ""
        if not text:
            self.hide()
            return
        self.setText(f"⚠ {text}　<a href='holidays'>打开节假日安排…</a>")
        self.setToolTip("推算的期限按法定节假日计算，不含调休安排，可能与国务院公布的安排不同。")
        self.show()


def open_record(window, table: str, record_id: int) -> bool:
    """Switch to the record's tab and open it (items, applications, complaints,
    rectifications). False, with a message, when the tab cannot show it."""
    if table == "items" and window.registry is not None:
        window.tabs.setCurrentWidget(window.registry)
        window.registry.open_record(record_id)
        return True
    if table == "applications" and window.applications is not None:
        window.tabs.setCurrentWidget(window.applications)
        window.applications.open_dialog(record_id)
        return True
    if table == "complaints" and window.complaints is not None:
        window.tabs.setCurrentWidget(window.complaints)
        window.complaints.select_id(record_id)
        line = getattr(window.workbench, "opened_line", None)
        principal = (
            line is not None and line.kind == "主要负责人答复" and line.record_id == record_id
        )
        window.complaints.open_dialog(record_id, tab="主要负责人" if principal else None)
        return True
    if table == "rectifications" and window.supervision is not None:
        window.tabs.setCurrentWidget(window.supervision)
        window.supervision.show_section("整改事项")
        window.supervision.rect_view.select(record_id)
        return True
    window.statusBar().showMessage("这条记录无法在此打开。", 10000)
    return False


def open_link(window, link: str) -> bool:
    """``"机构与会议/会议"``: show the tab with that title, then its section."""
    title, _sep, section = link.partition("/")
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i) == title:
            tab = window.tabs.widget(i)
            window.tabs.setCurrentIndex(i)
            if section and hasattr(tab, "show_section"):
                tab.show_section(section)
            return True
    return False


def new_record(window) -> bool:
    """Ctrl+N: a new record of the current tab's kind (事项, 申请, 投诉, 工作计划)."""
    tab = window.tabs.currentWidget()
    for name in ("new_record", "new_item", "new_application", "new_complaint"):
        fn = getattr(tab, name, None)
        if callable(fn):
            fn()
            return True
    window.statusBar().showMessage("当前页没有“新建”：请用页面上的“登记”或“新增”按钮。", 8000)
    return False


def focus_search(window) -> bool:
    """Ctrl+F: the current tab's search box (focus_search() or a ``search`` line edit)."""
    tab = window.tabs.currentWidget()
    fn = getattr(tab, "focus_search", None)
    if callable(fn):
        fn()
        return True
    box = getattr(tab, "search", None)
    if isinstance(box, QLineEdit):
        box.setFocus()
        box.selectAll()
        return True
    window.statusBar().showMessage("当前页没有搜索框。", 5000)
    return False


def print_current(window) -> bool:
    """Ctrl+P: the current tab's print action when it has one, else the export centre."""
    tab = window.tabs.currentWidget()
    fn = getattr(tab, "print_current", None)
    if callable(fn):
        fn()
        return True
    return open_export_centre(window)


def open_export_centre(window) -> bool:
    if window.db is None:
        return False
    from .export_centre_dialog import open_export_centre as open_dialog

    open_dialog(window, window.db)
    return True


def open_sent_log(window) -> bool:
    if window.db is None:
        return False
    from .sent_log_dialog import open_sent_log as open_dialog

    open_dialog(window, window.db)
    return True


def open_mail_settings(window) -> bool:
    if window.db is None:
        return False
    from .mail_settings_dialog import open_mail_settings as open_dialog

    open_dialog(window, window.db)
    return True


def restore_tab(window, title: str | None) -> None:
    """Show the tab titled *title* (remembered in QSettings), else the 工作台."""
    for i in range(window.tabs.count()):
        if title and window.tabs.tabText(i) == title:
            window.tabs.setCurrentIndex(i)
            return
    window.tabs.setCurrentIndex(0)
