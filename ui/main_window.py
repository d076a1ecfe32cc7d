"""The main window: it holds the editor, the panels and the controllers together, and
keeps the slots its menus call.

Menus and shortcuts are built in ui/actions.py, the model is loaded and switched by
ui/controllers/model.py, documents live in ui/controllers/documents.py. The engine, the
prompt catalog and the settings are handed in. The window shows at once; the model loads
on the engine thread, and the assistant's actions are enabled by the signal that says it
is ready.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from engine.app_paths import AppPaths
from engine.asking.history import ConversationStore
from engine.documents import encodings
from engine.documents.recovery import RecoveredDocument
from engine.documents.suggestion_history import SuggestionHistory
from engine.errors import InputError
from engine.fidelity.spelling import PERSONAL_FILE, Dictionary, PersonalWords
from engine.jobs import ModelInfo, Request
from engine.models.spec import LoadSpec
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import UserPrompts
from engine.settings import EditorSettings, Settings, SettingsStore
from ui.actions import WindowActions
from ui.controllers.ask import AskController
from ui.controllers.context_meter import ContextMeter
from ui.controllers.documents import DocumentController
from ui.controllers.history import HistoryController
from ui.controllers.model import ModelController
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
from ui.editor.wording_marks import WordingMarks
from ui.first_paint import FirstPaint
from ui.panels.ask_panel import AskPanel
from ui.panels.history_panel import HistoryPanel
from ui.panels.notice_bar import NoticeBar
from ui.panels.review_panel import ReviewPanel
from ui.panels.status_bar import StatusBar
from ui.theme import apply_editor_font, apply_theme
from ui.translations import LANGUAGE_NAMES, interface_language


class MainWindow(QMainWindow):
    sig_settings_applied = Signal(object)  # Settings

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
        self._settings_before_switch: Settings | None = None  # restored if the switch fails
        self.settings_dialog: SettingsDialog | None = None
        self.prompt_editor: PromptEditor | None = None
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
        self.history_store = SuggestionHistory(paths.data_dir / "history")
        self.history = HistoryController(self.history_store, self.offer_again, self)
        self.document = DocumentController(
            self.editor, paths, self, unsaved_history=self.history.unsaved_records
        )
        self.recovery_dialog: RecoveryDialog | None = None
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.suggestions = SuggestionController(self.editor, engine, catalog, self, self.settings.generation)
        self.review = ReviewController(self.editor, engine, self.suggestions.requests, self)
        self.review_panel = ReviewPanel(self.review, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_panel)
        self.review_panel.hide()
        self.conversations = ConversationStore(paths.data_dir / "conversations")
        self.ask = AskController(
            self.editor, engine, self.suggestions.requests, self.conversations, self._ask_busy, self
        )
        self.ask_panel = AskPanel(self.ask, self)
        self.ask_panel.on_insert = self.insert_answer
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.ask_panel)
        self.ask_panel.hide()
        self.history_panel = HistoryPanel(self.history, self._operation_label, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_panel)
        self.history_panel.hide()
        self.suggestions.sig_settled.connect(self.history.record)
        self.review.sig_settled.connect(self.history.record_all)
        self.history.sig_changed.connect(self.document.autosaver.history_changed)

        self.model = ModelController(engine, self)
        self.menu_actions = WindowActions(self, catalog)
        self.editor.extra_context_actions = self.menu_actions.add_context_actions
        self.meter = ContextMeter(
            self.editor, engine, self.suggestions, self.status, lambda: self._catalog, self
        )
        editor_settings = self.settings.editor
        self.spelling = SpellChecker(
            self.editor,
            self._dictionary_maker(editor_settings),
            editor_settings.spelling_language,
            enabled=editor_settings.spell_check,
        )
        self.wording = WordingMarks(self.editor)

        def context_actions(menu: QMenu, point: QPoint) -> None:
            self.wording.add_actions(menu, point)  # lower in the menu than the spelling
            self.spelling.add_actions(menu, point)

        self.editor.spelling_actions = context_actions

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
        self.model.sig_loading.connect(self._model_loading)
        self.model.sig_progress.connect(self.status.show_load_step)
        self.model.sig_ready.connect(self._model_ready)
        self.model.sig_failed.connect(self._model_failed)
        self.model.sig_switch_failed.connect(self._model_switch_failed)
        self.suggestions.sig_error.connect(self.status.show_error)
        self.suggestions.sig_hint.connect(self.status.show_hint)
        self.suggestions.sig_phase_changed.connect(self._phase_changed)
        self.suggestions.sig_rate.connect(
            lambda rate: self.status.set_state(self.tr("Generating · {0:.1f} tok/s").format(rate))
        )
        self.suggestions.sig_finished.connect(self._generation_finished)
        self.suggestions.sig_live_changed.connect(self.menu_actions.show_live)
        self.review.sig_error.connect(self.status.show_error)
        self.review.sig_progress.connect(
            lambda done, total: self.status.set_state(
                self.tr("Reviewing · paragraph {0} of {1}").format(done, total)
            )
        )
        self.review.sig_finished.connect(self.status.set_state)
        self.ask.sig_error.connect(self.status.show_error)
        self.history.sig_error.connect(self.status.show_error)
        self.menu_actions.show_live(False)
        self.apply_editor_settings(self.settings.editor)
        self.word_counter.count_now()
        self._update_title()

    # -- menus -------------------------------------------------------------------

    # -- running operations ------------------------------------------------------

    def run(self, operation: str, **options: str) -> bool:
        if self._catalog.get(operation).pipeline == "ask":  # from the command palette
            self.open_ask()
            return True
        if self.review.active:  # one job stream at a time, and no suggestion over a review's
            self.status.show_error(
                self.tr("A review is open: finish it in the Review panel (accept, reject or stop) first.")
            )
            return False
        return self.suggestions.start(operation, **options)

    def open_ask(self) -> None:
        """Show the Ask panel with the cursor in its question box."""
        self.ask_panel.focus_question()

    def _ask_busy(self) -> str:
        """Why a question cannot run now: one job stream at a time, as for suggestions."""
        if self.review.running:
            return self.tr("A review is running: ask when it has finished, or stop it.")
        if self.suggestions.phase == "streaming":
            return self.tr("A suggestion is being written: ask when it is done, or stop it.")
        return ""

    def insert_answer(self, text: str) -> None:
        """An answer from the Ask panel, at the cursor, as a suggestion to accept or reject."""
        if self.review.active:
            self.status.show_error(self.tr("A review is open: finish it in the Review panel first."))
            return
        question = next((t.question for t in reversed(self.ask.turns) if t.found), "?")
        request = Request("ask", self.editor.toPlainText() or " ", instruction=question)
        if self.suggestions.offer(text, request):
            self.editor.setFocus()

    def offer_again(self, text: str, request: Request) -> bool:
        """A suggestion from the History panel, at the cursor, to accept or reject again."""
        if self.review.active:
            self.status.show_error(self.tr("A review is open: finish it in the Review panel first."))
            return False
        offered = self.suggestions.offer(text, request)
        if offered:
            self.editor.setFocus()
        return offered

    def open_history(self) -> None:
        self.history_panel.open()

    def _operation_label(self, name: str) -> str:
        """An operation's name as the menus show it (its own name once it was deleted)."""
        try:
            return self._catalog.get(name).label_in(interface_language())
        except InputError:
            return name

    def review_choices(self) -> dict[str, tuple[str, str | None]]:
        """What a review can run: each operation the catalog marks `review`, by the label
        the window shows; those without styles first (Proofread is the dialog's default),
        then one choice per style."""
        language = interface_language()
        marked = [op for op in self._catalog.operations.values() if op.review]
        choices: dict[str, tuple[str, str | None]] = {
            op.label_in(language): (op.name, None) for op in marked if not op.styles
        }
        for op in marked:
            for style in op.styles:
                label = self.tr("{0}: {1}").format(op.label_in(language), op.style_label(style, language))
                choices[label] = (op.name, style)
        return choices

    def review_dialog(self) -> None:
        choices = self.review_choices()
        where = (
            self.tr("the selection")
            if self.editor.textCursor().hasSelection()
            else self.tr("the whole document")
        )
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Review"),
            self.tr("Go through {0}, paragraph by paragraph, and:").format(where),
            list(choices),
            0,
            False,
        )
        if ok:
            self.start_review(*choices[label])

    def start_review(self, operation: str, style: str | None = None) -> bool:
        """Start a review pass; its suggestions appear in place and in the Review panel."""
        if self.suggestions.live is not None:
            self.status.show_error(self.tr("Accept or reject the suggestion first, then review."))
            return False
        started = self.review.start(operation, style=style)
        if started:
            self.review_panel.show()
        return started

    def run_in_language(self, operation: str, language: str) -> bool:
        self._last_language = language
        return self.run(operation, language=language)

    def language_dialog(self, operation: str) -> None:
        """Ask which language an operation that needs one (Translate) works in."""
        op, shown = self._catalog.get(operation), interface_language()
        languages = [self._last_language, *(lang for lang in LANGUAGE_NAMES if lang != self._last_language)]
        language, ok = QInputDialog.getItem(
            self,
            op.label_in(shown),
            self.tr("{0} the selection into:").format(op.action_in(shown) or op.label_in(shown)),
            languages,
            0,
            True,
        )
        if ok and language.strip():
            self.run_in_language(operation, language.strip())

    def topic_dialog(self, operation: str) -> None:
        """An operation that reads a topic (Draft) runs on the selection, or asks for one."""
        if self.editor.textCursor().hasSelection():
            self.run(operation)
            return
        topic, ok = QInputDialog.getMultiLineText(
            self,
            self._catalog.get(operation).label_in(interface_language()),
            self.tr("What should the passage be about? (a topic, keywords or an outline)"),
        )
        if ok:
            self.suggestions.start(operation, topic=topic)

    def open_palette(self) -> None:
        palette = CommandPalette(self.menu_actions.commands(), self)
        palette.sig_command.connect(self._run_command)
        palette.open()

    def _run_command(self, command: Command) -> None:
        op = self._catalog.operations.get(command.operation)
        if op is not None and op.custom:
            self.run_custom(command.operation)
            return
        self.run(command.operation, **command.options)

    # -- the writer's own operations --------------------------------------------

    def run_custom(self, name: str) -> bool:
        op = self._catalog.get(name)
        if op.needs_language:
            language, ok = QInputDialog.getItem(
                self, op.label, self.tr("Language:"), [self._last_language, *LANGUAGE_NAMES], 0, True
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
        self.menu_actions.rebuild_custom(catalog)
        self.meter.schedule()

    def open_prompt_editor(self, operation: str | None = None) -> PromptEditor:
        def build(name: str, style: str | None) -> Any:
            op = self._catalog.get(name)
            if op.styles and style is None:
                style = next(iter(op.styles))
            language = self._last_language if op.needs_language else None
            instruction = "Make it more vivid." if op.needs_instruction else None
            topic = None
            if op.input == "topic" and not op.custom and not self.editor.textCursor().hasSelection():
                topic = "A short note about the benefits of walking to work."
            return self.suggestions.build_request(
                name, style=style, language=language, instruction=instruction, topic=topic
            )

        editor = PromptEditor(
            self.prompts,
            build,
            lambda request, catalog: self._engine.render(request, catalog),
            self.menu_actions.taken_shortcuts(),
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
        if new.editor.interface_language != old.editor.interface_language:
            # Menus and dialogs are built once, in the language of that moment.
            self.notice.show_notice(self.tr("The interface language changes the next time Inkwell starts."))
        self.sig_settings_applied.emit(new)

    def _save_settings(self) -> None:
        try:
            self.settings_store.save(self.settings)
        except OSError as exc:
            self.status.show_error(
                self.tr("The settings could not be saved: {0}.").format(exc.strerror or exc)
            )

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
        try:
            self.document.legacy_encoding = encodings.canonical(
                editor.legacy_encoding or encodings.locale_default()
            )
        except LookupError:  # a hand-edited settings file naming no codec Python knows
            self.document.legacy_encoding = encodings.locale_default()

    def switch_model(self, new: Settings, old: Settings) -> None:
        """Load the new model beside the old one; the old one stays if the new one fails."""
        self._settings_before_switch = old
        self.model.switch(self._services.backend_maker(new.model, self._catalog), spec_for(new))

    def _model_switch_failed(self, message: str) -> None:
        old = self._settings_before_switch
        if old is not None:  # what is saved names the model that is still in use
            self.settings = replace(self.settings, model=old.model, server=old.server)
            self._save_settings()
        info = self._engine.info
        if info is None:
            self._model_failed(message)
            return
        self.status.stop_loading()
        self._show_model(info)
        self.status.set_state(self.tr("Ready"))
        self.menu_actions.assistant.setEnabled(True)
        text = self.tr("The new model was not loaded: {0} Still using {1}.").format(message, info.name)
        self.status.show_error(text)
        self.notice.show_notice(text, [(self.tr("Preferences…"), self.open_preferences)])
        if self.settings_dialog is not None:
            self.settings_dialog.show_loaded(info, process_memory())

    # -- the context meter -------------------------------------------------------

    # -- model -------------------------------------------------------------------

    def start_loading(self, spec: LoadSpec) -> None:
        self.model.load(spec)

    def _model_loading(self, name: str, state: str) -> None:
        self.status.set_model(f"{name} · loading")
        self.status.start_loading(state)
        self.menu_actions.assistant.setEnabled(False)

    def _show_model(self, info: ModelInfo) -> None:
        where = info.device if info.kind == "server" else f"{info.device.upper()} {info.dtype}"
        self.status.set_model(
            f"{info.name} · {where}",
            self.tr("{0:.0f}M parameters, context {1:,} tokens. Device: {2}.").format(
                info.parameters / 1e6, info.context_window, info.device_reason
            ),
        )

    def _model_ready(self, info: ModelInfo) -> None:
        self.status.stop_loading()
        self._show_model(info)
        self.status.set_state(self.tr("Ready"))
        self.menu_actions.assistant.setEnabled(True)
        self.meter.schedule()
        if self.settings_dialog is not None:
            self.settings_dialog.show_loaded(info, process_memory())
        if info.device_fallback:  # never silent: the writer asked for something else
            self.notice.show_notice(
                f"⚠ {info.device_reason}.", [(self.tr("Preferences…"), self.open_preferences)]
            )
        for concern in (
            info.device_reason if info.device_fallback else "",
            info.warning,
            info.precision_note,
        ):
            if concern:
                self.status.show_error(concern)
                break

    def _model_failed(self, message: str) -> None:
        self.status.stop_loading()
        self.status.set_model(self.tr("No model"))
        self.status.set_state(self.tr("Unavailable"))
        self.status.show_error(message)
        self.menu_actions.assistant.setEnabled(False)
        answers: list[tuple[str, Callable[[], object]]] = [(self.tr("Preferences…"), self.open_preferences)]
        if self.settings.uses_server or self.settings.model.source != "bundled":
            answers.insert(0, (self.tr("Use the bundled model"), self.use_bundled_model))
        self.notice.show_notice(self.tr("No model is loaded: {0}").format(message), answers)

    def use_bundled_model(self) -> None:
        bundled = replace(self.settings, model=replace(self.settings.model, source="bundled", location=""))
        self.apply_settings(bundled)

    def _phase_changed(self, phase: str) -> None:
        if phase == "streaming":
            self.status.set_state(self.tr("Generating…"))
        elif phase == "stopped":
            self.status.set_state(self.tr("Stopped"))
        elif self.menu_actions.assistant.isEnabled():
            self.status.set_state(self.tr("Ready"))
        self.menu_actions.show_phase(phase)

    def _generation_finished(self, result: Any) -> None:
        if result.flags:  # Proofread's wording notes: offered in place, one by one, never applied
            words = ", ".join(f"“{flag.text}”" for flag in result.flags[:3])
            self.status.show_hint(
                self.tr("Wording to reconsider: {0} (underlined; right-click for alternatives)").format(words)
            )
        if result.tokens_per_s:
            self.status.set_state(
                self.tr("Done · {0} tokens · {1:.1f} tok/s").format(result.new_tokens, result.tokens_per_s)
            )
        elif result.stop_reason != "cancelled" and not result.new_tokens:  # judged edits (Proofread)
            count = len(result.edits)
            self.status.set_state(
                self.tr("Done · no mistakes found")
                if not count
                else self.tr("Done · 1 correction")
                if count == 1
                else self.tr("Done · {0} corrections").format(count)
            )

    # -- document ----------------------------------------------------------------

    def _update_title(self) -> None:
        self.setWindowTitle(self.tr("{0}[*] — Inkwell").format(self.document.name))
        self.setWindowModified(self.editor.document().isModified())
        self.status.set_format(self.document.format.label)

    def _leave_document(self) -> None:
        """Before another text takes the editor: what is provisional over this one goes."""
        self.suggestions.reject()
        self.review.close_review()
        self.notice.hide()

    def load_file(self, path: Path) -> bool:
        """Open `path` in place of the current document (which the caller has settled)."""
        self._leave_document()
        loaded = self.document.load(path)
        self.ask.set_document(self.document.path)
        self.history.set_document(self.document.path)
        return loaded

    def save_to(self, path: Path) -> bool:
        saved = self.document.save_to(path)
        if saved:
            self.ask.set_document(self.document.path, carry=True)
            self.history.set_document(self.document.path, carry=True)
        return saved

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as_dialog()
        return self.save_to(self.document.path)

    def reopen_with_encoding_dialog(self) -> bool:
        """Read the file again in an encoding the writer picks (unsaved changes asked first)."""
        if self.document.path is None:
            self.status.show_error(self.tr("Reopen with Encoding… needs a file that is saved on disk."))
            return False
        choice = self._encoding_choice(self.tr("Reopen with Encoding"), self.tr("Read the file as:"))
        if choice is None or not self._may_discard():
            return False
        self._leave_document()
        return self.document.reload(choice)

    def save_with_encoding_dialog(self) -> bool:
        """Convert the document to another encoding; refused, with the reason, if text does not fit."""
        choice = self._encoding_choice(self.tr("Save with Encoding"), self.tr("Save the file as:"))
        if choice is None:
            return False
        if self.document.path is None:
            before = self.document.format
            self.document.format = replace(before, encoding=choice, bom=False, fallback=False, guessed=False)
            if self.save_as_dialog():
                return True
            self.document.format = before
            return False
        saved = self.document.save_with_encoding(self.document.path, choice)
        self._update_title()
        return saved

    def _encoding_choice(self, title: str, prompt: str) -> str | None:
        labels = [choice.label for choice in encodings.CHOICES]
        now = encodings.canonical(self.document.format.encoding)
        current = next((i for i, c in enumerate(encodings.CHOICES) if c.codec == now), 0)
        label, ok = QInputDialog.getItem(self, title, prompt, labels, current, False)
        return encodings.CHOICES[labels.index(label)].codec if ok else None

    def save_as_dialog(self) -> bool:
        start = str(self.document.path or Path.home() / "Untitled.md")
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as"), start, self.tr("Text (*.txt *.md);;All files (*)")
        )
        return self.save_to(Path(name)) if name else False

    def open_dialog(self) -> None:
        if not self._may_discard():
            return
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open"), "", self.tr("Text (*.txt *.md);;All files (*)")
        )
        if name:
            self.load_file(Path(name))

    def open_recent(self, path: Path) -> None:
        if self._may_discard():
            self.load_file(path)

    def new_document(self) -> None:
        if self._may_discard():
            self._leave_document()
            self.document.new()
            self.ask.set_document(None)
            self.history.start_untitled()

    close_document = new_document

    def _may_discard(self) -> bool:
        """Ask before unsaved changes are lost; True when it is fine to go on."""
        if not self.editor.document().isModified():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("{0} has unsaved changes. Save them first?").format(self.document.name),
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
        mine = self.tr(" Your unsaved changes are kept unless you reload.") if self.document.modified else ""
        self.notice.show_notice(
            self.tr("{0} was changed by another program.{1}").format(name, mine),
            [(self.tr("Reload"), self.document.reload), (self.tr("Keep mine"), self.document.keep_mine)],
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.document.check_disk()
        super().changeEvent(event)

    def open_log_folder(self) -> bool:
        """Show the log in the file manager, so a writer can attach it to a report."""
        folder = self._paths.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def offer_recovery(self) -> bool:
        """Offer what a crashed session left behind; True if there was something."""
        orphans = self.document.orphans()
        if not orphans:
            return False
        self.recovery_dialog = RecoveryDialog(orphans, self)
        self.recovery_dialog.sig_restore.connect(self.restore_recovered)
        self.recovery_dialog.sig_discard.connect(self.document.discard_orphan)
        self.recovery_dialog.open()
        return True

    def restore_recovered(self, document: RecoveredDocument) -> None:
        """Bring back a crashed session's text with what went with it: the file's Ask
        conversation and suggestion history, or an untitled document's history from the copy."""
        self._leave_document()
        if document.source is None:
            self.history.start_untitled(document.history)  # before the copy is written again
        self.document.restore(document)
        self.ask.set_document(self.document.path)
        if document.source is not None:
            self.history.set_document(self.document.path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard():
            event.ignore()
            return
        for dialog in (self.settings_dialog, self.prompt_editor):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
        self.meter.shutdown()
        self.model.shutdown()
        self.suggestions.shutdown()
        self.ask.shutdown()
        self.review.close_review()
        self.document.close()
        self.conversations.prune()  # a deleted document keeps no history
        self.history_store.prune()
        event.accept()
