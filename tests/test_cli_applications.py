"""`gongkai export/import applications` and `gongkai letter`: exit codes, summaries, one-line
errors, and the letter PDF read back."""

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from support import one_chinese_line, run_cli, with_subcommand

from gongkai_desktop.commands import letter
from gongkai_desktop.core import applications as A
from gongkai_desktop.core import profile
from gongkai_desktop.core.db import connect

PAST = date(2026, 3, 20)  # the steps below happen before any day these tests run


@pytest.fixture(autouse=True)
def with_letter_command(monkeypatch):
    with_subcommand(monkeypatch, "letter", letter.register)


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "office.db"
    d = connect(path)
    profile.save(
        d,
        profile.UnitProfile(
            unit_name="厦门市人力资源和社会保障局",
            fonds_no="X001",
            operator="张三",
            doc_prefix="厦人社",
        ),
    )
    base = {"applicant_type": "自然人", "phone": "1380000", "channel": "当面"}
    a = A.create(
        d,
        base
        | {
            "applicant_name": "王五",
            "received_date": "2026-02-10",
            "content": "2025年就业补贴发放名单",
        },
        today=PAST,
    )
    A.request_supplement(d, a, "2026-02-12", "请写明补贴的年份", "2026-03-05", "李四", today=PAST)
    A.receive_supplement(d, a, "2026-02-25", "李四", today=PAST)
    A.answer(
        d,
        a,
        answer_type=3,
        result="不予公开",
        reason="属于国家秘密",
        answer_date="2026-03-16",
        who="李四",
        today=PAST,
    )
    A.create(
        d,
        base
        | {"applicant_name": "林志强", "received_date": "2026-03-02", "content": "工伤认定决定书"},
        today=PAST,
    )
    d.conn.close()
    return path


def pdf_text(path) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_export_writes_the_ledger_and_says_so(capsys, tmp_path, db_file):
    out = tmp_path / "依申请公开台账.xlsx"
    code, stdout, err = run_cli(
        capsys, "export", "applications", "--db", db_file, "--year", 2026, "-o", out
    )
    assert code == 0 and err == ""
    assert stdout.strip() == f"已导出 2026 年 2 件依申请公开申请到 {out}"
    ws = load_workbook(out).active
    assert [ws.cell(r, 4).value for r in (3, 4)] == ["王五", "林志强"]
    assert ws.cell(3, 13).value == "不予公开/属于国家秘密"


def test_import_round_trip_into_a_new_database(capsys, tmp_path, db_file):
    out = tmp_path / "a.xlsx"
    run_cli(capsys, "--db", db_file, "export", "applications", "--year", 2026, "-o", out)
    fresh = tmp_path / "fresh.db"
    code, stdout, err = run_cli(capsys, "import", "applications", "--db", fresh, out)
    assert code == 0 and err == "" and "导入 2 件依申请公开申请" in stdout
    again = tmp_path / "b.xlsx"
    assert (
        run_cli(capsys, "export", "applications", "--db", fresh, "--year", 2026, "-o", again)[0]
        == 0
    )
    rows = lambda p: list(load_workbook(p).active.iter_rows(min_row=3, values_only=True))  # noqa: E731
    assert rows(again) == rows(out)


def test_import_errors_are_one_line_and_exit_2(capsys, tmp_path, db_file):
    wb = Workbook()
    wb.active.append(["申请编号", "收到日期", "申请人类型", "申请人", "申请方式", "申请内容"])
    wb.active.append(["2026-0001", "2026-03-01", "自然人", "赵六", "当面", "重复的编号"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    code, stdout, err = run_cli(capsys, "import", "applications", "--db", db_file, bad)
    assert code == 2 and stdout == "" and one_chinese_line(err)
    assert "第2行“申请编号”：“2026-0001”已经登记在本数据库中" in err
    code, _, err = run_cli(
        capsys, "import", "applications", "--db", db_file, tmp_path / "none.xlsx"
    )
    assert code == 2 and one_chinese_line(err) and "找不到文件" in err


def test_export_bad_year_is_one_line(capsys, tmp_path, db_file):
    code, _, err = run_cli(
        capsys, "export", "applications", "--db", db_file, "--year", 99, "-o", tmp_path / "x.xlsx"
    )
    assert code == 2 and one_chinese_line(err) and "年份" in err


def test_letter_receipt_pdf_has_applicant_doc_no_and_due_date(capsys, tmp_path, db_file):
    out = tmp_path / "回执.pdf"
    code, stdout, err = run_cli(
        capsys, "letter", "2026-0002", "--db", db_file, "--kind", "receipt", "-o", out
    )
    assert code == 0 and err == ""
    assert stdout.strip() == f"已生成《登记回执》（厦人社依申〔2026〕1号）：{out}"
    text = pdf_text(out)
    assert "林志强" in text and "厦人社依申〔2026〕1号" in text
    assert "2026年3月30日" in text  # 2026-03-02 + 20 working days
    d = connect(db_file)
    stored = A.letters(d, A.get_by_no(d, "2026-0002")["id"])
    assert [(x["kind"], x["doc_no"]) for x in stored] == [("receipt", "厦人社依申〔2026〕1号")]
    d.conn.close()


def test_letter_answer_follows_the_answer_type_and_numbers_go_on(capsys, tmp_path, db_file):
    run_cli(
        capsys,
        "letter",
        "2026-0001",
        "--db",
        db_file,
        "--kind",
        "supplement",
        "-o",
        tmp_path / "s.pdf",
    )
    out = tmp_path / "答复"  # .pdf is added
    code, stdout, _ = run_cli(
        capsys, "letter", "2026-0001", "--db", db_file, "--kind", "answer", "-o", out
    )
    assert code == 0 and "《答复告知书（不予公开）》（厦人社依申〔2026〕2号）" in stdout
    text = pdf_text(tmp_path / "答复.pdf")
    assert "王五" in text and "属于国家秘密" in text and "厦门市人民政府" in text
    assert "请写明补贴的年份" in pdf_text(tmp_path / "s.pdf")


@pytest.mark.parametrize(
    ("app_no", "kind", "message"),
    [
        ("2026-0002", "supplement", "没有发出补正告知，无法生成补正告知书"),
        ("2026-0002", "answer", "尚未答复，没有答复告知书"),
        ("2026-0002", "fee", "没有发出收费通知"),
        ("2026-0099", "receipt", "找不到申请编号“2026-0099”"),
    ],
)
def test_letter_without_its_step_is_one_line_exit_2(
    capsys, tmp_path, db_file, app_no, kind, message
):
    out = tmp_path / "x.pdf"
    code, stdout, err = run_cli(
        capsys, "letter", app_no, "--db", db_file, "--kind", kind, "-o", out
    )
    assert code == 2 and stdout == "" and one_chinese_line(err) and message in err
    assert not out.exists()


def test_letter_unknown_kind_is_refused(capsys, tmp_path, db_file):
    code, _, err = run_cli(
        capsys, "letter", "2026-0001", "--db", db_file, "--kind", "thanks", "-o", tmp_path / "x.pdf"
    )
    assert code == 2 and one_chinese_line(err)
