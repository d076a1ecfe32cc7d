"""The standard requests every backend is checked on (tests and benchmarks share them)."""

from __future__ import annotations

PARAGRAPH = (
    "The meeting was postponed because alot of the team members was sick, and we decided "
    "that we would try to reschedule it for sometime next week when hopefully everyone will "
    "be feeling better and able to attend."
)
TOPIC = "the benefits of walking to work"

OPERATIONS: list[tuple[str, dict[str, str]]] = [
    ("rewrite", {"style": "clearer"}),
    ("rewrite", {"style": "shorter"}),
    ("rewrite", {"style": "formal"}),
    ("rewrite", {"style": "casual"}),
    ("rewrite", {"style": "expand"}),
    ("proofread", {}),
    ("continue", {}),
    ("summarize", {}),
    ("translate", {"language": "French"}),
    ("draft", {}),
    ("custom", {"instruction": "Turn this into a bulleted list."}),
]


def source_for(operation: str) -> str:
    """Draft starts from a topic; everything else works on the paragraph."""
    return TOPIC if operation == "draft" else PARAGRAPH
