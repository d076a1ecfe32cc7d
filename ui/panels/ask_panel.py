"""The Ask panel: a conversation about the document. Each answer shows the paragraphs it
came from as links ("¶4"); a click highlights that passage in the editor. Its state
follows the controller's signals."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engine.asking.history import Turn
from ui.controllers.ask import AskController


class AskPanel(QDockWidget):
    def __init__(self, controller: AskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ask your draft"))
        self.setObjectName("AskPanel")
        self.controller = controller
        body = QWidget(self)
        column = QVBoxLayout(body)
        self.conversation = QTextBrowser(body)
        self.conversation.setOpenLinks(False)
        self.conversation.setPlaceholderText(
            self.tr("Ask about this document. Every answer shows where it came from.")
        )
        self.question = QLineEdit(body)
        self.question.setPlaceholderText(self.tr("Your question…"))
        self.question.setClearButtonEnabled(True)
        self.ask_button = QPushButton(self.tr("Ask"), body)
        self.stop_button = QPushButton(self.tr("Stop"), body)
        self.insert_button = QPushButton(self.tr("Insert"), body)
        self.insert_button.setToolTip(
            self.tr("Put the last answer (or your selection of it) at the cursor as a suggestion")
        )
        self.export_button = QPushButton(self.tr("Export…"), body)
        self.clear_button = QPushButton(self.tr("Clear"), body)
        asking = QHBoxLayout()
        asking.addWidget(self.question, 1)
        asking.addWidget(self.ask_button)
        asking.addWidget(self.stop_button)
        buttons = QHBoxLayout()
        for button in (self.insert_button, self.export_button, self.clear_button):
            buttons.addWidget(button)
        column.addWidget(self.conversation, 1)
        column.addLayout(asking)
        column.addLayout(buttons)
        self.setWidget(body)
        self.setMinimumWidth(300)
        self.on_insert: Callable[[str], None] | None = None  # set by the window

        self.question.returnPressed.connect(self._ask)
        self.ask_button.clicked.connect(self._ask)
        self.stop_button.clicked.connect(controller.stop)
        self.insert_button.clicked.connect(self._insert)
        self.export_button.clicked.connect(self._export)
        self.clear_button.clicked.connect(controller.clear)
        self.conversation.anchorClicked.connect(self._open_link)
        controller.sig_turns_changed.connect(self.refresh)
        controller.sig_partial.connect(self._show_partial)
        controller.sig_running_changed.connect(self._running_changed)
        self._running_changed(False)
        self.refresh()

    # -- drawing -------------------------------------------------------------------

    def _turn_html(self, index: int, turn: Turn) -> str:
        question = html.escape(turn.question)
        if not turn.found:
            nothing = self.tr("I found nothing about that in this document.")
            answer = f"<i>{html.escape(nothing)}</i>"
        else:
            answer = f"“{html.escape(turn.answer)}”"
        links = " ".join(f'<a href="source:{index}">¶{paragraph}</a>' for paragraph, _s, _e in turn.sources)
        return (
            f"<p style='margin-bottom:2px'><b>{question}</b></p>"
            f"<p style='margin-top:0'>{answer}{' · ' + links if links else ''}</p>"
        )

    def refresh(self) -> None:
        turns = self.controller.turns
        self.conversation.setHtml("".join(self._turn_html(i, t) for i, t in enumerate(turns)))
        self.conversation.verticalScrollBar().setValue(self.conversation.verticalScrollBar().maximum())
        self.insert_button.setEnabled(any(t.found for t in turns) and not self.controller.running)
        self.export_button.setEnabled(bool(turns))
        self.clear_button.setEnabled(bool(turns) and not self.controller.running)

    def _show_partial(self, question: str, answer: str) -> None:
        done = "".join(self._turn_html(i, t) for i, t in enumerate(self.controller.turns))
        writing = html.escape(answer) if answer else "…"
        self.conversation.setHtml(done + f"<p><b>{html.escape(question)}</b></p><p>{writing}</p>")
        self.conversation.verticalScrollBar().setValue(self.conversation.verticalScrollBar().maximum())

    def _running_changed(self, running: bool) -> None:
        self.ask_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.question.setReadOnly(running)
        if not running:
            self.question.clear()
        self.refresh()

    # -- the writer's actions --------------------------------------------------------

    def focus_question(self) -> None:
        self.show()
        self.raise_()
        self.question.setFocus()

    def _ask(self) -> None:
        self.controller.ask(self.question.text())

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() == "source":
            self.controller.show_source(int(url.path()))

    def selected_or_last_answer(self) -> str:
        """What Insert puts in: the text selected in the conversation, else the last answer."""
        chosen = self.conversation.textCursor().selectedText().replace("\u2029", "\n").strip()
        if chosen:
            return chosen.strip("“”")
        found = [t for t in self.controller.turns if t.found]
        return found[-1].answer if found else ""

    def _insert(self) -> None:
        text = self.selected_or_last_answer()
        if text and self.on_insert is not None:
            self.on_insert(text)

    def _export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the conversation"), self.tr("questions.md"), self.tr("Markdown (*.md)")
        )
        if name:
            self.controller.export(Path(name))
