"""Light, dark or the system's choice, and the editor's font.

Qt 6.8+ can be told the colour scheme directly; the palette is also set by hand so the
choice holds on platforms whose style ignores the hint (and offscreen, where screenshots
are taken).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from engine.settings import EditorSettings
from ui.editor.text_editor import writing_font


def is_dark(theme: str) -> bool:
    if theme == "dark":
        return True
    if theme == "light":
        return False
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#25272b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#2b2d31",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2f3136",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6fb6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2f3136",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a8f98",
        QPalette.ColorRole.Link: "#7aa7ff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#777b82"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        schemes = {"dark": Qt.ColorScheme.Dark, "light": Qt.ColorScheme.Light}
        hints.setColorScheme(schemes.get(theme, Qt.ColorScheme.Unknown))
    # The style itself is never replaced at run time: Qt deletes the old QStyle, which
    # widgets and Python wrappers may still point at.
    if theme == "dark" or (theme == "system" and is_dark("system")):
        app.setPalette(_dark_palette())
    else:
        app.setPalette(QPalette())  # the style's own default palette


def editor_font(settings: EditorSettings) -> QFont:
    """The writer's font, or the editor's own serif when they chose none."""
    font = QFont(settings.font_family) if settings.font_family else writing_font()
    if settings.font_size:
        font.setPointSize(settings.font_size)
    elif settings.font_family:
        font.setPointSizeF(writing_font().pointSizeF())
    return font


def apply_editor_font(editor: QPlainTextEdit, settings: EditorSettings) -> None:
    editor.setFont(editor_font(settings))
    editor.setTabStopDistance(editor.fontMetrics().horizontalAdvance(" ") * 4)
