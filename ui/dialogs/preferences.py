"""Preferences (Ctrl+,): the model and where it runs, generation, and the editor.

The dialog edits a copy of the settings and hands the result back through `sig_apply`;
the window decides what that means (switching the model in the background, restyling
the editor). Before a model is loaded the dialog shows its size, an estimate of the
memory it will take on the chosen device and whether that fits; for the model in use it
shows what loading actually took, and a device fallback in red with its reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.documents import encodings
from engine.errors import InkwellError
from engine.fidelity.spelling import LANGUAGES
from engine.jobs import ModelInfo
from engine.models import recommended
from engine.models.device import DEVICES, DTYPES
from engine.models.probe import Estimate
from engine.settings import (
    EditorSettings,
    GenerationSettings,
    ModelSettings,
    ServerSettings,
    Settings,
)
from ui.background import Background
from ui.translations import QT_TRANSLATE_NOOP

# Shown through tr() in `_combo`; QT_TRANSLATE_NOOP marks them for pyside6-lupdate.
SOURCE_LABELS = {
    "bundled": QT_TRANSLATE_NOOP("SettingsDialog", "Bundled model (SmolLM2-135M-Instruct)"),
    "folder": QT_TRANSLATE_NOOP("SettingsDialog", "Local model folder"),
    "gguf": QT_TRANSLATE_NOOP("SettingsDialog", "Local GGUF file"),
    "hub": QT_TRANSLATE_NOOP("SettingsDialog", "Hugging Face model id"),
    "server": QT_TRANSLATE_NOOP("SettingsDialog", "OpenAI-compatible server (vLLM, llama.cpp, Ollama)"),
}
# The devices and data types are engine/models/device.py's lists; these are only the
# words for the ones that read better named (a new device shows under its own name).
_DEVICE_NAMES = {
    "auto": QT_TRANSLATE_NOOP("SettingsDialog", "Automatic"),
    "cpu": "CPU",
    "cuda": "CUDA GPU",
    "mps": QT_TRANSLATE_NOOP("SettingsDialog", "Apple GPU (MPS)"),
}
DEVICE_LABELS = {device: _DEVICE_NAMES.get(device, device) for device in DEVICES}
DTYPE_LABELS = {dtype: _DEVICE_NAMES["auto"] if dtype == "auto" else dtype for dtype in DTYPES}
PRECISION_LABELS = {
    "fast": QT_TRANSLATE_NOOP("SettingsDialog", "Fast (4-bit on the CPU)"),
    "exact": QT_TRANSLATE_NOOP("SettingsDialog", "Exact (float32)"),
}
THEME_LABELS = {
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system"),
    "light": QT_TRANSLATE_NOOP("SettingsDialog", "Light"),
    "dark": QT_TRANSLATE_NOOP("SettingsDialog", "Dark"),
}
INTERFACE_LABELS = {
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system"),
    "en": "English",
    "zh_CN": "简体中文",
}
ENCODING_LABELS = {
    "": QT_TRANSLATE_NOOP("SettingsDialog", "The system's (from its language)"),
    **{choice.codec: choice.label for choice in encodings.CHOICES if not choice.codec.startswith("utf")},
}

Estimator = Callable[[ModelSettings], Estimate]
Downloader = Callable[[str, Callable[[int, int], None], threading.Event], Path]


def _combo(parent: QWidget, labels: dict[str, str], current: str) -> QComboBox:
    combo = QComboBox(parent)
    for key, label in labels.items():
        combo.addItem(QCoreApplication.translate("SettingsDialog", label), key)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def describe_loaded(info: ModelInfo, process_bytes: int | None) -> str:
    """What loading actually took, in the words the estimate uses."""
    if info.kind == "server":
        return QCoreApplication.translate("SettingsDialog", "In use: {0} on {1}.").format(
            info.name, info.device
        )
    parts = [
        QCoreApplication.translate("SettingsDialog", "In use: {0} on {1} ({2})").format(
            info.name, info.device.upper(), info.precision or info.dtype
        )
    ]
    if info.memory_bytes:
        parts.append(
            QCoreApplication.translate("SettingsDialog", "weights {0:,.0f} MB").format(
                info.memory_bytes / 2**20
            )
        )
    if process_bytes:
        parts.append(
            QCoreApplication.translate("SettingsDialog", "Inkwell now uses {0:,.0f} MB in all").format(
                process_bytes / 2**20
            )
        )
    parts.append(
        QCoreApplication.translate("SettingsDialog", "context {0:,} tokens").format(info.context_window)
    )
    return QCoreApplication.translate("SettingsDialog", ", ").join(parts) + QCoreApplication.translate(
        "SettingsDialog", "."
    )


class SettingsDialog(QDialog):
    sig_apply = Signal(object)  # Settings
    sig_estimated = Signal(int, object)  # request number, Estimate
    sig_download_progress = Signal(int, int)
    sig_download_finished = Signal(str)  # "" when done, else why not

    def __init__(
        self,
        settings: Settings,
        estimator: Estimator,
        downloader: Downloader | None = None,
        loaded: ModelInfo | None = None,
        process_bytes: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.resize(640, 560)
        self._settings = settings
        self._estimator = estimator
        self._downloader = downloader
        self._estimate_number = 0
        self._download_cancel: threading.Event | None = None
        self.estimate: Estimate | None = None
        self._background = Background()  # sizing a model and downloads; cancelled on close

        self.tabs = QTabWidget(self)
        self.tabs.addTab(
            self._model_tab(settings.model, settings.server, loaded, process_bytes), self.tr("Model")
        )
        self.tabs.addTab(self._generation_tab(settings.generation), self.tr("Generation"))
        self.tabs.addTab(self._editor_tab(settings.editor), self.tr("Editor"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)

        self.sig_estimated.connect(self._show_estimate)
        self.sig_download_progress.connect(self._download_progress)
        self.sig_download_finished.connect(self._download_finished)
        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(250)
        self._estimate_timer.timeout.connect(self.refresh_estimate)
        self._source_changed()

    # -- the tabs ----------------------------------------------------------------

    def _model_tab(
        self,
        model: ModelSettings,
        server: ServerSettings,
        loaded: ModelInfo | None,
        process_bytes: int | None,
    ) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.source = _combo(page, SOURCE_LABELS, model.source)
        form.addRow(self.tr("Model"), self.source)

        self.location = QLineEdit(model.location if model.source in ("folder", "gguf") else "", page)
        self.location.setPlaceholderText(self.tr("Choose a model folder or a .gguf file"))
        self.browse = QPushButton(self.tr("Browse…"), page)
        self.browse.clicked.connect(self._browse)
        self.location_row = QWidget(page)
        row = QHBoxLayout(self.location_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.location, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Location"), self.location_row)

        self.recommended = QComboBox(page)
        self.recommended.addItem(self.tr("Choose one of the recommended models…"), "")
        for choice in recommended.MODELS:
            self.recommended.addItem(recommended.describe(choice), choice.hub_id)
            if choice.note:
                self.recommended.setItemData(
                    self.recommended.count() - 1, choice.note, Qt.ItemDataRole.ToolTipRole
                )
        self.recommended.activated.connect(self._recommended_chosen)
        form.addRow(self.tr("Recommended"), self.recommended)
        self.hub_id = QLineEdit(model.location if model.source == "hub" else "", page)
        self.hub_id.setPlaceholderText(self.tr("e.g. HuggingFaceTB/SmolLM2-360M-Instruct"))
        self.download_button = QPushButton(self.tr("Download"), page)
        self.download_button.setToolTip(self.tr("Inkwell only goes online when you press this."))
        self.download_button.clicked.connect(self.start_download)
        self.download_cancel = QPushButton(self.tr("Cancel download"), page)
        self.download_cancel.clicked.connect(self.cancel_download)
        self.download_bar = QProgressBar(page)
        self.download_bar.setTextVisible(True)
        self.hub_row = QWidget(page)
        hub = QHBoxLayout(self.hub_row)
        hub.setContentsMargins(0, 0, 0, 0)
        hub.addWidget(self.hub_id, 1)
        hub.addWidget(self.download_button)
        form.addRow(self.tr("Model id"), self.hub_row)
        self.download_row = QWidget(page)
        progress = QHBoxLayout(self.download_row)
        progress.setContentsMargins(0, 0, 0, 0)
        progress.addWidget(self.download_bar, 1)
        progress.addWidget(self.download_cancel)
        form.addRow("", self.download_row)
        self.download_status = QLabel(page)
        self.download_status.setWordWrap(True)
        form.addRow("", self.download_status)

        self.server_url = QLineEdit(server.url, page)
        self.server_url.setPlaceholderText(self.tr("http://127.0.0.1:8000 (…/v1 is added when missing)"))
        self.server_model = QLineEdit(server.model, page)
        self.server_model.setPlaceholderText(self.tr("the first model the server lists"))
        self.api_key_env = QLineEdit(server.api_key_env, page)
        self.api_key_env.setPlaceholderText(self.tr("name of an environment variable, e.g. OPENAI_API_KEY"))
        self.first_byte = QDoubleSpinBox(page)
        self.first_byte.setRange(1, 3600)
        self.first_byte.setSuffix(self.tr(" s"))
        self.first_byte.setValue(server.first_byte_timeout)
        self.server_rows = [
            (self.tr("Server URL"), self.server_url),
            (self.tr("Server model"), self.server_model),
            (self.tr("API key variable"), self.api_key_env),
            (self.tr("First-byte timeout"), self.first_byte),
        ]
        for label, widget in self.server_rows:
            form.addRow(label, widget)

        self.device = _combo(page, DEVICE_LABELS, model.device)
        self.dtype = _combo(page, DTYPE_LABELS, model.dtype)
        self.precision = _combo(page, PRECISION_LABELS, model.precision)
        self.context_size = QSpinBox(page)
        self.context_size.setRange(0, 10_000_000)
        self.context_size.setSingleStep(1024)
        self.context_size.setSpecialValueText(self.tr("The model's own"))
        self.context_size.setSuffix(self.tr(" tokens"))
        self.context_size.setValue(model.context_size)
        self.local_rows = [
            (self.tr("Device"), self.device),
            (self.tr("Precision on the CPU"), self.precision),
            (self.tr("Data type"), self.dtype),
            (self.tr("Context size"), self.context_size),
        ]
        for label, widget in self.local_rows:
            form.addRow(label, widget)

        self.estimate_label = QLabel(page)
        self.estimate_label.setWordWrap(True)
        self.estimate_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Before loading"), self.estimate_label)
        self.loaded_label = QLabel(page)
        self.loaded_label.setWordWrap(True)
        form.addRow(self.tr("After loading"), self.loaded_label)
        self.fallback_label = QLabel(page)
        self.fallback_label.setWordWrap(True)
        self.fallback_label.setStyleSheet("color: #a12a2a; font-weight: 600;")
        form.addRow("", self.fallback_label)
        self.show_loaded(loaded, process_bytes)

        self._form = form
        self.source.currentIndexChanged.connect(self._source_changed)
        for edit in (self.location, self.hub_id):
            edit.textChanged.connect(lambda _text: self._estimate_timer.start())
        for combo in (self.device, self.dtype, self.precision):
            combo.currentIndexChanged.connect(lambda _index: self._estimate_timer.start())
        self.context_size.valueChanged.connect(lambda _value: self._estimate_timer.start())
        return page

    def _recommended_chosen(self, index: int) -> None:
        """Fill in the id only: downloading still waits for the Download button."""
        hub_id = str(self.recommended.itemData(index) or "")
        if hub_id:
            self.hub_id.setText(hub_id)

    def _generation_tab(self, generation: GenerationSettings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.max_new_tokens = QSpinBox(page)
        self.max_new_tokens.setRange(0, 32_768)
        self.max_new_tokens.setSpecialValueText(self.tr("Each operation's own"))
        self.max_new_tokens.setValue(generation.max_new_tokens)
        self.temperature = QDoubleSpinBox(page)
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setSpecialValueText(self.tr("0 (greedy: the same answer every time)"))
        self.temperature.setValue(generation.temperature)
        self.top_p = QDoubleSpinBox(page)
        self.top_p.setRange(0.01, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(generation.top_p)
        self.alternatives = QSpinBox(page)
        self.alternatives.setRange(2, 10)
        self.alternatives.setValue(generation.alternatives)
        self.alternatives.setToolTip(
            self.tr("How many answers Alt+] and Alt+[ cycle through; each must keep every fact")
        )
        form.addRow(self.tr("Longest answer"), self.max_new_tokens)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Alternatives of a rewrite"), self.alternatives)
        note = QLabel(self.tr("Top-p only matters when the temperature is above 0."), page)
        note.setStyleSheet("color: #6b7385;")
        form.addRow("", note)
        return page

    def _editor_tab(self, editor: EditorSettings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.system_font = QCheckBox(self.tr("Use the system font"), page)
        self.system_font.setChecked(not editor.font_family)
        self.font_choice = QFontComboBox(page)
        if editor.font_family:
            self.font_choice.setCurrentFont(QFont(editor.font_family))
        self.font_choice.setEnabled(bool(editor.font_family))
        self.system_font.toggled.connect(lambda checked: self.font_choice.setEnabled(not checked))
        self.font_size = QSpinBox(page)
        self.font_size.setRange(0, 96)
        self.font_size.setSpecialValueText(self.tr("Default"))
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setValue(editor.font_size)
        self.theme = _combo(page, THEME_LABELS, editor.theme)
        self.autosave = QSpinBox(page)
        self.autosave.setRange(5, 3600)
        self.autosave.setSuffix(self.tr(" s"))
        self.autosave.setValue(editor.autosave_seconds)
        self.autosave.setToolTip(
            self.tr("Autosave also runs 2 s after you stop typing; this is the longest wait.")
        )
        self.spell_check = QCheckBox(self.tr("Underline unknown words as I type"), page)
        self.spell_check.setChecked(editor.spell_check)
        self.spelling_language = _combo(page, LANGUAGES, editor.spelling_language)
        self.spelling_language.setToolTip(
            self.tr("The dictionary for underlines and for Proofread's candidates.")
        )
        form.addRow("", self.system_font)
        form.addRow(self.tr("Font"), self.font_choice)
        form.addRow(self.tr("Font size"), self.font_size)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Autosave at least every"), self.autosave)
        form.addRow(self.tr("Spelling"), self.spell_check)
        form.addRow(self.tr("Dictionary"), self.spelling_language)
        self.interface_language = _combo(page, INTERFACE_LABELS, editor.interface_language)
        self.interface_language.setToolTip(self.tr("Applies the next time Inkwell starts."))
        form.addRow(self.tr("Interface language"), self.interface_language)
        self.legacy_encoding = _combo(page, ENCODING_LABELS, editor.legacy_encoding)
        self.legacy_encoding.setToolTip(
            self.tr("Used for old files whose encoding cannot be told from their bytes alone.")
        )
        form.addRow(self.tr("Older files' encoding"), self.legacy_encoding)
        return page

    # -- reading the widgets ---------------------------------------------------

    def current_source(self) -> str:
        return str(self.source.currentData())

    def fields(self) -> dict[str, tuple[QWidget, Callable[[], object]]]:
        """Every settings field the dialog shows, as "section.field" → (its widget, how
        its value is read back). `settings()` walks the dataclasses and reads each field
        from here, so a field with no entry keeps its value instead of going back to its
        default; tests/ui/dialogs/test_preferences.py checks that every field has one."""

        def location() -> str:
            widget = {"folder": self.location, "gguf": self.location, "hub": self.hub_id}.get(
                self.current_source()
            )
            return widget.text().strip() if widget is not None else ""

        def font_family() -> str:
            return "" if self.system_font.isChecked() else self.font_choice.currentFont().family()

        return {
            "model.source": (self.source, self.current_source),
            "model.location": (self.location, location),
            "model.device": (self.device, lambda: str(self.device.currentData())),
            "model.dtype": (self.dtype, lambda: str(self.dtype.currentData())),
            "model.precision": (self.precision, lambda: str(self.precision.currentData())),
            "model.context_size": (self.context_size, self.context_size.value),
            "server.url": (self.server_url, lambda: self.server_url.text().strip()),
            "server.model": (self.server_model, lambda: self.server_model.text().strip()),
            "server.api_key_env": (self.api_key_env, lambda: self.api_key_env.text().strip()),
            "server.first_byte_timeout": (self.first_byte, self.first_byte.value),
            "generation.max_new_tokens": (self.max_new_tokens, self.max_new_tokens.value),
            "generation.temperature": (self.temperature, lambda: round(self.temperature.value(), 2)),
            "generation.top_p": (self.top_p, lambda: round(self.top_p.value(), 2)),
            "generation.alternatives": (self.alternatives, self.alternatives.value),
            "editor.font_family": (self.font_choice, font_family),
            "editor.font_size": (self.font_size, self.font_size.value),
            "editor.theme": (self.theme, lambda: str(self.theme.currentData())),
            "editor.autosave_seconds": (self.autosave, self.autosave.value),
            "editor.spell_check": (self.spell_check, self.spell_check.isChecked),
            "editor.spelling_language": (
                self.spelling_language,
                lambda: str(self.spelling_language.currentData()),
            ),
            "editor.legacy_encoding": (self.legacy_encoding, lambda: str(self.legacy_encoding.currentData())),
            "editor.interface_language": (
                self.interface_language,
                lambda: str(self.interface_language.currentData()),
            ),
        }

    def _section(self, name: str, shown: dict[str, tuple[QWidget, Callable[[], object]]]) -> object:
        """One section of the settings as the dialog shows it, read field by field."""
        current = getattr(self._settings, name)
        values = {
            f.name: shown[f"{name}.{f.name}"][1]() for f in fields(current) if f"{name}.{f.name}" in shown
        }
        return replace(current, **values)

    def model_settings(self) -> ModelSettings:
        section = self._section("model", self.fields())
        assert isinstance(section, ModelSettings)
        return section

    def settings(self) -> Settings:
        """The settings as the dialog now shows them."""
        shown = self.fields()
        sections: dict[str, Any] = {f.name: self._section(f.name, shown) for f in fields(self._settings)}
        return replace(self._settings, **sections)

    def problem(self) -> str:
        """Why the settings cannot be applied as they are, or an empty string."""
        source = self.current_source()
        if source in ("folder", "gguf") and not self.location.text().strip():
            return self.tr("Choose the model's folder or file first.")
        if source == "hub" and not self.hub_id.text().strip():
            return self.tr("Type the model's id first, e.g. HuggingFaceTB/SmolLM2-360M-Instruct.")
        if source == "server" and not self.server_url.text().strip():
            return self.tr("Type the server's URL first.")
        return ""

    def apply(self) -> bool:
        problem = self.problem()
        if problem:
            self.estimate_label.setText(f"<span style='color:#a12a2a'>{problem}</span>")
            return False
        self._settings = self.settings()
        self.sig_apply.emit(self._settings)
        return True

    def _ok(self) -> None:
        if self.apply():
            self.accept()

    # -- reacting ----------------------------------------------------------------

    def _source_changed(self) -> None:
        source = self.current_source()
        form = self._form
        form.setRowVisible(self.location_row, source in ("folder", "gguf"))
        form.setRowVisible(self.hub_row, source == "hub")
        form.setRowVisible(self.recommended, source == "hub")
        form.setRowVisible(self.download_status, source == "hub" and bool(self.download_status.text()))
        form.setRowVisible(self.download_row, source == "hub" and self.downloading)
        for _label, widget in self.server_rows:
            form.setRowVisible(widget, source == "server")
        for _label, widget in self.local_rows:
            form.setRowVisible(widget, source != "server")
        self.location.setPlaceholderText(
            self.tr("A folder with config.json and weights")
            if source == "folder"
            else self.tr("A .gguf file")
        )
        self._estimate_timer.start()

    def _browse(self) -> None:
        if self.current_source() == "folder":
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Choose a model folder"), self.location.text()
            )
        else:
            chosen, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose a GGUF file"),
                self.location.text(),
                self.tr("GGUF models (*.gguf);;All files (*)"),
            )
        if chosen:
            self.location.setText(chosen)

    def refresh_estimate(self) -> None:
        """Size up the chosen model on a worker thread (reading headers can take a second)."""
        if self.current_source() == "server":
            self.estimate_label.setText(self.tr("The model runs on the server; its memory is the server's."))
            return
        if self.problem():
            self.estimate_label.setText(self.problem())
            return
        self._estimate_number += 1
        number, model = self._estimate_number, self.model_settings()
        self.estimate_label.setText(self.tr("Checking the model's size…"))

        def done(result: Estimate | Exception) -> None:
            if isinstance(result, Exception):
                self.sig_estimated.emit(
                    number,
                    QCoreApplication.translate("SettingsDialog", "Its size could not be read: {0}.").format(
                        type(result).__name__
                    ),
                )
            else:
                self.sig_estimated.emit(number, result)

        self._background.run(lambda: self._estimator(model), done)

    def _show_estimate(self, number: int, estimate: object) -> None:
        if number != self._estimate_number:
            return  # an older question
        if isinstance(estimate, Estimate):
            self.estimate = estimate
            colour = "#a12a2a" if estimate.fits is False else "#2d5a2d" if estimate.fits else "#333"
            self.estimate_label.setText(f"<span style='color:{colour}'>{estimate.describe()}</span>")
        else:
            self.estimate_label.setText(str(estimate))

    def show_loaded(self, info: ModelInfo | None, process_bytes: int | None = None) -> None:
        self.loaded_label.setText(
            describe_loaded(info, process_bytes) if info else self.tr("No model is loaded.")
        )
        fallback = info.device_reason if info is not None and info.device_fallback else ""
        self.fallback_label.setText(f"⚠ {fallback}" if fallback else "")
        self.fallback_label.setVisible(bool(fallback))

    # -- downloading -------------------------------------------------------------

    def start_download(self) -> None:
        repo = self.hub_id.text().strip()
        if not repo or self._downloader is None or self._download_cancel is not None:
            return
        cancel = threading.Event()
        self._download_cancel = cancel
        self.download_bar.setRange(0, 0)
        self._form.setRowVisible(self.download_row, True)
        self._form.setRowVisible(self.download_status, True)
        self.download_button.setEnabled(False)
        self.download_status.setText(self.tr("Downloading {0}…").format(repo))
        downloader = self._downloader
        report = self._background.relay(self.sig_download_progress.emit)

        def done(result: Path | Exception) -> None:
            if isinstance(result, InkwellError):
                self.sig_download_finished.emit(result.message)
            elif isinstance(result, Exception):
                self.sig_download_finished.emit(
                    QCoreApplication.translate("SettingsDialog", "The download failed: {0}: {1}").format(
                        type(result).__name__, result
                    )
                )
            else:
                self.sig_download_finished.emit("")

        self._background.run(lambda: downloader(repo, report, cancel), done)

    def cancel_download(self) -> None:
        if self._download_cancel is not None:
            self._download_cancel.set()
            self.download_status.setText(self.tr("Cancelling…"))

    def _download_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.download_bar.setRange(0, 1000)
            self.download_bar.setValue(int(1000 * min(done, total) / total))
            self.download_bar.setFormat(
                self.tr("{0:,.1f} of {1:,.1f} MB").format(done / 2**20, total / 2**20)
            )

    def _download_finished(self, problem: str) -> None:
        self._download_cancel = None
        self._form.setRowVisible(self.download_row, False)
        self._form.setRowVisible(self.download_status, True)
        self.download_button.setEnabled(True)
        if problem:
            self.download_status.setText(f"<span style='color:#a12a2a'>{problem}</span>")
        else:
            self.download_status.setText(self.tr("Downloaded. Press Apply or OK to load it."))
        self._estimate_timer.start()

    @property
    def downloading(self) -> bool:
        return self._download_cancel is not None

    def done(self, result: int) -> None:
        """Closed by OK, Cancel or the window: stop listening to the workers."""
        self.cancel_download()
        self._background.cancel_all()  # nothing is delivered once closed (it may be deleted)
        self._estimate_timer.stop()
        super().done(result)
