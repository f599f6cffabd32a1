"""The `gongkai` command: starts the window, or runs a headless job.

    gongkai [--db FILE | --demo]         open the window
    gongkai demo FILE                    create a demo database
    gongkai deadline DATE --working-days N [--json] [--db FILE]
    gongkai export registry --db FILE --year YEAR -o OUT.xlsx
    gongkai import registry --db FILE IN.xlsx
    gongkai fee --by piece|page --count N [--json]
    gongkai export|import applications ...
    gongkai letter APP_NO --db FILE --kind KIND -o OUT.pdf
    gongkai export complaints|inspections|rectifications --db FILE --year YEAR -o OUT.xlsx
    gongkai report key-inspection --db FILE --year YEAR --half 1|2 -o OUT.pdf
    gongkai annual-report --db FILE --year YEAR (-o OUT.xlsx|OUT.pdf [--draft] | --json)
    gongkai export meetings --db FILE --year YEAR -o OUT.xlsx
    gongkai score --db FILE --year YEAR [--template ID] --json
    gongkai export assessment --db FILE --year YEAR -o OUT.xlsx|OUT.pdf
    gongkai binder --db FILE --year YEAR -o OUT.pdf
    gongkai archive file|catalog|spines|volume --db FILE --year YEAR [-o OUT.pdf]
    gongkai export all --db FILE --year YEAR [--half H | --month M] -o DIR [--zip]
    gongkai backup --db FILE [-o OUT]     back up (verified); restore --db FILE BACKUP; check --db FILE
    gongkai mail --db FILE [--to ADDR ...] --subject TEXT --attach FILE ...
                 (--smtp HOST:PORT [--starttls|--ssl] [--user U] | --eml OUT.eml)

    gongkai --smoke-test [--db FILE]      open the window, exit after the first paint

Errors print one Chinese line on stderr and exit with code 2 (check exits 1 on a problem).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from . import __version__
from .core.errors import UserError

EXIT_USAGE = 2

_ARGPARSE_ZH = [
    ("the following arguments are required", "缺少必填参数"),
    ("unrecognized arguments", "不认识的参数"),
    ("invalid choice", "无效的选项"),
    ("expected one argument", "该参数需要一个值"),
    ("invalid int value", "不是有效的整数"),
    ("argument", "参数"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        for en, zh in _ARGPARSE_ZH:
            message = message.replace(en, zh)
        fail(f"参数错误：{message}。用 gongkai --help 查看用法。")


def fail(message: str) -> None:
    print(f"错误：{message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def _subcommands() -> list[tuple[str, Callable]]:
    from .commands import (
        annual_report,
        archive,
        assessment_io,
        backup,
        deadline,
        demo,
        fee,
        letter,
        mail,
        registry_io,
        report,
        score,
    )

    return [("demo", demo.register), ("deadline", deadline.register),
            ("export", registry_io.register_export), ("import", registry_io.register_import),
            ("fee", fee.register), ("letter", letter.register), ("report", report.register),
            ("annual-report", annual_report.register), ("score", score.register),
            ("binder", assessment_io.register), ("archive", archive.register),
            ("mail", mail.register), ("backup", backup.register_backup),
            ("restore", backup.register_restore), ("check", backup.register_check)]


def build_parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="gongkai", description="政务公开台账")
    p.add_argument("--version", action="version", version=f"政务公开台账 {__version__}")
    p.add_argument("--db", metavar="FILE", help="打开指定的数据库文件（不存在则新建）")
    p.add_argument("--demo", action="store_true", help="打开演示数据库")
    p.add_argument(
        "--smoke-test", action="store_true", help="打开主窗口，显示后立即退出（安装包自检）"
    )
    sub = p.add_subparsers(dest="command", parser_class=ChineseArgumentParser)
    for _name, register in _subcommands():
        register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command:
            return int(args.run(args) or 0)
        if args.smoke_test:
            from .ui.smoke import run_smoke_test

            return run_smoke_test(args.db)
        from .ui.app import run_gui  # Qt only for the window

        return run_gui(db_path=args.db, demo=args.demo)
    except UserError as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail("已取消。")
    except OSError as e:
        fail(f"无法读写文件“{e.filename or ''}”：{e.strerror or e}。请检查路径和权限。")
    except Exception as e:  # never a traceback for the clerk
        print(f"错误：程序内部错误（{type(e).__name__}: {e}）。请把这一行发给维护人员。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
