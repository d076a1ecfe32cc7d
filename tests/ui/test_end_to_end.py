"""The window on the real bundled model, through the real engine thread."""

from __future__ import annotations

import pytest

from engine.models.spec import ModelSpec
from engine.prompting.templates import Catalog
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
            ready = wait_signal(window.model.sig_ready, timeout=120)
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
        assert "correction" in window.status.state.text()  # "Done · 2 corrections"
        window.suggestions.accept()
        paragraphs = window.editor.document().toPlainText().split("\n\n")
        assert paragraphs[1] == suggestion
        window.editor.undo()
        assert window.editor.document().toPlainText() == ORIGINAL
    finally:
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()


def test_an_own_operation_and_its_preview_on_the_real_model(ui_loop, bundled_engine, paths) -> None:
    """The preview is the exact text the real model is given, and a writer's own operation
    runs through the real engine thread and lands in the document."""
    from engine.prompting.user_prompts import CustomOperation

    window = MainWindow(bundled_engine, Catalog.default(), paths)
    window.resize(900, 600)
    window.show()
    window.editor.setPlainText(ORIGINAL)
    window.editor.document().setModified(False)
    try:

        async def scenario() -> str:
            ready = wait_signal(window.model.sig_ready, timeout=120)
            window.start_loading(ModelSpec.bundled())
            await ready
            select_block(window, 2)
            editor = window.open_prompt_editor()
            assert editor.add_operation(
                CustomOperation(
                    "headline", "Write a headline", "Write a short headline for this text.\n\n{text}"
                )
            )
            editor.select("headline")
            (preview,) = await wait_signal(
                editor.sig_preview_ready, lambda text: "headline" in text, timeout=60
            )
            editor.accept()
            done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"), timeout=120)
            select_block(window, 2)
            window.menu_actions.custom["headline"].trigger()
            await done
            return preview

        preview = run(ui_loop, scenario(), timeout=240)
        assert preview.startswith("<|im_start|>system")  # through the model's own chat template
        assert bundled_engine._backend.last_prompt.text == preview
        suggestion = window.suggestions.live.text
        assert suggestion.strip() and "<|" not in suggestion
        window.suggestions.accept()
        assert window.editor.document().toPlainText().split("\n\n")[1] == suggestion
    finally:
        bundled_engine.set_catalog(Catalog.default()).result()
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()


def test_a_review_pass_proofreads_every_paragraph_on_the_real_model(ui_loop, bundled_engine, paths) -> None:
    """The review pass on the real model: each paragraph is sent on its own through the
    engine thread, the misspelt ones come back as suggestions in place, the document stays
    untouched until the writer accepts them all, and that is one undo step."""
    document = (
        "Notes for Monday\n\n"
        "The meeting was postponed becuase several team members were sick.\n\n"
        "The budget review follows on Friday.\n\n"
        "We will recieve the new figures next week."
    )
    window = MainWindow(bundled_engine, Catalog.default(), paths)
    window.resize(900, 600)
    window.show()
    window.editor.setPlainText(document)
    window.editor.document().setModified(False)
    try:

        async def scenario() -> None:
            ready = wait_signal(window.model.sig_ready, timeout=120)
            window.start_loading(ModelSpec.bundled())
            await ready
            finished = wait_signal(window.review.sig_finished, timeout=180)
            assert window.start_review("proofread")
            await finished

        run(ui_loop, scenario(), timeout=300)
        assert window.editor.document().toPlainText() == document
        suggestions = {item.paragraph.text: item.suggestion for item in window.review.ready()}
        assert "becuase" in " ".join(suggestions) and "recieve" in " ".join(suggestions)
        assert all("<|" not in text for text in suggestions.values())
        window.review.accept_all()
        reviewed = window.editor.document().toPlainText()
        assert "because" in reviewed and "receive" in reviewed
        assert "The budget review follows on Friday." in reviewed
        window.editor.undo()
        assert window.editor.document().toPlainText() == document
    finally:
        window.review.close_review()
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()


def test_ask_your_draft_on_the_real_model_cites_its_paragraph(ui_loop, bundled_engine, paths) -> None:
    """A question in the Ask panel runs through the real engine thread with the bundled
    model loaded; its source link highlights the passage the answer quotes."""
    from tests.ui.controllers.test_ask import DOCUMENT

    window = MainWindow(bundled_engine, Catalog.default(), paths)
    window.resize(900, 600)
    window.show()
    window.editor.setPlainText(DOCUMENT)
    window.editor.document().setModified(False)
    try:

        async def scenario() -> None:
            ready = wait_signal(window.model.sig_ready, timeout=120)
            window.start_loading(ModelSpec.bundled())
            await ready
            finished = wait_signal(window.ask.sig_running_changed, lambda running: not running, timeout=60)
            window.open_ask()
            assert window.ask.ask("When did work on the north quay start?")
            await finished

        run(ui_loop, scenario(), timeout=240)
        (turn,) = window.ask.turns
        assert turn.answer == "Work on the north quay started in May 2024."
        assert [number for number, _s, _e in turn.sources] == [3]
        assert window.ask.show_source(0)
        assert window.editor.textCursor().block().text().startswith("Work on the north quay")
    finally:
        window.editor.document().setModified(False)
        window.close()
        window.deleteLater()
