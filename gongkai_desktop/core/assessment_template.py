"""评估考核表 (assessment tables) as data: the seed's 福建省政务公开评估考核表 ships in
resources/assessment/fujian.json (schema: resources/assessment/README.md); a clerk can import
another province's or year's table from JSON or from an .xlsx laid out like the seed's table.

Checked on load (RULES.md §7): items numbered 1..N, each in a known group, item maxima add up
to the group maximum (bonus groups: the bonus cap is the group maximum), and the bonus rule
refers to bonus items only. A bad file raises UserError/ValidationError naming the problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlite_utils

from . import audit, profile, xlsx_guard
from .db import transaction
from .errors import UserError, ValidationError

DEFAULT = "fujian"
FOLDER = "assessment"
TEMPLATE_MAX_ROWS = 2_000  # a seed-style table has about 60 rows
TEMPLATE_MAX_BYTES = 5 * 2**20  # the shipped JSON is a few KB
_ID = re.compile(r"^[a-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class Group:
    name: str
    max: float
    bonus: bool


@dataclass(frozen=True)
class Item:
    no: int
    group: str
    text: str
    max: float


@dataclass(frozen=True)
class BonusRule:
    exclusive: tuple[int, ...]  # same experience under several: counted once, at the highest
    additive: tuple[int, ...]
    cap: float
    note: str = ""


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    bonus_rule: BonusRule
    builtin: bool = True

    def item(self, no: int) -> Item:
        for it in self.items:
            if it.no == no:
                return it
        raise ValidationError(
            f"评估表“{self.name}”没有第{no}项，请核对项目序号（1–{len(self.items)}）。"
        )

    def group_items(self, name: str) -> list[Item]:
        return [it for it in self.items if it.group == name]

    @property
    def base_groups(self) -> list[Group]:
        return [g for g in self.groups if not g.bonus]

    @property
    def bonus_groups(self) -> list[Group]:
        return [g for g in self.groups if g.bonus]

    @property
    def base_max(self) -> float:
        return sum(g.max for g in self.base_groups)

    def to_dict(self) -> dict:
        """The data file's shape (resources/assessment/README.md)."""
        r = self.bonus_rule
        return {
            "id": self.id,
            "name": self.name,
            "groups": [{"name": g.name, "max": g.max, "bonus": g.bonus} for g in self.groups],
            "items": [
                {"no": i.no, "group": i.group, "text": i.text, "max": i.max} for i in self.items
            ],
            "bonus_rule": {
                "exclusive": list(r.exclusive),
                "additive": list(r.additive),
                "cap": r.cap,
                "note": r.note,
            },
        }


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else float(value)


def parse(data: Any, source: str = "评估表", builtin: bool = False) -> Template:
    """Check template data (a dict in the data file's shape); returns a Template."""

    def bad(what: str) -> ValidationError:
        return ValidationError(f"{source}有误：{what}。请修正后重新导入。")

    if not isinstance(data, Mapping):
        raise bad("内容不是一个评估表对象")
    tid, name = str(data.get("id") or "").strip(), str(data.get("name") or "").strip()
    if not _ID.match(tid):
        raise bad(f"编号 id“{tid}”无效，应为 1–40 位小写字母、数字、下划线或减号")
    if not name:
        raise bad("缺少评估表名称 name")
    groups: list[Group] = []
    for i, g in enumerate(data.get("groups") or [], start=1):
        gmax = _num(g.get("max")) if isinstance(g, Mapping) else None
        gname = str(g.get("name") or "").strip() if isinstance(g, Mapping) else ""
        if not gname or gmax is None or gmax <= 0:
            raise bad(f"第{i}个项目（groups）缺少名称或分值不是正数")
        if any(x.name == gname for x in groups):
            raise bad(f"项目“{gname}”重复")
        groups.append(Group(gname, gmax, bool(g.get("bonus", False))))
    if not groups:
        raise bad("没有项目（groups）")
    names = {g.name for g in groups}
    items: list[Item] = []
    for i, it in enumerate(data.get("items") or [], start=1):
        if not isinstance(it, Mapping):
            raise bad(f"第{i}条考核内容不是对象")
        no, imax = it.get("no"), _num(it.get("max"))
        if no != i or isinstance(no, bool):
            raise bad(f"考核内容应按 1、2、3…连续编号，第{i}条的序号是“{no}”")
        if str(it.get("group") or "") not in names:
            raise bad(f"第{i}项所属项目“{it.get('group')}”不在项目列表中")
        if not str(it.get("text") or "").strip():
            raise bad(f"第{i}项缺少评估考核内容")
        if imax is None or imax <= 0 or (imax * 2) % 1:
            raise bad(f"第{i}项分值“{it.get('max')}”无效，应为正数且是 0.5 的倍数")
        items.append(Item(i, str(it["group"]), str(it["text"]).strip(), imax))
    if not items:
        raise bad("没有考核内容（items）")
    rule = data.get("bonus_rule") or {}
    if not isinstance(rule, Mapping):
        raise bad("加分规则 bonus_rule 不是对象")
    bonus_nos = {it.no for it in items if any(g.bonus and g.name == it.group for g in groups)}
    exclusive = tuple(rule.get("exclusive") or ())
    additive = tuple(rule.get("additive") or ())
    for no in exclusive + additive:
        if no not in bonus_nos:
            raise bad(f"加分规则引用的第{no}项不是加分项目")
    if set(exclusive) & set(additive):
        raise bad("加分规则中同一项既“计一次”又“累加”")
    cap = _num(rule.get("cap")) if bonus_nos else 0
    if bonus_nos and (cap is None or cap <= 0):
        raise bad("加分规则缺少加分上限 cap")
    for g in groups:
        total = sum(it.max for it in items if it.group == g.name)
        if not total:
            raise bad(f"项目“{g.name}”没有考核内容")
        if g.bonus:
            if g.max != cap:  # the bonus group's maximum is the cap (seed 备注)
                raise bad(f"加分项目“{g.name}”的分值 {g.max} 与加分上限 {cap} 不一致")
        elif total != g.max:
            raise bad(f"项目“{g.name}”各项分值合计 {total} 分，与该项目分值 {g.max} 分不符")
    return Template(
        tid, name, tuple(groups), tuple(items),
        BonusRule(exclusive, additive, cap or 0, str(rule.get("note") or "")), builtin,
    )  # fmt: skip


def _read_json(path: Path, source: str) -> Any:
    try:
        if Path(path).stat().st_size > TEMPLATE_MAX_BYTES:  # issue 9: hostile input
            raise ValidationError(
                f"{source}超过 {TEMPLATE_MAX_BYTES // 2**20} MB，不像评估表，请检查文件。"
            )
        return json.loads(Path(path).read_text("utf-8"))
    except OSError as e:
        raise UserError(f"无法读取{source}：{e.strerror or e}。") from e
    except ValueError as e:
        raise ValidationError(f"{source}不是有效的 JSON（{e}），请修正后重新导入。") from e


@cache
def _shipped() -> dict[str, Template]:
    from ..paths import resource

    out = {}
    for p in sorted(resource(FOLDER).glob("*.json")):
        t = parse(_read_json(p, f"评估表文件 {p.name}"), f"评估表文件 {p.name}", builtin=True)
        out[t.id] = t
    return out


def load(id: str = DEFAULT, db: sqlite_utils.Database | None = None) -> Template:
    """A shipped table, or (with *db*) one the clerk imported."""
    if id in _shipped():
        return _shipped()[id]
    if db is not None:
        row = db.execute("SELECT data FROM assessment_templates WHERE id = ?", [id]).fetchone()
        if row:
            return parse(json.loads(row[0]), f"已导入的评估表 {id}")
    raise UserError(f"找不到评估表“{id}”。请先通过“导入评估表”导入，或选择已有的评估表。")


def templates(db: sqlite_utils.Database | None = None) -> list[Template]:
    """Shipped tables first, then imported ones by name."""
    out = list(_shipped().values())
    if db is not None:
        rows = db.execute("SELECT id, data FROM assessment_templates ORDER BY name, id").fetchall()
        out += [parse(json.loads(r[1]), f"已导入的评估表 {r[0]}") for r in rows]
    return out


def save_imported(db: sqlite_utils.Database, t: Template, who: str | None = None) -> Template:
    """Store an imported table (replacing an earlier import with the same id)."""
    if t.id in _shipped():
        raise ValidationError(
            f"评估表编号“{t.id}”与内置的评估表相同，请在文件中改用另一个编号（id）。"
        )
    data = json.dumps(t.to_dict(), ensure_ascii=False)
    before = db.execute("SELECT id, name, data FROM assessment_templates WHERE id = ?", [t.id])
    before = before.fetchone()
    after = {"id": t.id, "name": t.name, "data": data, "imported_at": audit.now_iso()}
    with transaction(db):
        db.execute(
            "INSERT INTO assessment_templates(id, name, data, imported_at) VALUES (?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name, data = excluded.data,"
            " imported_at = excluded.imported_at",
            list(after.values()),
        )
        audit.record(
            db, who or profile.operator(db), "assessment_templates", t.id,
            "update" if before else "insert",
            dict(zip(("id", "name", "data"), before, strict=True)) if before else None, after,
        )  # fmt: skip
    return parse(t.to_dict(), t.name)


def import_json(db: sqlite_utils.Database, path: Path | str, who: str | None = None) -> Template:
    source = f"评估表文件 {Path(path).name}"
    return save_imported(db, parse(_read_json(Path(path), source), source), who)


def import_xlsx(
    db: sqlite_utils.Database, path: Path | str, template_id: str | None = None,
    who: str | None = None,
) -> Template:  # fmt: skip
    """Import an .xlsx laid out like the seed's table; the id defaults to the file name."""
    data = read_xlsx(Path(path), template_id)
    return save_imported(db, parse(data, f"评估表文件 {Path(path).name}"), who)


# -- .xlsx laid out like the seed's table ------------------------------------------------------

_GROUP_MAX = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_ITEM_NO = re.compile(r"^(\d+)\s*[、.．]\s*(.+)$", re.S)
_RANGE = re.compile(r"第\s*(\d+)\s*[-－—–~～至到]\s*(\d+)\s*项")
_CAP = re.compile(r"不超过\s*(\d+(?:\.\d+)?)\s*分")


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def read_xlsx(path: Path, template_id: str | None = None) -> dict:
    """Columns 项目 | 评估考核内容 | 分值 (the group written once over merged cells), a 备注
    row carrying the bonus rule (seed table). Every bad row is named in one ValidationError."""
    from openpyxl import load_workbook

    src = f"评估表文件 {path.name}"
    # kind, damage and size checked before the full load (issue 9: hostile input)
    xlsx_guard.open_workbook(path, max_rows=TEMPLATE_MAX_ROWS).close()
    try:
        ws = load_workbook(path).worksheets[0]
    except Exception as e:  # openpyxl raises many kinds for a non-xlsx file
        raise ValidationError(
            f"{src}无法读取（{type(e).__name__}），请确认是 .xlsx 格式的表格。"
        ) from e
    xlsx_guard.formula_cells(ws, path.name)
    rows = [[_text(c) for c in r] for r in ws.iter_rows(values_only=True)]
    head = next(
        (
            i
            for i, r in enumerate(rows)
            if {"项目", "评估考核内容", "分值"} <= {re.sub(r"\s", "", c) for c in r}
        ),
        None,
    )
    if head is None:
        raise ValidationError(
            f"{src}中找不到表头“项目 | 评估考核内容 | 分值”，请按评估考核表的格式整理。"
        )
    cols = {re.sub(r"\s", "", c): j for j, c in enumerate(rows[head])}
    cg, cc, cs = cols["项目"], cols["评估考核内容"], cols["分值"]
    merged = {}  # (row, col) -> the merged range's top-left value; openpyxl keeps it there only
    for rng in ws.merged_cells.ranges:
        top = _text(ws.cell(rng.min_row, rng.min_col).value)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r - 1, c - 1)] = top
    title = next(
        (c for r in rows[:head] for c in r if c and not c.startswith(("(", "（"))), path.stem
    )
    groups: list[dict] = []
    items: list[dict] = []
    errors: list[str] = []
    note = ""
    for i in range(head + 1, len(rows)):
        r = rows[i] + [""] * 3
        cell = merged.get((i, cg), r[cg])
        if re.sub(r"\s", "", cell).startswith("备注"):
            note = next((c for j, c in enumerate(r) if j != cg and c), "")
            break
        content, score = merged.get((i, cc), r[cc]), r[cs]
        if not content and not score:
            continue
        where = f"第{i + 1}行"
        flat = re.sub(r"\s", "", cell)
        if flat and (not groups or groups[-1]["_cell"] != flat):
            m = _GROUP_MAX.search(flat)
            gname = _GROUP_MAX.sub("", flat)
            if not m or not gname:
                errors.append(f"{where}：项目“{cell}”应写成“项目名称（10分）”")
                continue
            max_ = float(m[1])
            groups.append({"_cell": flat, "name": gname, "max": int(max_) if max_.is_integer() else max_,
                           "bonus": "加分" in gname})  # fmt: skip
        if not groups:
            errors.append(f"{where}：没有所属项目，请在“项目”列写明项目名称和分值")
            continue
        m = _ITEM_NO.match(content)
        if not m:
            errors.append(f"{where}：评估考核内容应以“1、”这样的序号开头")
            continue
        try:
            s = float(score)
        except ValueError:
            errors.append(f"{where}：分值“{score}”不是数字")
            continue
        items.append({"no": int(m[1]), "group": groups[-1]["name"], "text": m[2].strip(),
                      "max": int(s) if s.is_integer() else s})  # fmt: skip
    if errors:
        raise ValidationError(f"{src}有误：" + "；".join(errors) + "。请修正后重新导入。")
    bonus = [
        it["no"] for it in items if any(g["bonus"] and g["name"] == it["group"] for g in groups)
    ]
    m = _RANGE.search(note)
    exclusive = [n for n in bonus if m and int(m[1]) <= n <= int(m[2])]
    cap = _CAP.search(note)
    cap_v = float(cap[1]) if cap else sum(g["max"] for g in groups if g["bonus"])
    return {
        "id": template_id or re.sub(r"[^a-z0-9_-]", "", path.stem.lower()) or "imported",
        "name": title,
        "groups": [{k: v for k, v in g.items() if k != "_cell"} for g in groups],
        "items": items,
        "bonus_rule": {"exclusive": exclusive, "additive": [n for n in bonus if n not in exclusive],
                       "cap": int(cap_v) if cap_v.is_integer() else cap_v, "note": note},
    }  # fmt: skip
