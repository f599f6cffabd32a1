"""Chinese fonts for PDF letters (公文字体): find installed fonts, else reportlab's built-in.

The order (issue 7 §4): 1. the TrueType font the clerk chose in settings (key "pdf_font",
core/print_settings.py; call ``apply_settings(db)`` when a database is opened); 2. the
system fonts below; 3. STSong-Light. A chosen font that does not load falls through.

RULES.md §9: on Windows the system 宋体/仿宋/黑体/楷体 (SimSun, FangSong, SimHei, KaiTi);
on Linux any installed CJK TrueType font (WenQuanYi, AR PL, ...); otherwise the built-in
CID font STSong-Light, which always works (it is not embedded; viewers substitute a Song
face). reportlab embeds only TrueType outlines, so .otf files are skipped and every
candidate is test-loaded; one that fails falls through to the next.

Set the environment variable GONGKAI_PDF_FONTS=builtin (or pass mode="builtin") to use
STSong-Light even when system fonts exist.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

BUILTIN = "STSong-Light"
ENV = "GONGKAI_PDF_FONTS"
ROLES = ("song", "fangsong", "hei", "kai", "title")

# File names per role, best first; matched case-insensitively. (name, subfont index)
CANDIDATES: dict[str, list[tuple[str, int]]] = {
    "song": [
        ("simsun.ttc", 0),
        ("simsun.ttf", 0),
        ("stsong.ttf", 0),
        ("uming.ttc", 0),  # AR PL UMing
        ("songti.ttc", 0),
    ],
    "fangsong": [
        ("仿宋_gb2312.ttf", 0),
        ("fs_gb2312.ttf", 0),
        ("simfang.ttf", 0),
        ("stfangso.ttf", 0),
    ],
    "hei": [
        ("simhei.ttf", 0),
        ("msyh.ttc", 0),
        ("msyh.ttf", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("droidsansfallbackfull.ttf", 0),
        ("droidsansfallback.ttf", 0),
    ],
    "kai": [
        ("楷体_gb2312.ttf", 0),
        ("kaiti_gb2312.ttf", 0),
        ("simkai.ttf", 0),
        ("stkaiti.ttf", 0),
        ("ukai.ttc", 0),  # AR PL UKai
        ("gkai00mp.ttf", 0),
    ],
    # 小标宋 for titles (GB/T 9704 7.3.1); offices usually have 方正小标宋简体 installed.
    "title": [
        ("fzxbsjw.ttf", 0),
        ("方正小标宋简体.ttf", 0),
        ("fzxiaobiaosong-b05s.ttf", 0),
        ("fzxbsk.ttf", 0),
    ],
}
# A role without its own face borrows the nearest one.
FALLBACK = {
    "song": ("song", "fangsong", "kai", "hei", "any"),
    "fangsong": ("fangsong", "song", "kai", "hei", "any"),
    "kai": ("kai", "fangsong", "song", "hei", "any"),
    "hei": ("hei", "song", "fangsong", "kai", "any"),
    "title": ("title", "song", "hei", "fangsong", "kai", "any"),
}


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names per role; ``source`` is "user", "system" or "builtin"."""

    song: str
    fangsong: str
    hei: str
    kai: str
    source: str
    title: str = ""  # 小标宋 when installed, else the song face
    files: tuple[tuple[str, str], ...] = field(default=())  # (role, font file) for display

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.song)

    @property
    def embedded(self) -> bool:
        return self.source in ("user", "system")

    def describe(self) -> str:
        """One Chinese line for settings/about screens."""
        if not self.embedded:
            return "未找到可嵌入的中文字体，使用 PDF 内置宋体 STSong-Light（由阅读器显示）。"
        if self.source == "user":
            return f"使用设置中选择的字体：{Path(self.files[0][1]).name}（所有字体角色）。"
        names = {"song": "宋体", "fangsong": "仿宋", "hei": "黑体", "kai": "楷体", "title": "标题"}
        return "；".join(f"{names[r]}：{Path(p).name}" for r, p in self.files) + "。"


_user_font = ""  # set by apply_settings()/set_user_font(); "" = choose automatically


def set_user_font(path: str | os.PathLike | None) -> None:
    """Make *path* (a .ttf/.ttc) the first choice for every PDF; None/"" clears it."""
    global _user_font
    _user_font = str(path or "")


def apply_settings(db) -> str:
    """Read the chosen font from the settings of *db* (core/print_settings.py); its path."""
    from ..core import print_settings

    set_user_font(print_settings.font_path(db))
    return _user_font


def fonts(mode: str | None = None, user_font: str | os.PathLike | None = None) -> FontSet:
    """The fonts to draw letters with. *mode*: "auto" (default) or "builtin".

    *user_font* overrides the font set by set_user_font(); "auto" tries it first.
    """
    mode = (mode or os.environ.get(ENV) or "auto").strip().lower()
    if mode not in ("auto", "builtin"):
        mode = "auto"
    chosen = str(user_font if user_font is not None else _user_font)
    if mode == "auto" and chosen and (f := user_set(Path(chosen))):
        return f
    return _fonts(mode, tuple(str(d) for d in font_dirs()))


def describe(user_font: str | os.PathLike | None = None) -> str:
    """Which font the PDFs use, in Chinese, for the settings dialog (issue 7 §4)."""
    chosen = str(user_font if user_font is not None else _user_font)
    f = fonts(user_font=chosen)
    if chosen and f.source != "user" and (os.environ.get(ENV) or "").lower() != "builtin":
        return (
            f"设置中选择的字体“{Path(chosen).name}”无法使用（文件不存在、不是中文 TrueType 字体或不允许嵌入），已改用："
            + f.describe()
        )
    return f.describe()


def user_set(path: Path, subfont: int = 0) -> FontSet | None:
    """Every role in the one chosen font file, or None when it cannot be used."""
    if not path.is_file() or not (name := try_load(path, subfont)):
        return None
    return FontSet(name, name, name, name, "user", title=name,
                   files=tuple((r, str(path)) for r in ROLES))  # fmt: skip


def font_dirs() -> list[Path]:
    """Folders that may hold fonts on this machine, system ones first."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # per-user installs
    if sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts")]
    try:
        home = Path.home()
    except RuntimeError:  # no home folder known (service account)
        home = Path(os.sep) / "nonexistent"
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
        home / "Library" / "Fonts",
    ]
    return [d for d in dirs if d.is_dir()]


def builtin_set() -> FontSet:
    if BUILTIN not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN))
    return FontSet(BUILTIN, BUILTIN, BUILTIN, BUILTIN, "builtin")


@functools.lru_cache(maxsize=8)
def _fonts(mode: str, dirs: tuple[str, ...]) -> FontSet:
    if mode == "builtin":
        return builtin_set()
    return discover([Path(d) for d in dirs]) or builtin_set()


def discover(dirs: list[Path]) -> FontSet | None:
    """A FontSet from TrueType fonts under *dirs*, or None when none loads."""
    index = _index_files(dirs)
    found: dict[str, tuple[str, str]] = {}  # role -> (registered name, path)
    for role, names in CANDIDATES.items():
        for fname, sub in names:
            path = index.get(fname.lower())
            if path and (name := try_load(path, sub)):
                found[role] = (name, str(path))
                break
    if not found:
        for path, sub in _fontconfig_cjk():
            if name := try_load(path, sub):
                found["any"] = (name, str(path))
                break
    if not found:
        return None
    chosen = {}
    for role in ROLES:
        src = next((found[r] for r in FALLBACK[role] if r in found), None)
        chosen[role] = src
    files = tuple((r, chosen[r][1]) for r in ROLES)
    return FontSet(
        song=chosen["song"][0],
        fangsong=chosen["fangsong"][0],
        hei=chosen["hei"][0],
        kai=chosen["kai"][0],
        source="system",
        title=chosen["title"][0],
        files=files,
    )


def try_load(path: Path, subfont: int = 0) -> str | None:
    """Register *path* with reportlab; its font name, or None when it cannot be embedded."""
    if path.suffix.lower() not in (".ttf", ".ttc"):
        return None  # .otf: CFF outlines, which reportlab cannot embed
    stem = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_") else f"{ord(c):x}" for c in path.stem
    )
    name = f"GK-{stem}-{subfont}"  # ASCII: it becomes a PDF resource name
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        font = TTFont(name, str(path), subfontIndex=subfont)
        if ord("中") not in font.face.charToGlyph:
            return None  # not a Chinese font
        pdfmetrics.registerFont(font)
    except Exception:  # TTFError, bad file, restricted embedding, CFF in a .ttc
        return None
    return name


def _index_files(dirs: list[Path]) -> dict[str, Path]:
    """Lower-case file name -> first path found (earlier folders win)."""
    index: dict[str, Path] = {}
    for d in dirs:
        try:
            for root, _sub, names in os.walk(d):
                for n in names:
                    if n.lower().endswith((".ttf", ".ttc")):
                        index.setdefault(n.lower(), Path(root) / n)
        except OSError:
            continue
    return index


def _fontconfig_cjk() -> list[tuple[Path, int]]:
    """Other Chinese TrueType fonts fontconfig knows of (Linux), for unknown file names."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run(
            [exe, ":lang=zh:outline=true", "--format", "%{file}|%{index}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    result = []
    for line in sorted(set(out.splitlines())):
        path, _, idx = line.partition("|")
        if path.lower().endswith((".ttf", ".ttc")):
            result.append((Path(path), int(idx) if idx.isdigit() else 0))
    return result
