"""Decoding generated tokens into text deltas without splitting characters.

A token can end in the middle of a UTF-8 character (Chinese, emoji, accents), and
decoding it alone yields U+FFFD. Each step decodes a short window of recent tokens and
emits only the new text once it no longer ends in a broken character; the window's
leading tokens give the decoder the context it needs for spaces. The deltas add up to
`tokenizer.decode(ids)` exactly (checked by tests on the real tokenizer).
"""

from __future__ import annotations

from typing import Any

REPLACEMENT = "\ufffd"


class IncrementalDetokenizer:
    def __init__(self, tokenizer: Any, *, skip_special_tokens: bool = True) -> None:
        self._tokenizer = tokenizer
        self._skip = skip_special_tokens
        self.ids: list[int] = []
        self._prefix_offset = 0
        self._read_offset = 0
        self._emitted: list[str] = []

    def _decode(self, ids: list[int]) -> str:
        text: str = self._tokenizer.decode(
            ids, skip_special_tokens=self._skip, clean_up_tokenization_spaces=False
        )
        return text

    def add(self, token_id: int) -> str:
        """Take one token; return the text it completes (maybe empty)."""
        self.ids.append(token_id)
        prefix_text = self._decode(self.ids[self._prefix_offset : self._read_offset])
        new_text = self._decode(self.ids[self._prefix_offset :])
        if len(new_text) <= len(prefix_text) or new_text.endswith(REPLACEMENT):
            return ""
        delta = new_text[len(prefix_text) :]
        self._prefix_offset = self._read_offset
        self._read_offset = len(self.ids)
        self._emitted.append(delta)
        return delta

    def finish(self) -> str:
        """Return whatever is left, so that all deltas equal the full decode, less the
        bytes of a character the answer was cut off in the middle of (no "\ufffd")."""
        full = self._decode(self.ids).rstrip("\ufffd")
        emitted = "".join(self._emitted)
        if full.startswith(emitted) and len(full) > len(emitted):
            rest = full[len(emitted) :]
            self._emitted.append(rest)
            return rest
        return ""

    @property
    def text(self) -> str:
        return "".join(self._emitted)
