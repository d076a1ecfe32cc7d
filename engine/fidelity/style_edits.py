"""Styles applied as judged edits: word lists propose, the model judges, nothing is free text.

Proofread's lesson, taken to Rewrite. A 135M model asked for a "formal" rewrite keeps
the slang and the contractions half the time, and moves or invents facts the other half.
Here the lists of `resources/style.toml` propose each change (a contraction written out,
slang replaced, a wordy phrase shortened, a filler dropped, an over-long sentence split)
and the model chooses among the proposals by the likelihood of the rest of the sentence
with each in place. Optional changes (dropping "really", "get" → "obtain") must not make
the sentence much less likely. Numbers, names and the words that anchor them are never
deleted, so every fact keeps its place.

  formal   proofread, contractions expanded, slang replaced, fillers dropped, everyday
           words made formal where the model accepts it, sentences and "I" capitalised
  casual   contractions where speech makes them, stiff words made everyday
  shorter  wordy phrases shortened, fillers and hedges dropped, then modifiers and side
           clauses that carry no fact, while the text is longer than 0.9 of the source
  clearer  proofread, wordy phrases shortened, sentences over 25 words split at a clause
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

from engine.fidelity.facts import Fact, KnowsWords, extract
from engine.fidelity.lexicon import Phrases, lexicon, phrase_pattern
from engine.fidelity.scoring import Scorer
from engine.fidelity.style_check import SHORTER_AT_MOST, words
from engine.fidelity.verdict import canonical, content_words, moved

STYLES = ("formal", "casual", "shorter", "clearer")
OPTIONAL_MARGIN = 2.0  # nats the rest of a sentence may lose to an optional change
SHORTER_MARGIN = 3.0  # more for Shorter's deletions: being short is the point, and facts are guarded
SPLIT_OVER = 25  # words: a sentence longer than this is split for "clearer"
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)|\n")
_LOWER_START = re.compile(r"(^|[.!?][\"'”’)]*\s+|\n\s*)([a-z])")
_LOWER_I = re.compile(r"(?<![\w'’])i(?=\s|['’](?:m|ve|ll|d)\b|[,.;:!?])")
_DAY_OR_MONTH = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april|june|"
    r"july|september|october|november|december)\b"
)
# A phrase between commas that is only a noun phrase ("Its longest loan, a cookbook, came back").
_APPOSITIVE = re.compile(r"(?<=\w),\s(?:a|an|the|its|their|his|her)\s[^\W\d_]+(?:\s[^\W\d_]+){0,3}(?=,)")
# A place or time phrase at the end of a clause ("for a library in the east district.").
_TRAILING_PHRASE = re.compile(
    r"\s(?:in|on|at|of|for|with|from|during|across)\s(?:the|a|an|this|that|its|their|his|her|our|each|every)"
    r"\s[^\W\d_]+(?:\s[^\W\d_]+)?(?=[,.;!?])"
)
# Words a shorter text can do without, after the hedges.
_SHORTER_ONLY = re.compile(
    r"(?<![\w'’])(?:again|ever|also|even|still|just|then|now)(?![\w'’])", re.IGNORECASE
)
_ADVERB = re.compile(r"(?<![\w'’])[a-z]{4,}ly(?![\w'’])")
_SIDE_CLAUSE = re.compile(
    r",\s(?:which|who|where|although|though|while|as|especially|including|mostly|often)\b[^,.;:!?]{3,80}(?=[,.;:!?])"
)
_SPLIT_AT = re.compile(
    r";\s|,\s(?:and|but|so)\s(?=(?:he|she|they|it|we|i|you|the|this|that|these|those|a|an|his|her|their|our|its|there|[A-Z])\b)"
)
_NOT_ADVERBS = set(
    [
        "ally",
        "anomaly",
        "apply",
        "assembly",
        "belly",
        "billy",
        "bully",
        "costly",
        "daily",
        "early",
        "elderly",
        "emily",
        "family",
        "fly",
        "friendly",
        "hilly",
        "holly",
        "holy",
        "italy",
        "jelly",
        "july",
        "kelly",
        "likely",
        "lily",
        "lonely",
        "lovely",
        "molly",
        "monthly",
        "oily",
        "only",
        "polly",
        "rally",
        "rely",
        "reply",
        "sally",
        "silly",
        "supply",
        "ugly",
        "weekly",
        "yearly",
    ]
)


def match_case(original: str, replacement: str) -> str:
    if not replacement:
        return replacement
    if original[:1].isupper() and not replacement[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class StyleEditor:
    """Proposes a style's edits from the word lists and lets the scorer choose; without a
    scorer (a server backend) the first proposal of each list is taken."""

    def __init__(
        self,
        scorer: Scorer | None,
        proofread: Callable[[str], str] | None = None,
        dictionary: KnowsWords | None = None,
    ) -> None:
        self._scorer = scorer
        self._proofread = proofread
        self._dictionary = dictionary
        self.margin = OPTIONAL_MARGIN
        lex = lexicon()
        self._lex = lex
        self._patterns = {
            "contractions": phrase_pattern(list(lex.contractions)),
            "slang": phrase_pattern(list(lex.slang)),
            "informal": phrase_pattern(list(lex.informal)),
            "formal_words": phrase_pattern(list(lex.formal_words)),
            "wordy": phrase_pattern(list(lex.wordy)),
            "fillers": phrase_pattern(list(lex.fillers)),
            "hedges": phrase_pattern(list(lex.hedges)),
        }

    # -- judging -------------------------------------------------------------------------

    @staticmethod
    def _sentence_rest(text: str, end: int) -> str:
        match = _SENTENCE_END.search(text, end)
        stop = match.end() if match else len(text)
        rest = text[end:stop]
        if len(rest.split()) < 3:  # judge on a few words at least
            rest = text[end : min(len(text), end + 60)]
        return rest

    def _scores(self, text: str, start: int, end: int, options: Sequence[str]) -> list[float]:
        assert self._scorer is not None
        prefix = text[:start].rstrip()
        gap = text[len(prefix) : start]
        rest = self._sentence_rest(text, end)
        continuations = []
        for option in options:
            piece = gap + option + rest if option else (rest if prefix else rest.lstrip())
            continuations.append(piece)
        return self._scorer.score(prefix, continuations)

    def _choose(
        self, text: str, start: int, end: int, options: Sequence[str], *, required: bool
    ) -> str | None:
        """The option to write at [start, end): among `options` when the change is required;
        when it is not, only if the rest of the sentence loses at most OPTIONAL_MARGIN."""
        written = text[start:end]
        options = [match_case(written, o) for o in options]
        if self._scorer is None:
            return options[0] if required and options else None
        if required:
            if len(options) == 1:
                return options[0]
            scores = self._scores(text, start, end, options)
            return options[max(range(len(options)), key=scores.__getitem__)]
        if not options:
            return None
        # An optional change: compare the rest of the sentence after each (its own words are
        # not counted, so a deletion is not favoured for being short).
        prefix = text[:start]
        rest = self._sentence_rest(text, end)
        base = self._scorer.score(prefix + written, [rest])[0]
        best, best_score = None, base - self.margin
        for option in options:
            head = (prefix.rstrip() + (" " + option if option else "")) if prefix.strip() else option
            score = self._scorer.score(head, [rest if head else rest.lstrip()])[0]
            if score >= best_score:
                best, best_score = option, score
        return best

    # -- one list over the text ------------------------------------------------------------

    def _replace_all(
        self,
        text: str,
        pattern: re.Pattern[str],
        options_of: Callable[[str], Sequence[str]],
        *,
        required: bool,
        protected: Callable[[str, int, int], bool],
        cancel: threading.Event | None,
    ) -> str:
        position = 0
        while True:
            if cancel is not None and cancel.is_set():
                return text
            match = pattern.search(text, position)
            if match is None:
                return text
            start, end = match.span()
            if protected(text, start, end):
                position = end
                continue
            options = options_of(match.group().lower().replace("’", "'"))
            chosen = self._choose(text, start, end, options, required=required)
            if chosen is None:
                position = end
                continue
            text, position = _splice(text, start, end, chosen)

    def _lookup(self, phrases: Phrases) -> Callable[[str], Sequence[str]]:
        return lambda key: phrases.get(key, ())

    # -- the styles ----------------------------------------------------------------------

    def apply(self, text: str, style: str, cancel: threading.Event | None = None) -> str:
        """`text` with `style`'s edits; the text unchanged for a style this does not edit."""
        if style not in STYLES:
            return text
        facts = extract(text, self._dictionary)
        guard = _Guard(text, facts)
        if style in ("formal", "clearer") and self._proofread is not None:
            text = self._proofread(text)
        p, lex = self._patterns, self._lex

        def run(name: str, options: Callable[[str], Sequence[str]], required: bool) -> None:
            nonlocal text
            deleting = name in ("fillers", "hedges")
            protected = guard.protects if deleting else guard.holds_fact
            if name == "formal_words":  # "Yes, it is." stays: speech contracts only before a word
                protected = guard.contraction_at_end
            text = self._replace_all(
                text, p[name], options, required=required, protected=protected, cancel=cancel
            )

        if style == "formal":
            text = _DAY_OR_MONTH.sub(lambda m: m.group().capitalize(), text)
            run("contractions", self._lookup(lex.contractions), True)
            run("slang", self._lookup(lex.slang), True)
            run("fillers", lambda _key: ("",), False)
            run("informal", self._lookup(lex.informal), False)
            text = capitalise(text)
        elif style == "casual":
            run("formal_words", self._lookup(lex.formal_words), True)
        elif style == "shorter":
            self.margin = SHORTER_MARGIN
            run("wordy", self._lookup(lex.wordy), True)
            run("fillers", lambda _key: ("",), False)
            run("hedges", lambda _key: ("",), False)
            target = SHORTER_AT_MOST * words(guard.source)
            for pattern in (_SIDE_CLAUSE, _APPOSITIVE, _TRAILING_PHRASE, _SHORTER_ONLY, _ADVERB):
                if words(text) <= target:
                    break
                text = self._replace_all(
                    text,
                    pattern,
                    lambda key: () if key in _NOT_ADVERBS else ("",),
                    required=False,
                    protected=guard.unanchors,
                    cancel=cancel,
                )
            text = capitalise(_tidy(text))
            self.margin = OPTIONAL_MARGIN
        elif style == "clearer":
            run("wordy", self._lookup(lex.wordy), True)
            text = self._split_long(text, cancel)
        return _tidy(text)

    def _split_long(self, text: str, cancel: threading.Event | None) -> str:
        """Sentences over SPLIT_OVER words split at a clause boundary near their middle,
        the one the model finds most natural."""
        out, position = [], 0
        for match in re.finditer(r"[^.!?\n]+[.!?]*[\"'”’)]*", text):
            sentence = match.group()
            out.append(text[position : match.start()])
            position = match.end()
            if words(sentence) <= SPLIT_OVER or (cancel is not None and cancel.is_set()):
                out.append(sentence)
                continue
            options = []
            for cut in _SPLIT_AT.finditer(sentence):
                left, right = sentence[: cut.start()].rstrip(), sentence[cut.end() :].lstrip()
                if words(left) < 6 or words(right) < 6:
                    continue
                joined = cut.group().strip(" ,;")
                if joined.lower() == "and":
                    right = right[:1].upper() + right[1:]
                    options.append(left + ". " + right)
                else:
                    options.append(
                        left
                        + ". "
                        + (joined[:1].upper() + joined[1:] + " " if joined else "")
                        + (right if joined else right[:1].upper() + right[1:])
                    )
            if not options:
                out.append(sentence)
                continue
            if self._scorer is not None and len(options) > 1:
                scores = [self._scorer.score("", [o])[0] / max(1, len(o.split())) for o in options]
                out.append(options[max(range(len(options)), key=scores.__getitem__)])
            else:
                out.append(options[0])
        out.append(text[position:])
        return "".join(out)


class _Guard:
    """Spans that no edit may touch: facts and the words that anchor them."""

    def __init__(self, source: str, facts: list[Fact]) -> None:
        self.source = source
        self._fact_list = facts
        self._facts = [f.text.lower() for f in facts]
        self._anchors: set[str] = set()
        for fact in facts:  # the content words within three of the fact: what it measures or names
            for match in re.finditer(rf"(?<!\w){re.escape(fact.text)}(?!\w)", source, re.IGNORECASE):
                before = re.findall(r"[^\W_]+", source[: match.start()])[-3:]
                after = re.findall(r"[^\W_]+", source[match.end() :])[:3]
                self._anchors |= content_words(" ".join(before + after), {f.text.lower() for f in facts})

    def holds_fact(self, text: str, start: int, end: int) -> bool:
        span = text[start:end].lower()
        if any(c.isdigit() for c in span):
            return True
        return any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", span) for f in self._facts)

    def contraction_at_end(self, text: str, start: int, end: int) -> bool:
        """A fact, or a pair that would be contracted before punctuation ("it is.")."""
        if self.holds_fact(text, start, end):
            return True
        contractible = text[start:end].lower().split()[-1:] in (
            ["not"],
            ["am"],
            ["are"],
            ["is"],
            ["will"],
            ["have"],
            ["us"],
        )
        following = text[end:].lstrip()[:1]
        return contractible and (not following or not following.isalnum())

    def protects(self, text: str, start: int, end: int) -> bool:
        """A deletion keeps every fact and the words right beside it."""
        if self.holds_fact(text, start, end):
            return True
        span = text[start:end].lower()
        return any(canonical(w) in self._anchors for w in re.findall(r"[^\W_]+", span) if len(w) > 2)

    def unanchors(self, text: str, start: int, end: int) -> bool:
        """A longer deletion (a side clause, a phrase) is allowed when no fact is in it and
        every fact keeps an anchor beside it afterwards (engine/fidelity/verdict.py)."""
        if self.holds_fact(text, start, end):
            return True
        before = set(moved(self.source, text, self._fact_list))
        after = set(moved(self.source, _splice(text, start, end, "")[0], self._fact_list))
        return bool(after - before)


def _splice(text: str, start: int, end: int, replacement: str) -> tuple[str, int]:
    """`text` with [start, end) replaced; a deletion takes one of its spaces with it."""
    if replacement:
        return text[:start] + replacement + text[end:], start + len(replacement)
    before, after = text[:start], text[end:]
    if before.endswith(" ") and (after[:1] in (" ", ",", ".", ";", ":", "!", "?", "") or not before.strip()):
        before = before[:-1]
    elif after.startswith(" ") and (not before or before.endswith(("\n", " "))):
        after = after[1:]
    if after.startswith(",") and (not before.strip() or before.rstrip().endswith((".", "!", "?", ","))):
        after = after[1:].lstrip()
    return before + after, len(before)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    return text


def capitalise(text: str) -> str:
    """Sentence starts and the pronoun "I" in capitals."""
    text = _LOWER_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return _LOWER_I.sub("I", text)
