"""导出中心 (export centre): pick ledgers and reports, a period and formats; write them all.

Files go to ``<out_root>/<YYYY-MM-DD>_<period>/`` (issue 8 §2). The whole set is first
written into a hidden staging folder beside it, each file through the writers' own
temporary-name-and-rename; only when every file is complete are they renamed into the
dated folder. A cancel or a failure removes the staging folder, so no half-written file
and no partial set is left. Ledgers that carry applicants' ID and phone numbers are
masked unless the clerk explicitly unmasks, and that choice is audited.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
import zipfile
from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..core import audit, profile
from ..core.atomic_file import atomic_path, os_error_message
from ..core.db import connect, transaction
from ..core.errors import Cancelled, UserError, ValidationError

# progress(done, total, text) -> False cancels (ui/workers.py semantics)
Progress3 = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str  # Chinese, also the file name stem
    formats: tuple[str, ...]
    periodic: bool  # can be cut by month / half-year
    sensitive: bool  # carries applicants' ID or phone numbers


CATALOGUE: list[ExportKind] = [
    ExportKind("registry", "公开事项登记台账", ("xlsx",), True, False),
    ExportKind("applications", "依申请公开登记台账", ("xlsx",), True, True),
    ExportKind("complaints", "投诉与意见台账", ("xlsx",), True, True),
    ExportKind("inspections", "监督检查台账", ("xlsx",), False, False),
    ExportKind("rectifications", "整改台账", ("xlsx",), False, False),
    ExportKind("meetings", "会议台账", ("xlsx",), True, False),
    ExportKind("annual_report", "政府信息公开工作年度报告", ("xlsx", "pdf"), False, False),
    ExportKind("assessment", "自评打分表", ("xlsx", "pdf"), False, False),
    ExportKind("binder", "迎检材料汇编", ("pdf",), False, False),
    ExportKind("archive_catalogue", "归档文件目录", ("xlsx", "pdf"), False, False),
]
KINDS = {k.key: k for k in CATALOGUE}
UNMASK_TABLE = "exports"  # audit rows of the clerk's choice to unmask
LEDGER_KEYS = ("registry", "applications", "complaints", "inspections", "rectifications",
               "meetings")  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A year, a half-year or a month; ``label`` names the folder and the files."""

    y: int
    h: int | None = None  # 1 上半年, 2 下半年
    mo: int | None = None

    @classmethod
    def year(cls, y: int) -> Period:
        return cls(_check_year(y))

    @classmethod
    def half(cls, y: int, h: int) -> Period:
        if h not in (1, 2):
            raise ValidationError(f"半年只能是 1（上半年）或 2（下半年），不是“{h}”。")
        return cls(_check_year(y), h=h)

    @classmethod
    def month(cls, y: int, m: int) -> Period:
        if not isinstance(m, int) or not 1 <= m <= 12:
            raise ValidationError(f"月份“{m}”无效，请写 1 到 12。")
        return cls(_check_year(y), mo=m)

    @property
    def is_year(self) -> bool:
        return self.h is None and self.mo is None

    @property
    def label(self) -> str:
        if self.mo:
            return f"{self.y}年{self.mo}月"
        if self.h:
            return f"{self.y}年{'上' if self.h == 1 else '下'}半年"
        return f"{self.y}年"

    @property
    def start(self) -> date:
        if self.mo:
            return date(self.y, self.mo, 1)
        return date(self.y, 7 if self.h == 2 else 1, 1)

    @property
    def end(self) -> date:
        if self.mo:
            return date(self.y, self.mo, monthrange(self.y, self.mo)[1])
        return date(self.y, 6, 30) if self.h == 1 else date(self.y, 12, 31)

    def contains(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end


def _check_year(y: int) -> int:
    if not isinstance(y, int) or not 1949 <= y <= 2200:
        raise ValidationError(f"年份“{y}”无效，请写四位年份，例如 2026。")
    return y


@dataclass(frozen=True)
class PlannedFile:
    kind: str
    fmt: str
    name: str  # e.g. 依申请公开登记台账_2026年11月.xlsx
    period_label: str  # the period the file covers (a whole year for yearly reports)


@dataclass
class ExportResult:
    folder: Path
    files: list[Path]
    zip_path: Path | None
    masked: bool
    notes: list[str] = field(default_factory=list)  # e.g. 年度报告校验未通过，已按草稿导出

    def total_bytes(self) -> int:
        paths = [*self.files, *([self.zip_path] if self.zip_path else [])]
        return sum(p.stat().st_size for p in paths)


def plan(kinds: Sequence[str], formats: dict[str, list[str]] | None, period: Period
         ) -> list[PlannedFile]:  # fmt: skip
    """The files an export of *kinds* writes, in catalogue order. *formats* per kind
    (default: every format the kind has). Yearly reports cover the period's year."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValidationError(f"不认识的导出项目：{'、'.join(unknown)}。可选：{'、'.join(KINDS)}。")
    if not kinds:
        raise ValidationError("请至少选择一项要导出的台账或报告。")
    out: list[PlannedFile] = []
    for kind in CATALOGUE:
        if kind.key not in kinds:
            continue
        fmts = (formats or {}).get(kind.key) or list(kind.formats)
        bad = [f for f in fmts if f not in kind.formats]
        if bad:
            raise ValidationError(f"“{kind.title}”只能导出为 {'、'.join(kind.formats)}，"
                                  f"不能导出为 {'、'.join(bad)}。")  # fmt: skip
        label = period.label if kind.periodic else f"{period.y}年"
        for fmt in kind.formats:
            if fmt in fmts:
                out.append(PlannedFile(kind.key, fmt, f"{kind.title}_{label}.{fmt}", label))
    return out


def folder_name(period: Period, today: date | None = None) -> str:
    return f"{(today or date.today()).isoformat()}_{period.label}"


def run(
    db_path: str | os.PathLike,
    planned: Sequence[PlannedFile],
    out_root: Path,
    *,
    period: Period,
    zip_name: str | None = None,
    unmask: bool = False,
    who: str | None = None,
    progress: Progress3 | None = None,
    today: date | None = None,
) -> ExportResult:
    """Write *planned* for *period* into a dated folder under *out_root*; see the module doc.

    Opens its own connection to *db_path* (safe on a worker thread). Raises Cancelled
    (nothing left behind) when *progress* returns False, UserError on bad input.
    """
    from .export_writers import write_one

    if not planned:
        raise ValidationError("没有要导出的文件，请至少选择一项。")
    out_root = Path(out_root)
    if not out_root.is_dir():
        raise UserError(f"保存位置“{out_root}”不存在，请先建立该文件夹或换一个位置。")
    folder = out_root / folder_name(period, today)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"“{folder}”已存在且不是文件夹，请换一个保存位置。")
    if zip_name is not None:
        zip_name = zip_name if zip_name.lower().endswith(".zip") else zip_name + ".zip"
        if not zip_name.strip(". ") or any(c in zip_name for c in '/\\:*?"<>|'):
            raise ValidationError(
                f'压缩包文件名“{zip_name}”无效，请不要使用 / \\ : * ? " < > | 等字符。'
            )
    mask = not unmask
    total = len(planned) + (1 if zip_name else 0)

    def step(done: int, text: str) -> None:
        if progress and progress(done, total, text) is False:
            raise Cancelled("已取消导出，没有留下任何文件。")

    sweep_stale_stages(out_root)
    stage = out_root / f"{STAGE_PREFIX}{uuid.uuid4().hex[:8]}"
    db = connect(Path(db_path))
    try:
        if unmask:
            _audit_unmask(db, planned, period, who)
        stage.mkdir()
        notes: list[str] = []
        for i, pf in enumerate(planned):
            step(i, f"正在导出 {pf.name}（第 {i + 1} 个，共 {len(planned)} 个）")

            def inner(_d: int, _t: int, i=i, pf=pf) -> bool:
                return not progress or progress(i, total, f"正在导出 {pf.name}") is not False

            note = write_one(db, pf, period, stage / pf.name, mask=mask, progress=inner,
                             today=today)  # fmt: skip
            if note:
                notes.append(note)
        written = [pf.name for pf in planned if (stage / pf.name).exists()]  # none: skipped
        if zip_name:
            step(len(planned), f"正在压缩为 {zip_name}")
            _zip(stage, written, stage / zip_name)
        step(total, "正在保存到文件夹")
        files = _commit(stage, folder, written + ([zip_name] if zip_name else []))
    finally:
        db.conn.close()
        shutil.rmtree(stage, ignore_errors=True)
    zip_path = files.pop() if zip_name else None
    return ExportResult(folder, files, zip_path, mask, notes)


STAGE_PREFIX = ".导出中_"  # hidden staging folder of one run; renamed into place at the end
STALE_STAGE_SECONDS = 24 * 3600


def sweep_stale_stages(out_root: Path, now: float | None = None) -> list[Path]:
    """Remove staging folders a killed run left behind (older than a day, so a run still
    going in another window is never touched); the folders removed."""
    now = time.time() if now is None else now
    gone = []
    for p in out_root.glob(f"{STAGE_PREFIX}*"):
        try:
            if p.is_dir() and now - p.stat().st_mtime > STALE_STAGE_SECONDS:
                shutil.rmtree(p)
                gone.append(p)
        except OSError:
            continue  # held open or read-only: try again next time
    return gone


def _commit(stage: Path, folder: Path, names: list[str]) -> list[Path]:
    """Rename every completed file into *folder*; on any failure undo the ones moved."""
    created = not folder.exists()
    moved: list[Path] = []
    try:
        folder.mkdir(exist_ok=True)
        for name in names:
            target = folder / name
            os.replace(stage / name, target)
            moved.append(target)
    except OSError as e:
        for p in moved:
            p.unlink(missing_ok=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise UserError(os_error_message(e, folder / names[len(moved)], replacing=True)) from e
    return moved


def _zip(stage: Path, names: list[str], out: Path) -> Path:
    """One .zip of the files (UTF-8 names, which Windows' own unzip reads), atomic."""
    with atomic_path(out, example_name="台账.zip") as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name in names:
                z.write(stage / name, arcname=name)
    return out


def _audit_unmask(db, planned: Sequence[PlannedFile], period: Period, who: str | None) -> None:
    """Unmasking is an explicit choice and is audited: who, when, which files (issue 8 §2)."""
    names = [pf.name for pf in planned if KINDS[pf.kind].sensitive]
    with transaction(db):
        # the audit table knows insert/update/delete: one "insert" into the export log
        audit.record(db, who or profile.operator(db), UNMASK_TABLE, period.label, "insert",
                     None, {"choice": "不隐去身份证号和电话", "period": period.label,
                            "files": names, "all_files": [pf.name for pf in planned]})  # fmt: skip


def summary(db, period: Period, today: date | None = None) -> dict:
    """The period's figures for the mail body (see exports/export_summary.py)."""
    from .export_summary import period_summary

    return period_summary(db, period, today=today)
