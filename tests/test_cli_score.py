"""`gongkai score --db F --year Y --json`: exactly the object of issue 6, and a Chinese error."""

from __future__ import annotations

import json

import pytest
from support import run_cli, with_subcommand

from gongkai_desktop.commands import score
from gongkai_desktop.core import assessment as A
from gongkai_desktop.core import assessment_suggest as S
from gongkai_desktop.core import profile
from gongkai_desktop.core.db import connect


@pytest.fixture(autouse=True)
def with_score_command(monkeypatch):
    with_subcommand(monkeypatch, "score", score.register)


@pytest.fixture
def dbfile(tmp_path):
    path = tmp_path / "s.db"
    db = connect(path)
    profile.save(db, profile.UnitProfile(unit_name="厦门市人力资源和社会保障局", fonds_no="X001",
                                         operator="张三"))  # fmt: skip
    aid = A.open_assessment(db, 2026)
    A.set_score(db, aid, 1, 2)
    A.set_score(db, aid, 5, 4.5, note="裁量标准未全部公开")
    A.set_score(db, aid, 39, 2)
    A.set_score(db, aid, 44, 2)
    db.conn.close()
    return path


def test_score_json_is_the_issue_object(capsys, dbfile, monkeypatch):
    monkeypatch.setattr(
        S, "suggest",
        lambda db, year, t, today=None: {1: S.Suggestion(1, 2.0, "领导小组组长为主要负责人")},
    )  # fmt: skip
    code, out, err = run_cli(capsys, "score", "--db", dbfile, "--year", 2026, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["template", "items", "groups", "bonus", "total"]
    assert data["template"] == "fujian"
    assert len(data["items"]) == 45
    assert data["items"][0] == {"no": 1, "group": "组织机构与职责", "max": 2, "score": 2,
                                "suggested": 2.0, "reason": "领导小组组长为主要负责人"}  # fmt: skip
    assert data["items"][1] == {"no": 2, "group": "组织机构与职责", "max": 2, "score": None,
                                "suggested": None, "reason": ""}  # fmt: skip
    assert data["groups"][:2] == [
        {"name": "组织机构与职责", "max": 10, "score": 2},
        {"name": "公开内容", "max": 38, "score": 4.5},
    ]
    assert len(data["groups"]) == 6
    assert data["bonus"] == {"raw": 4, "counted": 4}
    assert data["total"] == 10.5


def test_score_with_real_suggestions_and_no_assessment_yet(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "score", "--db", tmp_path / "new.db", "--year", 2026, "--json")
    assert code == 0
    data = json.loads(out)
    assert all(it["score"] is None for it in data["items"])
    assert all(isinstance(it["reason"], str) for it in data["items"])
    assert data["total"] == 0


def test_unknown_template_is_one_chinese_line(capsys, dbfile):
    code, out, err = run_cli(capsys, "score", "--db", dbfile, "--year", 2026, "--template", "x")
    assert code != 0 and out == ""
    assert "找不到评估表“x”" in err and "Traceback" not in err
