"""主窗口: menus, tabs, and switching between database files."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from .. import __version__
from ..core import profile
from ..exports import pdf_fonts
from . import qt_compat, signals, workers
from . import workbench_routes as routes
from .annual_report_tab import AnnualReportTab
from .applications_tab import NEW_SHORTCUT, ApplicationsTab
from .archive_tab import ArchiveTab
from .assessment_tab import AssessmentTab
from .complaints_tab import ComplaintsTab
from .forms import load_form
from .organisation_tab import OrganisationTab
from .registry_tab import RegistryTab
from .supervision_tab import SupervisionTab
from .workbench_routes import CalendarBanner
from .workbench_tab import WorkbenchTab

qt_compat.keep_none_alive()  # before any screen is built (PySide6 6.12 on Python 3.11)

APP_NAME = "政务公开台账"
ORG_NAME = "gongkai_desktop"  # QSettings folder / registry key
MAX_RECENT = 8
DB_FILTER = "台账数据库 (*.db *.sqlite *.sqlite3);;所有文件 (*)"


def app_settings() -> QSettings:
    return QSettings(ORG_NAME, "gongkai_desktop")


class MainWindow(QMainWindow):
    """The application window. ``set_database`` (re)builds the tabs on a file."""

    def __init__(
        self, parent: QWidget | None = None, *, settings: QSettings | None = None, today=None
    ) -> None:
        super().__init__(parent)
        self.settings = settings or app_settings()
        self._today = today
        self._adopt_form()
        self.tabs: QTabWidget = self.findChild(QTabWidget, "tabs")
        self.db: sqlite_utils.Database | None = None
        self.db_path: Path | None = None
        self.registry: RegistryTab | None = None
        self.applications: ApplicationsTab | None = None
        self.complaints: ComplaintsTab | None = None
        self.supervision: SupervisionTab | None = None
        self.organisation: OrganisationTab | None = None
        self.annual_report: AnnualReportTab | None = None
        self.assessment: AssessmentTab | None = None
        self.archive: ArchiveTab | None = None
        self.workbench: WorkbenchTab | None = None
        self.profile_dialog = None
        self.calendar_banner = CalendarBanner(self)  # 工作台: 推算 warning (issue 8 §1)
        self.centralWidget().layout().insertWidget(0, self.calendar_banner)
        self.calendar_banner.linkActivated.connect(lambda _l: self.open_holidays())
        self._connect_actions()
        signals.changes().changed.connect(self._on_changed)
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def _adopt_form(self) -> None:
        """Take the menus, actions, central widget and status bar from main_window.ui."""
        form = load_form("main_window")
        self.resize(form.size())
        self.setWindowTitle(form.windowTitle())
        actions = form.findChildren(QAction)
        for a in actions:
            a.setParent(self)
        self.setMenuBar(form.menuBar())
        self.setCentralWidget(form.centralWidget())
        self.setStatusBar(form.statusBar())
        self.addActions([a for a in actions if not a.shortcut().isEmpty()])
        form.deleteLater()

    def action(self, name: str) -> QAction:
        a = self.findChild(QAction, name)
        if a is None:
            raise RuntimeError(f"main_window.ui lacks {name}")
        return a

    def _connect_actions(self) -> None:
        slots = {
            "actionNewDb": self.new_database,
            "actionOpenDb": self.choose_database,
            "actionImport": lambda: self.registry and self.registry.import_ledger(),
            "actionExport": lambda: self.registry and self.registry.export_ledger(),
            "actionQuit": self.close,
            "actionNewItem": lambda: self.registry and self.registry.new_item(),
            "actionEditItem": lambda: self.registry and self.registry.edit_selected(),
            "actionDeleteItem": lambda: self.registry and self.registry.delete_selected(),
            "actionProfile": self.edit_profile,
            "actionCalculator": self.open_calculator,
            "actionHolidays": self.open_holidays,
            "actionCatalog": self.open_catalog,
            "actionAbout": self.about,
            "actionNewRecord": lambda: routes.new_record(self),
            "actionFind": lambda: routes.focus_search(self),
            "actionExportCentre": lambda: routes.open_export_centre(self),
            "actionPrint": lambda: routes.print_current(self),
            "actionSentLog": lambda: routes.open_sent_log(self),
            "actionBackup": self.open_backups,
            "actionMailSettings": lambda: routes.open_mail_settings(self),
        }
        for name, slot in slots.items():
            self.action(name).triggered.connect(slot)
        self._add_applications_actions()
        self.recent_menu: QMenu = self.findChild(QMenu, "menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def _add_applications_actions(self) -> None:
        """依申请公开: 编辑 → 新登记申请 (Ctrl+Shift+N), 工具 → 信息处理费计算."""
        new = QAction("新登记申请…", self, objectName="actionNewApplication")
        new.setShortcut(NEW_SHORTCUT)
        new.setStatusTip("登记一件新的政府信息公开申请")
        new.triggered.connect(lambda: self.applications and self.applications.new_application())
        fee = QAction("信息处理费计算…", self, objectName="actionFee")
        fee.setStatusTip("按件或按量计算信息处理费，列出每一档（国办函〔2020〕109号）")
        fee.triggered.connect(self.open_fee_calculator)
        edit, tools = self.findChild(QMenu, "menuEdit"), self.findChild(QMenu, "menuTools")
        edit.insertAction(self.action("actionProfile"), new)
        edit.insertSeparator(self.action("actionProfile"))
        tools.insertAction(self.action("actionHolidays"), fee)
        self.addAction(new)
        imp = QAction("导入评估表…", self, objectName="actionImportAssessment")
        imp.setStatusTip("导入其他省份或年度的政务公开评估考核表（json 或 xlsx）")
        imp.triggered.connect(lambda: self.assessment and self.assessment.import_template())
        tools.addSeparator()
        tools.addAction(imp)
        prn = QAction("打印与字体设置…", self, objectName="actionPrintSettings")
        prn.setStatusTip("PDF 使用的中文字体、套打偏移和校准页")
        prn.triggered.connect(self.open_print_settings)
        tools.addAction(prn)

    # -- database ----------------------------------------------------------------------

    def set_database(self, db: sqlite_utils.Database, path: str | Path) -> None:
        """Show *db*: rebuild the tabs, remember the file, ask for 单位信息 on first run."""
        old = self.db
        pdf_fonts.apply_settings(db)  # the font the clerk chose for PDFs, if any (RULES §9)
        shown = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else None
        self._drop_workbench()
        if self.registry is not None:
            self.registry.dispose()
            self.tabs.removeTab(self.tabs.indexOf(self.registry))
            self.registry.deleteLater()
        if self.applications is not None:
            self.applications.dispose()  # also removes its status-bar indicator
            self.tabs.removeTab(self.tabs.indexOf(self.applications))
            self.applications.deleteLater()
        self._drop_supervision_tabs()
        self._drop_organisation_tabs()
        self.db, self.db_path = db, Path(path).resolve()
        self.registry = RegistryTab(db, self, today=self._today)
        self.registry.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.tabs.addTab(self.registry, "公开登记")
        self.applications = ApplicationsTab(db, self, today=self._today)
        self.applications.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.tabs.insertTab(self.tabs.indexOf(self.registry) + 1, self.applications, "依申请公开")
        self.statusBar().addPermanentWidget(self.applications.indicator)
        self.applications.indicator.linkActivated.connect(
            lambda _link: self.tabs.setCurrentWidget(self.applications)
        )
        self._add_supervision_tabs(db)
        self._add_organisation_tabs(db)
        self._add_workbench(db)
        routes.restore_tab(self, shown or self.settings.value("window/tab"))
        if old is not None and old is not db:
            old.conn.close()
        self.remember_recent(self.db_path)
        self._update_title()
        self.statusBar().showMessage(f"已打开：{self.db_path}", 10000)
        if profile.load(db) is None:
            QTimer.singleShot(0, self.ask_profile)

    def _add_supervision_tabs(self, db: sqlite_utils.Database) -> None:
        """投诉与意见 and 监督检查 after 依申请公开; their due counts in the status bar and the
        half-year warning above the tabs (考核表第30–33项)."""
        say = lambda text: self.statusBar().showMessage(text, 15000)  # noqa: E731
        self.complaints = ComplaintsTab(db, self, today=self._today)
        self.complaints.message.connect(say)
        at = self.tabs.indexOf(self.applications) + 1
        self.tabs.insertTab(at, self.complaints, "投诉与意见")
        self.statusBar().addPermanentWidget(self.complaints.indicator)
        self.complaints.indicator.linkActivated.connect(
            lambda _link: self.tabs.setCurrentWidget(self.complaints)
        )
        self.supervision = SupervisionTab(db, self, today=self._today)
        self.supervision.message.connect(say)
        self.tabs.insertTab(at + 1, self.supervision, "监督检查")
        self.centralWidget().layout().insertWidget(0, self.supervision.banner)
        self.supervision.banner.linkActivated.connect(self._show_key_inspections)

    def _show_key_inspections(self, _link: str = "") -> None:
        if self.supervision is not None:
            self.tabs.setCurrentWidget(self.supervision)
            self.supervision.show_section("半年重点检查")

    def _drop_supervision_tabs(self) -> None:
        for tab in (self.complaints, self.supervision):
            if tab is not None:
                tab.dispose()  # also removes its indicator / banner
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
        self.complaints = self.supervision = None

    def _add_organisation_tabs(self, db: sqlite_utils.Database) -> None:
        """机构与会议 and 年度报告 after 监督检查; the meeting-count (from 1 October) and
        annual-report deadline (from 1 January) warning above the tabs."""
        say = lambda text: self.statusBar().showMessage(text, 15000)  # noqa: E731
        self.organisation = OrganisationTab(db, self, today=self._today)
        self.organisation.message.connect(say)
        at = self.tabs.indexOf(self.supervision) + 1
        self.tabs.insertTab(at, self.organisation, "机构与会议")
        self.annual_report = AnnualReportTab(db, self, today=self._today)
        self.annual_report.message.connect(say)
        self.tabs.insertTab(at + 1, self.annual_report, "年度报告")
        self.assessment = AssessmentTab(db, self, today=self._today)  # RULES.md §7
        self.assessment.message.connect(say)
        self.tabs.insertTab(at + 2, self.assessment, "自评打分")
        self.archive = ArchiveTab(db, self, today=self._today)  # RULES.md §8
        self.archive.message.connect(say)
        self.tabs.insertTab(at + 3, self.archive, "档案")
        banner = self.organisation.banner
        self.centralWidget().layout().insertWidget(1, banner)
        banner.linkActivated.connect(self._show_year_task)

    def _show_year_task(self, link: str) -> None:
        if link == "meetings" and self.organisation is not None:
            self.tabs.setCurrentWidget(self.organisation)
            self.organisation.show_section("会议")
        elif link == "annual_report" and self.annual_report is not None:
            self.tabs.setCurrentWidget(self.annual_report)
            self.annual_report.set_year(self.annual_report.today.year - 1)

    def _drop_organisation_tabs(self) -> None:
        for tab in (self.organisation, self.annual_report, self.assessment, self.archive):
            if tab is not None:
                tab.dispose()  # the organisation tab also removes its banner
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
        self.organisation = self.annual_report = self.assessment = self.archive = None

    def _add_workbench(self, db: sqlite_utils.Database) -> None:
        """工作台, the first tab: what is due, the year's requirements (issue 8 §1)."""
        self.workbench = WorkbenchTab(db, self, today=self._today)
        self.workbench.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.workbench.open_record.connect(lambda table, rid: routes.open_record(self, table, rid))
        self.workbench.open_link.connect(lambda link: routes.open_link(self, link))
        self.tabs.insertTab(0, self.workbench, "工作台")
        self.calendar_banner.update_for(db, self._today)

    def _drop_workbench(self) -> None:
        if self.workbench is not None:
            self.workbench.dispose()
            self.tabs.removeTab(self.tabs.indexOf(self.workbench))
            self.workbench.deleteLater()
        self.workbench = None

    def open_database(self, path: str | Path) -> bool:
        """Switch to the file at *path* (created if missing). False, with a message, on error."""
        from .db_opening import DAILY_BACKUP_JOB, open_or_recover

        jobs = workers.active_jobs()
        if any(j.objectName() != DAILY_BACKUP_JOB for j in jobs):
            QMessageBox.information(
                self, APP_NAME, "有任务正在后台进行，请等它完成后再切换数据库。"
            )
            return False
        for job in jobs:  # today's backup of the current file takes a moment; let it finish
            job.wait()

        db = open_or_recover(self, path)  # lock, damaged-file dialog, daily backup (issue 9)
        if db is None:
            return False
        self.set_database(db, path)
        return True

    def open_backups(self) -> None:
        from .backup_dialog import open_backup_dialog

        open_backup_dialog(self)

    def choose_database(self) -> None:
        start = str(self.db_path.parent) if self.db_path else ""
        name, _f = QFileDialog.getOpenFileName(self, "打开数据库", start, DB_FILTER)
        if name:
            self.open_database(name)

    def new_database(self) -> None:
        start = str(self.db_path.parent / "新台账.db") if self.db_path else "新台账.db"
        name, _f = QFileDialog.getSaveFileName(
            self, "新建数据库", start, DB_FILTER, options=QFileDialog.Option.DontConfirmOverwrite
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".db")
        if path.exists():
            QMessageBox.warning(
                self,
                "新建数据库",
                f"文件“{path.name}”已经存在，为免覆盖已有数据，"
                "请换一个文件名；要打开它请用“文件 → 打开数据库”。",
            )
            return
        self.open_database(path)

    # -- recent files ------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        files = [value] if isinstance(value, str) else list(value or [])
        return [f for f in files if Path(f).is_file()][:MAX_RECENT]

    def remember_recent(self, path: Path) -> None:
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        self.settings.setValue("recent_files", files)  # prune missing files
        for f in files:
            act = self.recent_menu.addAction(Path(f).name)
            act.setStatusTip(f)
            act.setToolTip(f)
            act.triggered.connect(lambda _c=False, f=f: self.open_database(f))
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(
                "清除列表", lambda: self.settings.setValue("recent_files", [])
            )

    # -- dialogs -------------------------------------------------------------------------

    def ask_profile(self) -> None:
        """First run: the 单位信息 dialog, window-modal but not blocking the event loop."""
        from .profile_dialog import ProfileDialog

        if self.db is None or profile.load(self.db) is not None or self.profile_dialog:
            return
        dlg = ProfileDialog(self.db, self, first_run=True)
        dlg.finished.connect(lambda _r: setattr(self, "profile_dialog", None))
        self.profile_dialog = dlg
        dlg.open()

    def edit_profile(self) -> None:
        from .profile_dialog import open_profile_dialog

        if self.db is not None:
            open_profile_dialog(self, self.db)

    def open_calculator(self) -> None:
        try:
            from .calendar_dialogs import open_calculator
        except ImportError:
            return self._missing("工作日计算器")
        open_calculator(self, self.db)

    def open_holidays(self) -> None:
        try:
            from .calendar_dialogs import open_holiday_schedule
        except ImportError:
            return self._missing("节假日安排")
        # On save it recomputes deadlines and notifies CALENDAR/ITEMS; the registry listens.
        open_holiday_schedule(self, self.db)

    def open_fee_calculator(self) -> None:
        from .fee_dialog import open_fee_dialog

        open_fee_dialog(self)

    def open_catalog(self) -> None:
        from .catalog_dialog import open_catalog_dialog

        if self.db is not None:
            open_catalog_dialog(self, self.db)

    def open_print_settings(self) -> None:
        from .print_settings_dialog import open_print_settings

        if self.db is not None:
            open_print_settings(self, self.db)

    def about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"{APP_NAME} {__version__}\n\n政务公开工作机构的桌面台账：主动公开登记、依申请公开、"
            f"投诉与意见、自评打分和档案。\n\n当前数据库：{self.db_path or '（未打开）'}",
        )

    def _missing(self, what: str) -> None:
        QMessageBox.information(self, "功能尚未安装", f"“{what}”功能尚未安装，请升级本软件。")

    # -- refresh and close -------------------------------------------------------------

    def _on_changed(self, kind: str) -> None:
        if kind == signals.PROFILE:
            self._update_title()
        elif self.workbench is not None and not self.workbench.disposed:
            # a deadline may now reach into a year without a holiday schedule
            self.calendar_banner.update_for(self.db, self._today)

    def _update_title(self) -> None:
        p = profile.load(self.db) if self.db is not None else None
        unit = p.unit_name if p and p.unit_name else "未设置单位"
        name = self.db_path.name if self.db_path else "未打开"
        self.setWindowTitle(f"{APP_NAME} — {unit} — {name}")

    def closeEvent(self, event: QCloseEvent) -> None:
        jobs = workers.active_jobs()
        if jobs:
            answer = QMessageBox.question(
                self, APP_NAME, "有任务正在后台进行。确定要退出吗？任务会被取消。"
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            for job in jobs:
                job.cancel()
            workers.wait_all(15000)
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.tabs.count():
            self.settings.setValue("window/tab", self.tabs.tabText(self.tabs.currentIndex()))
        self.settings.sync()
        signals.changes().changed.disconnect(self._on_changed)
        if self.workbench is not None:
            self.workbench.dispose()
        if self.registry is not None:
            self.registry.dispose()
        if self.applications is not None:
            self.applications.dispose()
        for tab in (self.complaints, self.supervision, self.organisation, self.annual_report,
                    self.assessment, self.archive):  # fmt: skip
            if tab is not None:
                tab.dispose()
        super().closeEvent(event)
