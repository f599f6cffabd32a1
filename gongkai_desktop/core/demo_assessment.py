"""The demo's self-assessment (自评打分, issue 6): the year's table filled in from the
suggestions (two overridden with a note), one experience recognised under items 39 and 40
(counted once), and small evidence files the demo makes itself (a PDF and a PNG).
Deterministic for (today, seed)."""

from __future__ import annotations

import random
import struct
import tempfile
import zlib
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import sqlite_utils

from . import assessment as A
from . import unit_records as U
from .assessment_template import load

EXPERIENCE = "社保待遇资格认证“三公开”做法"
CHECKED = "已对照台账和原始材料人工核对。"


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF; STSong-Light is reportlab's built-in CID font (no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("STSong-Light", 16)
    c.drawString(72, 760, title)
    c.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        c.drawString(72, 730 - 18 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def _png(width: int = 120, height: int = 80, rgb=(200, 40, 40)) -> bytes:
    """A plain PNG (a coloured board with a white band), made with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b""
    for y in range(height):
        px = bytes((255, 255, 255)) if height // 3 <= y < height // 3 + 10 else bytes(rgb)
        rows += b"\x00" + px * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def add_demo_assessment(db: sqlite_utils.Database, today: date, seed: int = 2026) -> dict:
    """Fill the year's assessment; returns counts."""
    from .assessment_suggest import suggest

    rng = random.Random(seed * 17 + 6)
    year = today.year
    aid = A.open_assessment(db, year)
    t = load("fujian", db)
    first = date(year, 1, 1)
    d39 = max(first, today - timedelta(days=70))
    d40 = max(first, today - timedelta(days=20))
    r39 = U.add_recognition(db, d39, "发文推广", "福建省政务公开工作小组",
                            EXPERIENCE, f"闽政公开〔{year}〕5号", "推广文件", today=today)  # fmt: skip
    r40 = U.add_recognition(db, d40, "表彰", "人力资源和社会保障部",
                            EXPERIENCE, f"人社厅函〔{year}〕88号", "表彰通报", today=today)  # fmt: skip
    A.add_record_evidence(db, aid, 39, "recognitions", r39, "省政务公开工作小组推广文件")
    A.add_record_evidence(db, aid, 40, "recognitions", r40, "人社部表彰通报")

    sugg = suggest(db, year, t, today)
    fixed = {39: 2, 40: 1}  # the same experience: counted once, at 2 (seed 备注)
    candidates = [n for n, s in sugg.items() if s.score and n < 39]
    overrides = sorted(rng.sample(candidates, min(2, len(candidates))))
    for it in t.items:
        s = sugg.get(it.no)
        if it.no in fixed:
            A.set_score(db, aid, it.no, fixed[it.no], accepted=bool(s and s.score == fixed[it.no]))
        elif it.no in overrides:
            A.set_score(db, aid, it.no, s.score - 0.5,
                        note="检查中发现个别材料缺少签字，自评扣0.5分。")  # fmt: skip
        elif s is not None and s.score is not None:
            A.set_score(db, aid, it.no, s.score, accepted=True)
        elif it.no < 39:
            A.set_score(db, aid, it.no, it.max, note=CHECKED)

    with tempfile.TemporaryDirectory() as tmp:
        files = {
            1: (
                "关于调整政务公开工作领导小组的通知.pdf",
                _pdf(
                    "关于调整政务公开工作领导小组的通知",
                    ["组长：局长", "副组长：分管副局长", "领导小组下设办公室，设在办公室。"],
                ),
            ),  # fmt: skip
            30: (
                f"{year}年上半年政务公开重点检查报告.pdf",
                _pdf(
                    f"{year}年上半年政务公开重点检查报告",
                    ["检查组：政务公开工作监督小组", "检查结论：总体规范，发现问题已整改。"],
                ),
            ),  # fmt: skip
            22: ("政务公开栏照片.png", _png()),
        }
        for no, (name, data) in files.items():
            p = Path(tmp) / name
            p.write_bytes(data)
            A.add_file_evidence(db, aid, no, p)
    A.set_inspection_date(db, aid, today + timedelta(days=30))
    return {"assessment_scores": len(A.scores(db, aid)), "assessment_evidence": 5,
            "overridden": overrides}  # fmt: skip
