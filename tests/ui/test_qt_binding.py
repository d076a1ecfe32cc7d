"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 drops a reference to None on every call of a void Qt method; on Python
3.11 (where None is not immortal) the app then crashes after a few thousand calls, for
example while highlighting a long Markdown file.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qapp) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setIndent(1)
    assert sys.getrefcount(None) - before > -100
