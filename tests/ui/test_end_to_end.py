"""The window on the real bundled model, through the real engine thread."""

from __future__ import annotations

import pytest

from engine.spec import ModelSpec
from engine.templates import Catalog
from tests.ui.conftest import ORIGINAL, phase_is, run, select_block, wait_signal
from ui.main_window import MainWindow

pytestmark = pytest.mark.model


def test_proofread_streams_from_the_real_model_and_accepts_as_one_undo(
    ui_loop, bundled_engine, paths
) -> None:
    window = MainWindow(bundled_engine, Catalog.default(), paths)
    window.resize(900, 600)
    window.show()
    window.editor.setPlainText(ORIGINAL)
    window.editor.document().setModified(False)
    redraws: list[str] = []
    try:

        async def scenario() -> None:
            ready = wait_signal(window.sig_model_ready, timeout=120)
            window.start_loading(ModelSpec.bundled())
            (info,) = await ready
            assert info.name.startswith("SmolLM2-135M-Instruct")
            select_block(window, 2)
            window.suggestions.sig_rate.connect(lambda _rate: redraws.append(window.suggestions.live.text))
            done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"), timeout=120)
            assert window.run("proofread")
            await done

        run(ui_loop, scenario(), timeout=240)
        suggestion = window.suggestions.live.text
        assert suggestion.strip()
        assert "<|" not in suggestion
        assert len(set(redraws)) >= 2  # it was drawn while streaming, not all at the end
        assert window.editor.document().toPlainText() == ORIGINAL
        assert "tok/s" in window.status.state.text()
        window.suggestions.accept()
        paragraphs = window.editor.document().toPlainText().split("\n\n")
        assert paragraphs[1] == suggestion
        window.editor.undo()
        assert window.editor.document().toPlainText() == ORIGINAL
    finally:
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()
