"""The `gongkai` command contract (issue: CLI): version, deadline, errors as one Chinese line, exit 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import run_cli

from gongkai_desktop import __version__
from gongkai_desktop.core import db as dbm
from gongkai_desktop.core import migrations


def test_version(capsys):
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and __version__ in out and "政务公开台账" in out


def test_deadline_json_is_exactly_one_object(capsys):
    code, out, err = run_cli(capsys, "deadline", "2026-09-25", "--working-days", "20", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert set(d) == {"start", "working_days", "due", "skipped", "provisional"}
    assert (d["start"], d["working_days"], d["due"], d["provisional"]) == ("2026-09-25", 20, "2026-10-29", False)
    skipped = [s["date"] for s in d["skipped"]]
    # every non-working day from the day after start to due: weekends + Oct 1–7 (Oct 10 is a make-up workday)
    assert skipped[:2] == ["2026-09-26", "2026-09-27"]
    assert all(f"2026-10-0{i}" in skipped for i in range(1, 8))
    assert "2026-10-10" not in skipped
    assert all(s["reason"] for s in d["skipped"])


def test_deadline_text_explains_itself(capsys):
    code, out, _ = run_cli(capsys, "deadline", "2026-02-10", "--working-days", "20")
    assert code == 0 and "2026-03-16" in out and "春节" in out


def test_deadline_in_year_without_schedule_is_provisional(capsys):
    code, out, _ = run_cli(capsys, "deadline", "2027-03-01", "--working-days", "20", "--json")
    assert code == 0 and json.loads(out)["provisional"] is True


def test_deadline_uses_the_clerks_calendar_from_db(capsys, tmp_path):
    path = tmp_path / "cal.db"
    d = dbm.connect(path)
    with dbm.transaction(d):
        d.execute("INSERT INTO calendar_entries(day, kind, name) VALUES ('2027-03-02', '放假', '测试假日')")
    d.conn.close()
    _, plain, _ = run_cli(capsys, "deadline", "2027-03-01", "--working-days", "1", "--json")
    _, mine, _ = run_cli(capsys, "deadline", "2027-03-01", "--working-days", "1", "--json", "--db", str(path))
    assert json.loads(plain)["due"] == "2027-03-02"
    assert json.loads(mine)["due"] == "2027-03-03"
    assert json.loads(mine)["provisional"] is False


def test_db_path_that_does_not_exist_is_created(capsys, tmp_path):
    path = tmp_path / "new" / "fresh.db"
    code, _, _ = run_cli(capsys, "deadline", "2026-09-25", "--working-days", "1", "--db", str(path))
    assert code == 0 and path.exists()


@pytest.mark.parametrize("argv, fragment", [
    (["deadline", "2026-13-01", "--working-days", "20"], "无法识别"),
    (["deadline", "2026-09-25"], "缺少必填参数"),
    (["deadline", "2026-09-25", "--working-days", "x"], "参数错误"),
    (["deadline", "2026-09-25", "--working-days", "0"], "1 到 1000"),
    (["no-such-command"], "参数错误"),
])
def test_bad_arguments_one_chinese_line_exit_2(capsys, argv, fragment):
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_newer_schema_and_garbage_file_exit_2(capsys, tmp_path):
    newer = tmp_path / "newer.db"
    d = dbm.connect(newer)
    d.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    d.conn.close()
    code, _, err = run_cli(capsys, "deadline", "2026-09-25", "--working-days", "1", "--db", str(newer))
    assert code == 2 and "更新版本" in err and err.count("\n") == 1
    junk = tmp_path / "junk.db"
    junk.write_text("不是数据库" * 500, encoding="utf-8")
    code, _, err = run_cli(capsys, "deadline", "2026-09-25", "--working-days", "1", "--db", str(junk))
    assert code == 2 and "不是本软件的数据库" in err


def test_real_process_error_has_no_traceback(tmp_path):
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    p = subprocess.run([sys.executable, "-m", "gongkai_desktop", "deadline", "bad", "--working-days", "3"],
                       capture_output=True, text=True, cwd=tmp_path, env=env)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and p.stderr.strip().startswith("错误：")
