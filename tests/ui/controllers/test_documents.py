"""Documents in the window: open, save, outside changes, autosave and recovery."""

from __future__ import annotations

import codecs
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from engine.documents.recovery import RecoveryStore
from tests.ui.conftest import phase_is, run, select_block, wait_signal
from ui.dialogs.recovery_dialog import RecoveryDialog


def type_at_end(window, text: str) -> None:
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    QTest.keyClicks(window.editor, text)


@pytest.mark.parametrize(
    "data",
    [
        "Line one\r\nLine two — naïve\r\n".encode(),
        codecs.BOM_UTF16_LE + "UTF-16 text 我们\n".encode("utf-16-le"),
        codecs.BOM_UTF8 + "Non\u00a0breaking space and\ttab\n".encode(),
    ],
)
def test_open_and_save_unchanged_gives_identical_bytes(window, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    assert window.load_file(path)
    assert window.windowTitle() == "doc.txt[*] — Inkwell"
    assert window.save_to(path)
    assert path.read_bytes() == data


def test_title_shows_the_modified_marker(window, tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text("# Title\n", encoding="utf-8")
    window.load_file(path)
    assert not window.isWindowModified()
    type_at_end(window, "more")
    assert window.isWindowModified()
    window.save()
    assert not window.isWindowModified()
    assert path.read_text(encoding="utf-8") == "# Title\nmore"


def test_binary_files_are_refused_and_the_document_kept(window, tmp_path: Path) -> None:
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200))
    before = window.editor.text()
    assert not window.load_file(picture)
    assert "photo.jpg is not a text file" in window.status.message.text()
    assert window.editor.text() == before


GB_TEXT = "第一章\n这是一个用旧编码保存的中文文件。写作的人希望看到正确的文字，而不是乱码。\n"


def test_a_legacy_file_opens_detected_with_its_encoding_shown_and_a_notice(window, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(GB_TEXT.encode("gb18030"))
    assert window.load_file(path)
    assert window.editor.text() == GB_TEXT
    assert window.status.format.text().startswith("GB18030")
    assert window.notice.isVisible() and "opened as GB18030" in window.notice.label.text()
    assert window.save_to(path)
    assert path.read_bytes() == GB_TEXT.encode("gb18030")


def choose(monkeypatch: pytest.MonkeyPatch, codec: str) -> None:
    """Answer the encoding list as the writer would, by picking the entry for `codec`."""
    from engine.documents import encodings
    from ui import main_window

    label = next(choice.label for choice in encodings.CHOICES if choice.codec == codec)
    monkeypatch.setattr(main_window.QInputDialog, "getItem", lambda *args, **kwargs: (label, True))


def test_reopen_with_encoding_reads_the_file_again_as_the_writer_says(
    window, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(GB_TEXT.encode("gb18030"))
    window.load_file(path)
    choose(monkeypatch, "iso8859-1")
    assert window.reopen_with_encoding_dialog()
    assert window.editor.text() == GB_TEXT.encode("gb18030").decode("latin-1")
    assert window.status.format.text().startswith("ISO-8859-1")
    changed = GB_TEXT.replace("旧", "新").encode("gb18030")
    path.write_bytes(changed)  # changed by another program
    assert window.document.reload()  # Reload keeps the encoding the writer chose, even a wrong one
    assert window.editor.text() == changed.decode("latin-1")
    choose(monkeypatch, "gb18030")
    assert window.reopen_with_encoding_dialog()
    assert window.editor.text() == GB_TEXT.replace("旧", "新")
    choose(monkeypatch, "utf-8")
    assert not window.reopen_with_encoding_dialog()  # the bytes are not UTF-8: refused, text kept
    assert "not valid UTF-8" in window.status.message.text()
    assert window.editor.text() == GB_TEXT.replace("旧", "新")


def test_save_with_encoding_converts_or_refuses_and_keeps_the_file(
    window, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(GB_TEXT, encoding="utf-8")
    window.load_file(path)
    choose(monkeypatch, "big5")  # 这 and 写 are simplified characters Big5 has no code for
    assert not window.save_with_encoding_dialog()
    assert "Big5 cannot store" in window.status.message.text()
    assert path.read_text(encoding="utf-8") == GB_TEXT and window.status.format.text().startswith("UTF-8")
    choose(monkeypatch, "gb18030")
    assert window.save_with_encoding_dialog()
    assert path.read_bytes() == GB_TEXT.encode("gb18030")
    assert window.status.format.text().startswith("GB18030")


def test_a_failed_save_shows_the_error_and_keeps_the_document_modified(
    window, tmp_path: Path, monkeypatch
) -> None:
    from engine.documents import files

    path = tmp_path / "doc.txt"
    path.write_text("Safe.\n", encoding="utf-8")
    window.load_file(path)
    type_at_end(window, "Edited.")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    assert not window.save()
    assert "No space left on device" in window.status.message.text()
    assert window.editor.document().isModified()
    assert path.read_text(encoding="utf-8") == "Safe.\n"


def test_an_outside_change_is_noticed_and_the_writer_chooses(window, tmp_path: Path, ui_loop) -> None:
    path = tmp_path / "shared.txt"
    path.write_text("Version one.\n", encoding="utf-8")
    window.load_file(path)

    async def noticed() -> None:
        changed = wait_signal(window.document.sig_changed_on_disk)
        path.write_text("Version two, from another program.\n", encoding="utf-8")
        await changed  # the file watcher reports it without any focus change

    run(ui_loop, noticed())
    assert window.notice.isVisible()
    assert "shared.txt was changed by another program" in window.notice.label.text()
    window.notice.buttons["Reload"].click()
    assert window.editor.text() == "Version two, from another program.\n"
    assert not window.editor.document().isModified()

    path.write_text("Version three.\n", encoding="utf-8")
    assert window.document.check_disk()  # the focus check finds it too
    window.notice.buttons["Keep mine"].click()
    assert window.editor.text() == "Version two, from another program.\n"
    assert window.editor.document().isModified()
    assert not window.document.check_disk()  # asked once per change


def test_recent_files_are_remembered(window, tmp_path: Path) -> None:
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text(name, encoding="utf-8")
        window.load_file(tmp_path / name)
    assert [p.name for p in window.document.recent.paths] == ["b.md", "a.txt"]
    window.menu_actions.fill_recent_menu()
    titles = [a.text() for a in window.menu_actions.recent_menu.actions()]
    assert titles == ["&1 b.md", "&2 a.txt"]


def test_markdown_is_highlighted_and_a_suggestion_keeps_its_colours(window, tmp_path: Path, ui_loop) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Heading\n\nSome *emphasis* and `code`.\n", encoding="utf-8")
    window.load_file(path)
    assert window.editor.current_highlighter is not None
    block = window.editor.document().findBlockByNumber(2)
    assert any(r.format.fontItalic() for r in block.layout().formats())

    async def scenario() -> None:
        select_block(window, 2)
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("proofread")
        await done

    run(ui_loop, scenario())
    formats = block.layout().formats()
    preedit_start = block.layout().preeditAreaPosition()
    assert any(
        r.start >= preedit_start and r.format.background().color().name() == "#e3edfc" for r in formats
    )
    assert any(r.format.fontItalic() for r in formats)  # the highlighting is still there
    window.suggestions.reject()
    assert window.editor.text() == "# Heading\n\nSome *emphasis* and `code`.\n"


def test_autosave_writes_a_recovery_copy_not_the_file(window, tmp_path: Path, paths, ui_loop) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("Original.\n", encoding="utf-8")
    window.load_file(path)
    type_at_end(window, "Typed.")

    async def autosaved() -> None:
        await wait_signal(window.document.sig_autosaved, timeout=10)

    run(ui_loop, autosaved())
    copies = list(paths.recovery_dir.glob("*.txt"))
    assert len(copies) == 1
    assert copies[0].read_text(encoding="utf-8") == "Original.\nTyped."
    assert path.read_text(encoding="utf-8") == "Original.\n"
    assert "Autosaved" in window.status.saved.text()
    window.save()
    assert list(paths.recovery_dir.glob("*.txt")) == []


def test_a_provisional_suggestion_never_reaches_the_recovery_copy(window, paths, ui_loop) -> None:
    type_at_end(window, " Edited.")

    async def scenario() -> None:
        select_block(window, 2)
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("rewrite", style="clearer")
        await done
        window.document.autosaver.save_now()

    run(ui_loop, scenario())
    (copy,) = paths.recovery_dir.glob("*.txt")
    assert copy.read_text(encoding="utf-8") == window.editor.text()
    assert window.suggestions.live.text not in copy.read_text(encoding="utf-8")


def test_an_orphaned_copy_is_offered_and_restored(window, tmp_path: Path, paths) -> None:
    source = tmp_path / "novel.txt"
    source.write_bytes(b"Chapter one.\r\n")
    crashed = RecoveryStore(paths.recovery_dir).new_entry()
    crashed.save("Chapter one.\nWords typed before the crash.", source, "novel.txt")
    os.close(crashed._lock_fd)  # the app that owned it is gone
    time.sleep(0.01)

    assert window.offer_recovery()
    dialog = window.recovery_dialog
    assert isinstance(dialog, RecoveryDialog) and dialog.isVisible()
    offered = dialog.list.item(0).text()
    assert offered.startswith("novel.txt — last autosaved ")
    QTest.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert window.editor.text() == "Chapter one.\nWords typed before the crash."
    assert window.document.path == source.resolve()
    assert window.editor.document().isModified()
    assert RecoveryStore(paths.recovery_dir).orphans() == []
    window.save()
    assert source.read_bytes() == b"Chapter one.\r\nWords typed before the crash."


def test_a_live_apps_copy_is_not_offered(window, paths) -> None:
    type_at_end(window, " Edited.")
    window.document.autosaver.save_now()
    assert list(paths.recovery_dir.glob("*.txt"))
    assert RecoveryStore(paths.recovery_dir).orphans() == []
