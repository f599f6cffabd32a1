"""core/ and exports/ never import Qt (DESIGN.md: layers)."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "gongkai_desktop"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_and_exports_do_not_import_qt():
    offenders = []
    for layer in ("core", "exports"):
        for f in sorted((PKG / layer).rglob("*.py")):
            if _imports(f) & {"PySide6", "PyQt5", "PyQt6", "shiboken6"}:
                offenders.append(str(f.relative_to(PKG)))
    assert offenders == []


def test_ui_is_the_only_layer_with_qt_and_core_has_modules():
    assert len(list((PKG / "core").glob("*.py"))) > 5
