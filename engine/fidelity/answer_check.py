"""Is this answer the text the writer asked for, or the model talking about the task?

Small models sometimes answer "I'm sorry, as a writing assistant I...", "The text is
rewriting, and the tone is formal. The rewritten text is:", repeat the instruction, or
stop after two words. None of that may ever become a suggestion: such an answer is
detected here and the candidate is retried or dropped.
"""

from __future__ import annotations

import re

_REFUSAL = re.compile(
    r"^\W*(?:i'?m sorry|i am sorry|i apologi[sz]e|sorry,|as an ai\b|as a (?:writing )?assistant|"
    r"i cannot\b|i can'?t\b|i'm unable|i am unable|unfortunately,? i)",
    re.IGNORECASE,
)
# The assistant speaking for itself ("I'm glad you're interested...", "I'll make sure to...").
_SELF_TALK = re.compile(
    r"^\W*(?:i'?m (?:glad|happy|here)|i'?d be (?:glad|happy)|i hope|let me)\b"
    r"|\bi(?:'ll| will| would| can) (?:make sure|help|rewrite|rephrase|revise|keep|correct)\b",
    re.IGNORECASE,
)
# Talk about the task, unless the writer's own text talks like that too.
_TASK_TALK = (
    "the rewritten text",
    "the revised text",
    "the corrected text",
    "the original text",
    "the text",
    "the sentence",
    "revised sentence",
    "rephras",
    "this text",
    "rewritten text",
    "rewritten version",
    "corrected version",
    "revised version",
    "spelling and grammar",
    "the text below",
    "the text above",
    "the given text",
    "the provided text",
    "the tone is",
    "here is the",
    "here's the",
    "as a writing assistant",
    "writing assistant",
    "reply with",
    "keep its meaning",
    "keep these exactly",
)
_FIRST_PERSON = re.compile(r"\bI(?:'ll|’ll| will| shall)\b")
# The writer's own "i will" counts, in any case: Formal capitalises it.
_FIRST_PERSON_SOURCE = re.compile(_FIRST_PERSON.pattern, re.IGNORECASE)
_APOLOGY = re.compile(r"\bi(?:'m|’m| am) sorry\b|\bi apologi[sz]e", re.IGNORECASE)
_INSTRUCTION_ECHO = re.compile(
    r"^\W*(?:rewrite|proofread|fix the|summari[sz]e|translate|continue)\b", re.IGNORECASE
)


def _words(text: str) -> int:
    """Words as a writer counts them: "I'm" and "3.4" are one each."""
    return len(text.split())


def non_answer(source: str, answer: str, *, min_share: float = 0.5) -> str | None:
    """Why `answer` is not a rewrite of `source`, or None. `min_share` is how much of the
    source's length an answer must have to not count as cut short (all of it for "expand")."""
    stripped = answer.strip()
    if not stripped:
        return "empty"
    if _REFUSAL.search(stripped) and not _REFUSAL.search(source.strip()):
        return "a refusal"
    if _SELF_TALK.search(stripped) and not _SELF_TALK.search(source.strip()):
        return "talks about itself"
    if _FIRST_PERSON.search(stripped) and not _FIRST_PERSON_SOURCE.search(source):
        return "talks about itself"  # "I'll add the numbers..." in a text that never says "I will"
    if _APOLOGY.search(stripped) and not _APOLOGY.search(source):
        return "apologises"  # an apology anywhere that the writer never made is the assistant's
    lowered, source_lowered = stripped.lower(), source.lower()
    for phrase in _TASK_TALK:
        if phrase in lowered and phrase not in source_lowered:
            return "talks about the task"
    if _INSTRUCTION_ECHO.search(stripped) and not _INSTRUCTION_ECHO.search(source.strip()):
        return "repeats the instruction"
    if _words(stripped) < min_share * _words(source):
        return "shorter than the text" if min_share >= 1 else "cut short"
    return None
