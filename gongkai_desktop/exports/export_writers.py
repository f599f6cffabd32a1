"""One file of the export centre (导出中心): which existing writer makes it, and how.

Every ledger, report and PDF already has its writer (the same ones the `gongkai`
commands call); this module only picks the writer for a PlannedFile. A ledger cut to a
month or half-year reuses the ledger's own layout (its LedgerSpec) and row source, keeping
the rows whose date falls in the period (RULES.md §2–§4: 生成日期, 收到日期, 会议日期).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..core.masking import mask_rows
from ..core.profile import unit_name as _unit
from .xlsx_ledger import Progress, write_ledger

# -- ledgers cut to a period -------------------------------------------------------------


def _registry_cut(db, year: int, today: date | None):
    from ..core.registry_io import iter_ledger_rows
    from .registry_ledger import registry_spec

    return registry_spec(_unit(db), year), iter_ledger_rows(db, year, today=today), "生成日期"


def _applications_cut(db, year: int, today: date | None):
    from ..core.application_io import iter_ledger_rows
    from .applications_ledger import applications_spec

    return applications_spec(_unit(db), year), iter_ledger_rows(db, year, today=today), "收到日期"


def _complaints_cut(db, year: int, today: date | None):
    from ..core.supervision_io import iter_complaint_rows
    from .supervision_ledgers import complaints_spec

    return complaints_spec(_unit(db), year), iter_complaint_rows(db, year, today=today), "收到日期"


def _meetings_cut(db, year: int, today: date | None):
    from ..core.meetings_io import iter_meeting_rows
    from .meetings_ledger import meetings_spec

    return meetings_spec(_unit(db), year), iter_meeting_rows(db, year), "会议日期"


_CUTS: dict[str, Callable] = {
    "registry": _registry_cut,
    "applications": _applications_cut,
    "complaints": _complaints_cut,
    "meetings": _meetings_cut,
}


def write_period_ledger(
    db,
    key: str,
    period,
    out: Path,
    *,
    mask: bool,
    progress: Progress | None = None,
    today: date | None = None,
) -> int:
    """The ledger *key* with only the rows dated in *period*; its title names the period."""
    spec, rows, date_header = _CUTS[key](db, period.y, today)
    col = list(spec.headers).index(date_header)
    kept = [r for r in rows if isinstance(r[col], date) and period.contains(r[col])]
    if spec.headers[0] == "序号":  # runs 1… within the cut
        kept = [(n, *r[1:]) for n, r in enumerate(kept, 1)]
    title = spec.title.replace(f"（{period.y}年）", f"（{period.label}）")
    spec = dataclasses.replace(spec, title=title)
    rows_out = mask_rows(kept) if mask else iter(kept)
    return write_ledger(out, spec, rows_out, len(kept), progress)


def _year_ledger(db, key: str, year: int, out: Path, mask: bool, progress, today):
    from .applications_ledger import write_applications_ledger
    from .meetings_ledger import write_meetings_ledger
    from .registry_ledger import write_registry_ledger
    from .supervision_ledgers import (
        write_complaints_ledger,
        write_inspections_ledger,
        write_rectifications_ledger,
    )

    if key == "registry":
        return write_registry_ledger(db, year, out, progress, today=today)
    if key == "applications":
        return write_applications_ledger(db, year, out, progress, today=today, mask=mask)
    if key == "complaints":
        return write_complaints_ledger(db, year, out, progress, today=today, mask=mask)
    if key == "inspections":
        return write_inspections_ledger(db, year, out, progress, today=today)
    if key == "rectifications":
        return write_rectifications_ledger(db, year, out, progress, today=today)
    return write_meetings_ledger(db, year, out, progress)


# -- yearly reports ----------------------------------------------------------------------


def _annual_report(db, year: int, fmt: str, out: Path, today: date | None) -> str | None:
    from ..core import annual_report as R

    rep = R.report(db, year, today=today)
    draft = bool(rep.failed())  # a report failing a check goes out only marked 草稿
    if fmt == "pdf":
        from .annual_report_pdf import write_report_pdf as write
    else:
        from .annual_report_xlsx import write_report_xlsx as write
    write(rep, out, draft=draft)
    if draft:
        return f"{out.name}：年度报告有 {len(rep.failed())} 项校验未通过，已按“草稿”导出。"
    return None


def _assessment(db, year: int, fmt: str, out: Path) -> str | None:
    from .assessment_xlsx import scored_table

    t = scored_table(db, year)
    if fmt == "pdf":
        from .assessment_pdf import write_assessment_pdf as write
    else:
        from .assessment_xlsx import write_assessment_xlsx as write
    write(t, out)
    unset = sum(r.score is None for r in t.rows)
    return f"{out.name}：还有 {unset} 项未评分，未评分的项目不计分。" if unset else None


def _archive_catalogue(db, year: int, fmt: str, out: Path, progress) -> str | None:
    from ..core import archive
    from .archive_catalog import fonds_meta, synced_pieces, write_catalog_xlsx

    if not archive.pieces(db, year=year):  # nothing filed yet: skip it, say so, export the rest
        return f"{out.name}：{year}年还没有归档件，未导出。请先在“档案”页归档。"
    if fmt == "pdf":
        from .archive_pdf import catalog_pdf

        catalog_pdf(synced_pieces(db, year)[0], fonds_meta(db), out)
    else:
        write_catalog_xlsx(db, year, out, progress)
    return None


def write_one(
    db,
    pf,
    period,
    out: Path,
    *,
    mask: bool,
    progress: Progress | None = None,
    today: date | None = None,
) -> str | None:
    """Write one PlannedFile to *out*; returns a note for the clerk, or None."""
    year = period.y
    if pf.kind in ("registry", "applications", "complaints", "inspections", "rectifications",
                   "meetings"):  # fmt: skip
        if pf.kind in _CUTS and not period.is_year:
            write_period_ledger(db, pf.kind, period, out, mask=mask, progress=progress,
                                today=today)  # fmt: skip
        else:
            _year_ledger(db, pf.kind, year, out, mask, progress, today)
        return None
    if pf.kind == "annual_report":
        return _annual_report(db, year, pf.fmt, out, today)
    if pf.kind == "assessment":
        return _assessment(db, year, pf.fmt, out)
    if pf.kind == "binder":
        from .binder import write_binder

        write_binder(db, year, out, progress=progress)
        return None
    return _archive_catalogue(db, year, pf.fmt, out, progress)
