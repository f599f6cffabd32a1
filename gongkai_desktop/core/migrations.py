"""Schema migrations (数据库升级): ordered, idempotent steps, each committed with its version.

The version lives in the file as ``PRAGMA user_version``. A file whose version is
newer than this program knows is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlite_utils

from ..paths import resource
from .db import transaction
from .errors import DatabaseOpenError


def _v1_registry(db: sqlite_utils.Database) -> None:
    for sql in _V1:
        db.execute(sql)
    cats = json.loads(resource("categories.json").read_text("utf-8"))["categories"]
    for i, c in enumerate(cats):
        db.execute(
            "INSERT OR IGNORE INTO categories(code, name, seed_item, description, builtin, sort)"
            " VALUES (?,?,?,?,1,?)",
            [c["code"], c["name"], c["seed_item"], c["description"], i],
        )
    chans = json.loads(resource("channels.json").read_text("utf-8"))["channels"]
    for i, name in enumerate(chans):
        db.execute(
            "INSERT OR IGNORE INTO channels(name, builtin, sort) VALUES (?,1,?)", [name, i]
        )


_V1 = [
    """CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert','update','delete')),
        before TEXT,
        after TEXT)""",
    "CREATE INDEX IF NOT EXISTS audit_row ON audit(tbl, row_id)",
    """CREATE TABLE IF NOT EXISTS categories (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        seed_item INTEGER,
        description TEXT NOT NULL DEFAULT '',
        builtin INTEGER NOT NULL DEFAULT 0,
        sort INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS channels (
        name TEXT PRIMARY KEY,
        builtin INTEGER NOT NULL DEFAULT 0,
        sort INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS calendar_entries (
        day TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('放假','上班')),
        name TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS items (
        id INTEGER PRIMARY KEY,
        index_no TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL CHECK (title <> ''),
        doc_no TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        formed_date TEXT NOT NULL,
        year INTEGER NOT NULL,
        published_date TEXT,
        category TEXT NOT NULL REFERENCES categories(code),
        channels TEXT NOT NULL DEFAULT '[]',
        url TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT '面向社会',
        validity TEXT NOT NULL DEFAULT '现行有效',
        keywords TEXT NOT NULL DEFAULT '',
        timing_type TEXT NOT NULL DEFAULT '动态性内容及时公开',
        major_decision INTEGER NOT NULL DEFAULT 0,
        long_term INTEGER NOT NULL DEFAULT 0,
        end_date TEXT,
        stage TEXT NOT NULL DEFAULT '提出',
        returns INTEGER NOT NULL DEFAULT 0,
        publish_due TEXT NOT NULL,
        provisional INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS items_formed ON items(formed_date, id)",
    "CREATE INDEX IF NOT EXISTS items_published ON items(published_date, id)",
    "CREATE INDEX IF NOT EXISTS items_year_cat ON items(year, category)",
    "CREATE INDEX IF NOT EXISTS items_stage ON items(stage)",
    "CREATE INDEX IF NOT EXISTS items_due ON items(publish_due) WHERE published_date IS NULL",
    "CREATE INDEX IF NOT EXISTS items_doc_no ON items(doc_no)",
    """CREATE TABLE IF NOT EXISTS item_steps (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('完成','退回')),
        who TEXT NOT NULL,
        on_date TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT '',
        extra TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS item_steps_item ON item_steps(item_id, id)",
    """CREATE TABLE IF NOT EXISTS decision_stages (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        stage TEXT NOT NULL CHECK (stage IN ('决策前','决策中','决策后')),
        on_date TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        opinions TEXT NOT NULL DEFAULT '')""",
    # Contentless FTS over character bigrams (see core/search.py): finds 2-char Chinese words.
    """CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
        tokens, content='', tokenize='unicode61 remove_diacritics 0')""",
]

def _v2_sort_indexes(db: sqlite_utils.Database) -> None:
    # Every sortable registry column has an index, so a sort at 1M rows stays a walk.
    for sql in (
        "CREATE INDEX IF NOT EXISTS items_title ON items(title, id)",
        "CREATE INDEX IF NOT EXISTS items_category ON items(category, id)",
        "CREATE INDEX IF NOT EXISTS items_due_all ON items(publish_due, id)",
        "CREATE INDEX IF NOT EXISTS items_year_formed ON items(year, formed_date, id)",
        "CREATE INDEX IF NOT EXISTS items_issuer ON items(issuer, id)",
    ):
        db.execute(sql)


def _v3_applications(db: sqlite_utils.Database) -> None:
    for sql in _V3:
        db.execute(sql)


_V3 = [
    # 依申请公开 (条例第二十九至四十二条). Dates are ISO text; state and answer_due are
    # kept in step with core/applications.py so lists filter and sort in SQL.
    """CREATE TABLE IF NOT EXISTS applications (
        id INTEGER PRIMARY KEY,
        app_no TEXT NOT NULL UNIQUE,
        year INTEGER NOT NULL,
        applicant_type TEXT NOT NULL,
        applicant_name TEXT NOT NULL CHECK (applicant_name <> ''),
        id_type TEXT NOT NULL DEFAULT '',
        id_number TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        submitted_date TEXT,
        received_date TEXT NOT NULL,
        receipt_note TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL CHECK (content <> ''),
        purpose TEXT NOT NULL DEFAULT '',
        form_wanted TEXT NOT NULL DEFAULT '纸质',
        delivery TEXT NOT NULL DEFAULT '自行领取',
        supplement_requested TEXT,
        supplement_items TEXT NOT NULL DEFAULT '',
        supplement_deadline TEXT,
        supplement_received TEXT,
        extension_days INTEGER NOT NULL DEFAULT 0,
        extension_approver TEXT NOT NULL DEFAULT '',
        extension_date TEXT,
        extension_notified TEXT,
        fee_method TEXT NOT NULL DEFAULT '',
        fee_count INTEGER,
        fee_total INTEGER,
        fee_notice_date TEXT,
        fee_payment_deadline TEXT,
        fee_paid_date TEXT,
        answer_type INTEGER,
        result TEXT NOT NULL DEFAULT '',
        result_reason TEXT NOT NULL DEFAULT '',
        answer_date TEXT,
        delivered_date TEXT,
        answer_text TEXT NOT NULL DEFAULT '',
        closed_date TEXT,
        state TEXT NOT NULL,
        answer_due TEXT,
        provisional INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS applications_received ON applications(received_date, id)",
    "CREATE INDEX IF NOT EXISTS applications_year ON applications(year, received_date)",
    "CREATE INDEX IF NOT EXISTS applications_due ON applications(answer_due, id)",
    "CREATE INDEX IF NOT EXISTS applications_state ON applications(state)",
    "CREATE INDEX IF NOT EXISTS applications_applicant ON applications(applicant_name, received_date)",
    """CREATE TABLE IF NOT EXISTS app_pauses (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('第三方','其他机关')),
        party TEXT NOT NULL DEFAULT '',
        start TEXT NOT NULL,
        reply TEXT,
        reply_working_days INTEGER NOT NULL DEFAULT 15,
        outcome TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS app_events (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        who TEXT NOT NULL,
        on_date TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        extra TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS app_events_app ON app_events(app_id, id)",
    """CREATE TABLE IF NOT EXISTS app_letters (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        doc_no TEXT NOT NULL DEFAULT '',
        letter_date TEXT NOT NULL,
        pdf BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS app_letters_app ON app_letters(app_id, id)",
    """CREATE TABLE IF NOT EXISTS appeals (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('行政复议','行政诉讼')),
        route TEXT NOT NULL DEFAULT '',
        filed_date TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT '尚未审结',
        closed_date TEXT,
        note TEXT NOT NULL DEFAULT '')""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS applications_fts USING fts5(
        tokens, content='', tokenize='unicode61 remove_diacritics 0')""",
]


def _v4_supervision(db: sqlite_utils.Database) -> None:
    for sql in _V4:
        db.execute(sql)


_V4 = [
    # 投诉与意见 (seed items 24, 31–33): 30-day reply; opinions forwarded to the principal.
    """CREATE TABLE IF NOT EXISTS complaints (
        id INTEGER PRIMARY KEY,
        no TEXT NOT NULL UNIQUE,
        year INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('咨询','投诉','举报','意见建议')),
        source TEXT NOT NULL CHECK (source IN ('电话','意见箱','网站留言','来信','来访','电子邮件')),
        anonymous INTEGER NOT NULL DEFAULT 0,
        person TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT '',
        received_date TEXT NOT NULL,
        content TEXT NOT NULL CHECK (content <> ''),
        handler TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT '受理',
        reply_due TEXT NOT NULL,
        reply_date TEXT,
        reply_method TEXT NOT NULL DEFAULT '',
        reply_content TEXT NOT NULL DEFAULT '',
        forwarded_date TEXT,
        principal TEXT NOT NULL DEFAULT '',
        principal_due TEXT,
        principal_answer_date TEXT,
        principal_answer TEXT NOT NULL DEFAULT '',
        closed_date TEXT,
        provisional INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS complaints_received ON complaints(received_date, id)",
    "CREATE INDEX IF NOT EXISTS complaints_year ON complaints(year, kind)",
    "CREATE INDEX IF NOT EXISTS complaints_due ON complaints(reply_due) WHERE closed_date IS NULL",
    """CREATE TABLE IF NOT EXISTS complaint_events (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        step TEXT NOT NULL,
        who TEXT NOT NULL,
        on_date TEXT NOT NULL,
        opinion TEXT NOT NULL DEFAULT '',
        extra TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS complaint_events_c ON complaint_events(complaint_id, id)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS complaints_fts USING fts5(
        tokens, content='', tokenize='unicode61 remove_diacritics 0')""",
    # 整改事项: from complaints, opinions, inspections, the registry's 整改 step, self-inspection.
    """CREATE TABLE IF NOT EXISTS rectifications (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('投诉','意见建议','监督检查','公开登记','自查')),
        source_table TEXT NOT NULL DEFAULT '',
        source_id INTEGER,
        problem TEXT NOT NULL CHECK (problem <> ''),
        responsible TEXT NOT NULL CHECK (responsible <> ''),
        measure TEXT NOT NULL DEFAULT '',
        due_date TEXT NOT NULL,
        done_date TEXT,
        evidence TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rectifications_open ON rectifications(due_date) WHERE done_date IS NULL",
    "CREATE INDEX IF NOT EXISTS rectifications_source ON rectifications(source_table, source_id)",
    # 监督检查 (seed item 30, 三(六)2): daily patrol, half-yearly key inspection, self-inspection.
    """CREATE TABLE IF NOT EXISTS patrols (
        id INTEGER PRIMARY KEY,
        on_date TEXT NOT NULL,
        who TEXT NOT NULL,
        target TEXT NOT NULL,
        checked TEXT NOT NULL DEFAULT '',
        findings TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS patrols_date ON patrols(on_date)",
    """CREATE TABLE IF NOT EXISTS key_inspections (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        half INTEGER NOT NULL CHECK (half IN (1, 2)),
        on_date TEXT NOT NULL,
        team TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT '',
        findings TEXT NOT NULL CHECK (findings <> ''),
        conclusion TEXT NOT NULL CHECK (conclusion <> ''),
        report_pdf BLOB,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS key_inspections_half ON key_inspections(year, half)",
    """CREATE TABLE IF NOT EXISTS self_inspections (
        id INTEGER PRIMARY KEY,
        on_date TEXT NOT NULL,
        findings TEXT NOT NULL CHECK (findings <> ''),
        meeting_kind TEXT NOT NULL DEFAULT '',
        meeting_date TEXT,
        created_at TEXT NOT NULL)""",
]


def _v5_organisation(db: sqlite_utils.Database) -> None:
    for sql in _V5:
        db.execute(sql)


_V5 = [
    # 机构与会议 (seed 三(一), items 1–4, 38): memberships are closed, never deleted.
    """CREATE TABLE IF NOT EXISTS memberships (
        id INTEGER PRIMARY KEY,
        body TEXT NOT NULL CHECK (body IN ('领导小组','工作机构','监督小组')),
        name TEXT NOT NULL CHECK (name <> ''),
        post TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN ('组长','副组长','成员','联络员','兼职工作人员')),
        is_principal INTEGER NOT NULL DEFAULT 0,
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        start_date TEXT NOT NULL,
        end_date TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS memberships_body ON memberships(body, start_date)",
    """CREATE TABLE IF NOT EXISTS meetings (
        id INTEGER PRIMARY KEY,
        on_date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('专题会议','局务会','全体人员大会')),
        body TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL CHECK (subject <> ''),
        attendees TEXT NOT NULL DEFAULT '',
        decisions TEXT NOT NULL DEFAULT '',
        minutes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS meetings_date ON meetings(on_date)",
    # 公开工作机构信息 (seed 三(一)5, item 3); each publication keeps its own row.
    """CREATE TABLE IF NOT EXISTS contact_cards (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        head TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        hours TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        fax TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        consult_phone TEXT NOT NULL DEFAULT '',
        complaint_phone TEXT NOT NULL DEFAULT '',
        opinion_box TEXT NOT NULL DEFAULT '',
        published_date TEXT,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rules_register (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL CHECK (title <> ''),
        doc_no TEXT NOT NULL DEFAULT '',
        issued_date TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT '现行有效',
        file_name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS budgets (
        year INTEGER PRIMARY KEY,
        amount REAL NOT NULL CHECK (amount >= 0),
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL)""",
    # 表彰、推广、肯定 (seed items 39–45, bonus scoring).
    """CREATE TABLE IF NOT EXISTS recognitions (
        id INTEGER PRIMARY KEY,
        on_date TEXT NOT NULL,
        kind TEXT NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL CHECK (title <> ''),
        document TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    # 年度报告 (条例第四十九条; 国办公开办函〔2021〕30号).
    """CREATE TABLE IF NOT EXISTS annual_reports (
        year INTEGER PRIMARY KEY,
        section1 TEXT NOT NULL DEFAULT '',
        section5 TEXT NOT NULL DEFAULT '',
        section6 TEXT NOT NULL DEFAULT '',
        table2_manual TEXT NOT NULL DEFAULT '{}',
        published_date TEXT,
        locked INTEGER NOT NULL DEFAULT 0,
        changed_after_publish INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS year_unlocks (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason <> ''),
        who TEXT NOT NULL,
        unlocked_at TEXT NOT NULL,
        relocked_at TEXT)""",
]


def _v6_assessment(db: sqlite_utils.Database) -> None:
    for sql in _V6:
        db.execute(sql)


_V6 = [
    # 自评打分 (RULES.md §7): one assessment per year and table; tables imported by the
    # clerk are kept here, the seed's table ships in resources/assessment/.
    """CREATE TABLE IF NOT EXISTS assessment_templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        imported_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS assessments (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        template TEXT NOT NULL,
        inspection_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (year, template))""",
    """CREATE TABLE IF NOT EXISTS assessment_scores (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_no INTEGER NOT NULL,
        score REAL,
        accepted INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, item_no))""",
    """CREATE TABLE IF NOT EXISTS assessment_evidence (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_no INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('record','file')),
        record_table TEXT NOT NULL DEFAULT '',
        record_id INTEGER,
        title TEXT NOT NULL DEFAULT '',
        file_name TEXT NOT NULL DEFAULT '',
        mime TEXT NOT NULL DEFAULT '',
        data BLOB,
        sha256 TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS assessment_evidence_item ON assessment_evidence(assessment_id, item_no)",
]


def _v7_archives(db: sqlite_utils.Database) -> None:
    for sql in _V7:
        db.execute(sql)


_V7 = [
    # Attachments live in the file, deduplicated by SHA-256 (DESIGN.md: Attachments).
    """CREATE TABLE IF NOT EXISTS attachments (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        pages INTEGER,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS attachment_links (
        id INTEGER PRIMARY KEY,
        attachment_id INTEGER NOT NULL REFERENCES attachments(id),
        record_table TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        added_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS attachment_links_record ON attachment_links(record_table, record_id)",
    # 归档 by pieces (DA/T 22-2015): 档号 = 全宗号-WS·年度-保管期限代码-机构代码-件号.
    """CREATE TABLE IF NOT EXISTS archive_pieces (
        id INTEGER PRIMARY KEY,
        record_table TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        retention TEXT NOT NULL CHECK (retention IN ('永久','定期30年','定期10年')),
        org_code TEXT NOT NULL DEFAULT '',
        piece_no INTEGER NOT NULL,
        archive_no TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        doc_no TEXT NOT NULL DEFAULT '',
        responsible TEXT NOT NULL DEFAULT '',
        doc_date TEXT NOT NULL,
        secrecy TEXT NOT NULL DEFAULT '',
        pages INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        box_id INTEGER REFERENCES archive_boxes(id),
        filed_at TEXT NOT NULL,
        UNIQUE (record_table, record_id),
        UNIQUE (year, retention, org_code, piece_no))""",
    """CREATE TABLE IF NOT EXISTS archive_boxes (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        retention TEXT NOT NULL,
        org_code TEXT NOT NULL DEFAULT '',
        box_no INTEGER NOT NULL,
        spine_mm INTEGER NOT NULL DEFAULT 30 CHECK (spine_mm IN (20, 30, 40, 50)),
        sealed_at TEXT,
        contents_note TEXT NOT NULL DEFAULT '',
        arranger TEXT NOT NULL DEFAULT '',
        arranged_date TEXT,
        checker TEXT NOT NULL DEFAULT '',
        checked_date TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (year, retention, org_code, box_no))""",
]


def _v8_workbench(db: sqlite_utils.Database) -> None:
    for sql in _V8:
        db.execute(sql)
    cols = {r[1] for r in db.execute("PRAGMA table_info(attachments)").fetchall()}
    if "unreadable" not in cols:
        # A PDF pypdf cannot read is kept but flagged, so binders and volumes skip it (issue 9).
        db.execute("ALTER TABLE attachments ADD COLUMN unreadable INTEGER NOT NULL DEFAULT 0")


_V8 = [
    # 工作台: the year's work plan (seed 实施步骤), milestones with a reminder (issue 8 §1).
    """CREATE TABLE IF NOT EXISTS work_plan (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        due_date TEXT NOT NULL,
        title TEXT NOT NULL,
        responsible TEXT NOT NULL DEFAULT '',
        remind_days INTEGER NOT NULL DEFAULT 7 CHECK (remind_days >= 0),
        done_date TEXT,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS work_plan_year ON work_plan(year, due_date)",
    # 发送记录: every send attempt or .eml draft, with each attachment's size and SHA-256.
    """CREATE TABLE IF NOT EXISTS mail_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('smtp','eml')),
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('sent','failed','saved')),
        error TEXT NOT NULL DEFAULT '',
        operator TEXT NOT NULL DEFAULT '')""",
]


# (version, description, step). Append only; never edit a released step.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database], None]]] = [
    (1, "公开登记：事项、环节、日历、审计", _v1_registry),
    (2, "公开登记：排序索引", _v2_sort_indexes),
    (3, "依申请公开：申请、暂停、文书、复议诉讼", _v3_applications),
    (4, "投诉与意见、整改、监督检查", _v4_supervision),
    (5, "机构与会议、公开工作机构信息、规章制度、经费、表彰、年度报告", _v5_organisation),
    (6, "自评打分：评估表、得分、佐证", _v6_assessment),
    (7, "档案：附件、归档件号、档案盒", _v7_archives),
    (8, "工作台：年度工作计划、邮件发送记录、附件可读标记", _v8_workbench),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring *db* to SCHEMA_VERSION; return the version it had before."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseOpenError(
            f"这个数据库由更新版本的政务公开台账创建（数据版本 {current}，本程序只认识到 {SCHEMA_VERSION}）。"
            "请升级本软件后再打开，文件未做任何改动。"
        )
    if current == 0:
        foreign = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if not r[0].startswith(("sqlite_", "items_fts", "applications_fts", "complaints_fts"))
        ]
        if foreign:
            raise DatabaseOpenError(
                "这个文件是别的程序的数据库，不是政务公开台账的数据库。请选择正确的文件，文件未做任何改动。"
            )
    for version, _desc, step in MIGRATIONS:
        if version <= current:
            continue
        with transaction(db):
            step(db)
            db.execute(f"PRAGMA user_version = {version}")
    return current
