"""年度报告表二、表三、表四 (the annual report's tables) computed from the records.

Format: 国办公开办函〔2021〕30号 (RULES.md §6). What each number counts:

表三 (applications, core/applications): columns are the six applicant types of
resources/applications.json, then 总计 (counted on its own, so a record with an unknown
type shows up as a failed row check).
- 本年新收: received_date in the year;
- 上年结转: received before 1 January and not closed before 1 January (closed_date NULL
  or on/after 1 January);
- one row per result label exactly as catalog.result_label writes it (予以公开, 部分公开,
  不予公开/属于国家秘密, …): closed_date in the year;
- 总计 (（七）): every application closed in the year, counted on its own;
- 结转下年度: received by 31 December and still open on 31 December.

表四 (appeals): an appeal counts in the year it was filed (filed_date); its result is its
outcome when it was concluded by 31 December of that year, else 尚未审结, so a
published year's table does not change when a case ends later.

表二: from the registry (core/items), category 法规文件 (code 03): an item whose 文号
contains “令” is a 规章 (规章以政府令或部门令公布, 《规章制定程序条例》第三十条), every
other one a 行政规范性文件. 本年制发件数: 生成日期 in the year. 本年废止件数: 有效性
changed from 现行有效 to 已废止/已失效 during the year (the day the change was recorded,
from the audit log; items entered already repealed are not counted). 现行有效件数: formed
by 31 December and in force then (现行有效 now, or repealed after 31 December). 行政许可,
行政处罚, 行政强制 and 行政事业性收费 are the clerk's figures (annual_reports.table2_manual);
the clerk may also override any registry figure there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from .application_catalog import load as catalog

NEW, CARRIED_IN, TOTAL, CARRIED_OUT = "本年新收", "上年结转", "总计", "结转下年度"
TOTAL_COLUMN = "总计"
NUMERALS = "一二三四五六七八九十"
PENDING = "尚未审结"


@dataclass(frozen=True)
class Check:
    """One reconciliation check, shown with pass/fail before export."""

    name: str
    ok: bool
    detail: str = ""


def _range(year: int) -> tuple[str, str]:
    return f"{year}-01-01", f"{year}-12-31"


# -- 表三 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table3:
    year: int
    columns: tuple[str, ...]  # six applicant types, then 总计
    rows: dict[str, list[int]]  # 本年新收, 上年结转, each result label, 总计, 结转下年度
    result_labels: tuple[str, ...]
    problems: tuple[str, ...] = ()  # records no row or column can hold

    def cell(self, row: str, column: str) -> int:
        return self.rows[row][self.columns.index(column)]

    def to_json(self) -> dict:
        return {"columns": list(self.columns), "rows": {k: list(v) for k, v in self.rows.items()}}


def result_labels() -> tuple[str, ...]:
    """The result rows of table 3 in the official order, labelled as the ledger writes them."""
    cat = catalog()
    out = []
    for result, reasons in cat.results.items():
        out += [cat.result_label(result, r) for r in reasons] if reasons else [result]
    return tuple(out)


def display_labels() -> list[tuple[str, str, str]]:
    """(family heading, row text, result label) for the official form: （三）不予公开 /
    1.属于国家秘密; families without reasons have an empty row text."""
    cat = catalog()
    out = []
    for i, (result, reasons) in enumerate(cat.results.items()):
        head = f"（{NUMERALS[i]}）{result}"
        if result == "部分公开":
            head += "（区分处理的，只计这一情形，不计其他情形）"
        if not reasons:
            out.append((head, "", result))
        for n, r in enumerate(reasons, 1):
            out.append((head, f"{n}.{r}", cat.result_label(result, r)))
    return out


def _counts(db, where: str, params: list) -> tuple[list[int], int]:
    """(per applicant type, total) of the applications matching *where*."""
    types = catalog().applicant_types
    per = dict.fromkeys(types, 0)
    total = 0
    for kind, n in db.execute(
        f"SELECT applicant_type, count(*) FROM applications WHERE {where} GROUP BY 1", params
    ):
        total += n
        if kind in per:
            per[kind] = n
    return [per[t] for t in types], total


def table3(db: sqlite_utils.Database, year: int) -> Table3:
    """表三 of *year* (国办公开办函〔2021〕30号): see the module docstring for each row."""
    cat = catalog()
    start, end = _range(year)
    labels = result_labels()
    rows: dict[str, list[int]] = {}

    def put(label: str, where: str, params: list) -> None:
        per, total = _counts(db, where, params)
        rows[label] = [*per, total]

    put(NEW, "received_date BETWEEN ? AND ?", [start, end])
    put(CARRIED_IN, "received_date < ? AND (closed_date IS NULL OR closed_date >= ?)",
        [start, start])  # fmt: skip
    types = cat.applicant_types
    by_label = {label: [0] * (len(types) + 1) for label in labels}
    problems = []
    for result, reason, kind, n, nos in db.execute(
        "SELECT result, result_reason, applicant_type, count(*), group_concat(app_no, '、')"
        " FROM applications WHERE closed_date BETWEEN ? AND ? GROUP BY 1, 2, 3",
        [start, end],
    ):
        label = cat.result_label(result or "", reason or "")
        if label not in by_label:
            problems.append(f"申请 {nos} 已办结，但办理结果“{label or '空'}”不是表三的一行")
            continue
        if kind in types:
            by_label[label][types.index(kind)] += n
        by_label[label][-1] += n
    rows.update(by_label)
    put(TOTAL, "closed_date BETWEEN ? AND ?", [start, end])
    put(CARRIED_OUT, "received_date <= ? AND (closed_date IS NULL OR closed_date > ?)", [end, end])
    for kind, nos in db.execute(
        "SELECT applicant_type, group_concat(app_no, '、') FROM applications"
        " WHERE received_date <= ? AND (closed_date IS NULL OR closed_date >= ?) GROUP BY 1",
        [end, start],
    ):
        if kind not in types:
            problems.append(f"申请 {nos} 的申请人类型“{kind}”不是表三的一列")
    (nos,) = db.execute(
        "SELECT group_concat(app_no, '、') FROM applications WHERE closed_date < received_date"
        " AND (received_date BETWEEN :a AND :b OR closed_date BETWEEN :a AND :b)",
        {"a": start, "b": end},
    ).fetchone()
    if nos:
        problems.append(f"申请 {nos} 的办结日期早于收到日期")
    ordered = {NEW: rows[NEW], CARRIED_IN: rows[CARRIED_IN]}
    ordered |= {label: rows[label] for label in labels}
    ordered |= {TOTAL: rows[TOTAL], CARRIED_OUT: rows[CARRIED_OUT]}
    return Table3(year, (*types, TOTAL_COLUMN), ordered, labels, tuple(problems))


def checks(t3: Table3, t4: Table4 | None = None, t2: Table2 | None = None) -> list[Check]:
    """The reconciliation checks of RULES.md §6 (表三), and of tables 4 and 2 when given."""
    out = []
    cols = t3.columns
    bad = [
        f"{c}：{a}＋{b}≠{s}＋{o}"
        for i, c in enumerate(cols)
        for a, b, s, o in [(t3.rows[NEW][i], t3.rows[CARRIED_IN][i], t3.rows[TOTAL][i],
                            t3.rows[CARRIED_OUT][i])]
        if a + b != s + o
    ]  # fmt: skip
    out.append(Check("表三各列：一＋二＝三（七）＋四", not bad,
                     "；".join(bad) or f"{len(cols)}列均相等"))  # fmt: skip
    bad = [
        f"{label}：{sum(v[:-1])}≠{v[-1]}" for label, v in t3.rows.items() if sum(v[:-1]) != v[-1]
    ]
    out.append(Check("表三各行：六类申请人之和＝总计", not bad,
                     "；".join(bad) or f"{len(t3.rows)}行均相等"))  # fmt: skip
    bad = [
        f"{c}：{sum(t3.rows[label][i] for label in t3.result_labels)}≠{t3.rows[TOTAL][i]}"
        for i, c in enumerate(cols)
        if sum(t3.rows[label][i] for label in t3.result_labels) != t3.rows[TOTAL][i]
    ]
    out.append(Check("表三（七）总计＝（一）至（六）之和", not bad,
                     "；".join(bad) or f"{len(cols)}列均相等"))  # fmt: skip
    if t3.problems and all(c.ok for c in out):
        out.append(Check("表三：每件申请都有所属的行和列", False, "；".join(t3.problems)))
    elif t3.problems:
        out = [Check(c.name, c.ok, c.detail + ("" if c.ok else "。" + "；".join(t3.problems)))
               for c in out]  # fmt: skip
    if t4 is not None:
        bad = [
            f"{g}：{sum(v[:-1])}≠{v[-1]}" for g, v in t4.groups().items() if sum(v[:-1]) != v[-1]
        ]
        out.append(Check("表四各组：四种结果之和＝总计", not bad, "；".join(bad) or "3组均相等"))
    if t2 is not None:
        missing = t2.missing()
        out.append(Check("表二：需手工填报的数字已填写", not missing,
                         ("未填写：" + "、".join(missing)) if missing else "已填写"))  # fmt: skip
    return out


# -- 表四 ---------------------------------------------------------------------------------

REVIEW, LITIGATION = "行政复议", "行政诉讼"


@dataclass(frozen=True)
class Table4:
    year: int
    columns: tuple[str, ...]  # 15 labels, e.g. 行政诉讼·复议后起诉·结果维持
    values: tuple[int, ...]

    def groups(self) -> dict[str, list[int]]:
        """group name → its five numbers (结果维持, 结果纠正, 其他结果, 尚未审结, 总计)."""
        return {g: list(self.values[i * 5 : i * 5 + 5]) for i, g in enumerate(table4_groups())}

    def to_json(self) -> dict:
        return {"columns": list(self.columns), "values": list(self.values)}


def table4_groups() -> tuple[str, ...]:
    routes = catalog().litigation_routes
    return (REVIEW, *(f"{LITIGATION}·{r}" for r in routes))


def table4_columns() -> tuple[str, ...]:
    outcomes = (*catalog().appeal_outcomes, TOTAL_COLUMN)
    return tuple(f"{g}·{o}" for g in table4_groups() for o in outcomes)


def table4(db: sqlite_utils.Database, year: int) -> Table4:
    """表四 of *year*: appeals filed in the year, by outcome as at 31 December."""
    start, end = _range(year)
    cols = table4_columns()
    values = dict.fromkeys(cols, 0)
    for kind, route, outcome, n in db.execute(
        "SELECT kind, route, CASE WHEN closed_date IS NOT NULL AND closed_date <= :end"
        " THEN outcome ELSE :pending END, count(*) FROM appeals"
        " WHERE filed_date BETWEEN :start AND :end GROUP BY 1, 2, 3",
        {"start": start, "end": end, "pending": PENDING},
    ):
        group = REVIEW if kind == REVIEW else f"{LITIGATION}·{route}"
        if f"{group}·{TOTAL_COLUMN}" not in values:
            continue
        values[f"{group}·{TOTAL_COLUMN}"] += n
        if f"{group}·{outcome}" in values:
            values[f"{group}·{outcome}"] += n
    return Table4(year, cols, tuple(values[c] for c in cols))


# -- 表二 ---------------------------------------------------------------------------------

REGULATION_CATEGORY = "03"  # 法规文件 (resources/categories.json)
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
DECISIONS = "本年处理决定数量"
FEES = "本年收费金额（单位：万元）"
# (block, its columns, its rows): the official form's four blocks.
TABLE2_BLOCKS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", (ISSUED, REPEALED, IN_FORCE), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", (DECISIONS,), ("行政许可",)),
    ("第二十条第（六）项", (DECISIONS,), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", (FEES,), ("行政事业性收费",)),
)
MANUAL_ROWS = ("行政许可", "行政处罚", "行政强制", "行政事业性收费")
REGISTRY, MANUAL, MISSING = "登记簿", "手工填报", "未填报"


@dataclass(frozen=True)
class Table2:
    year: int
    values: dict[str, dict[str, float | int | None]]  # row → column → value (None: not filled)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # 登记簿/手工填报/未填报

    def missing(self) -> list[str]:
        return [f"{r}（{c}）" for r, cols in self.values.items() for c, v in cols.items()
                if v is None]  # fmt: skip

    def to_json(self) -> dict:
        return {r: dict(cols) for r, cols in self.values.items()}


def table2_columns(row: str) -> tuple[str, ...]:
    return next(cols for _b, cols, rows in TABLE2_BLOCKS if row in rows)


def manual_values(db: sqlite_utils.Database, year: int) -> dict:
    r = db.execute("SELECT table2_manual FROM annual_reports WHERE year = ?", [year]).fetchone()
    try:
        data = json.loads(r[0]) if r and r[0] else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def registry_regulations(db: sqlite_utils.Database, year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 counted from the registry (see the module docstring)."""
    start, end = _range(year)
    out = {row: {ISSUED: 0, REPEALED: 0, IN_FORCE: 0} for row in ("规章", "行政规范性文件")}
    for doc_no, formed, validity, repealed in db.execute(
        "SELECT i.doc_no, i.formed_date, i.validity,"
        " (SELECT max(substr(a.at, 1, 10)) FROM audit a WHERE a.tbl = 'items'"
        "  AND a.row_id = CAST(i.id AS TEXT) AND a.action = 'update'"
        "  AND json_extract(a.after, '$.validity') IN ('已废止', '已失效')"
        "  AND json_extract(a.before, '$.validity') = '现行有效')"
        " FROM items i WHERE i.category = ? AND i.formed_date <= ?",
        [REGULATION_CATEGORY, end],
    ):
        row = out["规章" if "令" in (doc_no or "") else "行政规范性文件"]
        if formed >= start:
            row[ISSUED] += 1
        repealed_now = validity != "现行有效"
        if repealed_now and repealed and start <= repealed <= end:
            row[REPEALED] += 1
        if not repealed_now or (repealed and repealed > end):
            row[IN_FORCE] += 1
    return out


def table2(db: sqlite_utils.Database, year: int) -> Table2:
    """表二 of *year*: the registry's counts where it knows them, the clerk's figures else
    (a figure the clerk entered for a registry cell overrides it)."""
    manual = manual_values(db, year)
    reg = registry_regulations(db, year)
    values: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    for _block, cols, rows in TABLE2_BLOCKS:
        for row in rows:
            given = manual.get(row) if isinstance(manual.get(row), dict) else {}
            values[row], sources[row] = {}, {}
            for c in cols:
                if given.get(c) is not None:
                    values[row][c], sources[row][c] = given[c], MANUAL
                elif row in reg:
                    values[row][c], sources[row][c] = reg[row][c], REGISTRY
                else:
                    values[row][c], sources[row][c] = None, MISSING
    return Table2(year, values, sources)
