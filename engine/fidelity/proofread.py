"""Proofreading as a list of small edits, each one judged by the model, never free text.

A 135M model asked to "fix the mistakes" rewrites a quarter of the correct words, drops
sentences and sometimes answers with a refusal. Here it never writes: a dictionary
proposes candidates for words it does not know, fixed sets propose the usual confusions
(their/there, is/are, a/an...), a doubled word proposes its own removal, and the model's
next-word distribution proposes a missing article. The model then judges each proposal by
the likelihood of the rest of the sentence with it in place, and a proposal for a word
that is a real word must win by a margin. Names, numbers, URLs and the writer's layout are
never touched, and the answer is always the whole text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from engine.fidelity.scoring import Scorer
from engine.fidelity.spelling import CONFUSABLE, Dictionary, match_case

ARTICLES = ("the", "a", "an")
# After these, a noun phrase may start: the only places a missing article is looked for.
_DETERMINERS = {
    "the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
    "their", "some", "any", "no", "every", "each", "all", "both", "either", "neither", "another",
    "such", "what", "which", "whose", "much", "many", "more", "most", "few", "several", "one",
}  # fmt: skip
# Words that may legitimately appear twice in a row.
_MAY_DOUBLE = {"had", "that", "is", "do", "very", "so", "bye", "ha", "no", "yes"}

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n")
_UNTOUCHABLE = re.compile(r"^(?:\S+@\S+|https?://\S+|www\.\S+)$")


def _plural(word: str) -> bool:
    """A word that looks like a plural noun ("heaps", "stories"), not "bus" or "glass"."""
    lower = word.lower()
    return len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ous"))


@dataclass(frozen=True)
class Margins:
    """How much more likely (in nats, over the rest of the sentence) a proposal must make
    the text before it replaces what the writer wrote."""

    unknown: float = 0.0  # a word no dictionary knows: the likeliest candidate wins
    confusable: float = 2.0
    doubled: float = 1.0
    article: float = 1.5
    article_hint: float = 0.0  # how far the article must lead the written word to be tried
    plausible: float = 6.0  # alternatives this much less likely on the left context are not judged


@dataclass
class Word:
    start: int
    end: int
    text: str
    replacement: str | None = None  # None: unchanged; "": removed
    insert_before: str = ""

    @property
    def current(self) -> str:
        return self.text if self.replacement is None else self.replacement


@dataclass(frozen=True)
class Edit:
    """One change, in the original text's character offsets."""

    start: int
    end: int
    before: str
    after: str
    kind: str


@dataclass
class ProofreadResult:
    text: str
    edits: list[Edit] = field(default_factory=list)


def _is_word(token: str) -> bool:
    return token[:1].isalpha()


class Proofreader:
    """Finds and judges small edits in a paragraph; the model only ever scores."""

    def __init__(self, dictionary: Dictionary, scorer: Scorer, margins: Margins | None = None) -> None:
        self.dictionary = dictionary
        self.scorer = scorer
        self.margins = margins or Margins()
        self._first_tokens: dict[str, int] = {}

    # -- the paragraph as words ---------------------------------------------------------

    @staticmethod
    def _words(text: str) -> list[Word]:
        return [Word(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]

    @staticmethod
    def _span(text: str, words: list[Word], lo: int, hi: int) -> str:
        """Words lo..hi-1 with the decided edits, each after the gap before it (a removed
        word takes its gap with it)."""
        pieces = []
        for index in range(lo, hi):
            word = words[index]
            if word.replacement == "":
                continue
            gap_start = words[index - 1].end if index else 0
            pieces.append(text[gap_start : word.start] + word.insert_before + word.current)
        return "".join(pieces)

    def _sentence_end(self, text: str, words: list[Word], index: int) -> int:
        """The index just past the last word of the sentence holding word `index`, plus a
        few words more, so a proposal is judged on what follows it."""
        end = len(words)
        for later in range(index + 1, len(words)):
            if (
                _SENTENCE_END.match(words[later].text)
                or "\n" in text[words[later - 1].end : words[later].start]
            ):
                end = later + 1
                break
        return min(len(words), max(end, index + 4))

    def _continuation(self, text: str, words: list[Word], index: int, stop: int, option: str) -> str:
        """The text from word `index` to `stop` with `option` written in its place."""
        word = words[index]
        saved = word.replacement, word.insert_before
        if option.endswith(" " + word.current) and option != word.current:  # an inserted article
            word.insert_before = option[: -len(word.current)]
        else:
            word.replacement = option
        try:
            return self._span(text, words, index, stop)
        finally:
            word.replacement, word.insert_before = saved

    def _choose(
        self, text: str, words: list[Word], index: int, options: list[str], margin: float
    ) -> str | None:
        """The option that makes the rest of the sentence likeliest, if it beats what is
        written (options[0]) by `margin`; None to keep it."""
        stop = self._sentence_end(text, words, index)
        prefix = self._span(text, words, 0, index)
        continuations = [self._continuation(text, words, index, stop, option) for option in options]
        scores = self.scorer.score(prefix, continuations)
        best = max(range(len(options)), key=scores.__getitem__)
        if best == 0 or scores[best] - scores[0] < margin:
            return None
        return options[best]

    # -- what may be wrong ---------------------------------------------------------------

    def _protected(self, text: str, words: list[Word], index: int) -> bool:
        """Names, acronyms, words with digits, addresses: the writer's, never ours."""
        word = words[index].text
        if not _is_word(word) or any(c.isdigit() for c in word) or _UNTOUCHABLE.match(word):
            return True
        if len(word) > 1 and word.isupper():
            return True
        if word[:1].isupper():
            # A capital inside a sentence is a name; at a sentence start it is only a name
            # if the lower-case word is not a word the dictionary knows.
            previous = words[index - 1].text if index else ""
            at_start = index == 0 or bool(_SENTENCE_END.match(previous)) or previous in {'"', "“", "-", "*"}
            at_start = at_start or "\n" in text[words[index - 1].end : words[index].start] if index else True
            if not at_start:
                return True
            # "Lukas Brandt wrote…": an unknown word starting a run of capitals is a first
            # name ("Lucas" was proposed for it), not a misspelled first word.
            following = words[index + 1].text if index + 1 < len(words) else ""
            return following[:1].isupper() and not self.dictionary.is_known(word.lower())
        return False

    def _unknown_options(self, word: str) -> list[str]:
        return [word, *self.dictionary.suggestions(word, limit=6)]

    def _confusable_options(self, word: str) -> list[str]:
        group = CONFUSABLE.get(word.lower().replace("’", "'"))
        if not group:
            return []
        return [word, *(match_case(word, other) for other in group if other != word.lower())]

    # -- one pass over the paragraph -------------------------------------------------------

    def _first_token(self, word: str) -> int:
        """The first token of " word" (remembered: the same few words are asked about often)."""
        token = self._first_tokens.get(word)
        if token is None:
            token = int(self.scorer.tokenizer(" " + word, add_special_tokens=False).input_ids[0])
            self._first_tokens[word] = token
        return token

    def _expectations(self, text: str, words: list[Word]) -> dict[int, torch.Tensor]:
        """For each word, the model's next-token log-probabilities where it starts: one
        forward pass over the paragraph as written, used to pick what is worth judging."""
        offsets, logprobs = self.scorer.next_token_logprobs(text)
        starts = {start: k for k, (start, _end) in enumerate(offsets)}
        rows = {}
        for index, word in enumerate(words):
            k = starts.get(word.start - 1, starts.get(word.start))
            if k is not None and k < logprobs.shape[0]:
                rows[index] = logprobs[k]
        return rows

    def _plausible(self, row: torch.Tensor | None, written: str, options: list[str]) -> list[str]:
        """`options` without the alternatives the model finds far less likely than what is
        written, judging by the first token with the left context only."""
        if row is None or len(options) < 2:
            return options
        here = float(row[self._first_token(written)])
        kept = [options[0]]
        for option in options[1:]:
            if float(row[self._first_token(option)]) >= here - self.margins.plausible:
                kept.append(option)
        return kept

    def _decide(self, text: str, words: list[Word], index: int, row: torch.Tensor | None) -> None:
        margins, word = self.margins, words[index]
        token = word.text
        if not _is_word(token):
            return
        previous = words[index - 1] if index else None
        if (
            previous is not None
            and previous.text.lower() == token.lower()
            and previous.replacement != ""
            and token.lower() not in _MAY_DOUBLE
            and text[previous.end : word.start].strip() == ""
            and self._choose(text, words, index, [token, ""], margins.doubled) == ""
        ):
            word.replacement = ""
            return
        if self._protected(text, words, index):
            return
        if not self.dictionary.is_known(token):
            chosen = self._choose(text, words, index, self._unknown_options(token), margins.unknown)
        else:
            options = self._plausible(row, token, self._confusable_options(token))
            chosen = (
                self._choose(text, words, index, options, margins.confusable) if len(options) > 1 else None
            )
        if chosen is not None:
            word.replacement = chosen
        self._maybe_article(text, words, index, row)

    def _maybe_article(self, text: str, words: list[Word], index: int, row: torch.Tensor | None) -> None:
        """Where the model expects "the"/"a"/"an" well before the word written, try it."""
        word = words[index]
        current = word.current
        if row is None or index == 0 or not current[:1].islower() or current.lower() in _DETERMINERS:
            return
        previous = words[index - 1]
        if not _is_word(previous.current) or previous.current.lower() in _DETERMINERS:
            return
        written = float(row[self._first_token(current)])
        article = max(float(row[self._first_token(a)]) for a in ARTICLES)
        if article - written < self.margins.article_hint:
            return
        # "a"/"an" never goes before a plural ("saves you a heaps of time" was chosen once)
        articles = ARTICLES if not _plural(current) else ("the",)
        options = [current, *(f"{a} {current}" for a in articles)]
        chosen = self._choose(text, words, index, options, self.margins.article)
        if chosen is not None:
            word.insert_before = chosen[: -len(current)]

    # -- the whole text ------------------------------------------------------------------

    def proofread(
        self,
        text: str,
        *,
        cancel: threading.Event | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> ProofreadResult:
        """The corrected text and its edits. Words are decided left to right, and each
        settled piece is handed to `progress` at once, so the suggestion streams in."""
        out: list[str] = []
        edits: list[Edit] = []

        def send(piece: str) -> None:
            out.append(piece)
            if progress is not None and piece:
                progress(piece)

        for start, end, is_paragraph in _paragraphs(text):
            piece = text[start:end]
            if not is_paragraph or (cancel is not None and cancel.is_set()):
                send(piece)
                continue
            for edit in self._paragraph(piece, cancel, send):
                edits.append(Edit(edit.start + start, edit.end + start, edit.before, edit.after, edit.kind))
        return ProofreadResult("".join(out), edits)

    def _paragraph(
        self, text: str, cancel: threading.Event | None, send: Callable[[str], None]
    ) -> list[Edit]:
        words = self._words(text)
        rows = self._expectations(text, words)
        for index in range(len(words)):
            if not (cancel is not None and cancel.is_set()):
                self._decide(text, words, index, rows.get(index))
            send(self._span(text, words, index, index + 1))
        send(text[words[-1].end :] if words else text)
        edits = []
        for word in words:
            if word.replacement is not None and word.replacement != word.text:
                kind = "removed" if word.replacement == "" else "replaced"
                edits.append(Edit(word.start, word.end, word.text, word.replacement, kind))
            if word.insert_before:
                edits.append(Edit(word.start, word.start, "", word.insert_before, "inserted"))
        return edits


MAX_PIECE_CHARS = 2000  # about 500 tokens: a paragraph longer than this is judged in pieces


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """Spans of paragraphs (True) and of the blank lines between them (False). A very long
    paragraph is cut after a sentence, so what is judged always fits the model's context."""
    spans, position = [], 0
    for match in re.finditer(r"\n[ \t]*\n\s*", text):
        if match.start() > position:
            spans.extend(_pieces(text, position, match.start()))
        spans.append((match.start(), match.end(), False))
        position = match.end()
    if position < len(text):
        spans.extend(_pieces(text, position, len(text)))
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    pieces = []
    while end - start > MAX_PIECE_CHARS:
        window = text[start : start + MAX_PIECE_CHARS]
        cuts = [m.end() for m in re.finditer(r"[.!?][\"')\]]*\s+", window)]
        cut = start + (cuts[-1] if cuts else window.rfind(" ") + 1 or MAX_PIECE_CHARS)
        pieces.append((start, cut, True))
        start = cut
    pieces.append((start, end, True))
    return pieces
