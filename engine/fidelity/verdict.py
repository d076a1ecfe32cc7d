"""One verdict for every suggestion: what it drops, moves, invents, repeats, whether it
answers at all, in the right language and the style asked for.

Tokens present is a weak check: a rewrite can hold every number and still swap which
number belongs to what. So each fact of the source gets its *anchors*: the content words
of its clause ("3 million for a school" → school). In the answer a fact is **moved** when
none of its anchors (or their stems and synonyms) stand in its clause there. A fact the
answer writes and the source does not is **invented**; a sentence, a fact or a three-word
run written more often than the source writes it is **repeated**. The chooser, the
suggestion bar, the diff, `--json` and the server path all read this one result.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

from engine.fidelity import language as languages
from engine.fidelity import style_check
from engine.fidelity.answer_check import non_answer as talk_problem
from engine.fidelity.facts import NUMBER_WORDS, Fact, KnowsWords, extract, missing
from engine.fidelity.lexicon import lexicon

# Small words that anchor nothing; "under", "since", "most" and the like do (under 40).
_STOP = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "about",
        "during",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "has",
        "have",
        "had",
        "having",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "it",
        "its",
        "it's",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "him",
        "we",
        "us",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "mine",
        "as",
        "if",
        "not",
        "no",
        "also",
        "very",
        "more",
        "much",
        "many",
        "some",
        "any",
        "all",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "other",
        "another",
        "such",
        "only",
        "just",
        "even",
        "still",
        "too",
        "up",
        "down",
        "out",
        "off",
        "again",
        "once",
        "per",
        "via",
        "while",
        "whereas",
        # Greetings say nothing of the name they greet: "hi Nadia" is "Hello Nadia".
        "hello",
        "hey",
        "hiya",
        "dear",
        "greetings",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CLAUSE_BREAK = re.compile(
    r"[;:()\u2014\u2013]|,\s|\s-\s|[.!?]+[\"'”’)]*(?:\s|$)|\n"
    r"|\s(?=(?:and|but|while|whereas|which|who|after|before|when|because|although|though|until|since|so)\s)",
    re.IGNORECASE,
)
_SYNONYMS = [
    "build built construct erect make",
    "open opened inaugurate launch start begin commence",
    "close shut end finish terminate conclude stop",
    "buy purchase acquire",
    "sell sold",
    "fall fell drop decline decrease shrink sink",
    "rise rose grow grew increase climb",
    "say said state note tell told report",
    "give gave grant award donate",
    "spend spent cost",
    "reserve earmark allocate set budget fund pay paid",
    "school",
    "library",
    "hire employ recruit",
    "look tend care",
    "meet met",
    "win won",
    "lose lost loss",
    "return returned",
    "leave left depart",
    "arrive arrived reach",
    "write wrote written author",
    "find found discover",
    "die died death",
    "bear born birth",
    "move moved relocate",
    "run ran manage lead led",
    "destroy destroyed damage wreck",
    "storm hurricane gale",
    "member membership",
    "worker staff employee",
    "child children kid",
    "city town",
    "car vehicle",
    "house home",
    "big large",
    "small little",
]
_GROUP: dict[str, int] = {}
for _index, _group in enumerate(_SYNONYMS):
    for _word in _group.split():
        _GROUP.setdefault(_word, _index)
_DIGIT_OF = {word: str(value) for value, word in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
     "eighteen", "nineteen", "twenty"])}  # fmt: skip
_BLOCKING = ("moved", "invented", "repeated", "dropped", "unsupported", "non_answer", "language")


def stem(word: str) -> str:
    """A crude English stem, enough to match "opened"/"opens"/"opening"."""
    word = word.lower().replace("’", "'")
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "ed", "es", "er", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            return base
    return word


def canonical(word: str) -> str:
    """The same key for a word, its stem and its synonyms."""
    lower = word.lower()
    base = stem(lower)
    group = _GROUP.get(lower, _GROUP.get(base, _GROUP.get(base + "e")))  # "reserved" → "reserve"
    return f"#{group}" if group is not None else base


@dataclass(frozen=True)
class Verdict:
    """Plain data: every field is a tuple of short strings ("" or () when all is well)."""

    missing: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    invented: tuple[str, ...] = ()
    repeated: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # the writer's sentences a rewrite no longer says
    unsupported: tuple[str, ...] = ()  # the rewrite's sentences the writer never said
    non_answer: str = ""
    language: str = ""
    style: str = ""

    @property
    def clean(self) -> bool:
        """Nothing that makes the suggestion say something the writer did not."""
        return not any(getattr(self, name) for name in _BLOCKING)

    def problems(self) -> list[str]:
        """For the suggestion bar, most serious first: "moved: 3 million", "adds: 1923"."""
        out = []
        if self.non_answer:
            out.append(f"not an answer: {self.non_answer}")
        if self.language:
            out.append(self.language)
        if self.moved:
            out.append("moved: " + ", ".join(self.moved[:3]))
        if self.invented:
            out.append("adds: " + ", ".join(self.invented[:3]))
        if self.repeated:
            out.append("repeats: " + ", ".join(self.repeated[:2]))
        if self.dropped:
            out.append("leaves out: " + ", ".join(self.dropped[:2]))
        if self.unsupported:
            out.append("not in the text: " + ", ".join(self.unsupported[:2]))
        if self.missing:
            out.append("drops: " + ", ".join(self.missing[:4]))
        if self.style:
            out.append(self.style)
        return out

    def marked_words(self) -> tuple[str, ...]:
        """The words the diff marks out."""
        return self.missing + self.moved + self.invented

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            key: list(v) if isinstance(v, tuple) else v for key, v in asdict(self).items()
        }
        data["clean"] = self.clean
        return data


# -- clauses and anchors -----------------------------------------------------------------


_PARTICLE = re.compile(r"(?:after|before|until|till|since)\s", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"'”’)]*(?:\s|$)|\n")


def clauses(text: str, facts: set[str] | None = None) -> list[tuple[int, int]]:
    """Spans of the text's clauses. A piece with no content word of its own joins the
    next one in its sentence ("In 1962, a storm…"), or the one before it at the end of
    a sentence ("…between 2015 and 2019."), never a clause of another sentence. A piece
    that says nothing but "after", "until"… is a phrase of the verb before it ("looks
    after 8 of them", "ran a museum until 2004") and joins that verb's clause."""
    spans: list[tuple[int, int, bool]] = []  # start, end, ends a sentence
    position = 0
    for match in _CLAUSE_BREAK.finditer(text):
        if match.start() > position:
            ends = _SENTENCE_BREAK.match(text, match.start()) is not None
            spans.append((position, match.start(), ends))
        position = max(position, match.end())
    if position < len(text):
        spans.append((position, len(text), True))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    sentence_start = 0  # index in `merged` of the current sentence's first clause
    for start, end, ends in spans:
        if pending is not None:
            start, pending = pending, None
        found = content_words(text[start:end], facts)
        particle = _PARTICLE.match(text, start)
        if particle and len(merged) > sentence_start and found <= content_words(particle.group()):
            merged[-1] = (merged[-1][0], end)
        elif found:
            merged.append((start, end))
        elif not ends:
            pending = start
        elif len(merged) > sentence_start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        if ends:
            sentence_start = len(merged)
    return merged


def content_words(text: str, exclude: set[str] | None = None) -> set[str]:
    exclude = exclude or set()
    found = set()
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in _STOP or word in exclude or word in NUMBER_WORDS or word.isdigit() or len(word) < 3:
            continue
        found.add(canonical(word))
    # "$90,000" names its unit as "90,000 dollars" does.
    found |= {canonical(_CURRENCY_WORDS[symbol]) for symbol in _CURRENCY_SYMBOL.findall(text)}
    if _PERCENT_SIGN.search(text):  # "9%" is "9 percent"
        found.add(canonical("percent"))
    return found


_CURRENCY_SYMBOL = re.compile(r"([$€£])\s?\d")
_PERCENT_SIGN = re.compile(r"\d\s?%")
_CURRENCY_WORDS = {"$": "dollars", "€": "euros", "£": "pounds"}


def _occurrences(fact: Fact, text: str) -> list[int]:
    """Where `fact` is written in `text` (start offsets)."""
    if fact.kind == "number" and fact.text[:1].isdigit():
        plain = fact.text.replace(",", "")
        body = r",?".join(re.escape(c) for c in plain) if len(plain) > 3 else re.escape(fact.text)
        pattern = rf"(?<![\w.,]){body}(?![\w]|[.,]\d)"
        found = [m.start() for m in re.finditer(pattern, text)]
        if not found and fact.text != plain:
            found = [m.start() for m in re.finditer(rf"(?<![\w.,]){re.escape(fact.text)}(?!\w)", text)]
        return found
    return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(fact.text)}(?!\w)", text, re.IGNORECASE)]


def _clause_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return (offset, offset)


def _placed(text: str, facts: list[Fact]) -> dict[str, tuple[set[int], set[str]]]:
    """For each fact: the indexes of the clauses it stands in, and their content words."""
    fact_words = {f.text.lower() for f in facts}
    spans = clauses(text, fact_words)
    found: dict[str, tuple[set[int], set[str]]] = {}
    for fact in facts:
        indexes: set[int] = set()
        words: set[str] = set()
        for offset in _occurrences(fact, text):
            for index, (start, end) in enumerate(spans):
                if start <= offset < end:
                    indexes.add(index)
                    words |= content_words(text[start:end], fact_words)
        found[fact.text] = (indexes, words)
    return found


def anchors(text: str, facts: list[Fact]) -> dict[str, set[str]]:
    """Each fact's anchors: the content words of the clauses it stands in."""
    return {fact: words for fact, (_indexes, words) in _placed(text, facts).items()}


def own_anchors(text: str, facts: list[Fact]) -> dict[str, set[str]]:
    """Each fact's anchors less those of facts of its kind in other clauses ("sales"
    anchors both "Germany" and "France" in "sales in France rose, while sales in Germany
    stayed flat"), unless that leaves none. Facts of one clause ("Porto handles 300
    tickets") share theirs."""
    placed = _placed(text, facts)
    kind = {f.text: f.kind for f in facts}
    out = {}
    for fact, (indexes, words) in placed.items():
        elsewhere = [(f, w) for f, (i, w) in placed.items() if f != fact and not (i & indexes)]
        others = set().union(*(w for f, w in elsewhere if kind[f] == kind[fact]))
        # A date's anchors are what its own clause says: "the school starts in April" is
        # about the start, when "school" also anchors an amount in another clause.
        every = set().union(*(w for _f, w in elsewhere)) if kind[fact] == "date" else others
        anchored = (words - every) or (words - others) or words
        # "until", "from": the relation word is checked on its own (_relation_changed); as an
        # anchor it would let "remained on the island until 2004" stand for "ran a museum until 2004".
        out[fact] = (anchored - _RELATION_KEYS) or anchored
    return out


# The word before a number says what it is: "from 38,000" is not "up 38,000", "by 840" not "from 840".
_RELATION = {
    "of",
    "in",
    "for",
    "with",
    "from",
    "to",
    "by",
    "under",
    "over",
    "since",
    "until",
    "till",
    "than",
    "about",
    "up",
    "down",
    "at",
    "into",
    "within",
    "against",
    "between",
    "after",
    "before",
    "below",
    "above",
    "around",
}
_RELATION_KEYS = {canonical(word) for word in _RELATION}
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W*$")


def _relation_before(text: str, offset: int) -> str:
    head = text[max(0, offset - 30) : offset]
    match = _WORD_BEFORE.search(head)
    word = match.group(1).lower() if match else ""
    if word == "to" and re.search(r"\bcompared\s+to\W*$", head, re.IGNORECASE):
        return "with"  # "compared to 64" is "compared with 64"
    if word == "and":  # "at 8 on weekdays and 10 on Sundays": the first "at" serves both
        sentence = re.split(r"[.!?;]\s", text[max(0, offset - 80) : offset])[-1]
        shared = _SHARED_RELATION.search(sentence)
        return shared.group(1).lower() if shared and shared.group(1).lower() in _RELATION else ""
    return word if word in _RELATION else ""


# A relation word and its number earlier in the sentence, then "and" right before this one.
_SHARED_RELATION = re.compile(r"\b([a-z]+)\s+\d[^,;]{0,40}?\sand\s+$", re.IGNORECASE)


# Relation words a rewrite may leave out without changing what the number is:
# "rose by 9%" is "rose 9%", "a loan of 20,000" is "a 20,000 loan", "about 1,100" stays 1,100.
_DROPPABLE_RELATION = {"by", "of", "about", "around", "up", "down"}


def _relation_changed(fact: Fact, source: str, answer: str, places: list[int]) -> bool:
    """A number or date the source ties with "from", "to", "in"... that the answer ties with
    another of those words, or with none ("at 12" → "climbed 12"), everywhere it writes it."""
    if not ((fact.kind == "number" and fact.text[:1].isdigit()) or fact.kind == "date"):
        return False
    before = {_relation_before(source, p) for p in _occurrences(fact, source)}
    after = {_relation_before(answer, p) for p in places}
    if before == {""}:  # none in the source: one the answer adds ("in 61 percent") ties it anew
        return bool(places) and not (after & ({""} | _DROPPABLE_RELATION))
    if "" in before or not before:
        return False
    if "" in after:
        if all(_absorbed(source, fact, answer, p) for p in places if not _relation_before(answer, p)):
            return bool(after - {""}) and not (after & before)
        return all(len(_words_before(answer, p)) >= 1 for p in places) and not (before & _DROPPABLE_RELATION)
    return not (after & before)


_VERB_AND_RELATION = re.compile(r"([^\W\d_]+)\s+[^\W\d_]+\W*$")


def _absorbed(source: str, fact: Fact, answer: str, place: int) -> bool:
    """The answer's word before the number is a synonym (not the same word) of the verb
    the source's relation word followed: "pay for 3 wells" → "fund 3 wells", where the
    new verb takes the number without the "for"."""
    match = _WORD_BEFORE.search(answer[max(0, place - 30) : place])
    if match is None:
        return False
    word = match.group(1).lower()
    key = canonical(word)
    if not key.startswith("#"):
        return False
    for offset in _occurrences(fact, source):
        verb = _VERB_AND_RELATION.search(source[max(0, offset - 40) : offset])
        if verb and canonical(verb.group(1)) == key and stem(verb.group(1)) != stem(word):
            return True
    return False


def _words_before(text: str, offset: int) -> list[str]:
    """The words of the clause before `offset` (none at a sentence start: "40 staff joined")."""
    head = re.split(r"[.!?;:]\s|\n", text[max(0, offset - 60) : offset])[-1]
    return re.findall(r"[^\W\d_]+", head)


def moved(source: str, answer: str, facts: list[Fact]) -> list[str]:
    """Facts the answer writes away from every one of their own anchors, or with another
    relation word ("up from 38,000" → "up 38,000 from")."""
    own = own_anchors(source, facts)
    fact_words = {f.text.lower() for f in facts}
    spans = clauses(answer, fact_words)
    source_spans = clauses(source, fact_words)
    out = []
    for fact in facts:
        if fact.kind == "code":
            continue  # kept or dropped, code has no clause of its own to move from
        wanted = own.get(fact.text, set())
        places = _occurrences(fact, answer)
        if places and _relation_changed(fact, source, answer, places):
            out.append(fact.text)
            continue
        if fact.kind == "name" and (
            _new_appositive(fact, source, answer, places) or _head_lost(fact, source, answer, places, spans)
        ):
            out.append(fact.text)
            continue
        if places and _lead_lost(fact, source, answer, places, source_spans, spans, fact_words):
            out.append(fact.text)
            continue
        if not wanted or not places:
            continue  # nothing to check it by, or missing (reported as such)
        # Every place the answer writes it must be beside one of its anchors: "sold in
        # Germany… sales in Germany rose" moves the second even though the first is right.
        if not all(
            wanted & content_words(answer[s:e], fact_words) for s, e in (_clause_at(spans, p) for p in places)
        ):
            out.append(fact.text)
    return out


def _lead(text: str, offset: int, spans: list[tuple[int, int]], fact_words: set[str]) -> str:
    """The content word nearest before `offset` in its clause ("raised" in "raised 2
    million dollars from investors"), less relation words; "" when there is none."""
    start, _end = _clause_at(spans, offset)
    words = [w for w in _WORD.findall(text[start:offset]) if content_words(w, fact_words) - _RELATION_KEYS]
    return canonical(words[-1]) if words else ""


def _lead_lost(
    fact: Fact,
    source: str,
    answer: str,
    places: list[int],
    source_spans: list[tuple[int, int]],
    spans: list[tuple[int, int]],
    fact_words: set[str],
) -> bool:
    """A number whose clause in the answer lacks the word that led it in the source ("To
    be honest, 2 million dollars from investors" has lost "raised")."""
    if fact.kind != "number" or not fact.text[:1].isdigit():
        return False
    leads = {_lead(source, offset, source_spans, fact_words) for offset in _occurrences(fact, source)}
    if "" in leads or not leads:
        return False
    return any(
        not (leads & content_words(answer[s:e], fact_words))
        for s, e in (_clause_at(spans, p) for p in places)
    )


# "the road to Kelso", "investors in Oslo": the word a place is said of, before its preposition.
_HEAD_OF_PLACE = re.compile(
    r"(?:\b(its|their|his|her|our)\s)?([^\W\d_]+)\s(?:in|to|from|at|on|across|near|of|against)\s$"
)
# "Their striker, Ana Ruiz", "her sister Kate": the noun a name renames, right before it.
_HEAD_OF_NAME = re.compile(r"(?:\b(its|their|his|her|our)\s)?\b([a-z]{3,}),?\s$")
# "moved its office to Basel" is "moved to Basel": an organisation's own seat is the organisation.
_SEATS = {"office", "offices", "headquarters", "base", "seat"}


def _head_lost(fact: Fact, source: str, answer: str, places: list[int], spans: list[tuple[int, int]]) -> bool:
    """A place the source says of a word ("the road to Kelso was closed") everywhere it
    writes it, that the answer writes in a clause without that word or its synonyms
    ("Kelso was closed")."""
    heads = set()
    for offset in _occurrences(fact, source):
        window = source[max(0, offset - 40) : offset]
        match = _HEAD_OF_PLACE.search(window) or _HEAD_OF_NAME.search(window)
        word = match.group(2).lower() if match else ""
        found = content_words(word)
        if not found or (match and match.group(1) and word in _SEATS):
            # Written once without a word it is said of ("8 pm on Thursdays": "pm" is no
            # content word, so no answer could keep it): nothing to hold it to.
            return False
        heads |= found
    fact_words = {fact.text.lower()}
    return any(
        not (heads & (_near(answer, p, len(fact.text), fact_words) | content_words(answer[s:e], fact_words)))
        for p, (s, e) in ((p, _clause_at(spans, p)) for p in places)
    )


def _near(text: str, offset: int, length: int, fact_words: set[str]) -> set[str]:
    """The content words of up to four words before and two after, within the sentence
    (with the clause's: a name set apart by commas, "Its keeper, Patrick Flynn, stayed",
    is a clause of its own)."""
    head = re.split(r"[.!?;]\s", text[max(0, offset - 60) : offset])[-1]
    tail = re.split(r"[.!?;]", text[offset + length : offset + length + 40])[0]
    words = _WORD.findall(head)[-4:] + _WORD.findall(tail)[:2]
    return content_words(" ".join(words), fact_words)


# ", a mountain climber," right after a name (and the rest of the name).
_APPOSITIVE_AFTER = re.compile(r"(?:\s+[A-Z][\w'’-]*)*,\s(?:a|an|the)\s[^,.;:!?\d]{2,40},")


def _new_appositive(fact: Fact, source: str, answer: str, places: list[int]) -> bool:
    """A name the answer describes in a phrase of its own making ("Elena Marsh, a mountain
    climber, climbed"): a description the writer never gave, which also sets the name
    apart from what it did."""

    def described(text: str, offset: int) -> str | None:
        match = _APPOSITIVE_AFTER.match(text, offset + len(fact.text))
        return match.group().split(",", 1)[1].strip().lower() if match else None

    said = {described(source, p) for p in _occurrences(fact, source)}
    return any((d := described(answer, p)) is not None and d not in said for p in places)


# -- additions and repeats ---------------------------------------------------------------


def _number_value(text: str) -> str:
    lower = text.lower()
    return _DIGIT_OF.get(lower, lower.replace(",", ""))


_ANY_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


def invented(source: str, answer: str, *, numbers_only: bool = False) -> list[str]:
    """Numbers, dates and names the answer writes and the source does not (names are
    only the capitals inside a sentence: a sentence start proves nothing)."""
    source_numbers = {_number_value(f.text) for f in extract(source) if f.kind == "number"}
    source_words = {w.lower() for w in _WORD.findall(source)}
    source_stems = {stem(w) for w in source_words}
    source_number_words = {w for w in source_words if not w.isdigit()}  # "three", not the "20" of "20,000"
    out = []
    # Numbers with a unit stuck to them ("1000m", "30-kilometre") are numbers too.
    for match in _ANY_NUMBER.finditer(answer):
        value = match.group().replace(",", "")
        if (
            value not in source_numbers
            and match.group() not in out
            and missing([Fact(match.group(), "number")], source)
        ):
            out.append(match.group())
    for fact in extract(answer, None):
        if fact.kind == "number":
            value = _number_value(fact.text)
            if (
                not fact.text[:1].isdigit()
                and value not in source_numbers
                and fact.text.lower() not in source_number_words
            ):
                out.append(fact.text)
        elif numbers_only:
            continue
        elif fact.kind == "code":
            if missing([fact], source):
                out.append(fact.text)
        elif fact.text.lower() not in source_words and stem(fact.text) not in source_stems:
            prefix = fact.text.lower()[:5]
            if len(prefix) == 5 and any(w.startswith(prefix) for w in source_words):
                continue  # "German" for the source's "Germany"
            out.append(fact.text)
    return out


def _sentence_key(sentence: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(sentence))


def repeated(source: str, answer: str, facts: list[Fact]) -> list[str]:
    """Sentences, facts and three-word runs the answer repeats more than the source does."""
    out: list[str] = []
    said = Counter(_sentence_key(s) for s in style_check.sentences(answer) if len(_WORD.findall(s)) >= 3)
    had = Counter(_sentence_key(s) for s in style_check.sentences(source))
    for key, count in said.items():
        if count > max(1, had[key]):
            out.append(" ".join(key.split()[:6]) + "…")
    for fact in facts:
        written = len(_occurrences(fact, answer))
        if written > 1 and written > len(_occurrences(fact, source)):
            out.append(fact.text)
    answer_words = [w.lower() for w in _WORD.findall(answer)]
    source_runs = Counter(
        zip(*(([w.lower() for w in _WORD.findall(source)])[i:] for i in range(3)), strict=False)
    )
    runs = Counter(zip(*(answer_words[i:] for i in range(3)), strict=False))
    for run, count in runs.items():
        if sum(w not in _STOP for w in run) < 2:
            continue
        allowed = 1 if not source_runs[run] else source_runs[run] + 1
        if count > allowed and not any(" ".join(run) in item for item in out):
            out.append(" ".join(run))
    return out


# -- sentences a rewrite no longer says ---------------------------------------------------

KEPT_AT_LEAST = 0.34  # of the words only a sentence of the source has, a rewrite keeps this share
_JUDGED_FROM = 3  # a sentence with fewer words of its own says too little to judge


def style_words() -> set[str]:
    """The style lists' words, in canonical form: Formal and Casual swap them by design."""
    if not _STYLE_WORDS:
        lex = lexicon()
        phrases: list[str] = [*lex.fillers, *lex.hedges, *lex.asides]
        for table in (lex.contractions, lex.slang, lex.informal, lex.formal_words, lex.wordy, lex.concise):
            for key, values in table.items():
                phrases.append(key)
                phrases.extend(values)
        _STYLE_WORDS.update(content_words(" ".join(phrases)))
    return _STYLE_WORDS


_STYLE_WORDS: set[str] = set()


def _label(sentence: str) -> str:
    said = sentence.split()
    return " ".join(said[:5]) + ("…" if len(said) > 5 else "")


def dropped(source: str, answer: str) -> list[str]:
    """The source's sentences a rewrite no longer says: it keeps under a third of the
    words only that sentence has (stems and synonyms count). Facts alone do not show
    this: a "shorter" rewrite that cut "It is possible to let the range start at another
    number…" kept every number. Words of the style lists are not counted, because Formal
    and Casual replace them by design."""
    pieces = style_check.sentences(_unwrapped(source))
    own = [content_words(piece) - style_words() for piece in pieces]
    kept = content_words(answer)
    out = []
    for index, words in enumerate(own):
        others = set().union(*(w for k, w in enumerate(own) if k != index))
        distinct = words - others
        if len(distinct) >= _JUDGED_FROM and len(distinct & kept) < KEPT_AT_LEAST * len(distinct):
            out.append(_label(pieces[index]))
    return out


SUPPORTED_AT_LEAST = 0.6  # of an answer sentence's words, the source has this share


def unsupported(source: str, answer: str) -> list[str]:
    """The answer's sentences that say mostly what the source does not: a "shorter"
    rewrite of a paragraph about asking the neighbours whose cat it is began "The cat's
    name is clearly visible on its face". Words of the style lists count as said: Formal
    and Casual bring them in by design."""
    said = content_words(source) | style_words()
    out = []
    for sentence in style_check.sentences(_unwrapped(answer)):
        words = content_words(sentence)
        if len(words) >= _JUDGED_FROM and len(words & said) < SUPPORTED_AT_LEAST * len(words):
            out.append(_label(sentence))
    return out


def _unwrapped(text: str) -> str:
    """Hard-wrapped lines joined: a line break inside a paragraph ends no sentence."""
    return re.sub(r"(?<!\n)[ \t]*\n[ \t]*(?!\n)", " ", text)


# -- answers that are not answers ---------------------------------------------------------

_TASK = re.compile(
    r"\bthe following (?:text|passage|paragraph|sentence)|\bshould be (?:written|rewritten|more)\b"
    r"|\bin an? (?:more )?(?:formal|casual|friendly|informal|professional) (?:tone|manner|style)\b"
    r"|\b(?:formal|casual) tone\b|\bhere is (?:a|an|the)\b|\bsummary:|\brewritten:|\bkey (?:facts|points):",
    re.IGNORECASE,
)


def _fact_list(source: str, answer: str, facts: list[Fact]) -> bool:
    """A bare list of the prompt's facts: short lines made mostly of facts."""
    lines = [line.strip(" -*•\t") for line in answer.splitlines() if line.strip()]
    if len(lines) < 2 or len(source.splitlines()) >= len(lines):
        return False
    fact_words = {f.text.lower() for f in facts}
    factual = sum(
        1
        for line in lines
        if len(line.split()) <= 6 and any(w.lower().strip(".,:") in fact_words for w in line.split())
    )
    return factual >= max(2, len(lines) // 2)


def non_answer(source: str, answer: str, facts: list[Fact], *, min_share: float = 0.0) -> str:
    """Why the answer is talk about the task, a refusal or a list of facts; "" if none."""
    problem = talk_problem(source, answer, min_share=min_share)
    if problem:
        return problem
    match = _TASK.search(answer)
    if match and not _TASK.search(source):
        return "talks about the task"
    if _fact_list(source, answer, facts):
        return "a list of the facts"
    return ""


_ENDED = re.compile(r"[.!?…:;][\"'”’)\]*]*\s*$")


def unfinished(source: str, answer: str) -> str:
    """ "stops mid-sentence" for a rewrite that ran out of room ("…per-process, per-")
    where the writer's text ends a sentence."""
    if _ENDED.search(source) and answer.strip() and not _ENDED.search(answer):
        return "stops mid-sentence"
    return ""


# -- the whole verdict -------------------------------------------------------------------


def language_problem(source: str, answer: str, target: str | None = None) -> str:
    """ "in English, not Chinese" when the answer is not in the language it should be."""
    wanted = languages.code_of(target) if target else languages.detect(source)
    if not wanted:
        return ""
    got = languages.detect(answer)
    if got and got != wanted:
        return f"in {languages.name_of(got)}, not {languages.name_of(wanted)}"
    return ""


def judge(
    source: str,
    answer: str,
    *,
    operation: str = "rewrite",
    style: str | None = None,
    target_language: str | None = None,
    dictionary: KnowsWords | None = None,
    min_share: float = 0.0,
    facts: list[Fact] | None = None,
) -> Verdict:
    """The verdict on `answer` as a suggestion for `source` (`facts`: the source's, when
    they were already extracted)."""
    facts = extract(source, dictionary) if facts is None else facts
    translating = operation == "translate"
    # A translation writes names in another language; a summary leaves most facts out
    # by design and quotes the rest, and so does an answer about a document: none is
    # checked for dropped or moved facts.
    whole = operation not in ("translate", "summarize", "ask")
    lost = [f.text for f in missing(facts, answer)] if whole else []
    rewrite = operation == "rewrite"
    return Verdict(
        missing=tuple(lost),
        moved=tuple(moved(source, answer, facts)) if whole else (),
        invented=tuple(invented(source, answer, numbers_only=translating)),
        repeated=tuple(repeated(source, answer, facts)),
        dropped=tuple(dropped(source, answer)) if rewrite else (),
        # Expand adds sentences by design; its invented facts and repeats are still caught.
        unsupported=tuple(unsupported(source, answer)) if rewrite and style != "expand" else (),
        non_answer=non_answer(source, answer, facts, min_share=min_share)
        or (unfinished(source, answer) if rewrite else ""),
        language=language_problem(source, answer, target_language if translating else None),
        style=style_check.check(style, source, answer) if operation == "rewrite" else "",
    )
