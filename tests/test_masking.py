"""隐去身份证号和电话 (core/masking.py): what a ledger sent upward shows."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai_desktop.core.masking import has_unmasked, mask_id, mask_phone, mask_rows, mask_text


def test_id_keeps_first_and_last_four():
    assert mask_id("350203199001011234") == "3502**********1234"
    assert mask_id("35020319900101123X") == "3502**********123X"


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("+86 13812345678") == "138****5678"
    assert mask_phone("0592-5123456") == "059****3456"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号350203199001011234，电话13812345678",
         "身份证号3502**********1234，电话138****5678"),
        ("联系电话：0592-5123456。", "联系电话：059****3456。"),
        ("老身份证350203900101123", "老身份证3502*******1123"),
        ("手机+8613912345678请回电", "手机+86139****5678请回电"),
    ],
)  # fmt: skip
def test_numbers_inside_free_text_are_masked(text, expected):
    assert mask_text(text) == expected
    assert not has_unmasked(mask_text(text))


@pytest.mark.parametrize(
    "text",
    [
        "X001-11-2026-00221",  # 索引号
        "申请编号2026-0007，2026年11月27日收到",
        "统一社会信用代码91350200MA12345678",  # a company's code is not personal data
        "厦人社〔2026〕15号",
    ],
)
def test_other_numbers_stay(text):
    assert mask_text(text) == text


def test_rows_keep_dates_and_numbers():
    rows = [("2026-001", date(2026, 3, 2), 5, "王五 13800000000", None)]
    assert list(mask_rows(rows)) == [("2026-001", date(2026, 3, 2), 5, "王五 138****0000", None)]
