from __future__ import annotations

from PySide6.QtGui import QTextDocument

from tests.ui.conftest import run, wait_signal
from ui.editor.word_count import BLOCKS_PER_STEP, WordCounter


def test_counts_a_long_document_in_slices_and_restarts_on_edits(ui_loop) -> None:
    text = "one two three\n\nfour five\n" * (BLOCKS_PER_STEP * 2)
    document = QTextDocument()
    document.setPlainText(text)
    counter = WordCounter(document)
    steps: list[int] = []
    counter._step_timer.timeout.connect(lambda: steps.append(1))

    async def scenario() -> tuple[int, int]:
        counted = wait_signal(counter.sig_counted, timeout=20)
        counter.schedule()
        await wait_signal(counter._step_timer.timeout)
        document.setPlainText(text + "six seven")  # an edit mid-count
        return await counted

    words, lines = run(ui_loop, scenario())
    assert words == len((text + "six seven").split())
    assert lines == document.blockCount()
    assert len(steps) > 3  # it took several event-loop turns, not one long stall
    assert counter.count_now() == (words, lines)
