"""Unit profile (单位信息): who the office is, asked for on first run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

import sqlite_utils

from . import audit
from .db import transaction
from .errors import ValidationError

UNIT_TYPES = ("政府部门", "人民政府")  # annual report due 31 Jan / 31 Mar (条例第四十九条)
DEFAULT_INDEX_PATTERN = "{全宗号}-{分类}-{年}-{序号}"
DEFAULT_APP_NO_PATTERN = "{年}-{序号:4}"  # 申请编号, e.g. 2026-0007
KEY = "profile"


@dataclass
class UnitProfile:
    unit_name: str = ""  # 全宗名称 / 发布机构 default
    fonds_no: str = ""  # 全宗号
    index_pattern: str = DEFAULT_INDEX_PATTERN  # 索引号规则
    doc_prefix: str = ""  # 文号前缀（机关代字）
    operator: str = ""  # 经办人：审计记录里的“谁”
    unit_type: str = UNIT_TYPES[0]
    app_no_pattern: str = DEFAULT_APP_NO_PATTERN  # 申请编号规则
    # Public channels (seed item 24, 三(三)3): shown in letters and reports.
    consult_phone: str = ""  # 咨询电话
    complaint_phone: str = ""  # 投诉电话
    report_phone: str = ""  # 举报电话
    opinion_box: str = ""  # 意见箱位置
    online_channel: str = ""  # 网上渠道（网址）

    def validate(self) -> None:
        from .index_numbers import check_pattern

        missing = [label for name, label in _LABELS.items() if not getattr(self, name).strip()]
        if missing:
            raise ValidationError("请填写：" + "、".join(missing) + "。")
        if self.unit_type not in UNIT_TYPES:
            raise ValidationError("单位类型只能是“政府部门”或“人民政府”。")
        check_pattern(self.index_pattern)
        check_pattern(self.app_no_pattern, "申请编号规则")


_LABELS = {
    "unit_name": "单位名称（全宗名称）",
    "fonds_no": "全宗号",
    "index_pattern": "索引号规则",
    "operator": "经办人姓名",
}


def load(db: sqlite_utils.Database) -> UnitProfile | None:
    """The saved profile, or None before the first-run dialog was completed."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [KEY]).fetchone()
    if not row:
        return None
    data = json.loads(row[0])
    known = {f.name for f in fields(UnitProfile)}
    return UnitProfile(**{k: v for k, v in data.items() if k in known})


def save(db: sqlite_utils.Database, profile: UnitProfile) -> None:
    profile.validate()
    before = load(db)
    value = json.dumps(asdict(profile), ensure_ascii=False)
    with transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [KEY, value],
        )
        audit.record(db, profile.operator, "settings", KEY, "update" if before else "insert",
                     asdict(before) if before else None, asdict(profile))


def unit_name(db: sqlite_utils.Database) -> str:
    """The saved unit name, or "" before the profile is filled in."""
    p = load(db)
    return p.unit_name if p else ""


def operator(db: sqlite_utils.Database) -> str:
    p = load(db)
    return p.operator if p and p.operator else "未设置经办人"
