"""The writer's own prompts: overrides of the default templates and their own operations.

They live in `prompts.toml` beside the settings; the defaults stay in `resources/`. The
file holds only what the writer changed, so a reset is deleting a table and a new
release's improved defaults still reach every template the writer did not touch.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import toml_files
from engine.errors import InputError
from engine.prompting.templates import Catalog

NAME = re.compile(r"^[A-Za-z](?:[\w .-]{0,38}[\w.-])?$")  # "my op.v2" is a name; TOML quotes it
HEADER = "Your prompt templates and operations; the defaults are in Inkwell's resources."
EDITABLE = ("chat", "completion", "prefill")


@dataclass(frozen=True)
class CustomOperation:
    """What a writer fills in to add an operation."""

    name: str
    label: str
    template: str
    shortcut: str = ""
    replaces_selection: bool = True
    max_new_tokens: int = 256

    def table(self) -> dict[str, Any]:
        return {
            "custom": True,
            "label": self.label.strip() or self.name,
            "chat": self.template,
            "shortcut": self.shortcut,
            "rewrite_like": self.replaces_selection,
            "stop_at_blank_line": False,
            "max_new_tokens": self.max_new_tokens,
        }


class UserPrompts:
    """The overrides file, read and written as plain tables."""

    def __init__(self, path: Path, base: Catalog | None = None) -> None:
        self.path = path
        self.base = base or Catalog.default()
        self.data: dict[str, Any] = {"operations": {}}

    def load(self) -> list[str]:
        """Read the file; a broken one is reported and left alone (the defaults are used)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            return [f"{self.path.name} could not be read ({exc}); using the default prompts"]
        try:
            data = tomllib.loads(text)
            Catalog.from_dict(data, self.base)
        except (tomllib.TOMLDecodeError, InputError, KeyError, TypeError, ValueError) as exc:
            message = exc.message if isinstance(exc, InputError) else str(exc)
            return [f"{self.path.name} was not used: {message}"]
        data.setdefault("operations", {})
        self.data = data
        return []

    def catalog(self) -> Catalog:
        return Catalog.from_dict(self.data, self.base)

    @property
    def operations(self) -> dict[str, dict[str, Any]]:
        operations: dict[str, dict[str, Any]] = self.data["operations"]
        return operations

    def is_overridden(self, name: str) -> bool:
        return name in self.operations and not self.operations[name].get("custom", False)

    def set_template(self, name: str, field: str, template: str) -> Catalog:
        """Change one template of an operation; checked before it is kept."""
        if field not in EDITABLE:
            raise InputError(f"Only the {', '.join(EDITABLE)} templates can be edited.")
        table = dict(self.operations.get(name, {}))
        default = self.base.operations.get(name)
        if default is not None and not table.get("custom") and getattr(default, field) == template:
            table.pop(field, None)  # back to the default: keep the file to what was changed
        else:
            table[field] = template
        return self._put(name, table)

    def set_system(self, text: str) -> Catalog:
        data = dict(self.data)
        if text == self.base.system:
            data.pop("system", None)
        else:
            data["system"] = text
        Catalog.from_dict(data, self.base)
        self.data = data
        return self.catalog()

    def reset(self, name: str) -> Catalog:
        """Drop the writer's changes to a built-in operation."""
        if self.operations.get(name, {}).get("custom"):
            raise InputError(f"{name!r} is your own operation; remove it instead.")
        return self._put(name, {})

    def add_custom(self, operation: CustomOperation) -> Catalog:
        if not NAME.match(operation.name):
            raise InputError(
                "An operation's name is 1–40 letters, digits, spaces, '.', '-' or '_', "
                "starting with a letter."
            )
        if operation.name in self.base.operations:
            raise InputError(f"{operation.name!r} is a built-in operation; choose another name.")
        return self._put(operation.name, operation.table())

    def remove_custom(self, name: str) -> Catalog:
        if not self.operations.get(name, {}).get("custom"):
            raise InputError(f"{name!r} is not one of your own operations.")
        return self._put(name, {})

    def _put(self, name: str, table: dict[str, Any]) -> Catalog:
        operations = dict(self.operations)
        if table:
            operations[name] = table
        else:
            operations.pop(name, None)
        data = {**self.data, "operations": operations}
        catalog = Catalog.from_dict(data, self.base)  # raises InputError before anything is kept
        self.data = data
        return catalog

    def save(self) -> None:
        """Write the file; the writer's own comments and layout in it are kept."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        previous = toml_files.read_document(self.path)
        toml_files.write_atomically(self.path, toml_files.merged(previous, self.data, HEADER))


def load_catalog(path: Path, extra: Path | None = None) -> tuple[Catalog, list[str]]:
    """The default catalog with the writer's file laid over it (and an extra file, e.g. the
    CLI's --operation-file), with a message for each file that could not be used."""
    user = UserPrompts(path)
    problems = user.load()
    catalog = user.catalog()
    if extra is not None:
        try:
            text = extra.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read the operation file {extra.name}: {exc}") from exc
        catalog = Catalog.from_toml(text, base=catalog)
    return catalog, problems
