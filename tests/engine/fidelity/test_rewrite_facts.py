"""Rewrites on the real model: facts kept, and what cannot be kept is reported."""

from __future__ import annotations

import pytest

from engine.jobs import Request
from tests.conftest import collect, run_async

pytestmark = pytest.mark.model

REPORT = (
    "In the third quarter the company sold 450 of the 900 units it had planned, and revenue fell by "
    "12 percent to 3.4 million euros. Marco and Elena will present a new plan to the board in Milan "
    "on June 3."
)
MEMO = (
    "hi team, so basically the thing is that the release that we was planning for friday is probably "
    "gonna slip because the the database migration took longer then we thought."
)


def test_a_formal_rewrite_keeps_every_number_and_name(fast_engine) -> None:
    informal = REPORT.replace("it had planned", "it'd planned").replace("will present", "are gonna present")
    deltas, result = run_async(collect(fast_engine, Request("rewrite", informal, style="formal")))
    assert "".join(deltas) == result.text
    for fact in ("450", "900", "12", "3.4", "Marco", "Elena", "Milan", "June"):
        assert fact in result.text, (fact, result.text)
    assert result.missing_facts == ()
    assert "it'd" not in result.text and "gonna" not in result.text


def test_a_text_that_is_formal_already_comes_back_as_written_without_a_free_rewrite(fast_engine) -> None:
    """No edit to make and the formal check passes: the model is not asked to rewrite at
    all (its free rewrite could only move facts), and the bar says why nothing changed."""
    deltas, result = run_async(collect(fast_engine, Request("rewrite", REPORT, style="formal")))
    assert result.text == REPORT and "".join(deltas) == REPORT
    assert result.new_tokens == 0
    assert any("already reads formal" in notice for notice in result.notices)


def test_the_memo_gets_a_rewrite_not_talk_about_the_task(fast_engine) -> None:
    _, result = run_async(collect(fast_engine, Request("rewrite", MEMO, style="formal")))
    lowered = result.text.lower()
    assert "rewritten" not in lowered and "the text is" not in lowered and "sorry" not in lowered
    assert "friday" in lowered  # the one fact of the memo
    assert len(result.text.split()) >= len(MEMO.split()) // 2  # not cut short ("Hi team,")


def test_what_a_rewrite_reports_missing_is_exactly_what_it_lacks(fast_engine) -> None:
    """Whatever the model does, `missing_facts` names the source's facts that the final
    text lacks, no more and no fewer (the suggestion bar shows them as "drops: ...")."""
    from engine.errors import GenerationError
    from engine.fidelity.facts import extract, missing
    from engine.fidelity.spelling import Dictionary

    dictionary = Dictionary("en")
    sources = [REPORT, "The shop in Porto sold 450 cakes and 900 pies in June, said Omar Haddad."]
    answered = 0
    for source in sources:
        for style in ("shorter", "casual"):
            try:
                _, result = run_async(collect(fast_engine, Request("rewrite", source, style=style)))
            except GenerationError as exc:  # no rewrite kept every fact: nothing changes, nothing is lost
                assert "nothing was changed" in exc.message
                continue
            answered += 1
            lost = [fact.text for fact in missing(extract(source, dictionary), result.text)]
            assert list(result.missing_facts) == lost, (style, result.text)
    assert answered >= 1


PACKED = (
    "On May 4 in Lisbon, Ana Costa paid 1,250 euros for 36 chairs, 18 tables and 9 lamps "
    "from Rui Alves of Porto."
)
# Nothing in it that Shorter's judged cuts could take: every word is a fact or holds one.
BARE = "On May 4 in Lisbon, Ana Costa sold 36 chairs, 18 tables and 9 lamps to Rui Alves of Porto."


def test_a_rewrite_that_cannot_keep_the_numbers_changes_nothing_and_says_why(fast_engine) -> None:
    """Capped at 16 new tokens, no answer can hold the ten facts of this sentence (it takes
    more than 16 tokens to write them). Since no try keeps every fact, the writer's text
    stays as it is, and the message says why. Asked to be formal, a text that already is
    formal comes back as written, said to be fine: no change is the right answer there."""
    from engine.errors import GenerationError
    from engine.fidelity.facts import extract
    from engine.fidelity.spelling import Dictionary

    facts = extract(PACKED, Dictionary("en"))
    assert len(fast_engine._backend.loaded.tokenizer(" ".join(f.text for f in facts)).input_ids) > 16
    request = Request("rewrite", BARE, style="shorter", max_new_tokens=16)
    with pytest.raises(GenerationError, match="kept every fact in its place") as caught:
        run_async(collect(fast_engine, request))
    assert "nothing was changed" in caught.value.message

    _, result = run_async(collect(fast_engine, Request("rewrite", PACKED, style="formal", max_new_tokens=16)))
    assert result.text == PACKED
    assert result.notices[-1] == "The text already reads formal: no change is suggested."
    assert result.verdict is not None and result.verdict.clean and result.missing_facts == ()
