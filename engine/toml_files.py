"""Saving the writer's TOML files (settings, prompts) without undoing their own edits.

The app rewrites a file the writer may also have edited by hand. `tomlkit` keeps what it
does not change: comments, blank lines, key order and quoting. Only values that differ are
replaced, tables the app no longer holds are dropped, and new ones are added at the end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument

TABLE_DEPTH = 3  # [operations.NAME.styles] is a table; a style's fields inside it are inline


def read_document(path: Path) -> TOMLDocument | None:
    """The file as tomlkit reads it, or None when it is missing or not valid TOML."""
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError):
        return None


def merged(document: TOMLDocument | None, data: Mapping[str, Any], header: str) -> str:
    """The text of `document` changed to hold exactly `data`; a new file starts with `header`."""
    if document is None:
        document = tomlkit.document()
        document.add(tomlkit.comment(header))
        document.add(tomlkit.nl())
    _update(document, data)
    return tomlkit.dumps(document)


def _update(target: Container | Table | TOMLDocument, data: Mapping[str, Any], depth: int = 0) -> None:
    for key in [key for key in target if key not in data]:
        del target[key]
    for key, value in data.items():
        present = target.get(key)
        if isinstance(value, Mapping) and isinstance(present, Table | Container):
            _update(present, value, depth + 1)
        elif present is None or _plain(present) != value:
            target[key] = _item(value, depth + 1)


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _item(value: Any, depth: int = 1) -> Any:
    """A value as tomlkit should write it: `[a.b.c]` tables three deep, inline tables below,
    and no bare `[a]` header over a table that holds only tables."""
    if not isinstance(value, Mapping):
        return value
    if depth > TABLE_DEPTH:
        cells = tomlkit.inline_table()
        cells.update({key: inner for key, inner in value.items() if inner is not None})
        return cells
    holds_only_tables = bool(value) and all(isinstance(inner, Mapping) for inner in value.values())
    table = tomlkit.table(is_super_table=holds_only_tables)
    for key, inner in value.items():
        table[key] = _item(inner, depth + 1)
    return table


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing: a crash or a full disk never leaves half of it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
