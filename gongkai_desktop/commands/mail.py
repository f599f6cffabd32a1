"""`gongkai mail`: send files to the leading group (发送给领导小组), or save an .eml draft.

    gongkai mail --db FILE [--to ADDR ...] --subject TEXT --attach FILE ...
                 (--smtp HOST:PORT [--starttls|--ssl] [--user U] [--from ADDR] | --eml OUT.eml)

Without --to, the current leading group (机构与会议). The password comes from the system
keyring (saved in 工具 → 邮件设置) or GONGKAI_SMTP_PASSWORD. Exit 0 only when the server
accepted the message (or the draft was written); every failure is one Chinese line, exit 2.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ..core.errors import UserError
from ..mail import compose, send, settings
from ..mail.settings import SmtpSettings
from .common import opened_db


def register(sub) -> None:
    p = sub.add_parser("mail", help="把台账等文件发送给领导小组（SMTP），或存为 .eml 草稿")
    p.add_argument("--db", required=True, metavar="FILE", help="数据库文件")
    p.add_argument("--to", action="append", default=[], metavar="ADDR",
                   help="收件人（可重复；不写则发给领导小组现任成员）")  # fmt: skip
    p.add_argument("--subject", required=True, metavar="TEXT", help="邮件主题")
    p.add_argument("--body", metavar="TEXT", help="正文（不写则用模板）")
    p.add_argument("--attach", action="extend", nargs="+", default=[], metavar="FILE",
                   help="附件（可写多个）")  # fmt: skip
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--smtp", metavar="HOST:PORT", help="经邮件服务器发送")
    how.add_argument("--eml", metavar="OUT.eml", help="存为草稿，用 Outlook、Foxmail 打开后发送")
    enc = p.add_mutually_exclusive_group()
    enc.add_argument("--starttls", action="store_true", help="用 STARTTLS 加密（一般端口 587）")
    enc.add_argument("--ssl", action="store_true", help="用 SSL 加密（一般端口 465）")
    p.add_argument("--user", metavar="U", help="登录账号（不写则不登录）")
    p.add_argument(
        "--from", dest="sender", metavar="ADDR", help="发件人（默认为账号或邮件设置中的发件人）"
    )
    p.set_defaults(run=run)


def _smtp_settings(args, saved: SmtpSettings) -> SmtpSettings:
    host, sep, port = args.smtp.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise UserError(
            f"--smtp“{args.smtp}”格式不对，请写成 服务器:端口，例如 smtp.xm.gov.cn:465。"
        )
    port_no = int(port)
    if args.ssl:
        security = "ssl"
    elif args.starttls:
        security = "starttls"
    else:  # the port says it when no flag does
        security = {465: "ssl", 587: "starttls"}.get(port_no, "none")
    user = args.user if args.user is not None else (saved.user if saved.host == host else "")
    sender = args.sender or (user if "@" in user else "") or saved.sender
    s = SmtpSettings(host, port_no, security, user, sender or "", saved.size_limit_mb,
                     saved.timeout)  # fmt: skip
    return settings.validate(s)


def run(args) -> int:
    with opened_db(args.db) as db:
        paths = [Path(a) for a in args.attach]
        for p in paths:
            if not p.is_file():
                raise UserError(f"找不到附件“{p}”，请核对路径。")
        to = args.to or compose.default_recipients(db, date.today())
        if not to:
            raise UserError("没有收件人：领导小组现任成员都没有登记邮箱。请用 --to 指定，"
                            "或在“机构与会议”中为成员填写电子邮箱。")  # fmt: skip
        body = args.body if args.body is not None else compose.render_template(
            db, "", None, attachments=paths)[1]  # fmt: skip
        saved = settings.load(db)
        if args.eml:
            sender = args.sender or saved.from_address  # "": the mail client fills it in
            msg = compose.build_message(sender, to, args.subject, body, paths)
            out = send.save_eml(db, msg, args.eml)
            print(f"已存为草稿：{out}（收件人 {len(compose.parse_recipients(to))} 人，"
                  f"附件 {len(paths)} 个）")  # fmt: skip
            return 0
        s = _smtp_settings(args, saved)
        compose.check_size(paths, s.size_limit_mb)
        msg = compose.build_message(s.from_address, to, args.subject, body, paths)
        log_id = send.send_smtp(db, s, msg, settings.get_password(s) if s.user else None)
        row = next(r for r in send.sent_log(db, 5) if r["id"] == log_id)
        print(f"已发送：{', '.join(row['recipients'])}（附件 {len(paths)} 个，发送记录 #{log_id}）")
        if row["error"]:
            print(f"注意：{row['error']}", file=sys.stderr)
        return 0
