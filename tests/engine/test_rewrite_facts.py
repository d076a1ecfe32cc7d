"""Rewrites on the real model: facts kept, and what cannot be kept is reported."""

from __future__ import annotations

import pytest

from engine.jobs import Request
from engine.templates import Catalog
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
    deltas, result = run_async(collect(fast_engine, Request("rewrite", REPORT, style="formal")))
    assert "".join(deltas) == result.text
    for fact in ("450", "900", "12", "3.4", "Marco", "Elena", "Milan", "June"):
        assert fact in result.text, (fact, result.text)
    assert result.missing_facts == ()
    assert result.text != REPORT


def test_the_memo_gets_a_rewrite_not_talk_about_the_task(fast_engine) -> None:
    _, result = run_async(collect(fast_engine, Request("rewrite", MEMO, style="formal")))
    lowered = result.text.lower()
    assert "rewritten" not in lowered and "the text is" not in lowered and "sorry" not in lowered
    assert "friday" in lowered  # the one fact of the memo
    assert len(result.text.split()) >= len(MEMO.split()) // 2  # not cut short ("Hi team,")


def test_a_rewrite_that_cannot_keep_a_number_reports_it(fast_engine) -> None:
    """An instruction that makes the model drop numbers (and no {keep} line to hold them):
    no candidate keeps them, and the result names exactly the ones it lacks."""
    backend = fast_engine._backend
    hostile = Catalog.from_dict(
        {
            "operations": {
                "rewrite": {"chat": "Say what the text below is about in four words. No digits.\n\n{text}"}
            }
        },
        Catalog.default(),
    )
    source = "The shop sold 450 cakes and 900 pies in June."
    fast_engine.submit(lambda: backend.set_catalog(hostile)).result(timeout=30)
    try:
        deltas, result = run_async(collect(fast_engine, Request("rewrite", source, style="shorter")))
    finally:
        fast_engine.submit(lambda: backend.set_catalog(Catalog.default())).result(timeout=30)
    assert "".join(deltas) == result.text
    assert result.missing_facts, result.text
    assert result.candidates >= 3  # it tried others before reporting
    for fact in result.missing_facts:
        assert fact in source and fact not in result.text
