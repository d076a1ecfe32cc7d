"""Rendering a request into the exact prompt text the model sees.

Instruction-tuned models get the chat form, rendered through the tokenizer's own chat
template; base models (no chat template, e.g. GPT-Neo) get the plain completion form.
The rendered string is what a prompt preview shows and what is tokenized, so the two
cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.jobs import Request
from engine.prompting.templates import Catalog, OperationTemplate


@dataclass(frozen=True)
class Prompt:
    text: str
    form: str  # "chat" or "completion"
    operation: OperationTemplate
    stop_at_blank_line: bool
    strip_leading_space: bool


def _values(request: Request, op: OperationTemplate) -> dict[str, str]:
    style = op.styles[request.style].instruction if request.style in op.styles else ""
    text = request.text
    if not op.rewrite_like:
        # The model continues the text itself; trailing spaces would split a token badly.
        text = text.rstrip()
    return {
        "text": text,
        "style": style,
        "language": (request.language or "").strip(),
        "instruction": (request.instruction or "").strip(),
        "before": request.before,
        "after": request.after,
        "keep": request.keep,
    }


def chat_messages(request: Request, op: OperationTemplate, catalog: Catalog) -> list[dict[str, str]]:
    """The chat form as role/content messages (what an OpenAI-compatible server takes)."""
    messages = []
    if catalog.system:
        messages.append({"role": "system", "content": catalog.system})
    messages.append({"role": "user", "content": op.chat.format_map(_values(request, op))})
    return messages


def instruction_text(request: Request, op: OperationTemplate, catalog: Catalog) -> str:
    """What the model is told besides the writer's text: the system prompt and the user
    message with the text left out (the cleaner drops it when the model repeats it)."""
    bare = replace(request, text="", before="", after="")
    return "\n".join(m["content"] for m in chat_messages(bare, op, catalog))


def completion_text(request: Request, op: OperationTemplate) -> str:
    return op.completion.format_map(_values(request, op))


def _prompt(text: str, form: str, request: Request, op: OperationTemplate) -> Prompt:
    blank_in_input = "\n\n" in request.text.strip()
    stop_at_blank = op.stops_at_blank_line(request.style) and (not blank_in_input or not op.rewrite_like)
    # A rewrite never starts with a space; a continuation does, unless the writer's text
    # already ends in whitespace.
    strip_leading = op.rewrite_like or request.text[-1:].isspace()
    return Prompt(text, form, op, stop_at_blank, strip_leading)


def render(request: Request, op: OperationTemplate, catalog: Catalog, tokenizer: Any) -> Prompt:
    if getattr(tokenizer, "chat_template", None):
        messages = chat_messages(request, op, catalog)
        text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return _prompt(text + op.prefill.format_map(_values(request, op)), "chat", request, op)
    return _prompt(completion_text(request, op), "completion", request, op)


def render_for_server(request: Request, op: OperationTemplate, catalog: Catalog) -> Prompt:
    """For a server: chat messages, except where the assistant's turn must start with given
    text (Continue), which only a plain completion can do."""
    if op.prefill:
        return _prompt(completion_text(request, op), "completion", request, op)
    messages = chat_messages(request, op, catalog)
    return _prompt("\n\n".join(m["content"] for m in messages), "chat", request, op)
