"""批量生成事项 (bulk load): many synthetic registry items, fast. For benchmarks and load tests.

Never use it for real or demo data: see bulk_items(). core/demo.py re-exports it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import sqlite_utils

from . import audit, index_numbers, profile, search, workflow
from . import demo_data as dd
from .calendar import WorkCalendar
from .db import transaction
from .deadlines import publish_deadline
from .errors import UserError

BULK_BATCH = 20_000


def timing_type(code: str, flags: str) -> str:
    """公开时限类型 of a demo template (seed 三(四)1)."""
    if code == "12":  # emergencies
        return "临时性内容随时公开"
    return "经常性内容定期公开" if "P" in flags else "动态性内容及时公开"


def fill_values(d: date) -> dict:
    """Template placeholders that depend on the formed date (see core/demo_data.py)."""
    my, m = (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)
    q = (d.month - 1) // 3
    qy, q = (d.year - 1, 4) if q == 0 else (d.year, q)
    return {"y": d.year, "py": d.year - 1, "my": my, "m": m, "qy": qy, "q": dd.QUARTERS[q - 1]}


def workdays(first: date, last: date, cal: WorkCalendar) -> list[date]:
    out, d = [], first
    while d <= last:
        if cal.is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def bulk_items(
    db: sqlite_utils.Database,
    n: int,
    year_from: int,
    year_to: int,
    progress: Callable[[int, int], bool | None] | None = None,
    *,
    seed: int = 1,
    today: date | None = None,
    batch: int = BULK_BATCH,
) -> int:
    """Insert *n* synthetic items fast. FOR BENCHMARKS AND LOAD TESTS ONLY.

    Rows are valid for the schema and the list queries: 索引号 from the unit's
    pattern with serials reserved per year, publish_due from core/deadlines (cached
    per distinct date), FTS tokens from core/search. But they carry no step history
    (the stage is set directly) and the audit log gets one row per batch, not one
    per item. Formed dates run from 1 January *year_from* to 31 December *year_to*
    (never after *today*), in date order. progress(done, n) is called after each
    committed batch; returning False stops there. Returns the number inserted.
    """
    today = today or date.today()
    if n < 0 or year_from > year_to:
        raise UserError("批量生成的条数不能为负数，起始年份不能晚于结束年份。")
    cal = WorkCalendar.from_db(db)
    prof = profile.load(db) or dd.PROFILE
    rng = random.Random(seed)
    days = workdays(date(year_from, 1, 1), min(date(year_to, 12, 31), today), cal)
    if not days:
        raise UserError("所选年份中没有今天以前的工作日，无法生成事项。")
    weights = [rng.uniform(0.5, 1.5) for _ in days]
    counts = [int(w * n / sum(weights)) for w in weights]
    for i in rng.sample(range(len(days)), n - sum(counts)):
        counts[i] += 1
    gen = _Generator(rng, prof, cal, today)
    rows: list[tuple] = []
    done = 0

    def flush() -> bool:
        nonlocal done
        with transaction(db):
            first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0]
            gen.insert(db, rows, first)
            note = {
                "批量载入": len(rows),
                "用途": "基准测试/负载测试的合成数据",
                "年份": f"{year_from}-{year_to}",
            }
            span = f"{first}-{first + len(rows) - 1}"
            audit.record(db, prof.operator or "批量载入", "items", span, "insert", None, note)
        done += len(rows)
        rows.clear()
        return not (progress and progress(done, n) is False)

    for day, k in zip(days, counts, strict=True):
        for _ in range(k):
            rows.append(gen.row(day, done + len(rows)))
            if len(rows) >= batch and not flush():
                return done
    if rows:
        flush()
    return done


class _Generator:
    """One synthetic row at a time; caches what repeats (deadlines, title tokens)."""

    def __init__(self, rng: random.Random, prof, cal: WorkCalendar, today: date) -> None:
        self.rng, self.prof, self.cal, self.today = rng, prof, cal, today
        self.tpls = {c: [t.split("|") for t in dd.TEMPLATES[c]] for c in dd.CATEGORIES}
        self.cats, self.weights = list(dd.CATEGORIES), [c[0] for c in dd.CATEGORIES.values()]
        self.due: dict[date, tuple[str, int]] = {}
        self.fill: dict[date, dict] = {}
        self.tokens: dict[str, str] = {}
        self.serial: dict[int, int] = {}
        self.docs: dict[int, int] = {}
        self.now = audit.now_iso()

    def row(self, day: date, i: int) -> tuple:
        """(year, code, title, doc_no, keywords, then the items columns after index_no…)."""
        rng, y = self.rng, day.year
        if day not in self.due:
            d = publish_deadline(day, self.cal)
            self.due[day] = (d.due.isoformat(), int(d.provisional))
            self.fill[day] = fill_values(day)
        code = rng.choices(self.cats, self.weights)[0]
        flags, text, kw = rng.choice(self.tpls[code])
        title = text.format(
            **self.fill[day], n=i % 40 + 1, p=dd.PEOPLE[i % 16], t=dd.TYPHOONS[i % 8]
        )
        doc_no = ""
        if "D" in flags or "G" in flags:
            self.docs[y] = self.docs.get(y, 0) + 1
            doc_no = f"{self.prof.doc_prefix or '厦人社'}〔{y}〕{self.docs[y]}号"
        age = (self.today - day).days
        if age > 120:
            stage = workflow.DONE
        else:
            stage = rng.choice(("整改", "建档", workflow.DONE) if age > 60 else workflow.STAGES)
        pub, url, channels = None, "", "[]"
        if workflow.STAGES.index(stage) > workflow.STEPS.index("公开"):  # published
            pub = min(day + timedelta(days=rng.choice((1, 3, 5, 8, 12, 20, 45))), self.today)
            url = f"{dd.SITE}/{dd.CATEGORIES[code][2]}/{day:%Y%m}/t{day:%Y%m%d}_{i}.htm"
            pub, channels = pub.isoformat(), '["门户网站"]'
        return (
            y,
            code,
            title,
            doc_no,
            kw,
            self.prof.unit_name,
            day.isoformat(),
            pub,
            channels,
            url,
            timing_type(code, flags),
            int("L" in flags),
            stage,
            *self.due[day],
            self.now,
            self.now,
        )

    def insert(self, db: sqlite_utils.Database, rows: list[tuple], first: int) -> None:
        """Insert *rows* with ids from *first*, their 索引号 and FTS tokens. In a transaction."""
        prof, serial, items_rows, fts_rows = self.prof, self.serial, [], []
        for item_id, (y, code, title, doc_no, kw, *rest) in enumerate(rows, first):
            if y not in serial:
                key = f"index_serial:{y}"
                got = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
                serial[y] = int(got[0]) if got else 0
            serial[y] += 1
            index_no = index_numbers.render(
                prof.index_pattern,
                fonds_no=prof.fonds_no or "0000",
                year=y,
                category_code=code,
                serial=serial[y],
            )
            items_rows.append((item_id, index_no, title, doc_no, kw, y, code, *rest))
            # same text as search.tokens(title, doc_no, index_no, kw); titles repeat, so cache
            parts = (
                self._tokens(title),
                search.tokens(doc_no),
                search.tokens(index_no),
                self._tokens(kw),
            )
            fts_rows.append((item_id, " ".join(p for p in parts if p)))
        db.conn.executemany(
            "INSERT INTO items(id, index_no, title, doc_no, keywords, year, category, issuer,"
            " formed_date, published_date, channels, url, timing_type, long_term, stage,"
            " publish_due, provisional, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            items_rows,
        )
        db.conn.executemany("INSERT INTO items_fts(rowid, tokens) VALUES (?, ?)", fts_rows)
        for y, last in serial.items():  # never reuse a serial (core/index_numbers)
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key)"
                " DO UPDATE SET value = excluded.value",
                [f"index_serial:{y}", str(last)],
            )

    def _tokens(self, text: str) -> str:
        hit = self.tokens.get(text)
        if hit is None:
            if len(self.tokens) > 200_000:
                self.tokens.clear()
            hit = self.tokens[text] = search.tokens(text)
        return hit
