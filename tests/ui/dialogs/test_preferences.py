"""Preferences, switching models, the prompt editor, own operations and the context meter,
offscreen on scripted backends."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from engine.errors import InputError
from engine.jobs import ModelInfo
from engine.models.downloads import DownloadCancelled
from engine.models.probe import Estimate
from engine.prompting.user_prompts import CustomOperation, UserPrompts
from engine.settings import ModelSettings, Settings, SettingsStore
from tests.scripted_backend import ScriptedBackend
from tests.ui.conftest import ORIGINAL, REPLY, phase_is, run, select_block, trigger_until_done, wait_signal
from ui.controllers.model_services import ModelServices
from ui.main_window import MainWindow

PARAGRAPH = ORIGINAL.split("\n\n")[1]


class Backends:
    """Hands out scripted backends for switches; each remembers what it was asked."""

    def __init__(self) -> None:
        self.made: list[ScriptedBackend] = []
        self.fail_next: str | None = None

    def maker(self, model: ModelSettings, catalog: object):
        def make() -> ScriptedBackend:
            backend = ScriptedBackend(reply="An answer from the second model.", delay=0.005)
            backend.name = f"{model.source}:{Path(model.location).name or 'bundled'}"
            backend.catalog = catalog
            if self.fail_next is not None:
                backend.fail_load, self.fail_next = self.fail_next, None
            self.made.append(backend)
            return backend

        return make


def fixed_estimate(model: ModelSettings) -> Estimate:
    return Estimate(7_000_000_000, 14 * 2**30, 15 * 2**30, 8 * 2**30, "RAM", "Weights as float32")


@pytest.fixture
def backends() -> Backends:
    return Backends()


@pytest.fixture
def switchable(qtbot, ui_loop, backend, paths, backends):
    from engine.engine import Engine
    from tests.ui.conftest import open_window

    services = ModelServices(backend_maker=backends.maker, estimate=fixed_estimate, download=None)
    with open_window(ui_loop, Engine(backend).start(), paths, services=services) as window:
        yield window


def rewrite(window: MainWindow, ui_loop) -> str:
    select_block(window, 2)

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        assert window.run("rewrite", style="clearer")
        await done

    run(ui_loop, scenario())
    return window.suggestions.live.text


# -- preferences -------------------------------------------------------------------


def test_preferences_open_with_ctrl_comma_and_apply_generation_and_editor(
    switchable, ui_loop, backend, backends
) -> None:
    window = switchable
    assert window.menu_actions.preferences.shortcut() == QKeySequence("Ctrl+,")
    window.menu_actions.preferences.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.settings() == window.settings  # the dialog starts from what is in use
    dialog.temperature.setValue(0.7)
    dialog.max_new_tokens.setValue(50)
    dialog.system_font.setChecked(False)
    dialog.font_choice.setCurrentFont(dialog.font_choice.currentFont())
    dialog.font_size.setValue(17)
    dialog.autosave.setValue(45)
    assert dialog.apply()

    assert window.settings.generation.temperature == 0.7
    assert window.editor.font().pointSize() == 17
    assert window.document.autosaver.longest_wait == 45_000
    stored, problems = SettingsStore(window._paths.config_dir).load()
    assert problems == [] and stored == window.settings
    seen = []
    real = backend.generate
    backend.generate = lambda request, emit, cancel: seen.append(request) or real(request, emit, cancel)
    rewrite(window, ui_loop)
    assert seen[-1].temperature == 0.7 and seen[-1].max_new_tokens == 50
    assert backends.made == []  # only the editor and generation changed: no model switch


def test_the_estimate_and_what_loading_took_are_shown(switchable, ui_loop) -> None:
    window = switchable
    dialog = window.open_preferences()

    async def wait() -> None:
        await wait_signal(dialog.sig_estimated, timeout=5)

    run(ui_loop, wait())
    text = dialog.estimate_label.text()
    assert "7,000M parameters" in text and "15,360 MB" in text and "does not fit" in text
    assert "#a12a2a" in text  # in red
    assert "In use: scripted" in dialog.loaded_label.text()
    assert not dialog.fallback_label.isVisible()


def test_a_device_fallback_is_shown_loudly(qtbot, ui_loop, paths) -> None:
    from engine.engine import Engine
    from engine.prompting.templates import Catalog
    from tests.ui.conftest import load

    class FallingBack(ScriptedBackend):
        def load(self, spec, progress=None):
            info = super().load(spec, progress)
            self._info = replace(
                info,
                device_fallback=True,
                device_reason="CUDA was requested but no CUDA GPU found; using the CPU",
            )
            return self._info

    engine = Engine(FallingBack()).start()
    window = MainWindow(engine, Catalog.default(), paths, services=ModelServices(estimate=fixed_estimate))
    qtbot.addWidget(window)
    window.show()
    run(ui_loop, load(window))
    assert window.notice.isVisible()
    assert "CUDA was requested" in window.notice.label.text()
    dialog = window.open_preferences()
    assert dialog.fallback_label.isVisibleTo(dialog) and "CUDA was requested" in dialog.fallback_label.text()
    engine.close()


# -- switching models ----------------------------------------------------------------


def test_switching_the_model_applies_without_a_restart(switchable, ui_loop, backends, tmp_path) -> None:
    window = switchable
    assert rewrite(window, ui_loop) == REPLY
    window.suggestions.reject()
    target = tmp_path / "other.gguf"
    new = replace(window.settings, model=ModelSettings(source="gguf", location=str(target)))

    async def scenario() -> ModelInfo:
        ready = wait_signal(window.model.sig_ready)
        window.apply_settings(new)
        assert window.status.state.text() == "Switching model…"
        assert not window.menu_actions.operations["proofread"].isEnabled()
        (info,) = await ready
        return info

    info = run(ui_loop, scenario())
    assert info.name == "gguf:other.gguf"
    assert window.menu_actions.operations["proofread"].isEnabled()
    assert "gguf:other.gguf" in window.status.model.text()
    assert rewrite(window, ui_loop) == "An answer from the second model."
    assert backends.made[-1].loads[-1].location == str(target)
    assert SettingsStore(window._paths.config_dir).load()[0].model.source == "gguf"


def test_a_failed_switch_keeps_the_previous_model_and_says_why(
    switchable, ui_loop, backends, backend
) -> None:
    window = switchable
    backends.fail_next = "The file is not a GGUF model."
    before = window.settings
    new = replace(before, model=ModelSettings(source="gguf", location="/models/broken.gguf"))

    async def scenario() -> str:
        failed = wait_signal(window.model.sig_switch_failed)
        window.apply_settings(new)
        (message,) = await failed
        return message

    assert run(ui_loop, scenario()) == "The file is not a GGUF model."
    assert not backend.unloaded  # the old backend was never let go
    assert window.menu_actions.operations["proofread"].isEnabled()
    assert window.status.state.text() == "Ready"
    assert "Still using scripted" in window.status.message.text()
    assert window.notice.isVisible() and "not a GGUF model" in window.notice.label.text()
    assert window.settings.model == before.model  # back to what works, in memory and on disk
    assert SettingsStore(window._paths.config_dir).load()[0].model == before.model
    assert rewrite(window, ui_loop) == REPLY  # the old model still answers


def test_a_download_shows_progress_and_can_be_cancelled(switchable, ui_loop) -> None:
    window = switchable
    started = threading.Event()

    def fake_download(repo, report, cancel):
        report(0, 1000)
        report(250, 1000)
        started.set()
        while not cancel.wait(0.01):
            pass
        raise DownloadCancelled("The download was cancelled.")

    window._services = replace(window._services, download=fake_download)
    dialog = window.open_preferences()
    dialog.source.setCurrentIndex(dialog.source.findData("hub"))
    dialog.hub_id.setText("org/model")

    async def scenario() -> None:
        progressed = wait_signal(dialog.sig_download_progress, lambda done, total: done == 250)
        dialog.download_button.click()
        await progressed
        assert dialog.download_bar.value() == 250
        assert "0.0 of 0.0 MB" in dialog.download_bar.format()
        assert not dialog.download_button.isEnabled()
        finished = wait_signal(dialog.sig_download_finished)
        dialog.download_cancel.click()
        (message,) = await finished
        assert message == "The download was cancelled."

    run(ui_loop, scenario())
    assert "cancelled" in dialog.download_status.text()
    assert dialog.download_button.isEnabled() and not dialog.downloading


# -- prompts -----------------------------------------------------------------------


def test_prompt_preview_is_what_is_sent_and_edits_apply_at_once(switchable, ui_loop, backend) -> None:
    window = switchable
    select_block(window, 2)
    editor = window.open_prompt_editor("proofread")

    async def edit() -> str:
        await wait_signal(editor.sig_preview_ready, timeout=5)
        changed = wait_signal(editor.sig_preview_ready, lambda text: "Only fix typos" in text, timeout=5)
        editor.template.setPlainText("Only fix typos, nothing else:\n\n{text}")
        (text,) = await changed
        return text

    preview = run(ui_loop, edit())
    assert PARAGRAPH in preview and "Only fix typos" in preview
    assert editor.preview.toPlainText() == preview
    assert editor.save()
    assert "(edited)" in editor.list.currentItem().text()
    assert "Only fix typos" in (window._paths.config_dir / "prompts.toml").read_text(encoding="utf-8")
    editor.accept()

    async def proofread() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        select_block(window, 2)
        assert window.run("proofread")
        await done

    run(ui_loop, proofread())
    assert backend.prompts_sent[-1] == preview  # exactly what the preview showed

    editor = window.open_prompt_editor("proofread")
    editor.reset()
    assert "Only fix typos" not in window._catalog.get("proofread").chat
    assert "Only fix typos" not in (window._paths.config_dir / "prompts.toml").read_text(encoding="utf-8")


def test_a_bad_template_is_flagged_and_not_saved(switchable, ui_loop) -> None:
    window = switchable
    editor = window.open_prompt_editor("summarize")
    editor.template.setPlainText("Summarize {txt}")
    editor.refresh_preview()
    assert "unknown placeholders: txt" in editor.error.text()
    assert not editor.save_button.isEnabled()
    assert not editor.save()
    assert "{txt}" not in window._catalog.get("summarize").chat


def test_the_preview_asks_for_a_selection_when_there_is_none(switchable, ui_loop) -> None:
    window = switchable
    cursor = window.editor.textCursor()
    cursor.clearSelection()
    window.editor.setTextCursor(cursor)
    editor = window.open_prompt_editor("rewrite")
    assert editor.preview.toPlainText() == ""
    assert "Select the text to rewrite first" in editor.preview_note.text()


def test_an_own_operation_appears_everywhere_and_runs(switchable, ui_loop, backend) -> None:
    window = switchable
    editor = window.open_prompt_editor()
    assert editor.add_operation(
        CustomOperation("poem", "Make it a poem", "Turn this into a poem:\n\n{text}", shortcut="Ctrl+Alt+P")
    )
    action = window.menu_actions.custom["poem"]
    assert action.text() == "Make it a poem"
    assert action.shortcut() == QKeySequence("Ctrl+Alt+P")
    assert action.isEnabled()
    assert action in window.menu_actions.custom_menu.actions()
    menu = QMenu()
    window.menu_actions.add_context_actions(menu)
    assert "&My operations" in [a.text() for a in menu.actions()]
    assert "★ Make it a poem" in [command.title for command in window.menu_actions.commands()]
    saved = UserPrompts(window._paths.config_dir / "prompts.toml")
    assert saved.load() == [] and saved.catalog().get("poem").custom

    select_block(window, 2)
    trigger_until_done(ui_loop, window, action)
    assert backend.prompts_sent[-1].endswith("Turn this into a poem:\n\n" + PARAGRAPH)
    window.suggestions.accept()
    assert window.editor.document().toPlainText() == ORIGINAL.replace(PARAGRAPH, REPLY)

    editor.select("poem")
    editor.delete()
    assert "poem" not in window.menu_actions.custom
    assert not window.menu_actions.custom_menu_action.isVisible()


def test_an_own_operation_from_the_prompts_file_is_there_at_start(qtbot, ui_loop, backend, paths) -> None:
    from engine.engine import Engine
    from tests.ui.conftest import load

    prompts = UserPrompts(paths.config_dir / "prompts.toml")
    prompts.add_custom(CustomOperation("haiku", "Haiku", "Haiku of:\n{text}", shortcut="Ctrl+Alt+H"))
    prompts.save()
    reread = UserPrompts(paths.config_dir / "prompts.toml")
    assert reread.load() == []
    engine = Engine(backend).start()
    window = MainWindow(engine, reread.catalog(), paths, prompts=reread)
    qtbot.addWidget(window)
    window.show()
    run(ui_loop, load(window))
    assert window.menu_actions.custom["haiku"].shortcut() == QKeySequence("Ctrl+Alt+H")
    engine.close()


# -- the context meter ---------------------------------------------------------------


def test_the_context_meter_counts_the_selection_with_its_prompt(switchable, ui_loop, backend) -> None:
    window = switchable

    async def count() -> tuple[int, int, bool]:
        counted = wait_signal(window.meter.sig_counted, timeout=5)
        select_block(window, 2)
        return await counted

    tokens, window_size, exact = run(ui_loop, count())
    request = window.suggestions.build_request("rewrite", style="clearer")
    assert tokens == backend.count_prompt_tokens(request)[0]
    assert window_size == 2048 and exact
    assert window.status.context.text() == f"Context {tokens:,} / 2,048"
    assert "Rewrite (clearer)" in window.status.context.toolTip()

    window.editor.setPlainText("word " * 3000)
    window.editor.selectAll()

    async def long_count() -> int:
        counted = wait_signal(window.meter.sig_counted, timeout=5)
        (used, _size, _exact) = await counted
        return used

    used = run(ui_loop, long_count())
    assert used > 2048
    assert "#a12a2a" in window.status.context.styleSheet()
    assert "too long" in window.status.context.toolTip()


def test_the_meter_follows_the_last_operation(switchable, ui_loop) -> None:
    window = switchable
    rewrite(window, ui_loop)
    window.suggestions.reject()

    async def scenario() -> None:
        done = wait_signal(window.suggestions.sig_phase_changed, phase_is("done"))
        select_block(window, 2)
        window.run("summarize")
        await done
        window.suggestions.reject()
        counted = wait_signal(window.meter.sig_counted, timeout=5)
        select_block(window, 0)
        await counted

    run(ui_loop, scenario())
    assert "Summarize" in window.status.context.toolTip()


def test_bad_request_in_build_request_raises_input_error(switchable) -> None:
    window = switchable
    cursor = window.editor.textCursor()
    cursor.clearSelection()
    window.editor.setTextCursor(cursor)
    with pytest.raises(InputError, match="Select the text"):
        window.suggestions.build_request("proofread")


def test_settings_problems_do_not_stop_the_window(tmp_path, qtbot, ui_loop, backend, paths) -> None:
    store = SettingsStore(paths.config_dir)
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    store.path.write_text("[editor]\nfont_size = 'huge'\ntheme = 'dark'\n", encoding="utf-8")
    settings, problems = store.load()
    assert settings.editor.theme == "dark" and settings.editor.font_size == 0
    assert "editor.font_size should be int" in problems[0]
    from engine.engine import Engine
    from engine.prompting.templates import Catalog

    engine = Engine(backend).start()
    window = MainWindow(engine, Catalog.default(), paths, settings=settings)
    qtbot.addWidget(window)
    assert window.settings == settings
    window.apply_editor_settings(replace(settings.editor, theme="light"))  # back for other tests
    engine.close()


def test_settings_are_the_typed_defaults_when_none_are_given(switchable) -> None:
    assert switchable.settings == Settings()


def test_a_stored_model_that_fails_at_start_offers_the_bundled_one(qtbot, ui_loop, paths, backends) -> None:
    from engine.engine import Engine
    from engine.models.spec import ModelKind, ModelSpec
    from engine.prompting.templates import Catalog

    failing = ScriptedBackend()
    failing.fail_load = "Model not found: no file or folder at /gone/model.gguf."
    engine = Engine(failing).start()
    settings = Settings(model=ModelSettings(source="gguf", location="/gone/model.gguf"))
    services = ModelServices(backend_maker=backends.maker, estimate=fixed_estimate, download=None)
    window = MainWindow(engine, Catalog.default(), paths, settings=settings, services=services)
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> ModelInfo:
        failed = wait_signal(window.model.sig_failed)
        window.start_loading(ModelSpec(ModelKind.GGUF, "/gone/model.gguf"))
        await failed
        assert window.notice.isVisible() and "Model not found" in window.notice.label.text()
        assert not window.menu_actions.operations["proofread"].isEnabled()
        ready = wait_signal(window.model.sig_ready)
        window.notice.buttons["Use the bundled model"].click()
        (info,) = await ready
        return info

    info = run(ui_loop, scenario())
    assert info.name == "bundled:bundled"
    assert window.settings.model.source == "bundled"
    assert window.menu_actions.operations["proofread"].isEnabled()
    engine.close()


def test_every_device_dtype_and_precision_the_engine_knows_has_a_label() -> None:
    from engine.models.device import DEVICES, DTYPES
    from engine.settings import PRECISIONS
    from ui.dialogs.preferences import DEVICE_LABELS, DTYPE_LABELS, PRECISION_LABELS

    assert tuple(DEVICE_LABELS) == DEVICES
    assert tuple(DTYPE_LABELS) == DTYPES
    assert tuple(PRECISION_LABELS) == PRECISIONS


def test_a_recommended_model_fills_the_id_and_downloads_only_on_the_button(switchable, ui_loop) -> None:
    from engine.models import recommended

    window = switchable
    asked: list[str] = []

    def fake_download(repo, report, cancel):
        asked.append(repo)
        raise DownloadCancelled("stopped in the test")

    window._services = replace(window._services, download=fake_download)
    dialog = window.open_preferences()
    dialog.source.setCurrentIndex(dialog.source.findData("hub"))
    assert dialog.recommended.isVisibleTo(dialog)
    index = dialog.recommended.findData("Qwen/Qwen2.5-0.5B-Instruct")
    text = dialog.recommended.itemText(index)
    assert "中文" in text and "1 GB download" in text
    dialog.recommended.activated.emit(index)
    assert dialog.hub_id.text() == "Qwen/Qwen2.5-0.5B-Instruct"
    assert asked == []  # choosing is not downloading

    async def scenario() -> None:
        finished = wait_signal(dialog.sig_download_finished)
        dialog.download_button.click()
        await finished

    run(ui_loop, scenario())
    assert asked == ["Qwen/Qwen2.5-0.5B-Instruct"]
    assert all(model.memory_gb > model.download_gb > 0 for model in recommended.MODELS)
    assert {m.hub_id for m in recommended.MODELS if m.fast_path} >= {"Qwen/Qwen2.5-0.5B-Instruct"}


def _changed(dialog: object, key: str, widget: object) -> None:
    """Set a field's widget to another valid value, from the widget's own kind."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFontComboBox, QLineEdit, QSpinBox

    if isinstance(widget, QFontComboBox):
        dialog.system_font.setChecked(False)  # type: ignore[attr-defined]
        widget.setCurrentIndex((widget.currentIndex() + 1) % widget.count())
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex((widget.currentIndex() + 1) % widget.count())
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        step = widget.singleStep()
        widget.setValue(
            widget.value() + step if widget.value() + step <= widget.maximum() else widget.value() - step
        )
    elif isinstance(widget, QCheckBox):
        widget.setChecked(not widget.isChecked())
    elif isinstance(widget, QLineEdit):
        widget.setText("http://127.0.0.1:9/v1" if key == "server.url" else f"changed_{key.split('.')[1]}")
    else:
        raise AssertionError(f"no way to change {key}'s {type(widget).__name__}")


def test_every_setting_round_trips_through_the_dialog_into_the_saved_file(qtbot, ui_loop, tmp_path) -> None:
    """No field is added here: every field of every settings section is found in the
    dialog, changed, applied and read back from settings.toml."""
    from dataclasses import asdict, fields

    from ui.dialogs.preferences import SettingsDialog

    original = Settings()
    dialog = SettingsDialog(original, fixed_estimate)
    qtbot.addWidget(dialog)
    shown = dialog.fields()
    every = {f"{s.name}.{f.name}" for s in fields(original) for f in fields(getattr(original, s.name))}
    assert set(shown) == every, f"not in the dialog: {sorted(every - set(shown))}"
    for key, (widget, _read) in shown.items():  # "model.source" first: the location needs it
        _changed(dialog, key, widget)
    store = SettingsStore(tmp_path)
    dialog.sig_apply.connect(store.save)
    assert dialog.apply(), dialog.estimate_label.text()
    saved, problems = store.load()
    assert problems == []
    before, after = asdict(original), asdict(saved)
    for key, (_widget, read) in shown.items():
        section, name = key.split(".")
        assert after[section][name] == read() != before[section][name], key
