"""`gongkai mail` (issue 8 §3): to a real aiosmtpd server on 127.0.0.1 or as an .eml draft;
without --to the current leading group; the password from GONGKAI_SMTP_PASSWORD; exit 0
only when the server accepted the message, otherwise one Chinese line and exit 2."""

import email
import hashlib
from datetime import date, timedelta
from email.policy import default

import mail_fixtures as fx
import pytest
from mail_fixtures import PASSWORD, USER

from gongkai_desktop.cli import main
from gongkai_desktop.core import organisation
from gongkai_desktop.core.db import connect
from gongkai_desktop.mail import send

smtp_server, auth_server, memory_keyring = fx.smtp_server, fx.auth_server, fx.memory_keyring
SUBJECT = "【政务公开】2026年11月工作台账"


@pytest.fixture
def dbfile(db, tmp_path):
    start = date.today() - timedelta(days=400)
    organisation.add_member(db, "领导小组", "张局长", "局长", "组长", start, is_principal=True,
                            email="zhang@xm.gov.cn")  # fmt: skip
    organisation.add_member(db, "领导小组", "李副局长", "副局长", "副组长", start,
                            email="li@xm.gov.cn")  # fmt: skip
    return str(tmp_path / "t.db")


@pytest.fixture
def attach(tmp_path):
    a = tmp_path / "依申请公开登记台账_2026年11月.xlsx"
    a.write_bytes(bytes(range(256)) * 64)
    return a


def log(dbfile):
    d = connect(dbfile)
    try:
        return send.sent_log(d)
    finally:
        d.conn.close()


def test_smtp_to_the_leading_group_by_default(dbfile, attach, smtp_server, capsys):
    c, inbox = smtp_server
    code = main(["mail", "--db", dbfile, "--subject", SUBJECT, "--attach", str(attach),
                 "--smtp", f"127.0.0.1:{c.port}", "--from", USER])  # fmt: skip
    assert code == 0
    assert "已发送：zhang@xm.gov.cn, li@xm.gov.cn" in capsys.readouterr().out
    (env,) = inbox.envelopes
    assert env.rcpt_tos == ["zhang@xm.gov.cn", "li@xm.gov.cn"]
    msg = email.message_from_bytes(env.original_content, policy=default)
    assert msg["Subject"] == SUBJECT
    (a,) = msg.iter_attachments()
    assert a.get_filename() == attach.name
    assert hashlib.sha256(a.get_content()).digest() == hashlib.sha256(attach.read_bytes()).digest()
    assert "厦门市人力资源和社会保障局" in msg.get_body(("plain",)).get_content()
    assert log(dbfile)[0]["status"] == "sent"


def test_login_with_env_password_and_explicit_to(dbfile, attach, auth_server, monkeypatch):
    c, inbox = auth_server
    monkeypatch.setenv("GONGKAI_SMTP_PASSWORD", PASSWORD)
    code = main(["mail", "--db", dbfile, "--to", "wang@xm.gov.cn", "--to", "zhao@xm.gov.cn",
                 "--subject", SUBJECT, "--body", "请审阅。", "--attach", str(attach),
                 "--smtp", f"127.0.0.1:{c.port}", "--user", USER])  # fmt: skip
    assert code == 0
    assert inbox.envelopes[0].rcpt_tos == ["wang@xm.gov.cn", "zhao@xm.gov.cn"]
    assert inbox.envelopes[0].mail_from == USER


def test_wrong_password_exits_2_with_the_cause(dbfile, attach, auth_server, monkeypatch, capsys):
    c, inbox = auth_server
    monkeypatch.setenv("GONGKAI_SMTP_PASSWORD", "wrong")
    with pytest.raises(SystemExit) as e:
        main(["mail", "--db", dbfile, "--subject", SUBJECT, "--attach", str(attach),
              "--smtp", f"127.0.0.1:{c.port}", "--user", USER])  # fmt: skip
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：认证失败") and err.count("\n") == 1
    assert inbox.envelopes == [] and attach.exists()
    assert log(dbfile)[0]["status"] == "failed"


def test_no_password_anywhere_exits_2(dbfile, attach, auth_server, memory_keyring, capsys):
    c, _ = auth_server
    with pytest.raises(SystemExit) as e:
        main(["mail", "--db", dbfile, "--subject", SUBJECT, "--attach", str(attach),
              "--smtp", f"127.0.0.1:{c.port}", "--user", USER])  # fmt: skip
    assert e.value.code == 2
    assert "GONGKAI_SMTP_PASSWORD" in capsys.readouterr().err


def test_eml_draft(dbfile, attach, tmp_path, capsys):
    out = tmp_path / "草稿.eml"
    assert main(["mail", "--db", dbfile, "--subject", SUBJECT, "--attach", str(attach),
                 "--eml", str(out)]) == 0  # fmt: skip
    assert "已存为草稿" in capsys.readouterr().out
    msg = email.message_from_bytes(out.read_bytes(), policy=default)
    assert msg["X-Unsent"] == "1" and msg["Subject"] == SUBJECT and msg["From"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == ["zhang@xm.gov.cn", "li@xm.gov.cn"]
    assert log(dbfile)[0]["status"] == "saved"


@pytest.mark.parametrize(
    "extra, words",
    [(["--smtp", "smtp.xm.gov.cn"], "服务器:端口"),
     (["--eml", "x.eml", "--to", "abc"], "“abc”不是有效的邮箱地址"),
     (["--eml", "x.eml", "--attach", "无此文件.pdf"], "找不到附件")],
)  # fmt: skip
def test_bad_input_is_one_chinese_line(dbfile, attach, extra, words, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["mail", "--db", dbfile, "--subject", SUBJECT, "--attach", str(attach), *extra])
    assert e.value.code == 2 and words in capsys.readouterr().err
    assert not (tmp_path / "x.eml").exists()


def test_no_leading_group_email(db, tmp_path, attach, capsys):
    with pytest.raises(SystemExit):
        main(["mail", "--db", str(tmp_path / "t.db"), "--subject", SUBJECT,
              "--attach", str(attach), "--eml", str(tmp_path / "x.eml")])  # fmt: skip
    assert "没有收件人" in capsys.readouterr().err
