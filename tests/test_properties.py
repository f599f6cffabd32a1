"""Property-based tests (hypothesis) for the rules a clerk can dispute (issue 9: Fuzzing):
deadlines and the answer clock, the fee, the 档号, and import validation."""

from __future__ import annotations

import io
import random
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from gongkai_desktop.core import profile
from gongkai_desktop.core.application_clock import ClockInput, Pause, answer_clock
from gongkai_desktop.core.archive_numbers import RETENTION_CODES, RETENTIONS, archive_no
from gongkai_desktop.core.calendar import WorkCalendar
from gongkai_desktop.core.db import connect
from gongkai_desktop.core.deadlines import add_natural_days, add_working_days, publish_deadline
from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.core.fees import fee
from gongkai_desktop.exports.registry_ledger import import_registry_ledger

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 6, 30))


@st.composite
def calendars(draw) -> WorkCalendar:
    """The package calendar plus the clerk's own random entries (days off, 调休 workdays)."""
    extra = draw(st.dictionaries(DAYS, st.tuples(st.booleans(), st.just("自定")), max_size=12))
    return WorkCalendar(extra)


# -- deadlines (RULES.md §1) -------------------------------------------------------------


@FAST
@given(calendars(), DAYS, DAYS, st.integers(0, 60))
def test_working_days_monotonic_in_start_and_never_before_it(cal, a, b, n):
    a, b = min(a, b), max(a, b)
    da, db_ = add_working_days(a, n, cal).due, add_working_days(b, n, cal).due
    assert da <= db_
    assert da >= a and (n == 0 or (da > a and cal.is_working_day(da)))


@FAST
@given(calendars(), DAYS, st.integers(0, 40), st.integers(0, 40))
def test_more_working_days_never_end_earlier(cal, start, n, m):
    n, m = min(n, m), max(n, m)
    assert add_working_days(start, n, cal).due <= add_working_days(start, m, cal).due


@FAST
@given(calendars(), DAYS, DAYS, st.integers(0, 60))
def test_natural_days_monotonic_and_end_on_a_working_day(cal, a, b, n):
    a, b = min(a, b), max(a, b)
    da = add_natural_days(a, n, cal).due
    assert da >= a + timedelta(days=n) and cal.is_working_day(da)
    assert da <= add_natural_days(b, n, cal).due


@FAST
@given(calendars(), DAYS, DAYS)
def test_publish_deadline_monotonic(cal, a, b):
    a, b = min(a, b), max(a, b)
    assert a < publish_deadline(a, cal).due <= publish_deadline(b, cal).due


# -- the answer clock (条例第三十条至第三十三条; core/application_clock.py) ------------------


@st.composite
def clock_inputs(draw) -> ClockInput:
    received = draw(DAYS)
    pauses = []
    for _ in range(draw(st.integers(0, 2))):
        start = received + timedelta(days=draw(st.integers(0, 40)))
        reply = draw(st.none() | st.integers(0, 40).map(lambda k, s=start: s + timedelta(days=k)))
        pauses.append(Pause(draw(st.sampled_from(["第三方", "其他机关"])), start, reply))
    sup = None
    if draw(st.booleans()):
        asked = received + timedelta(days=draw(st.integers(0, 10)))
        sup = (asked, draw(st.none() | st.integers(0, 30).map(lambda k: asked + timedelta(k))))
    return ClockInput(received, sup and sup[0], sup and sup[1], tuple(pauses),
                      draw(st.integers(0, 20)))  # fmt: skip


TODAY = date(2027, 12, 31)


def due(inp: ClockInput, cal: WorkCalendar) -> date:
    return answer_clock(inp, cal, today=TODAY).due


@FAST
@given(calendars(), clock_inputs())
def test_answer_due_is_never_before_the_start(cal, inp):
    c = answer_clock(inp, cal, today=TODAY)
    assert c.due > c.start >= inp.received
    assert c.due >= c.base_due  # pauses and extensions only add time


@FAST
@given(calendars(), clock_inputs(), st.integers(1, 30))
def test_answer_due_monotonic_in_the_received_date(cal, inp, shift):
    """A later 收到日期 with everything else fixed never gives an earlier deadline.
    (Shifting every date together is not monotonic: a pause sent on a Friday stops one
    more working day than one sent on the Saturday.)"""
    later = inp.received + timedelta(days=shift)
    events = [d for d in (inp.supplement_requested, *(p.start for p in inp.pauses)) if d]
    assume(all(later <= d for d in events))
    moved = ClockInput(later, inp.supplement_requested, inp.supplement_received, inp.pauses,
                       inp.extension_days)  # fmt: skip
    assert due(inp, cal) <= due(moved, cal)


@FAST
@given(calendars(), clock_inputs(), st.integers(0, 40), st.data())
def test_a_pause_or_an_extension_only_pushes_the_date_later(cal, inp, offset, data):
    base = due(inp, cal)
    start = inp.received + timedelta(days=offset)
    reply = data.draw(st.none() | st.integers(0, 30).map(lambda k: start + timedelta(days=k)))
    paused = ClockInput(inp.received, inp.supplement_requested, inp.supplement_received,
                        (*inp.pauses, Pause("第三方", start, reply)), inp.extension_days)  # fmt: skip
    assert due(paused, cal) >= base
    more = data.draw(st.integers(inp.extension_days, 20))
    extended = ClockInput(inp.received, inp.supplement_requested, inp.supplement_received,
                          inp.pauses, more)  # fmt: skip
    assert due(extended, cal) >= base
    if reply is not None:  # a later reply never shortens the pause
        later = ClockInput(paused.received, paused.supplement_requested,
                           paused.supplement_received,
                           (*inp.pauses, Pause("第三方", start, reply + timedelta(days=3))),
                           inp.extension_days)  # fmt: skip
        assert due(later, cal) >= due(paused, cal)


# -- the fee (国办函〔2020〕109号; core/fees.py) ---------------------------------------------

METHODS = st.sampled_from(["piece", "page", "按件", "按量"])


@FAST
@given(METHODS, st.integers(1, 5_000), st.integers(1, 5_000))
def test_fee_non_negative_and_monotonic_in_count(by, a, b):
    a, b = min(a, b), max(a, b)
    fa, fb = fee(by, a), fee(by, b)
    assert 0 <= fa.total <= fb.total
    assert sum(t.count for t in fa.tiers) == a  # every unit charged exactly once
    assert fa.total == sum(t.subtotal for t in fa.tiers)


@FAST
@given(METHODS, st.integers(1, 5_000))
def test_fee_free_tier(by, n):
    first = fee(by, 1).method.tiers[0]
    assert first.rate == 0
    f = fee(by, n)
    assert (f.total == 0) == (n <= first.last)


@FAST
@given(METHODS, st.one_of(st.integers(-10, 0), st.floats(), st.text(max_size=5), st.booleans()))
def test_fee_refuses_nonsense_counts_in_chinese(by, count):
    with pytest.raises(ValidationError, match="无效"):
        fee(by, count)


# -- 档号 (DA/T 22-2015; core/archive_numbers.py) ------------------------------------------

FONDS = st.from_regex(r"\A[A-Z][A-Z0-9]{0,7}\Z")
ORG = st.one_of(st.just(""), st.from_regex(r"\A[A-Z0-9]{1,10}\Z"))
PARTS = st.tuples(FONDS, st.integers(1949, 2200), st.sampled_from(RETENTIONS),
                  st.integers(1, 9999), ORG)  # fmt: skip
_NO = re.compile(
    r"^(?P<f>[A-Z0-9]+)-WS·(?P<y>\d{4})-(?P<r>Y|D30|D10)(?:-(?P<o>[A-Z0-9]{1,10}))?-(?P<p>\d{4})$"
)
_CODE_RET = {v: k for k, v in RETENTION_CODES.items()}


@FAST
@given(PARTS)
def test_archive_no_format_and_round_trip(parts):
    fonds, year, retention, piece, org = parts
    m = _NO.match(archive_no(*parts))
    assert m, archive_no(*parts)
    back = (m["f"], int(m["y"]), _CODE_RET[m["r"]], int(m["p"]), m["o"] or "")
    assert back == parts


@FAST
@given(PARTS, PARTS)
def test_archive_no_unique(a, b):
    assume(a != b)
    assert archive_no(*a) != archive_no(*b)


@FAST
@given(st.text(max_size=12), st.integers(-5, 12_000), st.text(max_size=12))
def test_archive_no_bad_input_is_a_chinese_validation_error(fonds, piece, org):
    try:
        no = archive_no(fonds, 2026, "永久", piece, org)
    except ValidationError as e:
        assert re.search(r"[\u4e00-\u9fff]", str(e))
    else:
        assert 1 <= piece <= 9999 and no.endswith(f"-{piece:04d}")


# -- import validation: random cells never crash it, never half-import ------------------

HEAD = ["信息名称", "文号", "生成日期", "公开日期", "主题分类", "公开方式", "当前环节", "重大决策"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40)
CELL = st.one_of(
    st.none(), TEXT, st.integers(-(10**12), 10**12), st.floats(allow_nan=False),
    st.booleans(), DAYS, st.datetimes(min_value=datetime(1900, 1, 1)),
    st.sampled_from(["2026-02-10", "2026/2/30", "财务人事", "门户网站", "待反馈", "是", "=1+1",
                     "-", "@x", "2026年3月1日", "0", "9" * 40]),
)  # fmt: skip
GOOD = ["2026年部门预算公开", "厦人社〔2026〕1号", "2026-02-10", "2026-02-20", "财务人事",
        "门户网站", "待反馈", "否"]  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "f.db"
    d = connect(path)
    profile.save(d, profile.UnitProfile(unit_name="测试局", fonds_no="X001", operator="张三"))
    yield d, path.parent
    d.conn.close()


def _state(db) -> tuple:
    return db.execute("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM item_steps),"
                      " (SELECT count(*) FROM audit)").fetchone()  # fmt: skip


def _import(db, path: Path) -> None:
    before = _state(db)
    try:
        ids = import_registry_ledger(db, path, today=date(2026, 12, 31))
    except UserError as e:  # ValidationError is a UserError
        assert str(e) and "Traceback" not in str(e)
        assert _state(db) == before  # nothing half-imported
        event(f"refused: {type(e).__name__}")
    else:
        event("imported")
        assert _state(db)[0] == before[0] + len(ids)


# each cell is mostly the good value, so some rows import and some break one column
ROW = st.tuples(*(st.one_of(st.just(g), st.just(g), st.just(g), CELL) for g in GOOD))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=4), st.booleans(), st.integers(0, 2**32))
def test_random_cells_never_crash_or_half_import(fuzz_db, rows, with_good, salt):
    db, folder = fuzz_db
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    if with_good:  # a valid row among the random ones: all or nothing
        ws.append([f"{GOOD[0]}{salt}", *GOOD[1:]])
    for k, r in enumerate(rows):  # distinct titles, or valid rows would be duplicates
        ws.append([f"{r[0]}{salt}-{k}" if r[0] == GOOD[0] else r[0], *r[1:]])
    path = folder / "fuzz.xlsx"
    wb.save(path)
    _import(db, path)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_bytes_never_crash_the_importer(fuzz_db, flips):
    db, folder = fuzz_db
    wb = Workbook()
    wb.active.append(HEAD)
    wb.active.append([f"{GOOD[0]}{random.random()}", *GOOD[1:]])
    buf = io.BytesIO()
    wb.save(buf)
    data = bytearray(buf.getvalue())
    for where, byte in flips:
        data[min(int(where * len(data)), len(data) - 1)] = byte
    path = folder / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _import(db, path)


APP_GOOD = ["", "2025-11-03", "商业企业", "厦门鹭海信息科技有限公司", "网络", "稳岗返还名单", None,
            None, "2025-11-05", "2025-11-12", 5, "2025-12-10", "予以公开", None, None]  # fmt: skip
APP_ROW = st.tuples(*(st.one_of(st.just(g), st.just(g), st.just(g), CELL) for g in APP_GOOD))


def _app_state(db) -> tuple:
    return db.execute("SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM audit),"
                      " (SELECT count(*) FROM app_events), (SELECT count(*) FROM app_pauses)"
                      ).fetchone()  # fmt: skip


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(APP_ROW, min_size=1, max_size=3))
def test_random_application_rows_never_crash_or_half_import(fuzz_db, rows):
    from gongkai_desktop.core.application_io import REQUIRED_HEADERS
    from gongkai_desktop.exports.applications_ledger import import_applications_ledger

    db, folder = fuzz_db
    wb = Workbook()
    wb.active.append(list(REQUIRED_HEADERS))
    for r in rows:
        wb.active.append(list(r))
    path = folder / "apps.xlsx"
    wb.save(path)
    before = _app_state(db)
    try:
        ids = import_applications_ledger(db, path, today=date(2026, 12, 31))
    except UserError as e:
        assert str(e) and _app_state(db) == before
        event(f"refused: {type(e).__name__}")
    else:
        assert _app_state(db)[0] == before[0] + len(ids)
        event("imported")
