"""The main window: the editor, the assistant's menus and toolbar, and the status bar.

The engine, the prompt catalog and the model to load are handed in. The window shows at
once; the model loads on the engine thread and the assistant's actions are enabled by
the signal that says it is ready.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.app_paths import AppPaths
from engine.errors import InkwellError
from engine.fidelity.spelling import PERSONAL_FILE, Dictionary, PersonalWords
from engine.jobs import ModelInfo
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import UserPrompts
from engine.settings import EditorSettings, Settings, SettingsStore
from ui.controllers.documents import DocumentController
from ui.controllers.model_services import ModelServices, model_changed, process_memory, spec_for
from ui.controllers.review import ReviewController
from ui.controllers.suggestions import SuggestionController
from ui.dialogs.command_palette import Command, CommandPalette
from ui.dialogs.preferences import SettingsDialog
from ui.dialogs.prompt_editor import PromptEditor
from ui.dialogs.recovery_dialog import RecoveryDialog
from ui.editor.spell_check import SpellChecker
from ui.editor.text_editor import Editor
from ui.editor.word_count import WordCounter
from ui.first_paint import FirstPaint
from ui.panels.notice_bar import NoticeBar
from ui.panels.review_panel import ReviewPanel
from ui.panels.status_bar import StatusBar
from ui.theme import apply_editor_font, apply_theme

LANGUAGES = [
    "English",
    "French",
    "German",
    "Spanish",
    "Italian",
    "Portuguese",
    "Dutch",
    "Chinese",
    "Japanese",
    "Korean",
]
SHORTCUTS = {
    ("rewrite", "clearer"): "Ctrl+Shift+R",
    ("rewrite", "shorter"): "Ctrl+Shift+H",
    ("proofread", None): "Ctrl+Shift+P",
    ("summarize", None): "Ctrl+Shift+M",
    ("continue", None): "Ctrl+J",
    ("translate", None): "Ctrl+Shift+T",
    ("draft", None): "Ctrl+Shift+D",
}


class MainWindow(QMainWindow):
    sig_model_ready = Signal(object)  # ModelInfo
    sig_model_failed = Signal(str)
    sig_model_switch_failed = Signal(str)  # why; the previous model is still in use
    sig_settings_applied = Signal(object)  # Settings
    sig_context_counted = Signal(int, int, bool)  # tokens, window, exact

    def __init__(
        self,
        engine: Any,
        catalog: Catalog,
        paths: AppPaths,
        parent: QWidget | None = None,
        *,
        settings: Settings | None = None,
        prompts: UserPrompts | None = None,
        services: ModelServices | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._catalog = catalog
        self._paths = paths
        self.settings = settings or Settings()
        self.settings_store = SettingsStore(paths.config_dir)
        self.prompts = prompts or UserPrompts(self.settings_store.prompts_path, Catalog.default())
        self._services = services or ModelServices()
        self._load_task: asyncio.Task | None = None
        self._switch_task: asyncio.Task | None = None
        self._count_task: asyncio.Task | None = None
        self._count_number = 0
        self._meter_request: tuple[str, dict[str, str]] = ("rewrite", {"style": "clearer"})
        self.settings_dialog: SettingsDialog | None = None
        self.prompt_editor: PromptEditor | None = None
        self.custom_actions: dict[str, QAction] = {}
        self._theme_applied = False  # the app's palette is left alone until a theme is chosen
        self._last_language = "French"
        self.first_paint = FirstPaint(self)  # the app starts the engine when it fires
        self.resize(1000, 720)

        self.editor = Editor(self)
        self.notice = NoticeBar(self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notice)
        column.addWidget(self.editor, 1)
        self.setCentralWidget(central)
        self.document = DocumentController(self.editor, paths, self)
        self.recovery_dialog: RecoveryDialog | None = None
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.suggestions = SuggestionController(self.editor, engine, catalog, self, self.settings.generation)
        self.review = ReviewController(self.editor, engine, self.suggestions.requests, self)
        self.review_panel = ReviewPanel(self.review, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_panel)
        self.review_panel.hide()

        self.assistant_actions = QActionGroup(self)
        self.assistant_actions.setExclusive(False)
        self._build_menus()
        self.assistant_actions.setEnabled(False)
        self.editor.extra_context_actions = self._add_context_actions
        editor_settings = self.settings.editor
        self.spelling = SpellChecker(
            self.editor,
            self._dictionary_maker(editor_settings),
            editor_settings.spelling_language,
            enabled=editor_settings.spell_check,
        )
        self.editor.spelling_actions = self.spelling.add_actions

        self.word_counter = WordCounter(self.editor.document(), self)
        self.word_counter.sig_counted.connect(self.status.set_counts)
        self.editor.document().modificationChanged.connect(self._update_title)
        self.document.sig_path_changed.connect(self._update_title)
        self.document.sig_error.connect(self.status.show_error)
        self.document.sig_notice.connect(lambda text: self.notice.show_notice(text))
        self.document.sig_changed_on_disk.connect(self._changed_on_disk)
        self.document.sig_autosaved.connect(
            lambda when: self.status.set_saved(time.strftime("Autosaved %H:%M:%S", time.localtime(when)))
        )
        self.sig_model_ready.connect(self._model_ready)
        self.sig_model_failed.connect(self._model_failed)
        self.suggestions.sig_error.connect(self.status.show_error)
        self.suggestions.sig_hint.connect(self.status.show_hint)
        self.suggestions.sig_phase_changed.connect(self._phase_changed)
        self.suggestions.sig_rate.connect(
            lambda rate: self.status.set_state(f"Generating · {rate:.1f} tok/s")
        )
        self.suggestions.sig_finished.connect(self._generation_finished)
        self.suggestions.sig_live_changed.connect(self._live_changed)
        self.suggestions.sig_started.connect(self._remember_meter_request)
        self.review.sig_error.connect(self.status.show_error)
        self.review.sig_progress.connect(
            lambda done, total: self.status.set_state(f"Reviewing · paragraph {done} of {total}")
        )
        self.review.sig_finished.connect(self.status.set_state)
        self.sig_model_switch_failed.connect(self._model_switch_failed)
        self._meter_timer = QTimer(self)
        self._meter_timer.setSingleShot(True)
        self._meter_timer.setInterval(300)
        self._meter_timer.timeout.connect(self.update_context_meter)
        self.editor.selectionChanged.connect(self._meter_timer.start)
        self.editor.cursorPositionChanged.connect(self._meter_timer.start)
        self._live_changed(False)
        self.apply_editor_settings(self.settings.editor)
        self.word_counter.count_now()
        self._update_title()

    # -- menus -------------------------------------------------------------------

    def _action(
        self, text: str, slot: Any, shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _assistant(self, text: str, slot: Any, key: tuple[str, str | None] | None = None) -> QAction:
        action = self._action(text, slot, SHORTCUTS.get(key) if key else None)
        self.assistant_actions.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&New", self.new_document, QKeySequence.StandardKey.New))
        file_menu.addAction(self._action("&Open…", self.open_dialog, QKeySequence.StandardKey.Open))
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.save_action = self._action("&Save", self.save, QKeySequence.StandardKey.Save)
        file_menu.addAction(self.save_action)
        file_menu.addAction(self._action("Save &As…", self.save_as_dialog, QKeySequence.StandardKey.SaveAs))
        file_menu.addAction(self._action("&Close", self.close_document, QKeySequence.StandardKey.Close))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.editor.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("&Redo", self.editor.redo, QKeySequence.StandardKey.Redo)
        self.editor.undoAvailable.connect(self.undo_action.setEnabled)
        self.editor.redoAvailable.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("Cu&t", self.editor.cut, QKeySequence.StandardKey.Cut))
        edit_menu.addAction(self._action("&Copy", self.editor.copy, QKeySequence.StandardKey.Copy))
        edit_menu.addAction(self._action("&Paste", self.editor.paste, QKeySequence.StandardKey.Paste))
        edit_menu.addAction(
            self._action("Select &All", self.editor.selectAll, QKeySequence.StandardKey.SelectAll)
        )
        edit_menu.addSeparator()
        self.preferences_action = self._action("Pr&eferences…", self.open_preferences, "Ctrl+,")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(self.preferences_action)

        self.assistant_menu = bar.addMenu("&Assistant")
        self.rewrite_menu = QMenu("&Rewrite", self)
        self.rewrite_actions: dict[str, QAction] = {}
        for style in self._catalog.get("rewrite").styles:
            action = self._assistant(
                style.capitalize(), lambda _=False, s=style: self.run("rewrite", style=s), ("rewrite", style)
            )
            self.rewrite_actions[style] = action
            self.rewrite_menu.addAction(action)
        self.assistant_menu.addMenu(self.rewrite_menu)
        self.proofread_action = self._assistant(
            "&Proofread", lambda: self.run("proofread"), ("proofread", None)
        )
        self.summarize_action = self._assistant(
            "&Summarize", lambda: self.run("summarize"), ("summarize", None)
        )
        self.translate_menu = QMenu("&Translate", self)
        self.translate_action = self._assistant("Translate to…", self.translate_dialog, ("translate", None))
        self.translate_menu.addAction(self.translate_action)
        self.translate_menu.addSeparator()
        for language in LANGUAGES:
            self.translate_menu.addAction(
                self._assistant(language, lambda _=False, lang=language: self.translate(lang))
            )
        self.continue_action = self._assistant("&Continue", lambda: self.run("continue"), ("continue", None))
        self.draft_action = self._assistant("&Draft…", self.draft_dialog, ("draft", None))
        self.palette_action = self._assistant("Ask (&custom instruction)…", self.open_palette)
        self.palette_action.setShortcut(QKeySequence("Ctrl+K"))
        for item in (self.proofread_action, self.summarize_action):
            self.assistant_menu.addAction(item)
        self.review_action = self._assistant("Re&view document…", self.review_dialog)
        self.review_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.next_suggestion_action = self._action("Next review suggestion", self.review.next, "F8")
        self.previous_suggestion_action = self._action(
            "Previous review suggestion", self.review.previous, "Shift+F8"
        )
        for item in (self.review_action, self.next_suggestion_action, self.previous_suggestion_action):
            self.assistant_menu.addAction(item)
        self.assistant_menu.addMenu(self.translate_menu)
        for item in (self.continue_action, self.draft_action, self.palette_action):
            self.assistant_menu.addAction(item)
        self.custom_menu = QMenu("&My operations", self)
        self.custom_menu_action = self.assistant_menu.addMenu(self.custom_menu)
        self.prompts_action = self._action("Edit &prompts and operations…", self.open_prompt_editor)
        self.assistant_menu.addAction(self.prompts_action)
        self.assistant_menu.addSeparator()
        self.accept_action = self._action("Accept suggestion\tTab", self.suggestions.accept)
        self.reject_action = self._action("Reject suggestion\tEsc", self.suggestions.reject)
        self.stop_action = self._action("Stop generating", self.suggestions.stop, "Ctrl+.")
        self.retry_action = self._action("Retry", self.suggestions.retry, "Ctrl+Shift+Y")
        self.diff_action = self._action("Show changes", self._toggle_diff, "Ctrl+Shift+G")
        for item in (
            self.accept_action,
            self.reject_action,
            self.stop_action,
            self.retry_action,
            self.diff_action,
        ):
            self.assistant_menu.addAction(item)

        toolbar = QToolBar("Assistant", self)
        toolbar.setObjectName("AssistantToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        for action in (
            self.rewrite_actions["clearer"],
            self.rewrite_actions["shorter"],
            self.proofread_action,
            self.summarize_action,
            self.continue_action,
            self.palette_action,
        ):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.stop_action)
        self._rebuild_custom_actions()
        self.rewrite_actions["clearer"].setIconText("Clearer")
        self.rewrite_actions["shorter"].setIconText("Shorter")
        self.palette_action.setIconText("Ask…")
        self.stop_action.setIconText("Stop")

    def _add_context_actions(self, menu: QMenu) -> None:
        if not self.assistant_actions.isEnabled():
            return
        menu.addSeparator()
        menu.addMenu(self.rewrite_menu)
        menu.addAction(self.proofread_action)
        menu.addAction(self.summarize_action)
        menu.addMenu(self.translate_menu)
        menu.addAction(self.continue_action)
        if self.custom_actions:
            menu.addMenu(self.custom_menu)
        menu.addAction(self.palette_action)

    def commands(self) -> list[Command]:
        commands = [
            Command(f"Rewrite: {style}", "rewrite", {"style": style})
            for style in self._catalog.get("rewrite").styles
        ]
        commands += [Command("Proofread", "proofread"), Command("Summarize", "summarize")]
        commands += [Command(f"Translate to {lang}", "translate", {"language": lang}) for lang in LANGUAGES]
        commands += [Command("Continue writing", "continue")]
        commands += [
            Command(f"★ {op.label}", name) for name, op in self._catalog.operations.items() if op.custom
        ]
        return commands

    # -- running operations ------------------------------------------------------

    def run(self, operation: str, **options: str) -> bool:
        if self.review.active:  # one job stream at a time, and no suggestion over a review's
            self.status.show_error(
                "A review is open: finish it in the Review panel (accept, reject or stop) first."
            )
            return False
        return self.suggestions.start(operation, **options)

    def review_choices(self) -> dict[str, tuple[str, str | None]]:
        """What a review can run: proofreading and each rewrite style."""
        choices: dict[str, tuple[str, str | None]] = {"Proofread": ("proofread", None)}
        for style in self._catalog.get("rewrite").styles:
            choices[f"Rewrite: {style}"] = ("rewrite", style)
        return choices

    def review_dialog(self) -> None:
        choices = self.review_choices()
        where = "the selection" if self.editor.textCursor().hasSelection() else "the whole document"
        label, ok = QInputDialog.getItem(
            self, "Review", f"Go through {where}, paragraph by paragraph, and:", list(choices), 0, False
        )
        if ok:
            self.start_review(*choices[label])

    def start_review(self, operation: str, style: str | None = None) -> bool:
        """Start a review pass; its suggestions appear in place and in the Review panel."""
        if self.suggestions.live is not None:
            self.status.show_error("Accept or reject the suggestion first, then review.")
            return False
        started = self.review.start(operation, style=style)
        if started:
            self.review_panel.show()
        return started

    def translate(self, language: str) -> bool:
        self._last_language = language
        return self.run("translate", language=language)

    def translate_dialog(self) -> None:
        languages = [self._last_language, *(lang for lang in LANGUAGES if lang != self._last_language)]
        language, ok = QInputDialog.getItem(
            self, "Translate", "Translate the selection into:", languages, 0, True
        )
        if ok and language.strip():
            self.translate(language.strip())

    def draft_dialog(self) -> None:
        if self.editor.textCursor().hasSelection():
            self.run("draft")
            return
        topic, ok = QInputDialog.getMultiLineText(
            self, "Draft", "What should the passage be about? (a topic, keywords or an outline)"
        )
        if ok:
            self.suggestions.start("draft", topic=topic)

    def open_palette(self) -> None:
        palette = CommandPalette(self.commands(), self)
        palette.sig_command.connect(self._run_command)
        palette.open()

    def _run_command(self, command: Command) -> None:
        op = self._catalog.operations.get(command.operation)
        if op is not None and op.custom:
            self.run_custom(command.operation)
            return
        self.run(command.operation, **command.options)

    # -- the writer's own operations --------------------------------------------

    def _rebuild_custom_actions(self) -> None:
        """One action per custom operation, in the menu, the context menu and the palette."""
        for action in self.custom_actions.values():
            self.assistant_actions.removeAction(action)
            action.deleteLater()
        self.custom_actions = {}
        self.custom_menu.clear()
        for name, op in self._catalog.operations.items():
            if not op.custom:
                continue
            action = self._action(op.label, lambda _=False, n=name: self.run_custom(n))
            if op.shortcut:
                action.setShortcut(QKeySequence(op.shortcut))
            action.setToolTip(f"Your operation {name!r}")
            self.assistant_actions.addAction(action)
            self.custom_menu.addAction(action)
            self.custom_actions[name] = action
        self.custom_menu_action.setVisible(bool(self.custom_actions))
        ready = self._engine.info is not None and self.assistant_actions.isEnabled()
        for action in self.custom_actions.values():
            action.setEnabled(ready)

    def run_custom(self, name: str) -> bool:
        op = self._catalog.get(name)
        if op.needs_language:
            language, ok = QInputDialog.getItem(
                self, op.label, "Language:", [self._last_language, *LANGUAGES], 0, True
            )
            if not ok or not language.strip():
                return False
            self._last_language = language.strip()
            return self.run(name, language=language.strip())
        return self.run(name)

    def set_catalog(self, catalog: Catalog) -> None:
        """Edited prompts and new operations take effect at once, everywhere."""
        self._catalog = catalog
        self._engine.set_catalog(catalog)
        self.suggestions.set_catalog(catalog)
        self._rebuild_custom_actions()
        self._meter_timer.start()

    def taken_shortcuts(self) -> set[str]:
        keys = set()
        for action in self.findChildren(QAction):
            if action.shortcut().isEmpty() or action in self.custom_actions.values():
                continue
            keys.add(action.shortcut().toString(QKeySequence.SequenceFormat.PortableText))
        return keys

    def open_prompt_editor(self, operation: str | None = None) -> PromptEditor:
        def build(name: str, style: str | None) -> Any:
            op = self._catalog.get(name)
            if op.styles and style is None:
                style = next(iter(op.styles))
            language = self._last_language if op.needs_language else None
            instruction = "Make it more vivid." if op.needs_instruction else None
            topic = None
            if name == "draft" and not self.editor.textCursor().hasSelection():
                topic = "A short note about the benefits of walking to work."
            return self.suggestions.build_request(
                name, style=style, language=language, instruction=instruction, topic=topic
            )

        editor = PromptEditor(
            self.prompts,
            build,
            lambda request, catalog: self._engine.render(request, catalog),
            self.taken_shortcuts(),
            self,
        )
        editor.sig_catalog_changed.connect(self.set_catalog)
        if operation:
            editor.select(operation)
        self.prompt_editor = editor
        editor.open()
        return editor

    # -- settings ------------------------------------------------------------------

    def open_preferences(self) -> SettingsDialog:
        dialog = SettingsDialog(
            self.settings,
            self._services.estimate,
            self._services.download,
            self._engine.info,
            process_memory(),
            self,
        )
        dialog.sig_apply.connect(self.apply_settings)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, new: Settings) -> None:
        """Apply what changed: the editor at once, the model in the background."""
        old = self.settings
        self.settings = new
        self._save_settings()
        self.suggestions.set_generation(new.generation)
        self.apply_editor_settings(new.editor)
        if model_changed(old, new):
            self.switch_model(new, old)
        self.sig_settings_applied.emit(new)

    def _save_settings(self) -> None:
        try:
            self.settings_store.save(self.settings)
        except OSError as exc:
            self.status.show_error(f"The settings could not be saved: {exc.strerror or exc}.")

    def _dictionary_maker(self, editor: EditorSettings) -> Callable[[], Dictionary]:
        personal = self.settings_store.config_dir / PERSONAL_FILE
        language = editor.spelling_language
        return lambda: Dictionary(language, PersonalWords(personal))

    def apply_editor_settings(self, editor: EditorSettings) -> None:
        apply_editor_font(self.editor, editor)
        if self.spelling.language != editor.spelling_language:
            self.spelling.set_dictionary(self._dictionary_maker(editor), editor.spelling_language)
        self.spelling.set_enabled(editor.spell_check)
        self.suggestions.set_spelling_language(editor.spelling_language)
        app = QApplication.instance()
        if isinstance(app, QApplication) and (editor.theme != "system" or self._theme_applied):
            apply_theme(app, editor.theme)
            self._theme_applied = True
        self.document.autosaver.set_longest_wait(editor.autosave_seconds * 1000)

    def switch_model(self, new: Settings, old: Settings) -> None:
        """Load the new model beside the old one; the old one stays if the new one fails."""
        spec = spec_for(new)
        maker = self._services.backend_maker(new.model, new.server, self._catalog)
        self.status.set_model(f"{spec.display_name} · loading")
        self.status.set_state("Switching model…")
        self.status.progress.show()
        self.assistant_actions.setEnabled(False)
        self._switch_task = asyncio.ensure_future(self._switch(maker, spec, old))

    async def _switch(self, maker: Any, spec: Any, old: Settings) -> None:
        try:
            info = await asyncio.wrap_future(self._engine.switch(maker, spec))
        except InkwellError as exc:
            message = exc.message
        except Exception as exc:
            message = f"The model could not be loaded: {type(exc).__name__}: {exc}"
        else:
            self.sig_model_ready.emit(info)
            return
        self.settings = replace(self.settings, model=old.model, server=old.server)
        self._save_settings()
        self.sig_model_switch_failed.emit(message)

    def _model_switch_failed(self, message: str) -> None:
        info = self._engine.info
        if info is None:
            self._model_failed(message)
            return
        self.status.progress.hide()
        self._show_model(info)
        self.status.set_state("Ready")
        self.assistant_actions.setEnabled(True)
        text = f"The new model was not loaded: {message} Still using {info.name}."
        self.status.show_error(text)
        self.notice.show_notice(text, [("Preferences…", self.open_preferences)])
        if self.settings_dialog is not None:
            self.settings_dialog.show_loaded(info, process_memory())

    # -- the context meter -------------------------------------------------------

    def _remember_meter_request(self, request: Any) -> None:
        options = {"style": request.style} if request.style else {}
        if request.language:
            options["language"] = request.language
        if request.instruction:
            options["instruction"] = request.instruction
        self._meter_request = (request.operation, options)

    def update_context_meter(self) -> None:
        """Count the tokens the selection plus the prompt would take, before anything runs."""
        info = self._engine.info
        if info is None or not self.editor.textCursor().hasSelection():
            self.status.clear_context("Select text to see how much of the model's context it takes.")
            return
        operation, options = self._meter_request
        op = self._catalog.operations.get(operation)
        if op is None or not op.rewrite_like:
            operation, options = "rewrite", {"style": "clearer"}
            op = self._catalog.get(operation)
        try:
            request = self.suggestions.build_request(operation, **options)
        except InkwellError:
            self.status.clear_context()
            return
        self._count_number += 1
        label = op.label + (f" ({options['style']})" if "style" in options else "")
        self._count_task = asyncio.ensure_future(self._count(self._count_number, request, label))

    async def _count(self, number: int, request: Any, label: str) -> None:
        try:
            tokens, exact = await asyncio.wrap_future(self._engine.count_prompt_tokens(request))
        except Exception:  # the meter is a hint; a failure shows nothing rather than an error
            return
        info = self._engine.info
        if number != self._count_number or info is None:
            return
        self.status.set_context(tokens, info.context_window, exact, label)
        self.sig_context_counted.emit(tokens, info.context_window, exact)

    def _toggle_diff(self) -> None:
        self.suggestions.bar.diff_button.toggle()

    # -- model -------------------------------------------------------------------

    def start_loading(self, spec: Any) -> None:
        self.status.set_model(f"{spec.display_name} · loading")
        self.status.set_state("Loading model…")
        self.status.progress.show()
        self._load_task = asyncio.ensure_future(self._load(spec))

    async def _load(self, spec: Any) -> None:
        try:
            info = await asyncio.wrap_future(self._engine.load(spec))
        except InkwellError as exc:
            self.sig_model_failed.emit(exc.message)
        except Exception as exc:
            self.sig_model_failed.emit(f"The model could not be loaded: {type(exc).__name__}: {exc}")
        else:
            self.sig_model_ready.emit(info)

    def _show_model(self, info: ModelInfo) -> None:
        where = info.device if info.kind == "server" else f"{info.device.upper()} {info.dtype}"
        self.status.set_model(
            f"{info.name} · {where}",
            f"{info.parameters / 1e6:.0f}M parameters, context {info.context_window:,} tokens. "
            f"Device: {info.device_reason}.",
        )

    def _model_ready(self, info: ModelInfo) -> None:
        self.status.progress.hide()
        self._show_model(info)
        self.status.set_state("Ready")
        self.assistant_actions.setEnabled(True)
        self._meter_timer.start()
        if self.settings_dialog is not None:
            self.settings_dialog.show_loaded(info, process_memory())
        if info.device_fallback:  # never silent: the writer asked for something else
            self.notice.show_notice(f"⚠ {info.device_reason}.", [("Preferences…", self.open_preferences)])
        for concern in (
            info.device_reason if info.device_fallback else "",
            info.warning,
            info.precision_note,
        ):
            if concern:
                self.status.show_error(concern)
                break

    def _model_failed(self, message: str) -> None:
        self.status.progress.hide()
        self.status.set_model("No model")
        self.status.set_state("Unavailable")
        self.status.show_error(message)
        self.assistant_actions.setEnabled(False)
        answers: list[tuple[str, Callable[[], object]]] = [("Preferences…", self.open_preferences)]
        if self.settings.uses_server or self.settings.model.source != "bundled":
            answers.insert(0, ("Use the bundled model", self.use_bundled_model))
        self.notice.show_notice(f"No model is loaded: {message}", answers)

    def use_bundled_model(self) -> None:
        bundled = replace(self.settings, model=replace(self.settings.model, source="bundled", location=""))
        self.apply_settings(bundled)

    def _phase_changed(self, phase: str) -> None:
        if phase == "streaming":
            self.status.set_state("Generating…")
        elif phase == "stopped":
            self.status.set_state("Stopped")
        elif self.assistant_actions.isEnabled():
            self.status.set_state("Ready")
        self.stop_action.setEnabled(phase == "streaming")
        self.diff_action.setEnabled(phase in ("done", "stopped"))

    def _live_changed(self, live: bool) -> None:
        for action in (self.accept_action, self.reject_action, self.retry_action):
            action.setEnabled(live)
        if not live:
            self.stop_action.setEnabled(False)
            self.diff_action.setEnabled(False)

    def _generation_finished(self, result: Any) -> None:
        if result.tokens_per_s:
            self.status.set_state(f"Done · {result.new_tokens} tokens · {result.tokens_per_s:.1f} tok/s")
        elif result.stop_reason != "cancelled" and not result.new_tokens:  # judged edits (Proofread)
            count = len(result.edits)
            self.status.set_state(
                f"Done · {count} correction{'s' if count != 1 else ''}"
                if count
                else "Done · no mistakes found"
            )

    # -- document ----------------------------------------------------------------

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.name}[*] — Inkwell")
        self.setWindowModified(self.editor.document().isModified())
        self.status.set_format(self.document.format.label)

    def load_file(self, path: Path) -> bool:
        """Open `path` in place of the current document (which the caller has settled)."""
        self.suggestions.reject()
        self.review.close_review()
        self.notice.hide()
        return self.document.load(path)

    def save_to(self, path: Path) -> bool:
        return self.document.save_to(path)

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as_dialog()
        return self.save_to(self.document.path)

    def save_as_dialog(self) -> bool:
        start = str(self.document.path or Path.home() / "Untitled.md")
        name, _ = QFileDialog.getSaveFileName(self, "Save as", start, "Text (*.txt *.md);;All files (*)")
        return self.save_to(Path(name)) if name else False

    def open_dialog(self) -> None:
        if not self._may_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Open", "", "Text (*.txt *.md);;All files (*)")
        if name:
            self.load_file(Path(name))

    def open_recent(self, path: Path) -> None:
        if self._may_discard():
            self.load_file(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.document.recent.paths
        for index, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{index % 10} {path.name}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_recent(p))
        if not paths:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    def new_document(self) -> None:
        if self._may_discard():
            self.suggestions.reject()
            self.review.close_review()
            self.notice.hide()
            self.document.new()

    close_document = new_document

    def _may_discard(self) -> bool:
        """Ask before unsaved changes are lost; True when it is fine to go on."""
        if not self.editor.document().isModified():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{self.document.name} has unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.document.discard_changes()
            return True
        return False

    # -- outside changes and recovery -------------------------------------------

    def _changed_on_disk(self, name: str) -> None:
        mine = " Your unsaved changes are kept unless you reload." if self.document.modified else ""
        self.notice.show_notice(
            f"{name} was changed by another program.{mine}",
            [("Reload", self.document.reload), ("Keep mine", self.document.keep_mine)],
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.document.check_disk()
        super().changeEvent(event)

    def offer_recovery(self) -> bool:
        """Offer what a crashed session left behind; True if there was something."""
        orphans = self.document.orphans()
        if not orphans:
            return False
        self.recovery_dialog = RecoveryDialog(orphans, self)
        self.recovery_dialog.sig_restore.connect(self.document.restore)
        self.recovery_dialog.sig_discard.connect(self.document.discard_orphan)
        self.recovery_dialog.open()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard():
            event.ignore()
            return
        for dialog in (self.settings_dialog, self.prompt_editor):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
        self._meter_timer.stop()
        self.suggestions.shutdown()
        self.review.close_review()
        self.document.close()
        for task in (self._load_task, self._switch_task, self._count_task):
            if task is not None:
                task.cancel()
        event.accept()
