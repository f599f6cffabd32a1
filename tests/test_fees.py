"""信息处理费 by 国办函〔2020〕109号 (RULES.md §3 Fees): both methods at every boundary,
the data file's checks, and `gongkai fee`."""

import copy
import json

import pytest
from support import with_subcommand

from gongkai_desktop import cli
from gongkai_desktop.commands import fee as fee_command
from gongkai_desktop.core.errors import UserError, ValidationError
from gongkai_desktop.core.fees import fee, load_schedule, parse_schedule
from gongkai_desktop.paths import resource

# 按件: 1–10 free; 11–30 100 each; then each further 10 is a tier +100 (31–40 200, 41–50 300,
# 51–60 400). Each rate applies only to the units inside its tier (超额累进).
PIECE = [
    (1, 0),
    (10, 0),
    (11, 100),  # 1 × 100
    (30, 2000),  # 20 × 100
    (31, 2200),  # 2000 + 1 × 200
    (35, 3000),  # 2000 + 5 × 200 (issue 3's example)
    (40, 4000),  # 2000 + 10 × 200
    (41, 4300),  # 4000 + 1 × 300
    (50, 7000),  # 4000 + 10 × 300
    (51, 7400),  # 7000 + 1 × 400
    (60, 11000),  # 7000 + 10 × 400
    (61, 11500),  # 11000 + 1 × 500
]
# 按量: 1–30 free; 31–100 10/page; 101–200 20/page; 201+ 40/page.
PAGE = [
    (30, 0),
    (31, 10),  # 1 × 10
    (100, 700),  # 70 × 10
    (101, 720),  # 700 + 1 × 20
    (200, 2700),  # 700 + 100 × 20
    (201, 2740),  # 2700 + 1 × 40
    (1000, 34700),  # 2700 + 800 × 40
]


@pytest.mark.parametrize("count, total", PIECE)
def test_piece_boundaries(count, total):
    assert fee("piece", count).total == total


@pytest.mark.parametrize("count, total", PAGE)
def test_page_boundaries(count, total):
    assert fee("page", count).total == total


def test_chinese_method_names_are_accepted():
    assert fee("按件", 35).total == 3000 and fee("按量", 101).total == 720


def test_tiers_show_range_count_rate_subtotal():
    r = fee("piece", 35)
    assert [(t.range, t.count, t.rate, t.subtotal) for t in r.tiers] == [
        ("1–10", 10, 0, 0),
        ("11–30", 20, 100, 2000),
        ("31–40", 5, 200, 1000),
    ]
    assert sum(t.count for t in r.tiers) == 35
    pages = fee("page", 250)
    assert [(t.range, t.count, t.subtotal) for t in pages.tiers][-1] == ("201及以上", 50, 2000)
    text = pages.explain()
    assert "201页及以上：50页 × 40元 = 2000元" in text and "合计：4700元" in text
    assert "条例第四十二条" in text  # free by default, charged only when unreasonable


def test_generated_piece_tiers_are_unbounded():
    r = fee("piece", 125)  # tiers up to 121–130 at 1100 元
    assert r.tiers[-1].range == "121–130" and r.tiers[-1].rate == 1100 and r.tiers[-1].count == 5
    # 2000 + 10 × (200 + 300 + … + 1000) + 5 × 1100
    assert r.total == 2000 + 10 * sum(range(200, 1001, 100)) + 5 * 1100


def test_json_shape():
    data = json.loads(json.dumps(fee("piece", 35).to_json(), ensure_ascii=False))
    assert set(data) == {"by", "count", "total", "tiers"}
    assert (data["by"], data["count"], data["total"]) == ("piece", 35, 3000)
    assert data["tiers"][1] == {
        "range": "11–30",
        "from": 11,
        "to": 30,
        "count": 20,
        "rate": 100,
        "subtotal": 2000,
    }
    assert fee("page", 201).to_json()["tiers"][-1]["to"] is None


@pytest.mark.parametrize(
    "by, count, fragment",
    [
        ("piece", 0, "不小于 1"),
        ("page", -5, "不小于 1"),
        ("weight", 3, "piece（按件）或 page（按量）"),
        ("piece", 10**9, "过大"),
    ],
)
def test_bad_input(by, count, fragment):
    with pytest.raises(ValidationError, match=fragment.replace("（", ".").replace("）", ".")):
        fee(by, count)


# -- The data file ------------------------------------------------------------------------


def test_shipped_file_matches_the_rule():
    data = json.loads(resource("fees.json").read_text("utf-8"))
    assert "109号" in data["_comment"]
    s = load_schedule()
    assert [(t.first, t.last, t.rate) for t in s.methods["page"].tiers] == [
        (1, 30, 0),
        (31, 100, 10),
        (101, 200, 20),
        (201, None, 40),
    ]
    assert (s.methods["piece"].step, s.methods["piece"].rate_increase) == (10, 100)


def _data():
    return json.loads(resource("fees.json").read_text("utf-8"))


def _broken(edit):
    d = copy.deepcopy(_data())
    edit(d)
    return d


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda d: d["methods"]["page"]["tiers"][2].update({"from": 102}), "应从 101 开始"),
        (lambda d: d["methods"]["page"]["tiers"][0].update({"from": 0}), "应从 1 开始"),
        (lambda d: d["methods"]["page"]["tiers"][2].update({"rate": 5}), "单价低于上一档"),
        (lambda d: d["methods"]["page"]["tiers"][1].update({"rate": "10"}), "非负整数"),
        (lambda d: d["methods"]["piece"].pop("then"), "没有 then 规则"),
        (lambda d: d["methods"].pop("page"), "缺少计收方式 page"),
        (lambda d: d["methods"]["page"]["tiers"].clear(), "tiers 为空"),
    ],
)
def test_broken_file_gives_a_clear_error(edit, fragment, tmp_path):
    path = tmp_path / "fees.json"
    path.write_text(json.dumps(_broken(edit), ensure_ascii=False), "utf-8")
    with pytest.raises(UserError) as e:
        load_schedule(path)
    assert fragment in str(e.value) and "fees.json" in str(e.value)


def test_not_json_gives_a_clear_error(tmp_path):
    path = tmp_path / "fees.json"
    path.write_text("{ 按件", "utf-8")
    with pytest.raises(UserError, match="不是有效的 JSON"):
        load_schedule(path)


def test_a_new_years_tiers_are_a_data_change():
    d = _broken(lambda d: d["methods"]["page"]["tiers"][1].update({"rate": 12}))
    assert fee("page", 100, parse_schedule(d)).total == 70 * 12
    assert fee("page", 100, d).total == 840  # raw data is checked and accepted too


# -- `gongkai fee` ----------------------------------------------------------------------------


@pytest.fixture
def run(capsys, monkeypatch):
    """Run `gongkai …` in-process with the fee command registered (once cli wires it,
    the real registration is used)."""
    with_subcommand(monkeypatch, "fee", fee_command.register)

    def _run(*argv):
        try:
            code = cli.main(list(argv))
        except SystemExit as e:
            code = e.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_cli_json(run):
    code, out, err = run("fee", "--by", "piece", "--count", "35", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["total"] == 3000 and [t["range"] for t in data["tiers"]] == [
        "1–10",
        "11–30",
        "31–40",
    ]


def test_cli_text_lists_every_tier(run):
    code, out, _ = run("fee", "--by", "page", "--count", "201")
    assert code == 0
    for line in (
        "1–30页：30页 × 0元 = 0元",
        "31–100页：70页 × 10元 = 700元",
        "101–200页：100页 × 20元 = 2000元",
        "201页及以上：1页 × 40元 = 40元",
        "合计：2740元",
    ):
        assert line in out


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["fee", "--by", "piece", "--count", "0"], "不小于 1"),
        (["fee", "--by", "box", "--count", "3"], "piece（按件）或 page（按量）"),
        (["fee", "--by", "page", "--count", "x"], "参数错误"),
        (["fee", "--count", "3"], "缺少必填参数"),
    ],
)
def test_cli_errors_are_one_chinese_line_exit_2(run, argv, fragment):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("错误：") and fragment in err
