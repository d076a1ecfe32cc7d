"""The standard requests every backend is checked on (tests and benchmarks share them)."""

from __future__ import annotations

from engine.prompting.templates import Catalog

PARAGRAPH = (
    "The meeting was postponed because alot of the team members was sick, and we decided "
    "that we would try to reschedule it for sometime next week when hopefully everyone will "
    "be feeling better and able to attend."
)
TOPIC = "the benefits of walking to work"


_CATALOG = Catalog.default()  # read once: the built-in operations


def _standard_requests() -> list[tuple[str, dict[str, str]]]:
    """One request per built-in operation and style, read from the catalog: an operation
    added to resources/prompts.toml is checked on every backend with no edit here."""
    requests: list[tuple[str, dict[str, str]]] = []
    for op in _CATALOG.operations.values():
        if op.styles:
            requests += [(op.name, {"style": style}) for style in op.styles]
        elif op.needs_language:
            requests.append((op.name, {"language": "French"}))
        elif op.pipeline == "ask":  # a question about the paragraph
            requests.append((op.name, {"instruction": "Why was the meeting postponed?"}))
        elif op.needs_instruction:
            requests.append((op.name, {"instruction": "Turn this into a bulleted list."}))
        else:
            requests.append((op.name, {}))
    return requests


OPERATIONS = _standard_requests()
_TOPIC_OPERATIONS = {name for name, op in _CATALOG.operations.items() if op.input == "topic"}


def source_for(operation: str) -> str:
    """An operation that reads a topic (Draft) starts from one; the rest work on the paragraph."""
    return TOPIC if operation in _TOPIC_OPERATIONS else PARAGRAPH
