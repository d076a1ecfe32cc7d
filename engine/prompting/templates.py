"""The operations and their prompt templates, read from `resources/prompts.toml`.

Templates are data: the defaults ship as one TOML file, and a writer's overrides can be
laid over them by passing another file. Requests are checked against this catalog before
any model work, so a bad request fails at once with a clear message.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from engine.errors import InputError
from engine.jobs import Request

PLACEHOLDERS = frozenset({"text", "style", "language", "instruction", "before", "after", "keep"})
PIPELINES = ("generate", "edits", "keep_facts", "extract")


@dataclass(frozen=True)
class Style:
    instruction: str
    stop_at_blank_line: bool | None = None
    shortcut: str = ""  # a key sequence such as "Ctrl+Shift+R"


@dataclass(frozen=True)
class OperationTemplate:
    name: str
    label: str
    chat: str
    completion: str
    prefill: str = ""
    rewrite_like: bool = True
    stop_at_blank_line: bool = False
    needs_language: bool = False
    needs_instruction: bool = False
    max_new_tokens: int = 256
    min_new_tokens: int = 1
    stop_on_loop: bool = True
    styles: dict[str, Style] = field(default_factory=dict)
    custom: bool = False  # a writer's own operation (from their prompts file)
    shortcut: str = ""  # a key sequence such as "Ctrl+Alt+H", for the menu entry
    # "generate": the answer as decoded; "edits": judged small edits, never free text
    # (proofread); "keep_facts": candidates checked for the source's facts (rewrite)
    pipeline: str = "generate"
    copy_draft: bool = False  # guess tokens from the source and verify them in one pass

    @property
    def placeholders(self) -> frozenset[str]:
        return _fields(self.chat) | _fields(self.completion) | _fields(self.prefill)

    def stops_at_blank_line(self, style: str | None) -> bool:
        chosen = self.styles.get(style or "")
        if chosen is not None and chosen.stop_at_blank_line is not None:
            return chosen.stop_at_blank_line
        return self.stop_at_blank_line


def _fields(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


def _check_placeholders(name: str, template: str) -> None:
    try:
        fields = _fields(template)
    except ValueError as exc:
        raise InputError(f"The prompt template for {name!r} is malformed: {exc}.") from exc
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise InputError(
            f"The prompt template for {name!r} uses unknown placeholders: "
            f"{', '.join(sorted(unknown))}. Known ones: {', '.join(sorted(PLACEHOLDERS))}."
        )


def _style(value: Any) -> Style:
    if isinstance(value, str):
        return Style(value)
    return Style(value["instruction"], value.get("stop_at_blank_line"), str(value.get("shortcut", "")))


def _operation(name: str, table: dict[str, Any]) -> OperationTemplate:
    if not isinstance(table.get("chat"), str):
        raise InputError(f"The operation {name!r} needs a `chat` template (text with {{text}} in it).")
    custom = bool(table.get("custom", False))
    op = OperationTemplate(
        name=name,
        label=table.get("label", name.title()),
        chat=table["chat"],
        completion=table.get("completion", table["chat"]),
        prefill=table.get("prefill", ""),
        rewrite_like=bool(table.get("rewrite_like", True)),
        stop_at_blank_line=bool(table.get("stop_at_blank_line", False)),
        needs_language=bool(table.get("needs_language", custom and "{language}" in table["chat"])),
        needs_instruction=bool(table.get("needs_instruction", False)),
        max_new_tokens=int(table.get("max_new_tokens", 256)),
        min_new_tokens=int(table.get("min_new_tokens", 1)),
        stop_on_loop=bool(table.get("stop_on_loop", True)),
        styles={key: _style(value) for key, value in table.get("styles", {}).items()},
        custom=custom,
        shortcut=str(table.get("shortcut", "")),
        pipeline=str(table.get("pipeline", "generate")),
        copy_draft=bool(table.get("copy_draft", False)),
    )
    if op.pipeline not in PIPELINES:
        raise InputError(
            f"The operation {name!r} has an unknown pipeline {op.pipeline!r}; "
            f"use one of {', '.join(PIPELINES)}."
        )
    for template in (op.chat, op.completion, op.prefill):
        _check_placeholders(name, template)
    if custom and "text" not in _fields(op.chat):
        raise InputError(f"The operation {name!r} must use {{text}} (the selection) in its template.")
    return op


def _as_table(op: OperationTemplate) -> dict[str, Any]:
    """An operation back as the TOML table it came from (to lay overrides over it)."""
    table: dict[str, Any] = {
        "label": op.label,
        "chat": op.chat,
        "completion": op.completion,
        "prefill": op.prefill,
        "rewrite_like": op.rewrite_like,
        "stop_at_blank_line": op.stop_at_blank_line,
        "needs_language": op.needs_language,
        "needs_instruction": op.needs_instruction,
        "max_new_tokens": op.max_new_tokens,
        "min_new_tokens": op.min_new_tokens,
        "stop_on_loop": op.stop_on_loop,
        "custom": op.custom,
        "shortcut": op.shortcut,
        "pipeline": op.pipeline,
        "copy_draft": op.copy_draft,
        "styles": {
            key: {"instruction": style.instruction, "stop_at_blank_line": style.stop_at_blank_line}
            if style.stop_at_blank_line is not None
            else style.instruction
            for key, style in op.styles.items()
        },
    }
    return table


@dataclass(frozen=True)
class Catalog:
    """Every operation the engine knows, with the shared system prompt."""

    system: str
    operations: dict[str, OperationTemplate]

    @classmethod
    def from_toml(cls, text: str, base: Catalog | None = None) -> Catalog:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"The prompt file is not valid TOML: {exc}.") from exc
        return cls.from_dict(data, base)

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: Catalog | None = None) -> Catalog:
        """Lay `data`'s tables over `base`: a table for a known operation replaces only the
        fields it names, so an override of one template keeps the rest of the defaults."""
        operations = dict(base.operations) if base else {}
        for name, table in data.get("operations", {}).items():
            if not isinstance(table, dict):
                raise InputError(f"The operation {name!r} should be a table of settings.")
            known = base.operations.get(name) if base else None
            if known is not None and not table.get("custom", False):
                table = {**_as_table(known), **table}
            elif known is not None and not known.custom:
                raise InputError(f"{name!r} is a built-in operation; give your own operation another name.")
            operations[name] = _operation(name, table)
        system = data.get("system", base.system if base else "")
        return cls(system, operations)

    @classmethod
    def default(cls, overrides: Path | None = None) -> Catalog:
        text = resources.files("resources").joinpath("prompts.toml").read_text(encoding="utf-8")
        catalog = cls.from_toml(text)
        if overrides is not None and overrides.is_file():
            catalog = cls.from_toml(overrides.read_text(encoding="utf-8"), base=catalog)
        return catalog

    def get(self, name: str) -> OperationTemplate:
        try:
            return self.operations[name]
        except KeyError:
            raise InputError(
                f"Unknown operation {name!r}. Choose one of: {', '.join(self.operations)}."
            ) from None

    def validate(self, request: Request) -> OperationTemplate:
        """Check a request against its operation; return the operation."""
        op = self.get(request.operation)
        if not request.text.strip():
            what = "a topic" if op.name == "draft" else "some text"
            raise InputError(f"Nothing to work on: {op.label} needs {what}, and the input is empty.")
        if op.styles:
            if request.style is None:
                raise InputError(f"{op.label} needs a style: one of {', '.join(op.styles)}.")
            if request.style not in op.styles:
                raise InputError(
                    f"Unknown style {request.style!r} for {op.label}. Choose one of: {', '.join(op.styles)}."
                )
        elif request.style is not None:
            raise InputError(f"{op.label} takes no style.")
        if op.needs_language and not (request.language or "").strip():
            raise InputError(f"{op.label} needs a target language (for example --language French).")
        if op.needs_instruction and not (request.instruction or "").strip():
            raise InputError(f"{op.label} needs an instruction (for example --instruction 'Make it rhyme').")
        if request.max_new_tokens is not None and request.max_new_tokens < 1:
            raise InputError("The number of new tokens must be at least 1.")
        if request.temperature < 0:
            raise InputError("The temperature cannot be negative.")
        return op
