"""Turning raw model output into clean text ready to insert, while it streams.

Small instruction models wrap answers in chat habits: "Sure! Here is the rewritten
text:", role labels, `<think>` blocks, a trailing "Note: ..." or a second paragraph of
explanation. The cleaner removes these as the text streams in. It only ever emits text
it will not take back, so the deltas it returns always add up to the final clean text,
and it tells the engine when the answer has ended so generation can stop early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_THINK_OPEN = "<think>"
_THINK_CLOSE = "</think>"
_THINK_BLOCK = re.compile(r"<think>.*?</think>\s*", re.DOTALL)
_SPECIAL_TOKEN = re.compile(r"<\|[a-zA-Z_]+\|>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

# Words a preamble starts with; text starting otherwise is emitted without waiting.
_LEAD_WORDS = (
    "sure",
    "certainly",
    "of course",
    "okay",
    "ok",
    "absolutely",
    "great",
    "alright",
    "here",
    "below",
    "assistant",
    "the rewritten",
    "rewrite the text",
    "the revised",
    "the corrected",
    "the translated",
    "the translation",
    "the summary",
    "the edited",
    "the improved",
    "the proofread",
    "the expanded",
    "the shortened",
    "rewritten",
    "revised",
    "corrected",
    "translation",
    "summary",
    "edited",
    "improved",
    "proofread",
    "expanded",
    "shortened",
    "i've",
    "i have",
    "answer",
    "output",
    "result",
    "response",
)
_INTERJECTION = re.compile(
    r"^(?:sure|certainly|of course|okay|ok|absolutely|great|alright)\b[!.,]*[ \t]*",
    re.IGNORECASE,
)
_ROLE_LABEL = re.compile(r"^assistant\s*(?::[ \t]*|\n)\s*", re.IGNORECASE)
_LEAD_ALT = "|".join(re.escape(w) for w in _LEAD_WORDS if w not in ("assistant",))
# "Here is the rewritten text:" as a line of its own (any operation).
_PREAMBLE_LINE = re.compile(rf"^(?:{_LEAD_ALT})\b[^\n:]{{0,140}}:[ \t]*\n\s*", re.IGNORECASE)
# The first colon is followed by a line end or by text: the head can be judged.
_COLON_SETTLED = re.compile(r"^[^\n:]*:[ \t]*[^ \t]")
_SPECIAL_PARTIAL = re.compile(r"<(?:\|[a-zA-Z_]*\|?)?$")
# "Summary: The team ..." a label before the answer on the same line (rewrite-like only).
_INLINE_LABEL = re.compile(
    r"^(?:rewrite\s+the\s+text|(?:the\s+)?(?:rewritten|revised|corrected|translated|edited|improved|proofread|"
    r"expanded|shortened)(?:\s+(?:text|version|passage|sentence|paragraph))?|translation|"
    r"summary|answer|output|result|response)[ \t]*:[ \t]*",
    re.IGNORECASE,
)
# A line that starts an explanation after the answer.
_TRAILER = re.compile(
    r"\n[ \t]*(?:\(?note\b|explanation\b|changes\b|i changed\b|i've\b|i have\b|"
    r"this version\b|in this version\b|the rewritten\b|the revised\b|the corrected\b|"
    r"let me know\b|i hope\b|feel free\b)",
    re.IGNORECASE,
)
_TRAILER_PEEK = 24
_SENTENCE = re.compile(r"[^\s.!?][^.!?]*(?:[.!?]+[\"'”’)]*|$)")
_MIN_REPEAT_WORDS = 3
_ECHO_PIECE = re.compile(r"[^.!?:\n]*[.!?:]+(?=\s|$|[\"“'(\[A-Z])")


def _normal(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower()))


_HEAD_LIMIT = 200


@dataclass(frozen=True)
class CleanerOptions:
    rewrite_like: bool
    stop_at_blank_line: bool
    strip_leading_space: bool
    strip_preamble: bool = True
    # Continue: end the answer at the first sentence it repeats (its own or the context's).
    stop_at_repeated_sentence: bool = False
    context: str = ""
    # The instructions the model was given (without the writer's text): sentences of it
    # repeated at the start of the answer are dropped ("Maria, Tom, nine. Reply with ...").
    instruction: str = ""


def _partial_suffix(text: str, marker: str) -> int:
    """Length of the longest end of `text` that is a proper start of `marker`."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class OutputCleaner:
    """Feeds on raw decoded text; returns only the clean text that is settled."""

    def __init__(self, options: CleanerOptions) -> None:
        self.options = options
        self._raw = ""
        self._emitted = ""
        self.stopped = False
        self._echo = {
            _normal(piece) for piece in re.split(r"(?<=[.!?:])\s+|\n+", options.instruction) if _normal(piece)
        }
        self._context_sentences = {
            _normal(m.group())
            for m in _SENTENCE.finditer(options.context)
            if m.group().rstrip()[-1:] in ".!?"
        }

    @property
    def raw(self) -> str:
        return self._raw

    @property
    def text(self) -> str:
        """All clean text emitted so far (the final text after `finish`)."""
        return self._emitted

    def feed(self, delta: str) -> str:
        if self.stopped:
            return ""
        self._raw += delta
        return self._advance(final=False)

    def finish(self) -> str:
        return self._advance(final=True)

    def _advance(self, final: bool) -> str:
        view, stop = self._view(final or self.stopped)
        if stop and not self.stopped:
            self.stopped = True
            view, _ = self._view(True)
        if not view.startswith(self._emitted):
            return ""  # never take back what was emitted; keep the stream consistent
        delta = view[len(self._emitted) :]
        self._emitted = view
        return delta

    def _view(self, final: bool) -> tuple[str, bool]:
        """The clean text settled so far, and whether the answer has ended."""
        text, stop = self._drop_markup(self._raw, final)
        if self.options.strip_leading_space:
            text = text.lstrip()
        text, decided = self._strip_head(text, final)
        if not decided:
            return "", stop
        text, decided = self._strip_echo(text, final)
        if not decided:
            return "", stop
        text, stop_here = self._cut_tail(text, final)
        stop = stop or stop_here
        if self.options.stop_at_repeated_sentence:
            text, repeated = self._cut_repeat(text, final or stop)
            stop = stop or repeated
        if final or stop:
            return text.rstrip(), stop
        return text, stop

    @staticmethod
    def _drop_markup(raw: str, final: bool) -> tuple[str, bool]:
        text = _THINK_BLOCK.sub("", raw)
        stop = False
        special = _SPECIAL_TOKEN.search(text)
        if special:
            text, stop = text[: special.start()], True
        opened = text.find(_THINK_OPEN)
        if opened >= 0:  # an unfinished think block: hide it until it closes
            text = text[:opened]
        elif not final and not stop:
            hold = _partial_suffix(text, _THINK_OPEN)
            partial = _SPECIAL_PARTIAL.search(text)
            if partial is not None:
                hold = max(hold, len(text) - partial.start())
            text = text[: len(text) - hold]
        return text, stop

    def _strip_head(self, text: str, final: bool) -> tuple[str, bool]:
        """Remove role labels and preambles; say whether the start of the answer is settled."""
        if not self.options.strip_preamble:
            return text, True
        original = text
        while True:
            head = text.lstrip()
            if not head:
                return ("", final) if not final or not original.strip() else (original, True)
            lowered = head.lower()
            if not any(lowered.startswith(w) or w.startswith(lowered) for w in _LEAD_WORDS):
                return text, True
            match = _ROLE_LABEL.match(head)
            if match is None and self.options.rewrite_like:
                match = _INTERJECTION.match(head)
                if match is not None and match.end() == len(head):
                    match = None  # "Sure" could still become "Surely"
                elif match is not None:
                    rest = head[match.end() :]
                    text = rest[:1].upper() + rest[1:]
                    continue
            if match is None:
                settled = (
                    final
                    or "\n" in head
                    or len(head) >= _HEAD_LIMIT
                    or _COLON_SETTLED.search(head) is not None
                )
                if not settled:
                    return "", False
                match = _PREAMBLE_LINE.match(head)
                if match is None and self.options.rewrite_like:
                    match = _INLINE_LABEL.match(head)
                if match is None:
                    return text, True
            text = head[match.end() :]
            if final and not text.strip():
                return original, True

    def _strip_echo(self, text: str, final: bool) -> tuple[str, bool]:
        """Drop the instruction's sentences repeated at the start of the answer; hold the
        start while it could still be one."""
        if not self._echo:
            return text, True
        while True:
            head = text.lstrip()
            match = _ECHO_PIECE.match(head)
            if match is None or (not final and match.end() == len(head)):
                norm = _normal(head)
                if not final and norm and any(echo.startswith(norm) for echo in self._echo):
                    return "", False
                if match is None:
                    return text, True
            if _normal(match.group()) not in self._echo:
                return text, True
            text = head[match.end() :].lstrip()

    def _cut_repeat(self, text: str, final: bool) -> tuple[str, bool]:
        """Cut at the first sentence that was already written; hold back an unfinished
        sentence while it could still become such a repeat."""
        seen = set(self._context_sentences)
        for match in _SENTENCE.finditer(text):
            sentence = match.group()
            norm = _normal(sentence)
            complete = sentence.rstrip()[-1:] in ".!?\"'”’)" and (final or match.end() < len(text))
            if complete:
                if len(norm.split()) >= _MIN_REPEAT_WORDS and norm in seen:
                    return text[: match.start()].rstrip(), True
                seen.add(norm)
            elif (
                not final
                and norm
                and any(s.startswith(norm) for s in seen if len(s.split()) >= _MIN_REPEAT_WORDS)
            ):
                return text[: match.start()], False
        return text, False

    def _cut_tail(self, text: str, final: bool) -> tuple[str, bool]:
        if self.options.stop_at_blank_line:
            blank = _BLANK_LINE.search(text)
            if blank and text[: blank.start()].strip():
                return text[: blank.start()], True
        if self.options.rewrite_like:
            trailer = _TRAILER.search(text)
            if trailer and text[: trailer.start()].strip():
                return text[: trailer.start()], True
            if not final:
                # Hold the start of the last line until it is clear it is not a trailer.
                last_newline = text.rfind("\n")
                if last_newline >= 0 and len(text) - last_newline <= _TRAILER_PEEK:
                    text = text[:last_newline]
        if not final:
            text = text.rstrip()  # trailing whitespace waits for the next word
        return text, False
