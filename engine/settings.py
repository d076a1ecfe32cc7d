"""The writer's settings: one typed object, stored as TOML in the user config folder.

Free of Qt so the command line reads the same file as the window. A hand-edited file
never stops the app from starting: a value of the wrong type or out of range is reported
and replaced by its default, an unknown key is reported and ignored, and a file that is
not TOML at all is set aside (kept as `settings.toml.broken`) and the defaults are used.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from engine import toml_files
from engine.fidelity.spelling import LANGUAGES
from engine.models.device import DEVICES, DTYPES
from engine.models.spec import DEFAULT_FIRST_BYTE_TIMEOUT, ModelKind, ModelSpec, ServerSpec

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

SETTINGS_FILE = "settings.toml"
PROMPTS_FILE = "prompts.toml"

SOURCES = ("bundled", "folder", "gguf", "hub", "server")
PRECISIONS = ("fast", "exact")
THEMES = ("system", "light", "dark")


def default_config_dir() -> Path:
    """The per-user config folder; INKWELL_CONFIG_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("INKWELL_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("inkwell", appauthor=False))


@dataclass(frozen=True)
class ModelSettings:
    source: str = "bundled"  # one of SOURCES
    location: str = ""  # the folder, the .gguf file or the hub id
    device: str = "auto"
    dtype: str = "auto"
    precision: str = "fast"
    context_size: int = 0  # 0: the model's own context window

    def spec(self) -> ModelSpec:
        """The local model these settings name (the server source has its own settings)."""
        kind = {
            "folder": ModelKind.FOLDER,
            "gguf": ModelKind.GGUF,
            "hub": ModelKind.HUB,
        }.get(self.source)
        if kind is None or not self.location.strip():
            return ModelSpec.bundled()
        location = self.location.strip()
        if kind is not ModelKind.HUB:
            location = str(Path(location).expanduser())
        return ModelSpec(kind, location)


@dataclass(frozen=True)
class ServerSettings:
    url: str = ""
    model: str = ""  # empty: the first model the server lists
    api_key_env: str = ""  # the name of an environment variable; the key itself is never stored
    first_byte_timeout: float = DEFAULT_FIRST_BYTE_TIMEOUT

    def spec(self) -> ServerSpec:
        """The server these settings name."""
        return ServerSpec(self.url, self.model, self.api_key_env, self.first_byte_timeout)


@dataclass(frozen=True)
class GenerationSettings:
    max_new_tokens: int = 0  # 0: each operation's own limit
    temperature: float = 0.0  # 0 is greedy
    top_p: float = 0.95
    alternatives: int = 3  # answers Alt+] and Alt+[ cycle through, the first one included


@dataclass(frozen=True)
class EditorSettings:
    font_family: str = ""  # empty: the system's default font
    font_size: int = 0  # 0: the system's default size
    theme: str = "system"
    autosave_seconds: int = 30  # the longest wait between autosaves while typing
    spell_check: bool = True  # underline unknown words as you type
    spelling_language: str = "en"  # the dictionary for underlines and proofreading
    legacy_encoding: str = ""  # tried when a file's encoding cannot be told; empty: the locale's
    interface_language: str = "system"  # "system" follows the locale; or one of INTERFACE_LANGUAGES


INTERFACE_LANGUAGES = ("system", "en", "zh_CN")  # ui/translations.py loads them


@dataclass(frozen=True)
class Settings:
    model: ModelSettings = field(default_factory=ModelSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    editor: EditorSettings = field(default_factory=EditorSettings)

    @property
    def uses_server(self) -> bool:
        return self.model.source == "server"


# What a value may be, beyond its type: a list of choices or an inclusive range.
CHOICES: dict[str, tuple[str, ...]] = {
    "model.source": SOURCES,
    "model.device": DEVICES,
    "model.dtype": DTYPES,
    "model.precision": PRECISIONS,
    "editor.theme": THEMES,
    "editor.spelling_language": tuple(LANGUAGES),
    "editor.interface_language": INTERFACE_LANGUAGES,
}
RANGES: dict[str, tuple[float, float]] = {
    "model.context_size": (0, 10_000_000),
    "server.first_byte_timeout": (1, 3600),
    "generation.max_new_tokens": (0, 32_768),
    "generation.temperature": (0.0, 2.0),
    "generation.top_p": (0.01, 1.0),
    "generation.alternatives": (2, 10),
    "editor.font_size": (0, 96),
    "editor.autosave_seconds": (5, 3600),
}


def _check(key: str, value: Any, default: Any) -> str | None:
    """Why `value` cannot stand for the setting `key`, or None when it can."""
    kind = type(default)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        return f"{key} should be {kind.__name__ if kind is not str else 'text'}, not {value!r}"
    if key in CHOICES and value not in CHOICES[key]:
        return f"{key} = {value!r} is not one of {', '.join(CHOICES[key])}"
    if key in RANGES:
        low, high = RANGES[key]
        if not low <= value <= high:
            return f"{key} = {value!r} is outside {low:g}…{high:g}"
    return None


def from_dict(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from parsed TOML, and a message for each value that was not used."""
    problems: list[str] = []
    sections: dict[str, Any] = {}
    for section in fields(Settings):
        table = data.get(section.name, {})
        default_section = getattr(Settings(), section.name)
        if not isinstance(table, dict):
            problems.append(f"[{section.name}] should be a table; using its defaults")
            sections[section.name] = default_section
            continue
        values: dict[str, Any] = {}
        known = {f.name for f in fields(default_section)}
        for name, value in table.items():
            key = f"{section.name}.{name}"
            if name not in known:
                problems.append(f"unknown setting {key} ignored")
                continue
            default = getattr(default_section, name)
            why = _check(key, value, default)
            if why:
                problems.append(f"{why}; using {default!r}")
                continue
            values[name] = float(value) if isinstance(default, float) else value
        sections[section.name] = replace(default_section, **values)
    for name in data:
        if name not in sections:
            problems.append(f"unknown section [{name}] ignored")
    return Settings(**sections), problems


HEADER = "Inkwell's settings. Edit in the app (Preferences, Ctrl+,) or here; your comments are kept."


def to_dict(settings: Settings) -> dict[str, dict[str, Any]]:
    """The settings as TOML tables, one per section."""
    return {section.name: asdict(getattr(settings, section.name)) for section in fields(Settings)}


def to_toml(settings: Settings, previous: TOMLDocument | None = None) -> str:
    """The settings file's text; `previous` (the file as it was) keeps the writer's comments."""
    return toml_files.merged(previous, to_dict(settings), HEADER)


class SettingsStore:
    """Reads and writes `settings.toml` in one folder; the app passes it around."""

    def __init__(self, config_dir: Path) -> None:
        self.config_dir = config_dir

    @property
    def path(self) -> Path:
        return self.config_dir / SETTINGS_FILE

    @property
    def prompts_path(self) -> Path:
        return self.config_dir / PROMPTS_FILE

    def load(self) -> tuple[Settings, list[str]]:
        """The stored settings (defaults when there are none) and what was wrong with them."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Settings(), []
        except OSError as exc:
            return Settings(), [f"{SETTINGS_FILE} could not be read ({exc.strerror}); using the defaults"]
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            kept = self._set_aside()
            where = f"; it was kept as {kept}" if kept else ""
            return Settings(), [f"{SETTINGS_FILE} is not valid TOML ({exc}); using the defaults{where}"]
        settings, problems = from_dict(data)
        return settings, [f"{SETTINGS_FILE}: {problem}" for problem in problems]

    def _set_aside(self) -> str:
        broken = self.path.with_name(SETTINGS_FILE + ".broken")
        try:
            os.replace(self.path, broken)
        except OSError:
            return ""
        return broken.name

    def save(self, settings: Settings) -> None:
        """Write atomically: a crash or a full disk never leaves half a settings file."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        toml_files.write_atomically(self.path, to_toml(settings, toml_files.read_document(self.path)))
