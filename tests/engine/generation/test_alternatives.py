"""Alternatives and choosing another word, on the real bundled model: N alternatives are
distinct and each has a clean verdict; an answer that goes on from a chosen word is what
`transformers`' own greedy `generate` writes after the same tokens."""

from __future__ import annotations

import threading

import torch

from engine.fidelity.alternatives import close_to, gather, offerable
from engine.fidelity.verdict import judge
from engine.jobs import Request
from tests.conftest import collect, run_async
from tests.engine.generation.test_confidence import assert_forward_pass_agrees

NOTE = "hey team, gonna be late tmrw cause the bus broke down again."
APP = "Our new app is super easy to use and it saves you heaps of time every single day."


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?")


def test_alternatives_are_distinct_and_each_has_a_clean_verdict(bundled_engine, loaded) -> None:
    request = Request("rewrite", NOTE, style="clearer", alternatives=3, confidence=True)
    _deltas, result = run_async(collect(bundled_engine, request))
    texts = [a.text for a in result.alternatives]
    assert len(texts) == 3, texts
    assert texts[0] == result.text  # the chosen answer first
    assert len({_key(t) for t in texts} | {_key(NOTE)}) == 4  # distinct, and none the writer's own
    dictionary = bundled_engine._backend.dictionary
    for alternative in result.alternatives:
        assert alternative.verdict is not None and offerable(alternative.verdict), alternative
        # the verdict is the one the chosen answer is held to (clearer), not a lenient copy
        again = judge(NOTE, alternative.text, style="clearer", dictionary=dictionary)
        assert again.clean and not again.style and not again.missing
        assert close_to(NOTE, alternative.text, "clearer")
    # each with its own words' probabilities, read after the same prompt (the window dots them)
    assert result.alternatives[0].confidence == result.confidence
    backend = bundled_engine._backend
    prompt_ids = backend.encode(backend.last_prompt)[0].tolist()
    for alternative in result.alternatives:
        assert_forward_pass_agrees(loaded, prompt_ids, alternative.text, alternative.confidence)


def test_no_alternatives_unless_asked(bundled_engine) -> None:
    _deltas, result = run_async(collect(bundled_engine, Request("rewrite", APP, style="shorter")))
    assert result.alternatives == ()


def test_choosing_another_word_goes_on_from_there_as_transformers_does(bundled_engine, loaded) -> None:
    first_request = Request("rewrite", NOTE, style="formal", confidence=True)
    _deltas, first = run_async(collect(bundled_engine, first_request))
    word = min(first.confidence, key=lambda w: w.p)  # the word the model was least sure of
    assert word.alternatives
    alternative = word.alternatives[0][0]
    prefix = (
        first.text[: word.start].rstrip(" ") + alternative
        if alternative.startswith(" ")
        else (first.text[: word.start] + alternative)
    )
    request = Request("rewrite", NOTE, style="formal", answer_prefix=prefix, max_new_tokens=40)
    deltas, result = run_async(collect(bundled_engine, request))
    assert result.text.startswith(prefix) and "".join(deltas) == result.text
    backend = bundled_engine._backend
    prompt_ids = backend.encode(backend.last_prompt)[0].tolist()
    prefix_ids = loaded.tokenizer(prefix, add_special_tokens=False).input_ids
    ids = torch.tensor([prompt_ids + prefix_ids])
    with torch.inference_mode():
        out = loaded.model.generate(
            ids, attention_mask=torch.ones_like(ids), max_new_tokens=40, do_sample=False
        )
    continuation = out[0, ids.shape[1] :].tolist()
    ours = list(result.token_ids[len(prefix_ids) :])
    assert ours and continuation[: len(ours)] == ours
    assert result.verdict is not None  # the writer sees what the new wording keeps and adds


def test_gathering_keeps_only_clean_different_answers_and_stops_when_cancelled() -> None:
    source = "The bridge opened in 1962."
    samples = {
        1000: "The bridge opened in 1962.",  # the writer's own
        1001: "In 1962 the bridge opened.",
        1002: "The bridge opened in 1963.",  # a wrong year
        1003: "In 1962 the bridge opened!",  # the same as one kept
        1004: "The bridge was opened in 1962.",
    }
    asked: list[int] = []

    def sample(seed: int) -> str:
        asked.append(seed)
        return samples.get(seed, "")

    found = gather(
        "The bridge first opened in 1962.",
        source,
        [],
        sample,
        lambda t: judge(source, t),
        3,
        threading.Event(),
    )
    assert [t for t, _v in found] == [
        "The bridge first opened in 1962.",
        "In 1962 the bridge opened.",
        "The bridge was opened in 1962.",
    ]
    assert asked == [1000, 1001, 1002, 1003, 1004]
    cancel = threading.Event()
    cancel.set()
    assert [t for t, _v in gather("A.", source, ["B."], sample, lambda t: judge(source, t), 3, cancel)] == [
        "A."
    ]


def test_an_alternative_must_say_what_the_text_says() -> None:
    note = "hey team, gonna be late tmrw cause the bus broke down again."
    assert close_to(note, "Hey team, we'll be late tomorrow because the bus broke down again.", "clearer")
    assert not close_to(note, "Hey, team, we're gonna be late to the bus.", "clearer")  # most of it gone
    said = "Our new app is easy to use."
    assert not close_to(
        said, "It has been reported that our new app, loved by users, is easy to use.", "formal"
    )
    assert close_to(said, "Our new app is easy to use, and users love it for its features.", "expand")
