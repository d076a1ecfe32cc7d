from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.jobs import Request
from engine.prompting.templates import Catalog

OPERATIONS = ["rewrite", "proofread", "continue", "summarize", "translate", "draft", "custom"]


def test_default_catalog_has_every_operation_and_style() -> None:
    catalog = Catalog.default()
    assert list(catalog.operations) == OPERATIONS
    assert set(catalog.get("rewrite").styles) == {"clearer", "shorter", "formal", "casual", "expand"}
    for op in catalog.operations.values():
        assert "{text}" in op.chat + op.prefill, op.name
        assert op.completion, op.name


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
