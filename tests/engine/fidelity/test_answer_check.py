"""Answers that are not the text: refusals, talk about the task, echoes, cut short."""

from __future__ import annotations

import pytest

from engine.fidelity.answer_check import non_answer

SOURCE = "So basically the release is going to slip by a few days because the migration took longer."


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ("", "empty"),
        ("I'm sorry for any confusion, but as a writing assistant, I'm here to help.", "a refusal"),
        ("The text is rewriting, and the tone is formal. The rewritten text is:", "talks about the task"),
        ("The correct spelling and grammar are: the release is late.", "talks about the task"),
        ("Rewrite this so that it sounds formal and polite, please.", "repeats the instruction"),
        ("Hi team,", "cut short"),
        (
            "Lucy smiled. \"Oh, I'm sorry, I couldn't help it,\" she said, and the release slipped.",
            "apologises",
        ),
    ],
)
def test_non_answers_are_named(answer: str, why: str) -> None:
    assert non_answer(SOURCE, answer) == why


def test_real_answers_pass() -> None:
    assert non_answer(SOURCE, "The release will be a few days late, as the migration took longer.") is None
    # the writer's own text may talk like that: then it is not talk about the task
    own = "Here is the plan for the text below the picture."
    assert non_answer(own, "Here is the plan for the text under the picture.") is None
    assert non_answer(SOURCE, "The release slips: the migration ran long.", min_share=0.2) is None
    dialogue = '"I am sorry I am late," said Tom. "The bus broke down on the way here."'
    assert non_answer(dialogue, '"Sorry, I am late," Tom said. "I\'m sorry, the bus broke down."') is None


def test_the_writers_own_lower_case_i_will_is_not_the_assistant_speaking() -> None:
    """Formal capitalises "i will"; the writer said it first, so it is no self-talk."""
    note = "let me know if you have any allergies and i will tell the kitchen."
    assert non_answer(note, "Let me know if you have any allergies and I will tell the kitchen.") is None
    assert non_answer("Tell the kitchen about allergies.", "I will tell the kitchen.") == "talks about itself"
