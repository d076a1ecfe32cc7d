"""Proofreading as judged edits, on the real bundled model."""

from __future__ import annotations

import pytest

from engine.fidelity.proofread import Proofreader
from engine.fidelity.scoring import FastScorer, ModelScorer
from engine.fidelity.spelling import Dictionary
from engine.jobs import Request
from tests.conftest import collect, run_async

pytestmark = pytest.mark.model

MEMO = (
    "hi team, so basically the thing is that the release that we was planning for friday is probably "
    "gonna slip because the the database migration took longer then we thought. we are still testing "
    "it and i think we can ship on monday, sorry for the short notice."
)
# Inputs that made main's free-generation proofread answer with a refusal or with talk
# about the task ("I'm sorry for the confusion, but I'm here to help you with y...",
# "The correct spelling and grammar are: ...") in benchmarks/fidelity.py.
USED_TO_REFUSE = [
    "Before the meeting, please:\n- read the report from the last quarter\n- chekc the numbers in the "
    "budget budget table\n- write down yuor questions for the director\n- bring a laptop if you have one",
    '"Where did you put put the keys?" his father asked. "They are on table next too the door," Daniel '
    "answered. His father looked again and found them under a pile of letters.",
]
CLEAN = (
    "The clinic in Porto treated 2,350 patients in March, an increase of 18 percent over February. "
    "Dr. Silva expects the new wing to open on 14 September and to add 40 beds."
)


def proofread(engine: object, text: str) -> tuple[str, object]:
    deltas, result = run_async(collect(engine, Request("proofread", text)))
    assert "".join(deltas) == result.text  # what streamed is what was decided
    return result.text, result


def test_the_memo_comes_back_whole_with_its_errors_fixed(fast_engine) -> None:
    text, result = proofread(fast_engine, MEMO)
    assert text.startswith("hi team, so basically the thing is")  # the writer's style stays
    assert text.endswith("sorry for the short notice.")
    assert "we were planning" in text and "the the" not in text and "longer than we" in text
    assert len(text.split()) == len(MEMO.split()) - 1  # only the doubled word went
    assert result.new_tokens == 0  # judged, never written


def test_inputs_that_used_to_get_a_refusal_get_the_text(fast_engine) -> None:
    for source in USED_TO_REFUSE:
        text, _ = proofread(fast_engine, source)
        assert text.count("\n") == source.count("\n")  # the list stays a list
        assert "sorry" not in text.lower() and "spelling" not in text.lower()
        assert len(text.split()) >= len(source.split()) - 2
    assert "check the numbers in the budget table" in proofread(fast_engine, USED_TO_REFUSE[0])[0]


def test_correct_text_names_and_numbers_are_left_alone(fast_engine) -> None:
    text, result = proofread(fast_engine, CLEAN)
    assert text == CLEAN and result.edits == ()


def test_a_first_name_that_starts_a_sentence_is_left_alone(fast_engine) -> None:
    """ "Lukas Brandt wrote…" came back "Lucas Brandt" from Formal and Clearer: a word the
    dictionary does not know, followed by a capital, is a name even at a sentence start."""
    text, result = proofread(fast_engine, "Lukas Brandt wrote his frist novel in Vienna. Teh book sold well.")
    assert text == "Lukas Brandt wrote his first novel in Vienna. The book sold well.", result.edits


def test_no_a_is_put_before_a_plural(fast_engine) -> None:
    """ "it saves you heaps of time" came back "a heaps of time" (found by the alternatives)."""
    source = "Our new app is super easy to use and it saves you heaps of time every single day."
    text, result = proofread(fast_engine, source)
    assert "a heaps" not in text and text == source, result.edits


def test_the_exact_path_proofreads_the_same_way(bundled_engine) -> None:
    text, _ = proofread(bundled_engine, MEMO)
    assert "we were planning" in text and "the the" not in text and "longer than we" in text


def test_several_paragraphs_keep_their_layout(fast_engine) -> None:
    source = "Teh first paragraph is short.\n\n\nThe second one has has a doubled word.\n"
    text, result = proofread(fast_engine, source)
    assert text == "The first paragraph is short.\n\n\nThe second one has a doubled word.\n"
    assert set(result.edits) == {"Teh→The", "has→"}


def test_an_unknown_language_is_refused_clearly(fast_engine) -> None:
    with pytest.raises(Exception, match="no dictionary for 'Klingon'"):
        run_async(collect(fast_engine, Request("proofread", "Some text.", language="Klingon")))


def test_the_fast_scorer_agrees_with_transformers(loaded) -> None:
    """The fast decoder judges like the full model: the same preferences, close scores."""
    from engine.fastpath.decoder import FastLlama

    exact = FastScorer(FastLlama.from_model(loaded.model, layers="exact", head="exact"), loaded.tokenizer)
    reference = ModelScorer(loaded.model, loaded.tokenizer)
    prefix = "The survey"
    options = [
        " was sent to every household.",
        " were sent to every household.",
        " wsa sent to every household.",
    ]
    ours, theirs = exact.score(prefix, options), reference.score(prefix, options)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 0.05
    assert ours.index(max(ours)) == theirs.index(max(theirs)) == 0


def test_proofreading_can_be_cancelled_between_words(loaded) -> None:
    import threading

    cancel = threading.Event()
    pieces: list[str] = []

    def progress(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 3:
            cancel.set()

    proofreader = Proofreader(Dictionary("en"), ModelScorer(loaded.model, loaded.tokenizer))
    result = proofreader.proofread(MEMO, cancel=cancel, progress=progress)
    assert result.edits == [] and result.text == MEMO  # nothing judged after the cancel, nothing lost
