"""发送给领导小组, 邮件设置 and 发送记录 dialogs (pytest-qt, issue 8 §3), with a real
aiosmtpd server on 127.0.0.1 and an in-memory keyring."""

import email
import hashlib
import socket
from datetime import date, timedelta
from email.policy import default

import mail_fixtures as fx
import pytest
from mail_fixtures import PASSWORD, USER

from gongkai_desktop.core import organisation
from gongkai_desktop.mail import send, settings
from gongkai_desktop.mail.settings import SmtpSettings
from gongkai_desktop.ui import mail_dialog, workers
from gongkai_desktop.ui.mail_dialog import MailDialog, open_mail_settings, open_sent_log

smtp_server, auth_server, memory_keyring = fx.smtp_server, fx.auth_server, fx.memory_keyring
SUMMARY = {"items_published": 42, "applications_received": 5}


@pytest.fixture(autouse=True)
def no_modal(monkeypatch):
    monkeypatch.setattr(mail_dialog, "ask_password", lambda *a: pytest.fail("asked password"))
    yield
    workers.wait_all()


@pytest.fixture
def group(db):
    start = date.today() - timedelta(days=400)
    organisation.add_member(db, "领导小组", "张局长", "局长", "组长", start, is_principal=True,
                            email="zhang@xm.gov.cn")  # fmt: skip
    organisation.add_member(db, "领导小组", "李副局长", "副局长", "副组长", start,
                            email="li@xm.gov.cn")  # fmt: skip


@pytest.fixture
def files(tmp_path):
    out = tmp_path / "2026-11-27_2026年11月"
    out.mkdir()
    paths = []
    for i, name in enumerate(
        ["依申请公开登记台账_2026年11月.xlsx", "投诉与意见台账_2026年11月.pdf"]
    ):
        p = out / name
        p.write_bytes(bytes([i]) * 1000 + hashlib.sha256(name.encode()).digest() * 16000)
        paths.append(p)
    return paths


def sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def use_server(db, port, **kw):
    settings.save(db, SmtpSettings("127.0.0.1", port, "none", kw.pop("user", ""), USER, **kw))


def dialog(qtbot, db, files):
    dlg = MailDialog(db, None, attachments=files, period_label="2026年11月", summary=SUMMARY)
    qtbot.addWidget(dlg)
    return dlg


def test_prefilled_from_leading_group_and_template(qtbot, db, group, files):
    dlg = dialog(qtbot, db, files)
    assert dlg.recipients.text() == "zhang@xm.gov.cn; li@xm.gov.cn"
    assert dlg.subject.text() == "【政务公开】2026年11月工作台账"
    assert "已公开事项：42" in dlg.body.toPlainText()
    rows = [(dlg.tree.topLevelItem(i).text(0), dlg.tree.topLevelItem(i).text(1))
            for i in range(dlg.tree.topLevelItemCount())]  # fmt: skip
    assert rows == [(files[0].name, "501 KB"), (files[1].name, "501 KB")]
    assert "共 2 个附件" in dlg.size_label.text() and "上限 20 MB" in dlg.size_label.text()
    assert "尚未设置邮件服务器" in dlg.server_label.text()
    dlg.buttons["send"].click()
    assert "尚未设置邮件服务器" in dlg.error.text()
    use_server(db, 25)
    dlg.recipients.setText("")
    dlg.buttons["send"].click()
    assert "请至少填写一个收件人" in dlg.error.text()
    dlg.recipients.setText("zhang@xm.gov.cn, 李")
    dlg.buttons["send"].click()
    assert "“李”不是有效的邮箱地址" in dlg.error.text()


def test_send_reaches_the_server_and_is_logged(qtbot, db, group, files, smtp_server):
    c, inbox = smtp_server
    use_server(db, c.port)
    dlg = dialog(qtbot, db, files)
    dlg.recipients.setText("zhang@xm.gov.cn; 王科长 <wang@xm.gov.cn>")
    with qtbot.waitSignal(dlg.sent, timeout=10000) as sig:
        dlg.buttons["send"].click()
    (env,) = inbox.envelopes
    assert env.rcpt_tos == ["zhang@xm.gov.cn", "wang@xm.gov.cn"]
    msg = email.message_from_bytes(env.original_content, policy=default)
    assert msg["Subject"] == "【政务公开】2026年11月工作台账"
    assert {a.get_filename(): sha(a.get_content()) for a in msg.iter_attachments()} == {
        p.name: sha(p.read_bytes()) for p in files
    }
    assert "已把邮件发送给 2 位收件人" in dlg.status.text() and dlg.error.text() == ""
    assert [r["id"] for r in send.sent_log(db)] == sig.args[0]
    assert dlg.buttons["send"].isEnabled()


def test_failure_keeps_files_and_the_draft_still_works(qtbot, db, group, files, tmp_path,
                                                       monkeypatch):  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    use_server(db, port)
    before = [sha(p.read_bytes()) for p in files]
    dlg = dialog(qtbot, db, files)
    job = dlg.send()
    assert job.wait(10000)
    assert dlg.error.text().startswith("连接被拒绝") and "存为草稿" in dlg.error.text()
    assert dlg.buttons["send"].isEnabled() and dlg.buttons["eml"].isEnabled()
    assert [sha(p.read_bytes()) for p in files] == before
    out = tmp_path / "草稿" / "十一月台账.eml"
    monkeypatch.setattr(mail_dialog, "ask_save_path", lambda parent, suggested: str(out))
    dlg.buttons["eml"].click()
    back = email.message_from_bytes(out.read_bytes(), policy=default)
    assert back["X-Unsent"] == "1" and back["Subject"] == "【政务公开】2026年11月工作台账"
    assert "已存为草稿：十一月台账.eml" in dlg.status.text()
    assert [(r["method"], r["status"]) for r in send.sent_log(db)] == [
        ("eml", "saved"),
        ("smtp", "failed"),
    ]


def test_over_limit_split_sends_two_mails(qtbot, db, group, files, smtp_server):
    c, inbox = smtp_server
    use_server(db, c.port, size_limit_mb=1)
    dlg = dialog(qtbot, db, files)
    assert "超过邮件大小上限 1 MB" in dlg.size_label.text()
    assert dlg.buttons["zip"].isEnabled() and dlg.buttons["split"].isEnabled()
    dlg.send()
    assert "超过邮件大小上限" in dlg.error.text() and inbox.envelopes == []
    dlg.buttons["split"].click()
    assert dlg.tree.topLevelItemCount() == 2 and dlg.tree.topLevelItem(0).text(0) == "第 1/2 封"
    assert dlg.send().wait(10000)
    subjects = [m["Subject"] for m in inbox.messages()]
    assert subjects == [
        "【政务公开】2026年11月工作台账（1/2）",
        "【政务公开】2026年11月工作台账（2/2）",
    ]
    assert "已把2 封邮件发送给 2 位收件人" in dlg.status.text()


def test_zip_replaces_the_attachments_and_keeps_the_files(qtbot, db, group, files):
    dlg = dialog(qtbot, db, files)
    assert dlg.zip().wait(10000)
    (zipped,) = dlg.paths
    assert zipped.name == "【政务公开】2026年11月工作台账.zip" and zipped.parent == files[0].parent
    assert all(p.exists() for p in files)
    assert "已压缩为" in dlg.status.text() and "原文件保留不动" in dlg.status.text()
    assert dlg.tree.topLevelItem(0).text(0) == zipped.name


def test_settings_dialog_saves_password_to_keyring_and_tests(qtbot, db, auth_server,
                                                             memory_keyring):  # fmt: skip
    c, _ = auth_server
    dlg = open_mail_settings(None, db)
    qtbot.addWidget(dlg)
    dlg.host.setText("127.0.0.1")
    dlg.security.setCurrentIndex(dlg.security.findData("starttls"))
    assert dlg.port.value() == 587  # follows the usual port
    dlg.security.setCurrentIndex(dlg.security.findData("none"))
    dlg.port.setValue(c.port)
    dlg.user.setText(USER)
    dlg.sender.setText(USER)
    dlg.password.setText("wrong")
    assert dlg.test().wait(10000)
    assert dlg.error.text().startswith("认证失败")
    dlg.password.setText(PASSWORD)
    assert dlg.test().wait(10000)
    assert dlg.status.text().startswith("连接成功") and dlg.error.text() == ""
    dlg.save_button.click()
    assert dlg.result() == dlg.DialogCode.Accepted
    s = settings.load(db)
    assert (s.host, s.port, s.security, s.user) == ("127.0.0.1", c.port, "none", USER)
    assert memory_keyring.store == {("gongkai_desktop", f"{USER}@127.0.0.1"): PASSWORD}
    values = " ".join(str(r) for r in db.execute("SELECT value FROM settings").fetchall())
    assert PASSWORD not in values


def test_settings_dialog_refuses_bad_input(qtbot, db):
    dlg = open_mail_settings(None, db)
    qtbot.addWidget(dlg)
    dlg.host.setText("")
    dlg.save_button.click()
    assert "服务器地址" in dlg.error.text() and settings.load(db).host == ""


def test_sent_log_shows_each_attachment_sha256(qtbot, db, group, files, tmp_path):
    from gongkai_desktop.mail import compose

    msg = compose.build_message(USER, ["zhang@xm.gov.cn"], "【政务公开】2026年11月工作台账",
                                "x", files)  # fmt: skip
    send.save_eml(db, msg, tmp_path / "a.eml")
    dlg = open_sent_log(None, db)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    cells = [dlg.table.item(0, j).text() for j in range(dlg.table.columnCount())]
    assert cells[1:5] == [
        "草稿(.eml)",
        "已存草稿",
        "zhang@xm.gov.cn",
        "【政务公开】2026年11月工作台账",
    ]
    got = [(dlg.files.item(i, 0).text(), dlg.files.item(i, 2).text())
           for i in range(dlg.files.rowCount())]  # fmt: skip
    assert got == [(p.name, sha(p.read_bytes())) for p in files]


def test_split_send_failing_halfway_retries_only_the_rest(qtbot, db, group, files, smtp_server):
    c, inbox = smtp_server
    use_server(db, c.port, size_limit_mb=1)
    inbox.accept_data = 1
    dlg = dialog(qtbot, db, files)
    dlg.split()
    assert dlg.send().wait(10000)
    assert dlg.error.text().startswith("第 2/2 封没有发出：服务器拒收邮件内容")
    assert "压缩为zip" in dlg.error.text() and "已发出的 1 封不会重发" in dlg.error.text()
    assert dlg.tree.topLevelItem(0).text(0) == "第 1/2 封（已发出）"
    inbox.accept_data = 10
    assert dlg.send().wait(10000)
    subjects = [m["Subject"] for m in inbox.messages()]
    assert subjects == [
        "【政务公开】2026年11月工作台账（1/2）",
        "【政务公开】2026年11月工作台账（2/2）",
    ]
    assert [r["status"] for r in send.sent_log(db)] == ["sent", "failed", "sent"]
