"""存为草稿(.eml) (issue 8 §3): for offices where SMTP is blocked. The draft parses back
with the email package (Chinese subject and file names, attachments byte-identical),
carries X-Unsent: 1 so Outlook opens it as an editable draft, is written atomically and
logged as 'saved'."""

import email
import hashlib
from email.policy import default

import pytest

from gongkai_desktop.core.errors import UserError
from gongkai_desktop.mail import compose, send

SUBJECT = "【政务公开】2026年上半年工作台账"


@pytest.fixture
def files(tmp_path):
    a = tmp_path / "主动公开登记台账_2026年上半年.xlsx"
    b = tmp_path / "投诉与意见台账（2026年上半年）.pdf"
    a.write_bytes(bytes(range(256)) * 100)
    b.write_bytes("投诉".encode() * 999)
    return [a, b]


def test_eml_parses_back_with_x_unsent(db, files, tmp_path):
    msg = compose.build_message("gk@xm.gov.cn", ["张局长 <zhang@xm.gov.cn>", "li@xm.gov.cn"],
                                SUBJECT, "各位领导：\n附件为上半年台账。", files)  # fmt: skip
    out = send.save_eml(db, msg, tmp_path / "草稿" / "上半年台账")
    assert out == tmp_path / "草稿" / "上半年台账.eml"
    raw = out.read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # 7-bit, CRLF: opens in Outlook and Foxmail
    back = email.message_from_bytes(raw, policy=default)
    assert back["X-Unsent"] == "1"
    assert back["Subject"] == SUBJECT
    assert [a.addr_spec for a in back["To"].addresses] == ["zhang@xm.gov.cn", "li@xm.gov.cn"]
    assert back["To"].addresses[0].display_name == "张局长"
    body = back.get_body(("plain",)).get_content()  # canonical CRLF inside base64
    assert body.replace("\r\n", "\n") == "各位领导：\n附件为上半年台账。\n"
    got = {a.get_filename(): hashlib.sha256(a.get_content()).hexdigest()
           for a in back.iter_attachments()}  # fmt: skip
    assert got == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert "X-Unsent" not in msg  # the message itself stays sendable
    (row,) = send.sent_log(db)
    assert (row["method"], row["status"], row["subject"]) == ("eml", "saved", SUBJECT)
    assert row["recipients"] == ["zhang@xm.gov.cn", "li@xm.gov.cn"]
    assert [a["name"] for a in row["attachments"]] == [p.name for p in files]
    assert sorted(p.name for p in out.parent.iterdir()) == ["上半年台账.eml"]  # no temp left


def test_unwritable_folder_is_a_chinese_error_and_nothing_logged(db, files, tmp_path):
    blocker = tmp_path / "是文件"
    blocker.write_text("x")
    msg = compose.build_message("gk@xm.gov.cn", ["li@xm.gov.cn"], SUBJECT, "", files)
    with pytest.raises(UserError, match="无法写入草稿.*换一个文件夹"):
        send.save_eml(db, msg, blocker / "a.eml")
    assert send.sent_log(db) == []
