"""The interface language: Qt's own translation system, .ts sources and compiled .qm files.

`make translations` runs pyside6-lupdate over ui/ (every visible string goes through
`tr()`) and pyside6-lrelease into resources/translations/. The language follows the
system locale unless the writer picks one in Preferences; a change applies at the next
start, because Qt builds menus and dialogs once with the strings of that moment.

Strings that are not in the code (the languages to translate into, the steps of a model
load) are listed here so lupdate finds them. Operations and styles are not: their labels
and translations sit with them in resources/prompts.toml (`translations.zh_CN`), so an
operation is added in one place; `interface_language()` says which one the window shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Qt's marker for a string translated later, typed: PySide6's returns `object`."""
    return text


FOLDER = Path(__file__).resolve().parents[1] / "resources" / "translations"
_LANGUAGE_PROPERTY = "inkwellInterfaceLanguage"
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


def interface_language() -> str:
    """The language `install` chose ("en" before it runs), for labels Qt does not translate."""
    app = QCoreApplication.instance()
    chosen = app.property(_LANGUAGE_PROPERTY) if app is not None else None
    return chosen if isinstance(chosen, str) else "en"


def menu_text(label: str, english: str, dialog: bool = False) -> str:
    """A menu entry with its access key: "&Proofread", or "校对(&P)" where the label is
    translated (the key stays the English initial, as in Qt's own Chinese menus)."""
    dots = "…" if dialog else ""
    if label == english:
        return f"&{label}{dots}"
    return f"{label}(&{english[:1].upper()}){dots}"


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
    app.setProperty(_LANGUAGE_PROPERTY, "en")
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(FOLDER / f"inkwell_{language}.qm")):
        app.installTranslator(ours)
        app.setProperty(_LANGUAGE_PROPERTY, language)
    else:
        return "en"
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return language
