"""Where forms/ and resources/ are: source checkout, installed wheel or PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / name)
    candidates += [_PKG / name, _PKG.parent / name]  # wheel, then source checkout
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"找不到程序的 {name} 文件夹，请重新安装本软件。")


def resources_dir() -> Path:
    return _find("resources")


def forms_dir() -> Path:
    return _find("forms")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
