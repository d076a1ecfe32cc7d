"""The small floating bar next to a live suggestion: accept, reject, stop, retry, diff."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from engine.documents.word_diff import Change, Piece

_DIFF_STYLE = {
    Change.SAME: "color:#333333;",
    Change.DELETED: "color:#a12a2a;background:#fbe4e4;text-decoration:line-through;",
    Change.INSERTED: "color:#185c2c;background:#d9f2df;",
}


_LOST_STYLE = "font-weight:bold;color:#ffffff;background:#c0392b;"


def diff_html(pieces: list[Piece], lost: Sequence[str] = ()) -> str:
    """Tracked-changes HTML: deletions struck through in red, insertions in green, and the
    facts the verdict names (dropped, moved, added: numbers, names) marked out."""
    pattern = (
        re.compile("|".join(rf"(?<!\w){re.escape(fact)}(?!\w)" for fact in lost), re.IGNORECASE)
        if lost
        else None
    )
    spans = []
    for piece in pieces:
        if pattern is not None:
            parts, position = [], 0
            for match in pattern.finditer(piece.text):
                parts.append(html.escape(piece.text[position : match.start()]))
                parts.append(f'<span style="{_LOST_STYLE}">{html.escape(match.group())}</span>')
                position = match.end()
            parts.append(html.escape(piece.text[position:]))
            text = "".join(parts).replace("\n", "<br>")
        else:
            text = html.escape(piece.text).replace("\n", "<br>")
        spans.append(f'<span style="{_DIFF_STYLE[piece.change]}">{text}</span>')
    return "".join(spans)


class SuggestionBar(QFrame):
    sig_accept = Signal()
    sig_reject = Signal()
    sig_stop = Signal()
    sig_retry = Signal()
    sig_diff = Signal(bool)
    sig_source = Signal(int)  # a summary sentence whose sources to highlight (-1: all)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("SuggestionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#SuggestionBar { background: #fbfbfd; border: 1px solid #c9d3e6; border-radius: 6px; }"
            "QToolButton { padding: 2px 8px; }"
        )
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setStyleSheet("color: #5a6b8c;")
        self.accept_button = self._button(
            self.tr("Accept"), self.tr("Accept the suggestion (Tab or Enter)"), self.sig_accept
        )
        self.reject_button = self._button(
            self.tr("Reject"), self.tr("Reject the suggestion (Esc)"), self.sig_reject
        )
        self.stop_button = self._button(self.tr("Stop"), self.tr("Stop generating (Esc)"), self.sig_stop)
        self.retry_button = self._button(
            self.tr("Retry"), self.tr("Generate another suggestion"), self.sig_retry
        )
        self.diff_button = self._button(self.tr("Diff"), self.tr("Show the changes word by word"), None)
        self.diff_button.setCheckable(True)
        self.diff_button.toggled.connect(self.sig_diff)

        self.alternatives_label = QLabel(self)
        self.alternatives_label.setStyleSheet("color: #1f3f7a; font-weight: bold;")
        self.alternatives_label.setToolTip(self.tr("Alt+] and Alt+[ switch between the alternatives"))
        self.alternatives_label.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.status)
        row.addWidget(self.alternatives_label)
        row.addStretch(1)
        for button in (
            self.accept_button,
            self.reject_button,
            self.stop_button,
            self.retry_button,
            self.diff_button,
        ):
            row.addWidget(button)
        self.diff_label = QLabel(self)
        self.diff_label.setWordWrap(True)
        self.diff_label.setTextFormat(Qt.TextFormat.RichText)
        self.diff_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_label.setStyleSheet("background: white; padding: 6px; border-top: 1px solid #e1e6f0;")
        self.diff_label.hide()
        self.problems = QLabel(self)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.sources_label = QLabel(self)
        self.sources_label.setTextFormat(Qt.TextFormat.RichText)
        self.sources_label.setToolTip(self.tr("Point at a sentence to see where in your text it comes from"))
        self.sources_label.linkHovered.connect(self._source_link)
        self.sources_label.linkActivated.connect(self._source_link)
        self.sources_label.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.problems)
        column.addWidget(self.sources_label)
        column.addWidget(self.diff_label)
        self.hide()

    def _button(self, text: str, tip: str, signal: SignalInstance | None) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the writer's focus stays in the text
        if signal is not None:
            button.clicked.connect(signal)
        return button

    def set_streaming(self, streaming: bool, can_diff: bool) -> None:
        self.stop_button.setVisible(streaming)
        self.retry_button.setVisible(not streaming)
        self.diff_button.setVisible(can_diff and not streaming)
        if streaming and self.diff_button.isChecked():
            self.diff_button.setChecked(False)

    def set_status(self, text: str, warning: str = "") -> None:
        """The state, and what the writer must know before accepting (in red, on a line of
        its own that wraps: a verdict or a language warning can be long)."""
        self.status.setText(html.escape(text))
        warning_html = f'<span style="color:#c0392b;">{html.escape(warning)}</span>'  # markup, not prose
        self.problems.setText(warning_html)
        self.problems.setVisible(bool(warning))
        self.adjustSize()

    def set_alternatives(self, index: int, total: int, *, finding: bool = False) -> None:
        """ "2 of 3" while the writer cycles through alternatives; "finding…" while they are sought."""
        if finding:
            self.alternatives_label.setText(self.tr("· finding alternatives…"))
        elif total > 1:
            self.alternatives_label.setText(self.tr("· {0} of {1}").format(index, total))
        self.alternatives_label.setVisible(finding or total > 1)
        self.adjustSize()

    def set_sources(self, count: int) -> None:
        """Links to each summary sentence's sources: hover or click one to see them."""
        if count <= 0:
            self.sources_label.hide()
            return
        links = " ".join(f'<a href="{i}">{i + 1}</a>' for i in range(count))
        self.sources_label.setText(self.tr("Sources of sentence:") + " " + links)
        self.sources_label.show()
        self.adjustSize()

    def _source_link(self, link: str) -> None:
        self.sig_source.emit(int(link) if link.isdigit() else -1)

    def show_diff(self, pieces: list[Piece] | None, lost: Sequence[str] = ()) -> None:
        if pieces is None:
            self.diff_label.hide()
        else:
            self.diff_label.setText(diff_html(pieces, lost))
            self.diff_label.show()
        self.adjustSize()
