"""Work-arounds for defects of the Qt binding, applied once when the window is imported.

PySide6 6.12 on CPython 3.11 drops one reference to ``None`` on every call of a Qt
method returning ``void`` (``QLabel.setText``, ``QTableWidget.setItem``, …): it relies
on ``None`` being immortal, which it is only from Python 3.12 (PEP 683). After some
thousands of calls ``None``'s count reaches zero and the process aborts with "Fatal
Python error: none_dealloc". A screen full of tables gets there within minutes. We give
``None`` a reference count no session can use up; on 3.12+ nothing is done.
"""

from __future__ import annotations

import sys

_BOOST = 1 << 40  # ~10^12 leaked references before any harm
_done = False


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12; True if applied (once)."""
    global _done
    if _done:
        return False
    _done = True
    import PySide6

    if (
        not PySide6.__version__.startswith("6.12.")  # pyproject excludes it; a hand install may not
        or sys.version_info >= (3, 12)
        or sys.implementation.name != "cpython"
        or hasattr(sys, "gettotalrefcount")  # debug builds lay PyObject out differently
    ):
        return False
    import ctypes

    # ob_refcnt is the first field of every object in a release build of CPython
    ctypes.c_ssize_t.from_address(id(None)).value += _BOOST
    return True
