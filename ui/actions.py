"""Every menu, toolbar button and shortcut of the window, built in one place.

The window keeps the slots (what an action does); this module decides where each action
appears and which key starts it. Shortcuts of operations come from the catalog
(`resources/prompts.toml` for the built-in ones, the writer's prompts file for their own),
so built-in and custom operations are configured the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from engine.prompting.templates import Catalog, OperationTemplate
from ui.dialogs.command_palette import Command
from ui.translations import LANGUAGE_NAMES, interface_language, language_name, menu_text

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Shortcut = str | QKeySequence | QKeySequence.StandardKey


def operation_shortcut(catalog: Catalog, operation: str, style: str | None = None) -> str:
    """The key an operation (or one of its styles) has in the catalog; "" for none."""
    op = catalog.operations.get(operation)
    if op is None:
        return ""
    if style is not None:
        chosen = op.styles.get(style)
        return chosen.shortcut if chosen is not None else ""
    return op.shortcut


class WindowActions(QObject):
    """The window's actions, menus and toolbar. Assistant actions sit in one group that is
    enabled only while a model is ready."""

    def __init__(self, window: MainWindow, catalog: Catalog) -> None:
        super().__init__(window)
        self._window = window
        self._catalog = catalog
        self.assistant = QActionGroup(self)
        self.assistant.setExclusive(False)
        self.custom: dict[str, QAction] = {}
        self._build()
        self.assistant.setEnabled(False)

    def _action(self, text: str, slot: Any, shortcut: Shortcut | None = None) -> QAction:
        action = QAction(text, self._window)
        if shortcut is not None and shortcut != "":
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _assistant(self, text: str, slot: Any, shortcut: Shortcut | None = None) -> QAction:
        action = self._action(text, slot, shortcut)
        self.assistant.addAction(action)
        return action

    def _build(self) -> None:
        w, keys, catalog = self._window, QKeySequence.StandardKey, self._catalog
        bar = w.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self._action(self.tr("&New"), w.new_document, keys.New))
        file_menu.addAction(self._action(self.tr("&Open…"), w.open_dialog, keys.Open))
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        file_menu.addAction(self._action(self.tr("Reopen with E&ncoding…"), w.reopen_with_encoding_dialog))
        file_menu.addSeparator()
        self.save = self._action(self.tr("&Save"), w.save, keys.Save)
        file_menu.addAction(self.save)
        file_menu.addAction(self._action(self.tr("Save &As…"), w.save_as_dialog, keys.SaveAs))
        file_menu.addAction(self._action(self.tr("Save with &Encoding…"), w.save_with_encoding_dialog))
        file_menu.addAction(self._action(self.tr("&Close"), w.close_document, keys.Close))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), w.close, keys.Quit))

        edit_menu = bar.addMenu(self.tr("&Edit"))
        editor = w.editor
        self.undo = self._action(self.tr("&Undo"), editor.undo, keys.Undo)
        self.redo = self._action(self.tr("&Redo"), editor.redo, keys.Redo)
        editor.undoAvailable.connect(self.undo.setEnabled)
        editor.redoAvailable.connect(self.redo.setEnabled)
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(self.tr("Cu&t"), editor.cut, keys.Cut))
        edit_menu.addAction(self._action(self.tr("&Copy"), editor.copy, keys.Copy))
        edit_menu.addAction(self._action(self.tr("&Paste"), editor.paste, keys.Paste))
        edit_menu.addAction(self._action(self.tr("Select &All"), editor.selectAll, keys.SelectAll))
        edit_menu.addSeparator()
        self.preferences = self._action(self.tr("Pr&eferences…"), w.open_preferences, "Ctrl+,")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit_menu.addAction(self.preferences)

        menu = bar.addMenu(self.tr("&Assistant"))
        self.assistant_menu = menu
        # Each operation's entry (a submenu's, for styles and languages), in catalog order.
        self.operations: dict[str, QAction] = {}
        self.styles: dict[str, dict[str, QAction]] = {}
        self._toolbar_actions: list[QAction] = []
        for op in catalog.operations.values():
            if not op.custom and op.menu:
                self.operations[op.name] = self._operation_entry(op)
                menu.addAction(self.operations[op.name])
        menu.addSeparator()
        self.palette = self._assistant(self.tr("Ask (&custom instruction)…"), w.open_palette, "Ctrl+K")
        self.review = self._assistant(self.tr("Re&view document…"), w.review_dialog, "Ctrl+Shift+E")
        self.ask = self._assistant(self.tr("Ask your &draft…"), w.open_ask, "Ctrl+Shift+A")
        self.history = self._action(self.tr("Suggestion &history"), w.open_history, "Ctrl+Shift+L")
        self.next_suggestion = self._action(self.tr("Next review suggestion"), w.review.next, "F8")
        self.previous_suggestion = self._action(
            self.tr("Previous review suggestion"), w.review.previous, "Shift+F8"
        )
        menu.addActions([self.review, self.next_suggestion, self.previous_suggestion, self.ask, self.history])
        menu.addSeparator()
        menu.addAction(self.palette)
        self.custom_menu = QMenu(self.tr("&My operations"), w)
        self.custom_menu_action = menu.addMenu(self.custom_menu)
        self.prompts = self._action(self.tr("Edit &prompts and operations…"), w.open_prompt_editor)
        menu.addAction(self.prompts)
        menu.addSeparator()
        suggestions = w.suggestions
        self.accept = self._action(self.tr("Accept suggestion\tTab"), suggestions.accept)
        self.reject = self._action(self.tr("Reject suggestion\tEsc"), suggestions.reject)
        self.stop = self._action(self.tr("Stop generating"), suggestions.stop, "Ctrl+.")
        self.retry = self._action(self.tr("Retry"), suggestions.retry, "Ctrl+Shift+Y")
        self.diff = self._action(
            self.tr("Show changes"), lambda: suggestions.bar.diff_button.toggle(), "Ctrl+Shift+G"
        )
        self.next_alternative = self._action(
            self.tr("Next alternative"), suggestions.next_alternative, "Alt+]"
        )
        self.previous_alternative = self._action(
            self.tr("Previous alternative"), suggestions.previous_alternative, "Alt+["
        )
        menu.addActions([self.accept, self.reject, self.stop, self.retry, self.diff])
        menu.addActions([self.next_alternative, self.previous_alternative])

        help_menu = bar.addMenu(self.tr("&Help"))
        self.open_logs = self._action(self.tr("Open &Log Folder"), w.open_log_folder)
        self.open_logs.setStatusTip(self.tr("The log holds no document text, no paths and no keys."))
        help_menu.addAction(self.open_logs)

        toolbar = QToolBar(self.tr("Assistant"), w)
        toolbar.setObjectName("AssistantToolbar")
        toolbar.setMovable(False)
        w.addToolBar(toolbar)
        toolbar.addActions([*self._toolbar_actions, self.palette])
        toolbar.addSeparator()
        toolbar.addAction(self.stop)
        self.rebuild_custom(catalog)
        self.palette.setIconText(self.tr("Ask…"))
        self.stop.setIconText(self.tr("Stop"))

    def _operation_entry(self, op: OperationTemplate) -> QAction:
        """A built-in operation's menu entry, as its table in the catalog describes it: a
        submenu of its styles, a submenu of languages, or one action (a dialog asks for
        a topic first when the operation reads one)."""
        w, language = self._window, interface_language()
        label = op.label_in(language)
        shortcut = operation_shortcut(self._catalog, op.name)
        if op.styles:
            submenu = QMenu(menu_text(label, op.label), w)
            self.styles[op.name] = {}
            for style in op.styles:
                action = self._assistant(
                    op.style_label(style, language),
                    lambda _=False, n=op.name, s=style: w.run(n, style=s),
                    operation_shortcut(self._catalog, op.name, style),
                )
                self.styles[op.name][style] = action
                submenu.addAction(action)
                if op.styles[style].toolbar:
                    self._toolbar_actions.append(action)
            return submenu.menuAction()
        if op.needs_language:
            submenu = QMenu(menu_text(label, op.label), w)
            ask = self._assistant(
                self.tr("{0} to…").format(op.action_in(language) or label),
                lambda _=False, n=op.name: w.language_dialog(n),
                shortcut,
            )
            submenu.addAction(ask)
            submenu.addSeparator()
            for name in LANGUAGE_NAMES:
                submenu.addAction(
                    self._assistant(
                        language_name(name), lambda _=False, n=op.name, lang=name: w.run_in_language(n, lang)
                    )
                )
            if op.toolbar:
                self._toolbar_actions.append(ask)
            return submenu.menuAction()
        topic = op.input == "topic"
        name = op.name
        action = self._assistant(
            menu_text(label, op.label, dialog=topic),
            (lambda: w.topic_dialog(name)) if topic else (lambda: w.run(name)),
            shortcut,
        )
        if op.toolbar:
            action.setIconText(label)
            self._toolbar_actions.append(action)
        return action

    # -- what changes while the window is open ----------------------------------------

    def add_context_actions(self, menu: QMenu) -> None:
        """The assistant's entries in the editor's right-click menu, once a model is ready."""
        if not self.assistant.isEnabled():
            return
        menu.addSeparator()
        for name, action in self.operations.items():
            if self._catalog.operations[name].context_menu:
                menu.addAction(action)
        if self.custom:
            menu.addMenu(self.custom_menu)
        menu.addAction(self.palette)

    def rebuild_custom(self, catalog: Catalog) -> None:
        """One action per custom operation, in the menu, the context menu and the palette."""
        self._catalog = catalog
        for action in self.custom.values():
            self.assistant.removeAction(action)
            action.deleteLater()
        self.custom = {}
        self.custom_menu.clear()
        for name, op in catalog.operations.items():
            if not op.custom:
                continue
            action = self._action(op.label, lambda _=False, n=name: self._window.run_custom(n), op.shortcut)
            action.setToolTip(self.tr("Your operation {0!r}").format(name))
            self.assistant.addAction(action)
            self.custom_menu.addAction(action)
            self.custom[name] = action
        self.custom_menu_action.setVisible(bool(self.custom))
        for action in self.custom.values():
            action.setEnabled(self.assistant.isEnabled())

    def commands(self) -> list[Command]:
        """What the command palette offers: each operation the catalog puts there (a style
        or a language each), then the writer's own."""
        language, commands = interface_language(), []
        for op in self._catalog.operations.values():
            if op.custom or not op.palette:
                continue
            action = op.action_in(language) or op.label_in(language)
            if op.styles:
                for style in op.styles:
                    title = self.tr("{0}: {1}").format(action, op.style_label(style, language))
                    commands.append(Command(title, op.name, {"style": style}))
            elif op.needs_language:
                for name in LANGUAGE_NAMES:
                    title = self.tr("{0} to {1}").format(action, language_name(name))
                    commands.append(Command(title, op.name, {"language": name}))
            else:
                commands.append(Command(action, op.name))
        own = [(name, op) for name, op in self._catalog.operations.items() if op.custom]
        return commands + [Command(f"★ {op.label}", name) for name, op in own]

    def taken_shortcuts(self) -> set[str]:
        """Keys already in use, which a writer's own operation may not take."""
        keys = set()
        for action in self._window.findChildren(QAction):
            if action.shortcut().isEmpty() or action in self.custom.values():
                continue
            keys.add(action.shortcut().toString(QKeySequence.SequenceFormat.PortableText))
        return keys

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self._window.document.recent.paths
        for index, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{index % 10} {path.name}")
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self._window.open_recent(p))
        if not paths:
            self.recent_menu.addAction(self.tr("No recent files")).setEnabled(False)

    def show_phase(self, phase: str) -> None:
        """Stop and Show changes follow the live suggestion's phase."""
        self.stop.setEnabled(phase == "streaming")
        self.diff.setEnabled(phase in ("done", "stopped"))

    def show_live(self, live: bool) -> None:
        alternatives = (self.next_alternative, self.previous_alternative)
        for action in (self.accept, self.reject, self.retry, *alternatives):
            action.setEnabled(live)
        if not live:
            self.stop.setEnabled(False)
            self.diff.setEnabled(False)
