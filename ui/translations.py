"""The interface language: Qt's own translation system, .ts sources and compiled .qm files.

`make translations` runs pyside6-lupdate over ui/ (every visible string goes through
`tr()`) and pyside6-lrelease into resources/translations/. The language follows the
system locale unless the writer picks one in Preferences; a change applies at the next
start, because Qt builds menus and dialogs once with the strings of that moment.

Strings that are not in the code (the built-in operations and rewrite styles from
resources/prompts.toml, the languages to translate into) are listed here so lupdate
finds them; the writer's own operations keep the names the writer gave them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Qt's marker for a string translated later, typed: PySide6's returns `object`."""
    return text


FOLDER = Path(__file__).resolve().parents[1] / "resources" / "translations"
# resources/prompts.toml's built-in labels and styles (a test keeps this list complete).
OPERATION_LABELS = (
    QT_TRANSLATE_NOOP("Operations", "Rewrite"),
    QT_TRANSLATE_NOOP("Operations", "Proofread"),
    QT_TRANSLATE_NOOP("Operations", "Continue"),
    QT_TRANSLATE_NOOP("Operations", "Summarize"),
    QT_TRANSLATE_NOOP("Operations", "Translate"),
    QT_TRANSLATE_NOOP("Operations", "Draft"),
    QT_TRANSLATE_NOOP("Operations", "Custom"),
    QT_TRANSLATE_NOOP("Operations", "Clearer"),
    QT_TRANSLATE_NOOP("Operations", "Shorter"),
    QT_TRANSLATE_NOOP("Operations", "Formal"),
    QT_TRANSLATE_NOOP("Operations", "Casual"),
    QT_TRANSLATE_NOOP("Operations", "Expand"),
)
LANGUAGE_NAMES = (
    QT_TRANSLATE_NOOP("Languages", "English"),
    QT_TRANSLATE_NOOP("Languages", "French"),
    QT_TRANSLATE_NOOP("Languages", "German"),
    QT_TRANSLATE_NOOP("Languages", "Spanish"),
    QT_TRANSLATE_NOOP("Languages", "Italian"),
    QT_TRANSLATE_NOOP("Languages", "Portuguese"),
    QT_TRANSLATE_NOOP("Languages", "Dutch"),
    QT_TRANSLATE_NOOP("Languages", "Chinese"),
    QT_TRANSLATE_NOOP("Languages", "Japanese"),
    QT_TRANSLATE_NOOP("Languages", "Korean"),
)

# engine/models/progress.py's steps, shown in the status bar while a model loads.
LOAD_STEPS = (
    QT_TRANSLATE_NOOP("LoadSteps", "Converting the model file (once)"),
    QT_TRANSLATE_NOOP("LoadSteps", "Saving the converted model"),
    QT_TRANSLATE_NOOP("LoadSteps", "Reading the converted model"),
    QT_TRANSLATE_NOOP("LoadSteps", "Quantizing for this CPU"),
    QT_TRANSLATE_NOOP("LoadSteps", "Saving the fast weights"),
    QT_TRANSLATE_NOOP("LoadSteps", "Reading the prepared model"),
    QT_TRANSLATE_NOOP("LoadSteps", "Reading the model"),
    QT_TRANSLATE_NOOP("LoadSteps", "Preparing the fast decode step"),
)


def load_step(text: str) -> str:
    return QCoreApplication.translate("LoadSteps", text)


def operation_label(text: str) -> str:
    """A built-in operation's or style's label in the interface language."""
    return QCoreApplication.translate("Operations", text)


def language_name(text: str) -> str:
    return QCoreApplication.translate("Languages", text)


def resolve(choice: str, locale: QLocale | None = None) -> str:
    """The interface language for a setting: the locale's when "system" and translated."""
    if choice != "system":
        return choice
    name = (locale or QLocale.system()).name()  # e.g. "zh_CN"
    if (FOLDER / f"inkwell_{name}.qm").exists():
        return name
    if name.startswith("zh"):
        return "zh_CN"
    return "en"


def install(app: QCoreApplication, choice: str) -> str:
    """Load the interface language (ours and Qt's own, for standard buttons); returns it."""
    language = resolve(choice)
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(FOLDER / f"inkwell_{language}.qm")):
        app.installTranslator(ours)
    else:
        return "en"
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return language
