"""The prompt editor: see and change every operation's template, and add your own.

The preview shows the final prompt for the current selection, rendered by the engine
exactly as it will be sent (through the model's chat template), from the template as it
stands in the editor, saved or not. Changes are kept in the writer's `prompts.toml`;
"Reset to default" drops them, and the defaults in `resources/` are never touched.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.errors import InkwellError
from engine.jobs import Request
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import CustomOperation, UserPrompts

SYSTEM_ENTRY = "__system__"
NEW_TEMPLATE = "Turn the text below into a short poem. Reply with the poem only.\n\n{text}"

# Builds the request the current selection would make for an operation (raises InputError).
RequestBuilder = Callable[[str, str | None], Request]
# Renders a request with a catalog to the exact prompt text (a future from the engine).
Renderer = Callable[[Request, Catalog], Any]


def _mono() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


class NewOperationDialog(QDialog):
    """Name, label, template and shortcut of a writer's own operation."""

    def __init__(self, taken_shortcuts: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New operation"))
        self.resize(520, 360)
        self._taken = taken_shortcuts
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("poem (also its name on the command line)"))
        self.label = QLineEdit(self)
        self.label.setPlaceholderText(self.tr("Make it a poem (shown in the menus)"))
        self.template = QPlainTextEdit(NEW_TEMPLATE, self)
        self.template.setFont(_mono())
        self.shortcut = QKeySequenceEdit(self)
        self.replaces = QCheckBox(self.tr("The answer replaces the selection"), self)
        self.replaces.setChecked(True)
        hint = QLabel(
            self.tr(
                "Placeholders: {text} the selection (required), {before} and {after} the text around it, "
                "{language} asks for a language."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7385;")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #a12a2a;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Label"), self.label)
        form.addRow(self.tr("Template"), self.template)
        form.addRow("", hint)
        form.addRow(self.tr("Shortcut"), self.shortcut)
        form.addRow("", self.replaces)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def operation(self) -> CustomOperation:
        return CustomOperation(
            name=self.name.text().strip(),
            label=self.label.text().strip(),
            template=self.template.toPlainText(),
            shortcut=self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText),
            replaces_selection=self.replaces.isChecked(),
        )

    def _check(self) -> None:
        shortcut = self.operation().shortcut
        if shortcut and shortcut in self._taken:
            self.error.setText(self.tr("{0} is already used by another action.").format(shortcut))
            return
        self.accept()


class PromptEditor(QDialog):
    sig_catalog_changed = Signal(object)  # the new Catalog, already saved
    sig_preview_ready = Signal(str)

    def __init__(
        self,
        prompts: UserPrompts,
        build_request: RequestBuilder,
        renderer: Renderer,
        taken_shortcuts: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Prompts"))
        self.resize(980, 620)
        self._prompts = prompts
        self._build_request = build_request
        self._renderer = renderer
        self._taken = taken_shortcuts
        self._catalog = prompts.catalog()
        self._preview_number = 0
        self._loading = False
        self._render_task: asyncio.Future | None = None

        self.list = QListWidget(self)
        self.list.setMinimumWidth(220)
        self.list.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600;")
        self.style_choice = QComboBox(self)
        self.template = QPlainTextEdit(self)
        self.template.setFont(_mono())
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a12a2a;")
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setFont(_mono())
        self.preview.setStyleSheet("QPlainTextEdit { background: #f6f7f9; }")
        self.preview_note = QLabel(self)
        self.preview_note.setWordWrap(True)
        self.preview_note.setStyleSheet("color: #6b7385;")

        self.save_button = QPushButton(self.tr("Save"), self)
        self.reset_button = QPushButton(self.tr("Reset to default"), self)
        self.new_button = QPushButton(self.tr("New operation…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        close = QPushButton(self.tr("Close"), self)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        self.new_button.clicked.connect(self.new_operation)
        self.delete_button.clicked.connect(self.delete)
        close.clicked.connect(self.accept)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        self.style_label = QLabel(self.tr("Style for the preview:"), self)
        head.addWidget(self.style_label)
        head.addWidget(self.style_choice)
        column.addLayout(head)
        column.addWidget(QLabel(self.tr("Template"), self))
        column.addWidget(self.template, 2)
        placeholders = QLabel(
            self.tr(
                "Placeholders: {text} the selection · {before} / {after} the text around it · {style} · "
                "{language} · {instruction}"
            ),
            self,
        )
        placeholders.setStyleSheet("color: #6b7385;")
        column.addWidget(placeholders)
        column.addWidget(self.error)
        column.addWidget(QLabel(self.tr("Preview: the prompt the model receives for your selection"), self))
        column.addWidget(self.preview, 3)
        column.addWidget(self.preview_note)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.reset_button, self.new_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column.addLayout(buttons)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.template.textChanged.connect(self._edited)
        self.style_choice.currentIndexChanged.connect(lambda _index: self._preview_timer.start())
        self.list.currentItemChanged.connect(lambda _now, _before: self._show_current())
        self._fill_list()

    # -- the list ------------------------------------------------------------------

    def _fill_list(self, select: str | None = None) -> None:
        current = select or self.current_name()
        self.list.blockSignals(True)
        self.list.clear()
        system = QListWidgetItem(self.tr("System prompt (all operations)"))
        system.setData(256, SYSTEM_ENTRY)
        self.list.addItem(system)
        for name, op in self._catalog.operations.items():
            mark = " ★" if op.custom else " (edited)" if self._prompts.is_overridden(name) else ""
            item = QListWidgetItem(op.label + mark)
            item.setData(256, name)
            self.list.addItem(item)
        self.list.blockSignals(False)
        names = [self.list.item(i).data(256) for i in range(self.list.count())]
        self.list.setCurrentRow(names.index(current) if current in names else 1)
        self._show_current()

    def current_name(self) -> str:
        item = self.list.currentItem()
        return str(item.data(256)) if item is not None else ""

    def select(self, name: str) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(256) == name:
                self.list.setCurrentRow(index)
                return

    def _show_current(self) -> None:
        name = self.current_name()
        self._loading = True
        self.style_choice.clear()
        if name == SYSTEM_ENTRY:
            self.title.setText(self.tr("System prompt"))
            self.template.setPlainText(self._catalog.system)
            self.style_choice.addItem(self.tr("(as Rewrite: clearer)"), "rewrite:clearer")
        elif name:
            op = self._catalog.operations[name]
            self.title.setText(f"{op.label}  ·  {name}" + (f"  ·  {op.shortcut}" if op.shortcut else ""))
            self.template.setPlainText(op.chat)
            for style in op.styles:
                self.style_choice.addItem(style, style)
        self._loading = False
        self.style_choice.setVisible(self.style_choice.count() > 0)
        self.style_label.setVisible(self.style_choice.count() > 0)
        custom = name != SYSTEM_ENTRY and bool(name) and self._catalog.operations[name].custom
        edited = "system" in self._prompts.data if name == SYSTEM_ENTRY else self._prompts.is_overridden(name)
        self.reset_button.setEnabled(bool(edited) and not custom)
        self.delete_button.setEnabled(custom)
        self.save_button.setEnabled(False)
        self.error.clear()
        self.refresh_preview()

    # -- editing -------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self.save_button.setEnabled(True)
        self._preview_timer.start()

    def _trial(self) -> UserPrompts:
        """The writer's prompts with the template as it stands in the editor (raises InputError)."""
        trial = UserPrompts(self._prompts.path, self._prompts.base)
        trial.data = copy.deepcopy(self._prompts.data)
        name, text = self.current_name(), self.template.toPlainText()
        if name == SYSTEM_ENTRY:
            trial.set_system(text)
        else:
            trial.set_template(name, "chat", text)
        return trial

    def candidate(self) -> Catalog:
        return self._trial().catalog()

    def _preview_request(self) -> Request:
        name = self.current_name()
        if name == SYSTEM_ENTRY:
            return self._build_request("rewrite", "clearer")
        style = self.style_choice.currentData()
        return self._build_request(name, str(style) if style else None)

    def refresh_preview(self) -> None:
        self._preview_number += 1
        number = self._preview_number
        try:
            catalog = self.candidate()
        except InkwellError as exc:  # the template itself is wrong: say so, and do not save it
            self.error.setText(exc.message)
            self.save_button.setEnabled(False)
            self.preview.setPlainText("")
            self.preview_note.setText("")
            return
        try:
            request = self._preview_request()
        except InkwellError as exc:  # e.g. nothing selected: the preview needs a selection
            self.error.clear()
            self.preview.setPlainText("")
            self.preview_note.setText(exc.message)
            return
        self.error.clear()
        self.preview_note.setText(self.tr("Rendering…"))
        self._render_task = asyncio.ensure_future(self._render(number, request, catalog))

    async def _render(self, number: int, request: Request, catalog: Catalog) -> None:
        try:
            prompt = await asyncio.wrap_future(self._renderer(request, catalog))
        except InkwellError as exc:
            text, note = "", exc.message
        except Exception as exc:
            text, note = "", self.tr("The preview failed: {0}: {1}").format(type(exc).__name__, exc)
        else:
            text = prompt.text
            note = self.tr("{0:,} characters, exactly as the model receives them.").format(len(text))
            if prompt.operation.pipeline == "edits":
                note = self.tr(
                    "{0:,} characters, as a server receives them. A model on this computer "
                    "gets no prompt for this operation: it judges small edits (spelling, confusable "
                    "words, doubled words, articles) and never writes the text itself."
                ).format(len(text))
        if number != self._preview_number:
            return  # the template or the selection changed since (closing cancels this task)
        self.preview.setPlainText(text)
        self.preview_note.setText(note)
        self.sig_preview_ready.emit(text)

    def done(self, result: int) -> None:
        self._preview_timer.stop()
        if self._render_task is not None:
            self._render_task.cancel()
        super().done(result)

    def save(self) -> bool:
        try:
            trial = self._trial()
            self._prompts.data = trial.data
            self._prompts.save()
        except InkwellError as exc:
            self.error.setText(exc.message)
            return False
        except OSError as exc:
            self.error.setText(self.tr("Could not save the prompts: {0}.").format(exc.strerror or exc))
            return False
        self._changed(trial.catalog())
        return True

    def reset(self) -> None:
        name = self.current_name()
        try:
            if name == SYSTEM_ENTRY:
                catalog = self._prompts.set_system(self._prompts.base.system)
            else:
                catalog = self._prompts.reset(name)
            self._prompts.save()
        except (InkwellError, OSError) as exc:
            self.error.setText(getattr(exc, "message", str(exc)))
            return
        self._changed(catalog)

    def new_operation(self) -> None:
        dialog = NewOperationDialog(self._taken | self._custom_shortcuts(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add_operation(dialog.operation())

    def add_operation(self, operation: CustomOperation) -> bool:
        try:
            catalog = self._prompts.add_custom(operation)
            self._prompts.save()
        except InkwellError as exc:
            QMessageBox.warning(self, self.tr("New operation"), exc.message)
            return False
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("New operation"),
                self.tr("Could not save the prompts: {0}.").format(exc.strerror or exc),
            )
            return False
        self._changed(catalog, select=operation.name)
        return True

    def delete(self) -> None:
        try:
            catalog = self._prompts.remove_custom(self.current_name())
            self._prompts.save()
        except (InkwellError, OSError) as exc:
            self.error.setText(getattr(exc, "message", str(exc)))
            return
        self._changed(catalog, select="rewrite")

    def _custom_shortcuts(self) -> set[str]:
        return {op.shortcut for op in self._catalog.operations.values() if op.custom and op.shortcut}

    def _changed(self, catalog: Catalog, select: str | None = None) -> None:
        self._catalog = catalog
        self.sig_catalog_changed.emit(catalog)
        self._fill_list(select)
