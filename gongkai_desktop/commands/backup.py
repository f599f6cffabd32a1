"""`gongkai backup`, `gongkai restore`, `gongkai check`: the database's safety (issue 9).

    gongkai backup --db FILE [-o OUT.db | -o FOLDER] [--list]
    gongkai restore --db FILE BACKUP.db
    gongkai check --db FILE

None of them migrates the file: `backup` copies it as it is, `check` opens it read-only,
`restore` first backs up the current file. `check` exits with 1 when it finds a problem.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..core import backup, db_check
from ..core.errors import UserError

EXIT_PROBLEM = 1


def _db_arg(p) -> None:
    # SUPPRESS: `gongkai --db F backup` keeps the top-level value
    p.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS, help="数据库文件")


def _db_path(args) -> Path:
    if not getattr(args, "db", None):
        raise UserError("请用 --db 指定数据库文件。")
    path = Path(args.db).expanduser()
    if not path.is_file():
        raise UserError(f"找不到数据库文件“{path}”，请检查路径。")
    return path


def register_backup(sub) -> None:
    p = sub.add_parser("backup", help="备份数据库（经完整性检查后才算完成）")
    _db_arg(p)
    p.add_argument(
        "-o", "--output", metavar="OUT",
        help="备份文件名（.db），或备份文件夹；默认为数据库旁的“<名称>_备份”文件夹",
    )  # fmt: skip
    p.add_argument("--list", action="store_true", help="列出已有的备份，不做新备份")
    p.set_defaults(run=run_backup)


def register_restore(sub) -> None:
    p = sub.add_parser("restore", help="从备份恢复数据库（先备份当前文件）")
    _db_arg(p)
    p.add_argument("backup", metavar="BACKUP", help="要恢复的备份文件")
    p.set_defaults(run=run_restore)


def register_check(sub) -> None:
    p = sub.add_parser("check", help="检查数据库：完整性、外键、数据版本（有问题时退出码为 1）")
    _db_arg(p)
    p.set_defaults(run=run_check)


def run_backup(args) -> int:
    path = _db_path(args)
    if args.list:
        folder = backup.default_folder(path)
        found = backup.list_backups(folder, path.stem)
        print(f"备份文件夹：{folder}（共 {len(found)} 个）")
        for b in found:
            print(f"{b['taken_at']:%Y-%m-%d %H:%M:%S}  {backup.size_text(b['size']):>9}  "
                  f"{b['reason']}  {b['path'].name}")  # fmt: skip
        return 0
    started = time.perf_counter()
    out = Path(args.output).expanduser() if args.output else None
    if out is None or out.is_dir():
        made = backup.take(path, out, reason="command")
    else:
        if out.suffix.lower() != ".db":
            out = out.with_name(out.name + ".db")
        made = backup.take_to(path, out)
    seconds = time.perf_counter() - started
    size = backup.size_text(made.stat().st_size)
    print(f"已备份到 {made}（{size}，用时 {seconds:.2f} 秒，完整性检查通过）")
    return 0


def run_restore(args) -> int:
    path = Path(getattr(args, "db", None) or "")
    if not getattr(args, "db", None):
        raise UserError("请用 --db 指定要恢复到的数据库文件。")
    src = Path(args.backup).expanduser()
    safety = backup.restore(path, src)
    print(f"已用备份“{src.name}”恢复数据库 {path}。")
    if safety != path:
        print(f"恢复前的数据库已保存为 {safety}。")
    return 0


def run_check(args) -> int:
    report = db_check.check(_db_path(args))
    for line in report.lines:
        print(line)
    if report.ok:
        print("结论：没有发现问题。")
        return 0
    print(
        f"结论：发现 {report.problems} 个问题，请按上面的提示处理（可用 gongkai restore 从备份恢复）。"
    )
    return EXIT_PROBLEM
