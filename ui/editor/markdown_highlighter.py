"""Light Markdown highlighting: headings, emphasis, lists, inline code and fenced code.

Highlighting is a display aid only: it never changes the text. Qt's highlighter keeps
formats that lie inside a block's pre-edit area, so a provisional suggestion keeps its
colours when its paragraph is re-highlighted.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

IN_FENCE = 1


def _format(colour: str, *, bold: bool = False, italic: bool = False, mono: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if mono:
        fmt.setFontFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    RULES = (
        (re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s"), _format("#8a5a00", bold=True)),
        (re.compile(r"^\s{0,3}>.*$"), _format("#5f6b7a", italic=True)),
        (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), _format("#1d1d1d", bold=True)),
        (re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])"), _format("#1d1d1d", italic=True)),
        (re.compile(r"`[^`\n]+`"), _format("#8c2f5c", mono=True)),
    )
    HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$")
    FENCE = re.compile(r"^\s{0,3}(```|~~~)")

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._heading = _format("#203a6b", bold=True)
        self._code = _format("#8c2f5c", mono=True)

    def highlightBlock(self, text: str) -> None:
        in_fence = self.previousBlockState() == IN_FENCE
        if self.FENCE.match(text):
            self.setFormat(0, len(text), self._code)
            self.setCurrentBlockState(0 if in_fence else IN_FENCE)
            return
        if in_fence:
            self.setFormat(0, len(text), self._code)
            self.setCurrentBlockState(IN_FENCE)
            return
        self.setCurrentBlockState(0)
        if self.HEADING.match(text):
            self.setFormat(0, len(text), self._heading)
            return
        for pattern, fmt in self.RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)
