"""Typing Chinese through an input method: composing text is not the writer's text until
it is committed, and the committed text is counted, undone and spell-checked as CJK."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


def compose(editor, preedit: str) -> None:
    QApplication.sendEvent(editor, QInputMethodEvent(preedit, []))


def commit(editor, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(editor, event)


def test_an_input_method_composes_then_commits_chinese(window) -> None:
    editor = window.editor
    editor.setFocus()
    editor.setPlainText("")
    compose(editor, "ni hao")
    assert editor.text() == ""  # the pinyin being composed is not in the document
    assert editor.textCursor().block().layout().preeditAreaText() == "ni hao"
    commit(editor, "你好")
    compose(editor, "shi jie")
    commit(editor, "世界。")
    assert editor.text() == "你好世界。"
    assert editor.textCursor().block().layout().preeditAreaText() == ""
    assert window.word_counter.count_now() == (4, 1)
    assert window.status.counts.text().startswith("4 words")
    window.spelling.refresh()
    assert window.spelling.underlined == []  # CJK is skipped, not underlined
    editor.undo()
    assert "世界" not in editor.text()
