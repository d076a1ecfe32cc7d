from __future__ import annotations

import re

import pytest

from engine.prompting.cleaning import CleanerOptions, OutputCleaner

REWRITE = CleanerOptions(rewrite_like=True, stop_at_blank_line=True, strip_leading_space=True)
DRAFT = CleanerOptions(rewrite_like=False, stop_at_blank_line=False, strip_leading_space=True)
CONTINUE = CleanerOptions(
    rewrite_like=False, stop_at_blank_line=True, strip_leading_space=False, strip_preamble=False
)


def clean(raw: str, options: CleanerOptions, step: int) -> tuple[str, bool]:
    """Feed `raw` in pieces of `step` characters; check the deltas add up."""
    cleaner = OutputCleaner(options)
    deltas = []
    for start in range(0, len(raw), step):
        deltas.append(cleaner.feed(raw[start : start + step]))
        if cleaner.stopped:
            break
    deltas.append(cleaner.finish())
    assert "".join(deltas) == cleaner.text
    return cleaner.text, cleaner.stopped


CASES = [
    (
        "Sure! Here is the rewritten text:\n\nThe meeting moved.\n\nNote: I fixed it.",
        REWRITE,
        "The meeting moved.",
    ),
    (
        "Here's a revised version of the text:\n\nThe meeting was postponed.\n\nThe team will.",
        REWRITE,
        "The meeting was postponed.",
    ),
    ("<think>the user wants it shorter</think>\nThe meeting moved.", REWRITE, "The meeting moved."),
    ("Summary: The team met.<|im_end|>", REWRITE, "The team met."),
    ("assistant\nThe meeting moved.", REWRITE, "The meeting moved."),
    ("The rewritten text: The meeting moved.", REWRITE, "The meeting moved."),
    ("Sure, the meeting moved.", REWRITE, "The meeting moved."),
    ("The meeting moved.\nI hope this helps!", REWRITE, "The meeting moved."),
    ("The meeting moved.   \n", REWRITE, "The meeting moved."),
    ("Surely the meeting moved.", REWRITE, "Surely the meeting moved."),
    ("Herein lies the problem.", REWRITE, "Herein lies the problem."),
    ("Okay", REWRITE, "Okay"),
    ("Here is what happened: the boat sank.", DRAFT, "Here is what happened: the boat sank."),
    (
        "Here's a short passage about walking:\n\nWalking is good.\n\nIt helps.",
        DRAFT,
        "Walking is good.\n\nIt helps.",
    ),
    (" He waved.\n\nThe next day", CONTINUE, " He waved."),
    ("我很高兴。🌞 我们走吧！", REWRITE, "我很高兴。🌞 我们走吧！"),
]


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
@pytest.mark.parametrize(("raw", "options", "expected"), CASES)
def test_cleaning_streams_to_the_clean_answer(
    raw: str, options: CleanerOptions, expected: str, step: int
) -> None:
    text, _ = clean(raw, options, step)
    assert text == expected


def test_blank_line_ends_the_answer_and_asks_to_stop() -> None:
    cleaner = OutputCleaner(REWRITE)
    cleaner.feed("One sentence.")
    assert not cleaner.stopped
    cleaner.feed("\n\nAn explanation")
    assert cleaner.stopped
    assert cleaner.feed("more text") == ""
    cleaner.finish()
    assert cleaner.text == "One sentence."


def test_unfinished_think_block_is_never_shown() -> None:
    cleaner = OutputCleaner(REWRITE)
    assert cleaner.feed("<think>planning the") == ""
    assert cleaner.feed(" answer") == ""
    cleaner.finish()
    assert cleaner.text == ""


def test_plain_text_is_emitted_without_waiting_for_the_end() -> None:
    cleaner = OutputCleaner(REWRITE)
    assert cleaner.feed("The meeting was ") == "The meeting was"  # the trailing space waits
    assert cleaner.feed("moved") == " moved"


def stream_through(cleaner: OutputCleaner, text: str) -> str:
    out = "".join(cleaner.feed(piece) for piece in re.findall(r"\S+\s*", text))
    return out + cleaner.finish()


def test_a_continuation_stops_at_its_first_repeated_sentence() -> None:
    context = "Photosynthesis turns light into sugar. The carbon dioxide is taken from the air."
    options = CleanerOptions(
        rewrite_like=False,
        stop_at_blank_line=False,
        strip_leading_space=False,
        strip_preamble=False,
        stop_at_repeated_sentence=True,
        context=context,
    )
    looping = (
        " The oxygen is released into the atmosphere. The sugar feeds the plant. "
        "The oxygen is released into the atmosphere. The oxygen is released into the atmosphere."
    )
    cleaner = OutputCleaner(options)
    assert stream_through(cleaner, looping).strip() == (
        "The oxygen is released into the atmosphere. The sugar feeds the plant."
    )
    assert cleaner.stopped
    # a sentence of the writer's own text counts as said already
    again = OutputCleaner(options)
    assert stream_through(again, " Plants grow. The carbon dioxide is taken from the air. More.").strip() == (
        "Plants grow."
    )
    # a sentence that only starts like an earlier one is released once it differs
    fresh = OutputCleaner(options)
    assert stream_through(fresh, " The oxygen is precious. The oxygen is released slowly.").strip() == (
        "The oxygen is precious. The oxygen is released slowly."
    )


def test_the_instruction_repeated_at_the_start_is_dropped() -> None:
    instruction = (
        "Rewrite the text below so that it is formal in tone. Keep its meaning. Keep these exactly as "
        "written: Maria, Tom, nine. Reply with the rewritten text only."
    )
    options = CleanerOptions(
        rewrite_like=True, stop_at_blank_line=True, strip_leading_space=True, instruction=instruction
    )
    echoed = 'Maria, Tom, nine. Reply with the rewritten text only."Are you coming?" asked Maria.'
    assert stream_through(OutputCleaner(options), echoed) == '"Are you coming?" asked Maria.'
    # an answer that only starts like the instruction is not touched
    own = "Keep its meaning in mind, Tom said."
    assert stream_through(OutputCleaner(options), own) == own
