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
PIPELINES = ("generate", "edits", "keep_facts", "extract", "ask")


INPUTS = ("selection", "before_cursor", "topic")


@dataclass(frozen=True)
class Style:
    instruction: str
    stop_at_blank_line: bool | None = None
    shortcut: str = ""  # a key sequence such as "Ctrl+Shift+R"
    label: str = ""  # as the window shows it ("Clearer"); the style's name capitalised if empty
    toolbar: bool = False  # a button of its own on the toolbar
    translations: dict[str, str] = field(default_factory=dict)  # interface language → label


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
    # Where the window shows it and what it reads; built-in and own operations alike.
    action: str = ""  # the label as a verb phrase ("Make bullet points"), for messages
    input: str = "selection"  # "selection", "before_cursor" or "topic" (asked when none is selected)
    menu: bool = True  # the Assistant menu, the right-click menu and the command palette
    context_menu: bool = True
    palette: bool = True
    toolbar: bool = False
    review: bool = False  # a choice of the review pass (Assistant → Review document…)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # language → label, action
    table: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # as written

    def label_in(self, language: str) -> str:
        """The name in an interface language ("zh_CN"), else as written."""
        return self.translations.get(language, {}).get("label", self.label)

    def action_in(self, language: str) -> str:
        """The verb phrase in an interface language; "" when the operation has none (a
        writer's own operation named like a noun: messages then say "for {label}")."""
        if not self.action:
            return ""
        return self.translations.get(language, {}).get("action", self.action)

    def style_label(self, style: str, language: str = "en") -> str:
        chosen = self.styles.get(style)
        if chosen is None:
            return style.capitalize()
        return chosen.translations.get(language) or chosen.label or style.capitalize()

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


def _style(name: str, value: Any) -> Style:
    if isinstance(value, str):
        return Style(value)
    if not isinstance(value, dict) or not isinstance(value.get("instruction"), str):
        raise InputError(f"The style {name!r} needs an `instruction` (text).")
    return Style(
        value["instruction"],
        value.get("stop_at_blank_line"),
        str(value.get("shortcut", "")),
        str(value.get("label", "")),
        bool(value.get("toolbar", False)),
        {str(k): str(v) for k, v in value.get("translations", {}).items()},
    )


def _translations(name: str, value: Any) -> dict[str, dict[str, str]]:
    """`{zh_CN = {label = "…", action = "…"}}` (a bare string is the label)."""
    if not isinstance(value, dict):
        raise InputError(f"The translations of {name!r} should be a table of languages.")
    return {
        str(language): {"label": text} if isinstance(text, str) else {str(k): str(v) for k, v in text.items()}
        for language, text in value.items()
    }


def _operation(name: str, table: dict[str, Any]) -> OperationTemplate:
    if not isinstance(table.get("chat"), str):
        raise InputError(f"The operation {name!r} needs a `chat` template (text with {{text}} in it).")
    custom = bool(table.get("custom", False))
    menu = bool(table.get("menu", True))
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
        styles={key: _style(key, value) for key, value in table.get("styles", {}).items()},
        custom=custom,
        shortcut=str(table.get("shortcut", "")),
        pipeline=str(table.get("pipeline", "generate")),
        copy_draft=bool(table.get("copy_draft", False)),
        action=str(table.get("action", "")),
        input=str(table.get("input", "selection" if table.get("rewrite_like", True) else "topic")),
        menu=menu,
        context_menu=bool(table.get("context_menu", menu)),
        palette=bool(table.get("palette", menu)),
        toolbar=bool(table.get("toolbar", False)),
        review=bool(table.get("review", False)),
        translations=_translations(name, table.get("translations", {})),
        table=dict(table),
    )
    if op.input not in INPUTS:
        raise InputError(
            f"The operation {name!r} has an unknown input {op.input!r}; use one of {', '.join(INPUTS)}."
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
                table = {**known.table, **table}
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
        if op.pipeline == "ask":
            if not (request.instruction or "").strip():
                raise InputError("Type a question about the document first.")
            if not request.text.strip():
                raise InputError("The document is empty: there is nothing to ask about.")
        if not request.text.strip():
            what = "a topic" if op.input == "topic" and not op.custom else "some text"
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
