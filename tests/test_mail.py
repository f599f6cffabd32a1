"""发送给领导小组 over SMTP (issue 8 §3), against a real aiosmtpd server on 127.0.0.1.

What the server received is parsed back with email.policy.default: recipients, the
Chinese subject (RFC 2047), the Chinese attachment names (RFC 2231) and each attachment
byte-identical by SHA-256. Each failure gives its Chinese cause; every attempt is logged;
the attachment files are left as they were."""

import hashlib
import json
import socket
from datetime import date
from pathlib import Path

import mail_fixtures as fx
import pytest
from mail_fixtures import PASSWORD, USER

from gongkai_desktop.core import audit, organisation
from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.mail import compose, send, settings
from gongkai_desktop.mail.send import MailError
from gongkai_desktop.mail.settings import SmtpSettings

smtp_server, auth_server, memory_keyring = fx.smtp_server, fx.auth_server, fx.memory_keyring
SUBJECT = "【政务公开】2026年11月工作台账"
TO = ["zhang@xm.gov.cn", "li@xm.gov.cn"]


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


@pytest.fixture
def files(tmp_path):
    out = tmp_path / "导出"
    out.mkdir()
    a = out / "依申请公开登记台账_2026年11月.xlsx"
    b = out / "政府信息公开工作年度报告（2026年）.pdf"
    a.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 300)
    b.write_bytes(b"%PDF-1.4\n" + "中文内容".encode() * 5000 + b"\n%%EOF")
    return [a, b]


def plain(port, **kw) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, security="none", sender=USER, timeout=5, **kw)


def message(files, to=TO):
    return compose.build_message(USER, to, SUBJECT, "各位领导：\n请审阅。", files)


def test_send_two_chinese_attachments_arrive_byte_identical(db, smtp_server, files):
    c, inbox = smtp_server
    before = {p: (p.stat().st_mtime_ns, sha(p.read_bytes())) for p in files}
    log_id = send.send_smtp(db, plain(c.port), message(files), None)
    assert len(inbox.envelopes) == 1
    env = inbox.envelopes[0]
    assert env.mail_from == USER and sorted(env.rcpt_tos) == sorted(TO)
    got = inbox.messages()[0]
    assert got["Subject"] == SUBJECT
    raw = env.original_content.decode("ascii")  # 7-bit on the wire: encoded words only
    assert "=?utf-8?" in raw and "filename*" in raw
    atts = {a.get_filename(): a.get_content() for a in got.iter_attachments()}
    assert set(atts) == {p.name for p in files}
    for p in files:
        assert sha(atts[p.name]) == sha(p.read_bytes())
    assert got.get_body(("plain",)).get_content().startswith("各位领导")
    xlsx = next(a for a in got.iter_attachments() if a.get_filename().endswith(".xlsx"))
    assert xlsx.get_content_type().endswith("spreadsheetml.sheet")
    # files untouched, log row with each attachment's name, size and SHA-256
    assert before == {p: (p.stat().st_mtime_ns, sha(p.read_bytes())) for p in files}
    (row,) = send.sent_log(db)
    assert row["id"] == log_id and row["status"] == "sent" and row["method"] == "smtp"
    assert row["recipients"] == TO and row["subject"] == SUBJECT and row["operator"] == "张三"
    assert [(a["name"], a["size"], a["sha256"]) for a in row["attachments"]] == [
        (p.name, p.stat().st_size, sha(p.read_bytes())) for p in files
    ]
    assert [h.action for h in audit.history(db, "mail_log", log_id)] == ["insert"]


def test_login_with_password_from_keyring(db, auth_server, files, memory_keyring):
    c, inbox = auth_server
    s = plain(c.port, user=USER)
    settings.set_password(s, PASSWORD)
    assert memory_keyring.store == {("gongkai_desktop", f"{USER}@127.0.0.1"): PASSWORD}
    send.send_smtp(db, s, message(files), settings.get_password(s))
    assert len(inbox.envelopes) == 1
    assert "连接成功" in send.test_connection(s, settings.get_password(s))


def test_env_password_wins_over_keyring(memory_keyring, monkeypatch):
    s = SmtpSettings(host="smtp.xm.gov.cn", user=USER)
    settings.set_password(s, "from-keyring")
    assert settings.get_password(s) == "from-keyring"
    monkeypatch.setenv("GONGKAI_SMTP_PASSWORD", "from-env")
    assert settings.get_password(s) == "from-env"


def test_wrong_password_says_authentication_failed_and_is_logged(db, auth_server, files):
    c, inbox = auth_server
    with pytest.raises(MailError) as e:
        send.send_smtp(db, plain(c.port, user=USER), message(files), "wrong")
    text = str(e.value)
    assert text.startswith("认证失败") and "授权码" in text and "存为草稿" in text
    assert e.value.cause == "auth" and inbox.envelopes == []
    (row,) = send.sent_log(db)
    assert row["id"] == e.value.log_id and row["status"] == "failed" and row["error"] == text
    assert all(p.exists() for p in files)
    with pytest.raises(MailError, match="认证失败"):
        send.test_connection(plain(c.port, user=USER), "wrong")


def test_refused_connection(db, files):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens
    with pytest.raises(MailError) as e:
        send.send_smtp(db, plain(port), message(files), None)
    assert str(e.value).startswith("连接被拒绝") and str(port) in str(e.value)
    assert "端口" in str(e.value) and "存为草稿" in str(e.value)
    assert send.sent_log(db)[0]["status"] == "failed"


def test_timeout_when_the_server_never_answers(db, files):
    with socket.socket() as listener:  # accepts into the backlog, never greets
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        s = plain(listener.getsockname()[1])
        s.timeout = 1
        with pytest.raises(MailError) as e:
            send.send_smtp(db, s, message(files), None)
    assert str(e.value).startswith("超时") and "网络" in str(e.value)
    assert e.value.cause == "timeout"


def test_ssl_against_a_plain_server(db, smtp_server, files):
    c, _ = smtp_server
    s = plain(c.port)
    s.security = "ssl"
    with pytest.raises(MailError) as e:
        send.test_connection(s, None)
    assert str(e.value).startswith("SSL") and "465" in str(e.value) and e.value.cause == "ssl"


def test_starttls_not_offered(smtp_server):
    c, _ = smtp_server
    s = plain(c.port)
    s.security = "starttls"
    with pytest.raises(MailError, match="不支持 STARTTLS"):
        send.test_connection(s, None)


def test_login_without_tls_refused_by_server_says_use_ssl(db, smtp_server, files):
    c, _ = smtp_server  # no AUTH offered
    with pytest.raises(MailError, match="不提供登录"):
        send.send_smtp(db, plain(c.port, user=USER), message(files), PASSWORD)


def test_no_password_anywhere(db, smtp_server, files, memory_keyring):
    c, inbox = smtp_server
    s = plain(c.port, user=USER)
    assert settings.get_password(s) is None
    with pytest.raises(MailError, match="没有邮箱密码.*GONGKAI_SMTP_PASSWORD"):
        send.send_smtp(db, s, message(files), settings.get_password(s))
    assert inbox.envelopes == [] and send.sent_log(db)[0]["status"] == "failed"


def test_all_recipients_refused(db, smtp_server, files):
    c, inbox = smtp_server
    inbox.refuse = set(TO)
    with pytest.raises(MailError) as e:
        send.send_smtp(db, plain(c.port), message(files), None)
    assert str(e.value).startswith("收件人被拒绝") and "zhang@xm.gov.cn" in str(e.value)
    assert inbox.envelopes == []


def test_some_recipients_refused_is_sent_with_a_note(db, smtp_server, files):
    c, inbox = smtp_server
    inbox.refuse = {"li@xm.gov.cn"}
    log_id = send.send_smtp(db, plain(c.port), message(files), None)
    assert inbox.envelopes[0].rcpt_tos == ["zhang@xm.gov.cn"]
    row = send.sent_log(db)[0]
    assert row["id"] == log_id and row["status"] == "sent" and "li@xm.gov.cn" in row["error"]


def test_every_attempt_is_logged_newest_first(db, smtp_server, files):
    c, inbox = smtp_server
    inbox.refuse = set(TO)
    with pytest.raises(MailError):
        send.send_smtp(db, plain(c.port), message(files), None)
    inbox.refuse = set()
    send.send_smtp(db, plain(c.port), message(files), None, who="李四")
    rows = send.sent_log(db)
    assert [r["status"] for r in rows] == ["sent", "failed"]
    assert [r["operator"] for r in rows] == ["李四", "张三"]


# -- settings -------------------------------------------------------------------------------


def test_settings_round_trip_and_audit_without_password(db, memory_keyring):
    s = SmtpSettings("smtp.xm.gov.cn", 587, "starttls", USER, USER, 50, 30)
    settings.save(db, s, who="王五")
    assert settings.load(db) == s
    settings.set_password(s, PASSWORD)
    dump = json.dumps([list(r) for r in db.execute("SELECT * FROM settings").fetchall()])
    dump += json.dumps([list(r) for r in db.execute("SELECT * FROM audit").fetchall()])
    assert PASSWORD not in dump and "授权码" not in dump
    (h,) = audit.history(db, "settings", "mail")
    assert h.who == "王五" and h.after["host"] == "smtp.xm.gov.cn"


@pytest.mark.parametrize(
    "change, words",
    [({"host": ""}, "服务器地址"), ({"port": 0}, "端口"), ({"sender": "abc"}, "发件人"),
     ({"sender": "", "user": "abc"}, "发件人"), ({"size_limit_mb": 0}, "大小上限")],
)  # fmt: skip
def test_bad_settings_are_refused_and_nothing_saved(db, change, words):
    s = SmtpSettings("smtp.xm.gov.cn", 465, "ssl", USER, USER)
    for k, v in change.items():
        setattr(s, k, v)
    with pytest.raises(ValidationError, match=words):
        settings.save(db, s)
    assert settings.load(db) == SmtpSettings()


def test_no_keyring_backend_is_a_chinese_error(monkeypatch):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("GONGKAI_SMTP_PASSWORD", raising=False)
    try:
        s = SmtpSettings(host="smtp.xm.gov.cn", user=USER)
        with pytest.raises(UserError, match="钥匙串.*GONGKAI_SMTP_PASSWORD"):
            settings.set_password(s, PASSWORD)
        assert settings.get_password(s) is None
    finally:
        keyring.set_keyring(before)


# -- composing ------------------------------------------------------------------------------


def test_default_recipients_are_the_current_leading_group(db):
    add = organisation.add_member
    add(db, "领导小组", "张局长", "局长", "组长", "2025-01-01", is_principal=True,
        email="zhang@xm.gov.cn", today=date(2026, 11, 20))  # fmt: skip
    add(db, "领导小组", "李副局长", "副局长", "副组长", "2025-01-01", email="li@xm.gov.cn",
        today=date(2026, 11, 20))  # fmt: skip
    add(db, "工作机构", "王科长", "科长", "成员", "2025-01-01", email="wang@xm.gov.cn",
        today=date(2026, 11, 20))  # fmt: skip
    m = organisation.add_member(db, "领导小组", "赵", "调研员", "成员", "2025-01-01",
                                email="zhao@xm.gov.cn", today=date(2026, 11, 20))  # fmt: skip
    organisation.end_member(db, m, "2026-06-30", today=date(2026, 11, 20))
    assert compose.default_recipients(db, date(2026, 11, 20)) == TO


def test_template_subject_and_summary(db, files):
    summary = {"items_published": 42, "applications_received": 5, "新指标": 3}
    subject, body = compose.render_template(db, "2026年11月", summary, attachments=files,
                                            today=date(2026, 11, 27))  # fmt: skip
    assert subject == SUBJECT
    assert "厦门市人力资源和社会保障局2026年11月政务公开工作台账" in body
    assert "已公开事项：42" in body and "收到依申请公开申请：5" in body
    assert "新指标：3" in body and files[0].name in body and "2026年11月27日" in body
    assert compose.render_template(db, "", None)[0] == "【政务公开】工作台账"
    # the export centre's summary carries its own Chinese lines; dates are not figures
    centre = {"period": "2026年11月", "start": "2026-11-01", "end": "2026-11-30",
              "items_published": 42, "lines": ["已公开事项：42", "收到投诉与意见：1"]}  # fmt: skip
    body = compose.render_template(db, "2026年11月", centre)[1]
    assert "  已公开事项：42\n  收到投诉与意见：1\n" in body and "2026-11-01" not in body


def test_recipients_parsing():
    assert compose.parse_recipients("a@x.cn；张三 <b@x.cn>，a@x.cn; ") == ["a@x.cn", "b@x.cn"]
    with pytest.raises(ValidationError, match="“abc”不是有效的邮箱地址"):
        compose.parse_recipients("a@x.cn, abc")
    with pytest.raises(ValidationError, match="至少填写一个收件人"):
        compose.build_message(USER, [], SUBJECT, "", [])


def test_missing_attachment_names_the_file(tmp_path):
    with pytest.raises(UserError, match="找不到附件.*已被移动"):
        compose.build_message(USER, TO, SUBJECT, "", [tmp_path / "无.xlsx"])


def _blob(path: Path, mb: float) -> Path:
    path.write_bytes(b"\0" * int(mb * compose.MB))
    return path


def test_size_limit_says_the_size_and_offers_zip_or_split(tmp_path):
    big = [_blob(tmp_path / "一.xlsx", 9), _blob(tmp_path / "二.pdf", 8)]
    compose.check_size(big[:1], 20)
    with pytest.raises(UserError) as e:
        compose.check_size(big, 20)
    assert "17.0 MB" in str(e.value) and "20 MB" in str(e.value)
    assert "压缩为zip" in str(e.value) and "分开发送" in str(e.value)


def test_split_keeps_each_mail_under_the_limit(tmp_path):
    paths = [_blob(tmp_path / f"台账{i}.xlsx", mb) for i, mb in enumerate([6, 2, 6, 3, 1])]
    groups = compose.split_attachments(paths, 10)
    assert sorted(p for g in groups for p in g) == sorted(paths)
    assert len(groups) == 3
    for g in groups:
        compose.check_size(g, 10)
    with pytest.raises(UserError, match="台账0.xlsx.*压缩为zip"):
        compose.split_attachments(paths, 5)


def test_zip_round_trip_with_chinese_names(files, tmp_path):
    import zipfile

    out = compose.zip_attachments(files, tmp_path / "导出" / "2026年11月台账.zip")
    again = compose.zip_attachments(files, tmp_path / "导出" / "2026年11月台账.zip")
    assert out.name == "2026年11月台账.zip" and again.name == "2026年11月台账（2）.zip"
    with zipfile.ZipFile(out) as z:
        assert {i.filename: sha(z.read(i)) for i in z.infolist()} == {
            p.name: sha(p.read_bytes()) for p in files
        }
        assert all(i.flag_bits & 0x800 for i in z.infolist())  # UTF-8 names flag
    assert not list(out.parent.glob("*.part"))


def test_mail_package_has_no_qt():
    import ast

    pkg = Path(compose.__file__).parent
    for f in pkg.glob("*.py"):
        tree = ast.parse(f.read_text("utf-8"))
        mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        mods |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(m.startswith("PySide6") for m in mods), f
