from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.jobs import Request
from engine.prompting.templates import Catalog


def test_every_built_in_operation_is_complete_for_the_window_and_the_cli() -> None:
    """What the window generates an operation's entries from (tests/ui/test_actions.py adds
    one): a label, a verb phrase when it has a menu entry, and its translations."""
    catalog = Catalog.default()
    assert {"rewrite", "proofread", "summarize", "translate", "continue", "draft", "custom"} <= set(
        catalog.operations
    )
    assert set(catalog.get("rewrite").styles) == {"clearer", "shorter", "formal", "casual", "expand"}
    for op in catalog.operations.values():
        assert "{text}" in op.chat + op.prefill, op.name
        assert op.completion, op.name
        assert not op.custom and op.input in ("selection", "before_cursor", "topic"), op.name
        assert op.action or not op.menu, f"{op.name} needs an action (its label as a verb phrase)"
        assert op.label_in("zh_CN") != op.label, f"{op.name} has no zh_CN label"
        for style in op.styles:
            assert op.style_label(style, "zh_CN") != op.style_label(style), f"{op.name}:{style}"


def test_an_override_keeps_what_it_does_not_name() -> None:
    changed = Catalog.from_toml("[operations.rewrite]\nmax_new_tokens = 99\n", base=Catalog.default())
    rewrite = changed.get("rewrite")
    assert rewrite.max_new_tokens == 99
    assert rewrite.styles["clearer"].shortcut == "Ctrl+Shift+R" and rewrite.styles["clearer"].toolbar
    assert rewrite.label_in("zh_CN") == "改写" and rewrite.review


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (Request("rewrite", "   \n", style="clearer"), "input is empty"),
        (Request("draft", ""), "needs a topic"),
        (Request("poem", "text"), "Unknown operation 'poem'"),
        (Request("rewrite", "text"), "needs a style"),
        (Request("rewrite", "text", style="loud"), "Unknown style 'loud'"),
        (Request("proofread", "text", style="clearer"), "takes no style"),
        (Request("translate", "text"), "needs a target language"),
        (Request("custom", "text"), "needs an instruction"),
        (Request("summarize", "text", max_new_tokens=0), "at least 1"),
    ],
)
def test_bad_requests_fail_with_a_clear_message(request_: Request, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Catalog.default().validate(request_)


def test_good_requests_pass() -> None:
    catalog = Catalog.default()
    assert catalog.validate(Request("rewrite", "x", style="expand")).name == "rewrite"
    assert catalog.validate(Request("translate", "x", language="French")).needs_language


def test_overrides_lay_over_the_defaults(tmp_path: Path) -> None:
    override = tmp_path / "prompts.toml"
    override.write_text(
        '[operations.rewrite]\nchat = "Make this {style}: {text}"\n[operations.rewrite.styles]\n'
        'pirate = "like a pirate"\n'
        '[operations.haiku]\nchat = "Turn into a haiku: {text}"\n',
        encoding="utf-8",
    )
    catalog = Catalog.default(override)
    assert catalog.get("rewrite").chat == "Make this {style}: {text}"
    assert set(catalog.get("rewrite").styles) == {"pirate"}
    assert catalog.get("haiku").rewrite_like
    assert catalog.get("proofread").chat == Catalog.default().get("proofread").chat


def test_unknown_placeholder_is_refused() -> None:
    with pytest.raises(InputError, match="unknown placeholders: tone"):
        Catalog.from_toml('[operations.x]\nchat = "{tone} {text}"\n')


def test_expand_style_keeps_paragraphs() -> None:
    rewrite = Catalog.default().get("rewrite")
    assert rewrite.stops_at_blank_line("clearer")
    assert not rewrite.stops_at_blank_line("expand")


def test_operation_options_are_read() -> None:
    catalog = Catalog.from_toml(
        '[operations.bench]\nchat = "{text}"\nstop_on_loop = false\nmin_new_tokens = 9\nmax_new_tokens = 9\n'
    )
    bench = catalog.get("bench")
    assert not bench.stop_on_loop
    assert bench.min_new_tokens == bench.max_new_tokens == 9
    assert Catalog.default().get("proofread").stop_on_loop
