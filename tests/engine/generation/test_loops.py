"""The engine on the real bundled model: equality with `generate`, clean output, streaming, cancel."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest
import torch

from engine.errors import InputError
from engine.jobs import Request
from tests.conftest import PARAGRAPH, collect, run_async
from tests.standard_prompts import OPERATIONS, source_for

pytestmark = pytest.mark.model

TEMPLATE_LEAKS = re.compile(r"<\|[a-z_]+\|>|<think>|</think>|^\s*(assistant|user|system)\b", re.I)
PREAMBLE = re.compile(
    r"^(sure|certainly|of course|here('s| is| are)|below is|the (rewritten|revised|corrected)"
    r" (text|version))",
    re.I,
)


def test_greedy_output_equals_transformers_generate(bundled_engine, loaded) -> None:
    request = Request("draft", "a lighthouse keeper who finds a message in a bottle", max_new_tokens=48)
    deltas, result = run_async(collect(bundled_engine, request))
    assert result.new_tokens > 10

    prompt = bundled_engine.render(request).result(timeout=60)
    input_ids = loaded.tokenizer(prompt.text, add_special_tokens=False, return_tensors="pt").input_ids
    with torch.inference_mode():
        reference = loaded.model.generate(
            input_ids, max_new_tokens=len(result.token_ids), do_sample=False, min_new_tokens=1
        )
    expected = tuple(reference[0, input_ids.shape[1] :].tolist())
    assert result.token_ids == expected
    assert result.prompt_tokens == input_ids.shape[1]
    assert "".join(deltas) == result.text


@pytest.mark.parametrize(("operation", "extra"), OPERATIONS)
def test_every_operation_gives_clean_text(bundled_engine, operation: str, extra: dict) -> None:
    text = source_for(operation)
    deltas, result = run_async(collect(bundled_engine, Request(operation, text, max_new_tokens=120, **extra)))
    assert result.text.strip(), result.raw_text
    assert "".join(deltas) == result.text
    assert not TEMPLATE_LEAKS.search(result.text), result.text
    assert not PREAMBLE.search(result.text), result.text
    assert result.text == result.text.rstrip()
    if operation != "continue":
        assert result.text == result.text.strip()
    assert result.ttft_ms > 0
    if operation == "proofread":  # judged edits: nothing is generated
        assert result.new_tokens == 0 and result.edits and result.prompt_tokens > 0
    elif operation == "summarize":  # the text's own sentences, each with its source
        assert result.new_tokens == 0 and result.sources
    elif operation == "ask":  # the bundled model quotes the sentence that answers, with its source
        assert result.new_tokens == 0 and result.sources and result.text in text
    elif any("already reads" in notice for notice in result.notices):  # the style is there already
        assert operation == "rewrite" and result.text == text and result.new_tokens == 0
    else:  # the model wrote (a rewrite with a style may still choose its judged edits)
        assert result.prompt_tokens > 0 and result.tokens_per_s > 0
        assert result.new_tokens > 0 or (operation == "rewrite" and result.verdict is not None)


@pytest.mark.parametrize(
    "text",
    [
        "I am very happy today because the weather is good. Let us walk in the park!",
        "Best day ever 🌞🎉 we went to the beach 🏖️ and ate ice cream 🍦",
    ],
)
def test_streaming_non_latin_text_adds_up_exactly(bundled_engine, text: str) -> None:
    """Multi-byte tokens stream whole: emoji through a rewrite, Chinese characters through
    a translation (the bundled model refuses to rewrite Chinese text, but may write it)."""
    request = (
        Request("rewrite", text, style="expand", max_new_tokens=60)
        if "🌞" in text
        else Request("translate", text, language="Chinese", max_new_tokens=60)
    )
    deltas, result = run_async(collect(bundled_engine, request))
    assert deltas
    assert all("\ufffd" not in delta for delta in deltas)
    assert "".join(deltas) == result.text
    assert "\ufffd" not in result.raw_text


def test_cancel_stops_within_one_token_and_nothing_arrives_after(bundled_engine) -> None:
    async def scenario() -> tuple[list[str], object]:
        request = Request("draft", "the history of lighthouses", max_new_tokens=300)
        stream = bundled_engine.stream(request)
        deltas = []
        async for delta in stream:
            deltas.append(delta)
            if len(deltas) == 5:
                stream.cancel()
        return deltas, stream.result

    deltas, result = run_async(scenario())
    assert len(deltas) == 5
    assert result.cancelled
    assert result.text == "".join(deltas)
    # Five deltas took at least five tokens; a cancel inside the loop costs at most one or
    # two more (the step in flight), never the 300 asked for.
    assert result.new_tokens <= 5 + 8


def test_cancel_takes_effect_within_one_forward_pass(bundled_engine, loaded) -> None:
    """Count the model's forward passes: after the cancel, at most the one in flight runs."""
    backend = bundled_engine._backend
    cancel = threading.Event()
    forwards = {"total": 0, "at_cancel": None}
    deltas: list[str] = []

    def count(*_: object) -> None:
        forwards["total"] += 1

    def emit(delta: str) -> None:
        deltas.append(delta)
        if len(deltas) == 5:
            forwards["at_cancel"] = forwards["total"]
            cancel.set()

    def job() -> object:
        hook = loaded.model.register_forward_hook(count)
        try:
            return backend.generate(Request("draft", "the sea", max_new_tokens=300), emit, cancel)
        finally:
            hook.remove()

    result = bundled_engine.submit(job).result(timeout=300)
    assert result.cancelled
    assert len(deltas) == 5 and result.text == "".join(deltas)
    assert forwards["total"] - forwards["at_cancel"] <= 1
    assert result.new_tokens <= forwards["total"]


def test_a_new_request_can_replace_the_running_one(bundled_engine) -> None:
    async def scenario() -> tuple[object, object]:
        first = bundled_engine.stream(Request("draft", "a long story about ships", max_new_tokens=300))
        first_deltas = []
        async for delta in first:
            first_deltas.append(delta)
            if len(first_deltas) == 3:
                break
        second = bundled_engine.stream(
            Request("rewrite", PARAGRAPH, style="shorter", max_new_tokens=40), replace=True
        )
        text = await second.text()
        await first.aclose()
        return first, second, text

    first, second, text = run_async(scenario())
    assert first.cancelled
    assert second.result.text == text and text


def test_text_longer_than_the_context_window_is_refused(bundled_engine) -> None:
    window = bundled_engine.info.context_window
    long_text = "The quick brown fox jumps over the lazy dog. " * (window // 8)

    async def scenario() -> None:
        await bundled_engine.stream(Request("custom", long_text, instruction="Summarize.")).text()

    with pytest.raises(InputError) as caught:
        run_async(scenario())
    message = caught.value.message
    assert "too long" in message
    assert f"{window:,}" in message
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", message)]
    assert max(numbers) > window


def test_sampling_is_reproducible_with_a_seed(bundled_engine) -> None:
    def sample(seed: int) -> str:
        async def one() -> str:
            request = Request("draft", "autumn", temperature=0.9, seed=seed, max_new_tokens=24)
            return await bundled_engine.stream(request).text()

        return run_async(one())

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)


def test_streams_from_two_event_loops_do_not_mix(bundled_engine) -> None:
    async def both() -> tuple[str, str]:
        a = bundled_engine.stream(Request("rewrite", PARAGRAPH, style="formal", max_new_tokens=30))
        b = bundled_engine.stream(Request("custom", PARAGRAPH, instruction="Summarize.", max_new_tokens=30))
        return await asyncio.gather(a.text(), b.text())

    text_a, text_b = run_async(both())
    assert text_a and text_b and text_a != text_b
