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
           clauses that carry no fact cut and measures written shorter ("£8 million",
           "7 am", "employing 14"), while the text is longer than 0.9 of the source
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
SHORTER_MARGIN = 3.0  # more for Shorter's cuts: being short is the point, and facts are guarded
SHORTER_MARGIN_MOST = 5.0  # a cut of several words may cost a nat more per word, up to this
# "burned down" → "burned", "became its director" → "became director": the same said, so
# only fluency is judged.
CONCISE_MARGIN = 6.0
REPHRASE_MARGIN = 8.0  # "15 percent" → "15%": the same measure by construction, so judged leniently
SPLIT_OVER = 25  # words: a sentence longer than this is split for "clearer"
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)|\n")
# A sentence starts after its end mark or a blank line; a hard-wrapped line is no start.
_LOWER_START = re.compile(r"(^|[.!?][\"'”’)]*\s+|\n[ \t]*\n\s*)([a-z])")
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
# A verb that needs the phrase after it ("paid from the budget", "went to the market").
_VERB_FORM = re.compile(
    r"[a-z]+ed|paid|made|sold|built|spent|put|set|kept|held|left|sent|went|came|goes|go|lives|live|lived|"
    r"stayed|stay|stays|is|are|was|were|be|been|moved|belongs|belong|comes|come"
)
# Words a shorter text can do without, after the hedges.
_SHORTER_ONLY = re.compile(
    r"(?<![\w'’])(?:again|ever|also|even|still|just|then|now)(?![\w'’])", re.IGNORECASE
)
_ADVERB = re.compile(r"(?<![\w'’])[a-z]{4,}ly(?![\w'’])")
# "the most commonly available": the adverb carries the comparison, it cannot go alone.
_DEGREE_BEFORE = re.compile(r"\b(?:most|more|less|least|so|too|as|very)\s$", re.IGNORECASE)
# "the wall, which was finished in 2016": the relative pronoun and its verb can go.
_WHIZ = re.compile(
    r"\b(?:which|that|who)\s(?:is|are|was|were)\s(?=[a-z]+(?:ed|en|ing)\b|(?:in|on|at|by|for)\b|\d)"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PER = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}
_CURRENCY = {"dollars": "$", "euros": "€", "pounds": "£"}
_AMOUNT = r"\d[\d,.]*(?:\s(?:thousand|million|billion))?"
# Sums that are lent, lost or won: "a loan of 20,000 euros" → "a €20,000 loan".
_MONEY_NOUNS = (
    "loan|loss|profit|grant|budget|fine|fee|donation|gift|debt|deficit|surplus|salary|bonus|"
    "payment|prize|award|investment|subsidy|refund|rise|cut|saving|bill"
)
# A relative clause whose verb has a participle: "repairs that cost 400,000" → "repairs costing".
_PARTICIPLES = {
    "cost": "costing", "costs": "costing", "employ": "employing", "employs": "employing",
    "hold": "holding", "holds": "holding", "carry": "carrying", "carries": "carrying",
    "serve": "serving", "serves": "serving", "house": "housing", "houses": "housing",
    "contain": "containing", "contains": "containing", "include": "including",
    "includes": "including", "cover": "covering", "covers": "covering", "link": "linking",
    "links": "linking", "connect": "connecting", "connects": "connecting", "run": "running",
    "runs": "running", "seat": "seating", "seats": "seating", "feature": "featuring",
    "features": "featuring", "measure": "measuring", "measures": "measuring",
}  # fmt: skip
# "the north of the city" → "the city's north", "the top of Denali" → "Denali's top".
_PART_NOUNS = (
    "top|bottom|north|south|east|west|centre|center|edge|side|middle|heart|owner|head|director|"
    "mayor|population|budget|size|height|length|name|founder|members|staff|roof|walls"
)
_OF_POSSESSIVE = re.compile(
    rf"\bthe\s({_PART_NOUNS})\sof\s(?:(the|its|their|his|her|our)\s([a-z]{{3,}})|([A-Z][a-z]+))"
    r"(?=[,.;:!?]|\s(?:in|on|at|by|for|and|to|with|from|since|until|before|after)\b|$)"
)
# "the library in Tartu" → "Tartu's library": a place's own institution.
_IN_POSSESSIVE = re.compile(
    r"\b([Tt]he)\s(library|university|museum|team|office|hospital|school|council|club|theatre|theater|"
    r"station|airport|harbour|harbor|port|zoo|market|cathedral|church|castle|factory|branch)\sin\s"
    r"([A-Z][a-z]{2,})\b(?!\s[A-Z])"
)
# "a hotel in Vienna" → "a Vienna hotel", "investors in Oslo" → "Oslo investors", "the
# road to Kelso" → "the Kelso road": a place named after a noun can stand before it. The
# noun follows a determiner, a number or a preposition, so it is not a verb ("lived in").
_ROUTE_NOUNS = "road|roads|route|routes|train|trains|bus|buses|ferry|ferries|flight|flights|line|path|trail"
_PLACE_MODIFIER = re.compile(
    r"\b(?:(?P<det>a|an|the|its|their|our|his|her|A|An|The|Its|Their|Our|His|Her)\s(?:(?P<adj>[a-z]{3,})\s)?)?"
    r"(?P<noun>[a-z]{3,})\s(?P<prep>in|on|from|to)\s"
    r"(?P<place>[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})?)\b(?![\s-]?[A-Z\d]|['’])"
)
_ROUTE = re.compile(_ROUTE_NOUNS)
_BEFORE_BARE_NOUN = re.compile(r"(?:\b(?:from|with|for|at|of|by|two|three|four|five|six|many|some)|\d)\s$")
# "6 crossings were added on Saturdays to meet demand": a closing purpose the main clause
# does not need (never after a verb that takes it: "plans to hire", "was able to open").
_PURPOSE = re.compile(r"(?<=[a-z])\s(?:in\sorder\s)?to\s[a-z]{3,}(?:\s[a-z]+){0,3}?(?=[.!?;])")
_TAKES_TO = re.compile(
    r"(?:want|plan|hope|need|tr(?:y|ie)|decide|agree|aim|expect|like|refuse|begin|began|start|continue|"
    r"use|able|going|ha(?:ve|s|d)|ought|seem|is|are|was|were|be|about|how|what|where|when|whether|due|"
    r"order|allowed|asked|told|set|way|chance|time|needed|ready|likely|enough|first|last|only)(?:s|ed|d)?"
)
# "a renovation that took 3 years" → "a 3-year renovation", "an aircraft with 180 seats" →
# "a 180-seat aircraft": a measure of a thing can stand before it.
_MEASURED_NOUN = re.compile(
    r"\b(a|an|A|An|the|The)\s([a-z]{3,})\s(?:(?:that|which)\s(?:took|lasted|takes|lasts)|with)\s"
    r"(\d{1,4})\s(year|month|week|day|hour|minute|seat|room|bed|storey|floor|page|mile|kilometre|metre)s?\b"
)


def _told_apart(text: str, modifier: str, noun: str) -> bool:
    """Whether the text writes `noun` elsewhere with another describing word before it:
    then the modifier tells two things apart ("discard the old output and write the new
    output", "a literal value" in a text about default values). "the club" after "the
    walking club" is the same club."""
    noun = noun.strip(",.;:!?\"'”’)").lower()
    if len(noun) < 3:
        return False
    befores = re.findall(rf"([\w'’-]+)\s+{re.escape(noun)}s?\b", text, re.IGNORECASE)
    return any(
        word.lower() != modifier and not word[:1].isdigit() and word.lower() not in _FUNCTION_WORDS
        for word in befores
    )


_FUNCTION_WORD_LIST = (
    "a an the its their his her our my your this that these those each every some any no of in on at "
    "for to with from by and or but as than"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())


def _kind_of_word(word: str) -> str:
    """What starts a phrase, to tell alike phrases: a number, a name, a determiner."""
    if word[:1].isdigit():
        return "number"
    if word.lower() in ("the", "a", "an", "its", "their", "his", "her", "our", "my", "this", "that"):
        return "determiner"
    return "name" if word[:1].isupper() else "word"


_AN_NUMBER = re.compile(r"8|1[18](?![\d.])|1[18],\d{3}(?![\d,])")


def _article(word: str, *, capital: bool) -> str:
    """ "a" or "an" before `word`, by its first sound as far as spelling tells (vowels, 8,
    11 and 18, 11,000 and 18,000 take "an")."""
    an = word[:1] in "AEIOUaeiou" or _AN_NUMBER.match(word) is not None
    article = "an" if an else "a"
    return article.capitalize() if capital else article


# "at 8 on weekdays and at 10 on Sundays" → "… and 10 on Sundays": the preposition said
# once serves both.
_REPEATED_PREPOSITION = re.compile(
    r"\b(at|on|in|for|from|by|with|to)\s[^,.;:!?]{1,40}?\sand\s(\1)\s(?=[\dA-Za-z])"
)
# "stayed on the island and ran a museum there": "there" where the sentence has said
# where already.
_THERE = re.compile(r"\s(there)\b(?!\s(?:is|are|was|were|will|has|have|had|'s|’s)\b)")
_PLACE_SAID = re.compile(r"\b(?:in|on|at)\s(?:the\s)?[A-Za-z]{3,}")
# "became its director" → "became director": a role taken needs no determiner.
_ROLE_DETERMINER = re.compile(
    r"\b(?:became|becomes|become|was\snamed|was\sappointed|was\selected|were\snamed)\s"
    r"(its|the|their|his|her)\s(?=(?:director|chair|chairman|chairwoman|chairperson|head|president|manager|"
    r"captain|editor|mayor|leader|coach|chief|principal|secretary|treasurer|dean|governor|conductor)\b)"
)
# "Under him the staff grew" → "Under him staff grew": no article before a plural or a
# group as a clause's subject (never "of the": "most of money").
_PLURAL_ARTICLE = re.compile(
    r"(?<!\bof\s)(?<!\bOf\s)\b(?:the|The)\s(?=(?:[a-z]{2,}[^s\W]s|staff|people|police|public)\s"
    r"(?:[a-z]+ed|are|were|have|had|will|would|can|could|may|must|do|did|go|went|grew|rose|fell|sold|got|"
    r"stay|keep|kept|make|made|at|in|on|from)\b)"
)
# ", prefers to sail and crossed the Atlantic in 2021": a verb phrase that carries no
# fact, before the one that does.
_BARE_CONJUNCT = re.compile(r"(?<=,\s)[a-z]+(?:s|ed)\s(?:[a-z]+\s){0,3}?and\s(?=[a-z]+ed\b)")
_RELATIVE_VERB = re.compile(
    rf"\b(?:that|which|who)\s(?:(now|still|also|currently)\s)?({'|'.join(_PARTICIPLES)})\b"
)


def _money(m: re.Match[str]) -> str | None:
    """ "400,000 pounds" → "£400,000"; pounds of weight are left alone."""
    return _money_of(m.group(1), m.group(2), m.string)


def _sum_first(m: re.Match[str]) -> str | None:
    """ "a loan of 20,000 euros" → "a €20,000 loan" ("an" before "8" and "11")."""
    amount = m.group(3) + m.group(4) if m.group(3) else _money_of(m.group(5), m.group(6), m.string)
    if amount is None:
        return None
    article = m.group(1)
    if article.lower() in ("a", "an"):
        article = _article(amount.lstrip("$€£"), capital=article[0].isupper())
    return f"{article} {amount} {m.group(2)}"


def _money_of(amount: str, unit: str, sentence: str) -> str | None:
    if unit.lower() == "pounds" and re.search(r"\b(?:weigh|heav|kilo|ounce|lb)", sentence, re.IGNORECASE):
        return None
    return _CURRENCY[unit.lower()] + amount


# Shorter ways to write the same measure, each still judged by the model:
# "15 percent" → "15%", "from 4 hours to 2.5 hours" → "from 4 to 2.5 hours", "3 hours and
# 41 minutes" → "3 hours 41 minutes", "rose by 9%" → "rose 9%", "tickets a day" → "tickets
# daily", "by the end of the summer" → "by late summer", "8 million pounds" → "£8 million",
# "a loss of 90,000 dollars" → "a $90,000 loss", "at 7 in the morning" → "at 7 am".
_PERCENT = re.compile(r"\b(\d[\d,.]*)\s(?:percent|per\scent)\b")
_REPHRASINGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    (
        re.compile(r"\bfrom\s(\d[\d,.]*)\s([a-z]+)\sto\s(\d[\d,.]*)\s\2\b"),
        lambda m: f"from {m.group(1)} to {m.group(3)} {m.group(2)}",
    ),
    (
        re.compile(
            r"\b\d[\d,.]*\s(?:hours?|years?|feet|foot|pounds?|metres?|meters?|days?|weeks?|months?)"
            r"\sand\s(?=\d[\d,.]*\s(?:minutes?|months?|inch(?:es)?|ounces?|cent[a-z]*|days?|hours?|weeks?)\b)"
        ),
        lambda m: m.group()[: -len("and ")],
    ),
    (
        re.compile(
            r"\b(rose|fell|grew|dropped|increased|decreased|declined|climbed|went\sup|went\sdown)\sby\s(?=\d)"
        ),
        lambda m: m.group(1) + " ",
    ),
    (re.compile(r"(?<=[a-z] )a\s(day|week|month|year)\b"), lambda m: _PER[m.group(1)]),
    (
        re.compile(
            rf"\b(by|until|before|at)\sthe\send\sof\s(?:the\s)?(spring|summer|autumn|fall|winter|{_MONTHS})\b"
        ),
        lambda m: ("in" if m.group(1) == "at" else m.group(1)) + " late " + m.group(2),
    ),
    (re.compile(rf"\b({_AMOUNT})\s(dollars|euros|pounds)\b", re.IGNORECASE), _money),
    (
        re.compile(
            rf"\b(an?|the|An?|The)\s({_MONEY_NOUNS})\sof\s(?:([$€£])({_AMOUNT})\b|({_AMOUNT})\s(dollars|euros|pounds)\b)"
        ),
        _sum_first,
    ),
    (  # "repairs to its roof" → "roof repairs", "work on the bridge" → "bridge work"
        re.compile(
            r"\b(repairs|work|works|improvements|upgrades|changes|damage)\s(?:to|on)\s(?:its|the|their|our)\s"
            r"([a-z]{3,})(?=[,.;:!?]|\s(?:in|on|at|by|for|and|to|will|was|were|is|are|has|have|had|cost)\b)"
        ),
        lambda m: f"{m.group(2)} {m.group(1)}",
    ),
    (
        re.compile(r"\b(\d{1,2}(?:[:.]\d\d)?)\s(?:o['’]clock\s)?in\sthe\s(morning|afternoon|evening)\b"),
        lambda m: m.group(1) + (" am" if m.group(2) == "morning" else " pm"),
    ),
)
# A word between a determiner or a figure and the word it describes ("a new school", "6
# extra crossings"), for the model to
# judge; the words of _KEEP_MODIFIERS say which, how many or whose, so they stay.
_MODIFIER = re.compile(
    r"(?:\b(?i:a|an|the|its|their|his|her|our|my|your|this|these|those|each|every)|(?<![\d.,])\d[\d,]*)"
    r"\s([a-z]{3,})(?=\s[a-z]{3,}\b)"
)
_KEEP_MODIFIER_WORDS = (
    "first second third fourth fifth sixth last next only same other another few many most more "
    "less least much several all both half whole entire former latter previous own best worst "
    "main single double twice once no not non every each some any such total "
    # Words that say which thing, not how it seems: "the average wait was 3 minutes" is
    # not "the wait was 3 minutes", nor "a literal value" a value.
    "average mean median minimum maximum net gross annual monthly weekly daily yearly hourly "
    "northern southern eastern western central literal different specific particular private "
    "public local global current default actual real original former future past present "
    "full partial final initial positive negative male female junior senior"
)
_KEEP_MODIFIERS = frozenset(_KEEP_MODIFIER_WORDS.split())
# ", and it reopened" → "; it reopened": one word saved where two clauses meet.
_AND_CLAUSE = re.compile(
    r",\sand\s(?=(?:he|she|they|it|we|i|you|the|this|that|these|those|a|an|his|her|their|our|its|there|"
    r"in|on|at|since|by|after|before|during|under|from|for|[A-Z]\w*)\b"
    r"|[a-z]+(?:\s(?:for|of)\s[a-z]+)?\s(?:is|are|was|were|has|have|had|will|go|went|rose|fell|grew|stayed)\b)"
    r"|,\s(?:while|whereas)\s(?![a-z]+ing\b)"
)
_SIDE_CLAUSE = re.compile(
    r",\s(?:which|who|where|although|though|while|as|especially|including|mostly|mainly|largely|often|"
    r"(?:most|many|some|all|several|half)\sof\s(?:them|which|whom))\b[^,.;:!?]{3,80}(?=[,.;:!?])"
)
# "scored 14 of them", "85% of them survived": after a figure, "of them" says nothing new.
_OF_THEM = re.compile(r"(?<=[\d%])\sof\s(?:them|these|those)\b")
# "to hire 15 engineers and to open an office": the second "to" can go (never "and to
# the market", "and to her": the next word must be a verb, not a determiner or a name).
_AND_TO = re.compile(
    r"(?<=\band\s)to\s(?!(?:the|a|an|his|her|their|its|our|my|your|this|that|these|those|him|them|us|me|"
    r"you|it|what|where|whom|who|which|each|every|all|some|any)\b)(?=[a-z]{2,}\b)"
)
_TO_VERB = re.compile(r"\bto\s[a-z]{2,}\b")
_SPLIT_AT = re.compile(
    r";\s|,\s(?:and|but|so)\s(?=(?:he|she|they|it|we|i|you|the|this|that|these|those|a|an|his|her|their|our|its|there|[A-Z])\b)"
)
# Words before "in" + a capital that are not nouns a place can describe.
_NOT_NOUN_WORDS = (
    "the and but who which that this these those what where when there here then than was were "
    "are has had have not all any each one ones some more most much many few years months weeks "
    "days time times born based made used him her them you also only still once"
)
_NOT_NOUNS = frozenset(_NOT_NOUN_WORDS.split())
_NOT_PLACE_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday english french german spanish christmas easter"
)
_NOT_PLACES = frozenset(m.lower() for m in _MONTHS.split("|")) | frozenset(_NOT_PLACE_WORDS.split())
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
        self._asides = phrase_pattern(list(lex.asides))
        self._concise = phrase_pattern(list(lex.concise))
        self._concise_cuts: set[tuple[int, int, str]] = set()  # of the text _cuts last saw

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

    def _abbreviations(self, text: str) -> str:
        """Chat abbreviations the dictionary does not know, written out before proofreading,
        which would take "tmrw" for a typo of "term": each has one meaning ("tomorrow")."""
        if self._dictionary is None:
            return text
        dictionary = self._dictionary
        only = {
            key: options[0]
            for key, options in self._lex.slang.items()
            if len(options) == 1 and " " not in key and not dictionary.frequency(key.strip("'’"))
        }
        if not only:
            return text
        return phrase_pattern(list(only)).sub(
            lambda m: match_case(m.group(), only[m.group().lower().replace("’", "'")]), text
        )

    def apply(
        self, text: str, style: str, cancel: threading.Event | None = None, *, source: str | None = None
    ) -> str:
        """`text` with `style`'s edits; the text unchanged for a style this does not edit.
        `source` is the writer's text when `text` is already a rewrite of it (the model's
        own Shorter, tightened further): its facts are guarded and its length is the goal."""
        if style not in STYLES:
            return text
        source = text if source is None else source
        facts = extract(source, self._dictionary)
        guard = _Guard(source, facts)
        if style in ("formal", "clearer"):
            text = self._abbreviations(text)
        if style in ("formal", "clearer") and self._proofread is not None:
            text = self._proofread(text)
        p, lex = self._patterns, self._lex

        def run(name: str, options: Callable[[str], Sequence[str]], required: bool) -> None:
            nonlocal text
            deleting = name in ("fillers", "hedges")
            protected: Callable[[str, int, int], bool] = (
                _conjunction_or(guard.protects) if deleting else guard.holds_fact
            )
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
            # "15 percent" → "15%" is notation, not wording: always, not judged (a price
            # near its margin flipped with the fast decoder's cache history).
            text = _PERCENT.sub(lambda m: m.group(1) + "%", text)
            # So is "became its director" → "became director": a role taken has no determiner.
            text = _ROLE_DETERMINER.sub(lambda m: m.group()[: m.start(1) - m.start()], text)
            text = self._compress(text, guard, SHORTER_AT_MOST * words(guard.source), cancel)
            text = capitalise(_tidy(text))
            self.margin = OPTIONAL_MARGIN
        elif style == "clearer":
            run("wordy", self._lookup(lex.wordy), True)
            text = self._split_long(text, cancel)
        return _tidy(text)

    def _cuts(self, text: str) -> list[tuple[int, int, str]]:
        """Shorter's proposals beyond the word lists, as (start, end, replacement)."""
        cuts: list[tuple[int, int, str]] = []
        self._concise_cuts = set()
        for pattern in (_SIDE_CLAUSE, _APPOSITIVE, _SHORTER_ONLY, _WHIZ, _PLURAL_ARTICLE, _BARE_CONJUNCT,
                        self._asides):  # fmt: skip
            cuts += [(m.start(), m.end(), "") for m in pattern.finditer(text)]
        for match in _TRAILING_PHRASE.finditer(text):  # never the phrase a verb needs: "paid from the budget"
            before = re.findall(r"[^\W\d_]+", text[max(0, match.start() - 20) : match.start()])[-1:]
            if not before or not _VERB_FORM.fullmatch(before[0].lower()):
                cuts.append((match.start(), match.end(), ""))
        cuts += [
            (m.start(), m.end(), "")
            for m in _ADVERB.finditer(text)
            if m.group() not in _NOT_ADVERBS
            and not _DEGREE_BEFORE.search(text, max(0, m.start() - 8), m.start())
        ]
        cuts += [(m.start(), m.end(), "") for m in _OF_THEM.finditer(text)]
        for match in _AND_TO.finditer(text):  # only where the sentence already said "to" + verb
            sentence_start = max(text.rfind(mark, 0, match.start()) for mark in (". ", "! ", "? ", "\n"))
            if _TO_VERB.search(text, max(0, sentence_start), match.start() - 4):
                cuts.append((match.start(), match.end(), ""))
        for match in _MODIFIER.finditer(text):
            word = match.group(1).lower()
            following = text[match.end() :].split(maxsplit=1)[0]
            if following.endswith(("ing", "ed")):  # "each bit representing": the word is the noun
                continue
            if _told_apart(text, word, following):  # "the old output … the new output"
                continue
            if match.group()[0].isdigit():  # "6 extra crossings", never "28 pupils won": what it counts
                counted = text[match.end() :].split(maxsplit=1)[0]
                if word.endswith("s") or not counted.endswith("s"):
                    continue
            if word not in _KEEP_MODIFIERS and not word.endswith(("est", "th")):
                cuts.append((match.start(1), match.end(1), ""))
        cuts += [(m.start(), m.end(), "; ") for m in _AND_CLAUSE.finditer(text)]
        for pattern, rewrite in _REPHRASINGS:
            for match in pattern.finditer(text):
                replacement = rewrite(match)
                if replacement is not None:
                    cuts.append((match.start(), match.end(), replacement))
        for match in _RELATIVE_VERB.finditer(text):
            participle = _PARTICIPLES[match.group(2)]
            cuts.append((match.start(), match.end(), participle))
            if match.group(1):  # "which now employs" → "now employing" or "employing"
                cuts.append((match.start(), match.end(), f"{match.group(1)} {participle}"))
        for match in self._concise.finditer(text):
            written = match.group()
            for option in self._lex.concise.get(written.lower().replace("’", "'"), ()):
                concise = (match.start(), match.end(), match_case(written, option) if option else "")
                self._concise_cuts.add(concise)
                cuts.append(concise)
        for match in _OF_POSSESSIVE.finditer(text):
            owner = f"{match.group(2)} {match.group(3)}" if match.group(2) else match.group(4)
            cuts.append((match.start(), match.end(), f"{owner}'s {match.group(1)}"))
        for match in _ROLE_DETERMINER.finditer(text):  # the same said by construction, as listed wordings
            self._concise_cuts.add((match.start(1), match.end(1), ""))
            cuts.append((match.start(1), match.end(1), ""))
        for match in _PLACE_MODIFIER.finditer(text):
            noun, place, det = match.group("noun"), match.group("place"), match.group("det")
            if noun in _NOT_NOUNS or _VERB_FORM.fullmatch(noun) or place.lower() in _NOT_PLACES:
                continue
            if match.group("prep") == "to" and not _ROUTE.fullmatch(noun):
                continue
            if not det and not _BEFORE_BARE_NOUN.search(text, max(0, match.start() - 12), match.start()):
                continue
            adj = match.group("adj")
            if adj and (adj in _NOT_NOUNS or _VERB_FORM.fullmatch(adj)):
                continue
            options = [f"{adj} {place}", place] if adj and adj not in _KEEP_MODIFIERS else [place]
            for named in options:  # "the regional competition in Porto" → "the Porto competition" too
                article = det
                if det and det.lower() in ("a", "an"):
                    article = _article(named, capital=det[0].isupper())
                cuts.append((match.start(), match.end(), f"{article + ' ' if article else ''}{named} {noun}"))
        for match in _MEASURED_NOUN.finditer(text):  # "a renovation that took 3 years" → "a 3-year one"
            det, noun, amount, unit = match.group(1, 2, 3, 4)
            article = _article(amount, capital=det[0].isupper()) if det.lower() in ("a", "an") else det
            cuts.append((match.start(), match.end(), f"{article} {amount}-{unit} {noun}"))
        for match in _PURPOSE.finditer(text):
            before = re.findall(r"[a-z]+", text[max(0, match.start() - 20) : match.start()])[-1:]
            if before and not _TAKES_TO.fullmatch(before[0]):
                cuts.append((match.start(), match.end(), ""))
        for match in _REPEATED_PREPOSITION.finditer(text):  # only between alike phrases: "at 8 … and at 10"
            first, second = text[match.end(1) + 1 :].split(maxsplit=1)[0], text[match.end(2) + 1 :].split()[0]
            if _kind_of_word(first) == _kind_of_word(second) != "word":
                cuts.append((match.start(2), match.end(2) + 1, ""))
        for match in _THERE.finditer(text):
            sentence_start = max(text.rfind(mark, 0, match.start()) for mark in (". ", "! ", "? ", "\n"))
            if _PLACE_SAID.search(text, max(0, sentence_start), match.start()):
                cuts.append((match.start(1), match.end(1), ""))
        for match in _IN_POSSESSIVE.finditer(text):
            owner = match.group(3)
            cuts.append((match.start(), match.end(), f"{owner}'s {match.group(2)}"))
        cuts += _gapped(text)
        return cuts

    def _cost(self, text: str, start: int, end: int, replacement: str) -> float:
        """How much less likely the rest of the sentence becomes with the cut (nats); the
        cut's own words are not counted, so a deletion is not favoured for being short."""
        assert self._scorer is not None
        rest = self._sentence_rest(text, end)
        base = self._scorer.score(text[:end], [rest])[0]
        head = text[:start] + replacement if replacement else text[:start].rstrip()
        if not head.strip() or head.rstrip().endswith((".", "!", "?", "\n")):
            rest = rest.lstrip()
            rest = " " + rest[:1].upper() + rest[1:] if head.strip() else rest[:1].upper() + rest[1:]
        return base - self._scorer.score(head, [rest])[0]

    def _compress(self, text: str, guard: _Guard, target: float, cancel: threading.Event | None) -> str:
        """Cuts, cheapest per word saved first, while the text is longer than `target`.
        Each is priced once on the text as it stands (the model's loss on the rest of its
        sentence, at most SHORTER_MARGIN plus a nat per word saved, never over
        SHORTER_MARGIN_MOST), and taken only while every fact keeps a word that says what
        it measures (`_Guard.unanchors`)."""
        if self._scorer is None or words(text) <= target:
            return text
        priced: list[tuple[float, int, int, str]] = []
        for start, end, replacement in sorted(set(self._cuts(text))):
            if cancel is not None and cancel.is_set():
                return text
            saved = words(text[start:end]) - words(replacement)
            if saved <= 0:
                continue
            allowed = min(SHORTER_MARGIN_MOST, SHORTER_MARGIN + saved)
            if (start, end, replacement) in self._concise_cuts:
                allowed = CONCISE_MARGIN
            if guard.holds_fact(text, start, end):  # a measure written shorter keeps its figure
                after = _splice(text, start, end, replacement)[0]
                if not replacement or guard.drops_fact(after) or guard.moves(text, after):
                    continue
                allowed = REPHRASE_MARGIN
            elif guard.unanchors(text, start, end, replacement):
                continue
            cost = self._cost(text, start, end, replacement)
            if cost <= allowed:
                priced.append((cost / saved, start, end, replacement))
        taken: list[tuple[int, int, str]] = []
        shortened = text
        for _per_word, start, end, replacement in sorted(priced):
            if words(shortened) <= target:
                break
            overlapped = [c for c in taken if start < c[1] and c[0] < end]
            # A longer cut may take the place of shorter ones inside it ("east" in "in the
            # east district"), never of one it only touches.
            if any(c[0] < start or c[1] > end for c in overlapped):
                continue
            kept = [c for c in taken if c not in overlapped]
            trial = _apply_cuts(text, [*kept, (start, end, replacement)])
            if words(trial) >= words(shortened) or guard.moves(shortened, trial):
                continue
            taken = [*kept, (start, end, replacement)]
            shortened = trial
        return shortened

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

    def drops_fact(self, text: str) -> bool:
        lowered = text.lower()
        return any(not re.search(rf"(?<!\w){re.escape(f)}(?!\w)", lowered) for f in self._facts)

    def moves(self, before: str, after: str) -> bool:
        """Whether `after` sets a fact apart from what it measures where `before` did not."""
        was = set(moved(self.source, before, self._fact_list))
        return bool(set(moved(self.source, after, self._fact_list)) - was)

    def unanchors(self, text: str, start: int, end: int, replacement: str = "") -> bool:
        """A longer deletion (a side clause, a phrase) or a shorter wording is allowed when
        no fact is in it and every fact keeps an anchor beside it afterwards
        (engine/fidelity/verdict.py): "burned down in 1911" → "burned in 1911" keeps one."""
        if self.holds_fact(text, start, end):
            return True
        before = set(moved(self.source, text, self._fact_list))
        after = set(moved(self.source, _splice(text, start, end, replacement)[0], self._fact_list))
        return bool(after - before)


def _conjunction_or(protected: Callable[[str, int, int], bool]) -> Callable[[str, int, int], bool]:
    """`protected`, and "so" after a comma or "and" too: there it joins a cause to its
    effect ("that number doubles, so the owners hire"), no filler."""

    def check(text: str, start: int, end: int) -> bool:
        if text[start:end].lower() == "so" and re.search(r"(?:,|\band)\s*$", text[max(0, start - 6) : start]):
            return True
        return protected(text, start, end)

    return check


def _gapped(text: str) -> list[tuple[int, int, str]]:
    """A second clause that repeats the first's words before its number says only what
    differs: "In winter there are 4 crossings, and in summer there are 9" → "…; in
    summer, 9"."""
    cuts: list[tuple[int, int, str]] = []
    for sentence in re.finditer(r"[^.!?\n]+", text):
        body, offset = sentence.group(), sentence.start()
        for joint in re.finditer(r",\sand\s|;\s", body):
            first = body[: joint.start()].lower().split()
            number = re.compile(r"\d").search(body, joint.end())
            if number is None:
                continue
            between = body[joint.end() : number.start()].split()
            for size in range(len(between) - 1, 1, -1):  # the longest repeat, two words at least
                repeat = between[-size:]
                if not any(first[i : i + size] == [w.lower() for w in repeat] for i in range(len(first))):
                    continue
                lead = " ".join(between[:-size])
                cuts.append((offset + joint.start(), offset + number.start(), f"; {lead}, "))
                break
    return cuts


def _splice(text: str, start: int, end: int, replacement: str) -> tuple[str, int]:
    """`text` with [start, end) replaced; a deletion takes one of its spaces with it."""
    if replacement:
        return text[:start] + replacement + text[end:], start + len(replacement)
    before, after = text[:start], text[end:]
    if before.endswith(" ") and (
        after[:1] in (" ", ",", ".", ";", ":", "!", "?", "\n", "") or not before.strip()
    ):
        before = before[:-1]
    elif after.startswith(" ") and (not before or before.endswith(("\n", " "))):
        after = after[1:]
    if after.startswith(",") and (not before.strip() or before.rstrip().endswith((".", "!", "?", ","))):
        after = after[1:].lstrip()
    before = _agreed(before, text[start:end], after)
    return before + after, len(before)


_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(a|an|A|An)(\s*)$")


def _agreed(before: str, cut: str, after: str) -> str:
    """`before` with its closing "a"/"an" made to fit the word that now follows it, when it
    fitted the word cut ("specify a different increment" → "specify an increment"). An
    article that did not fit the cut word by spelling ("a unique") is left as written."""
    article = _ARTICLE_BEFORE.search(before)
    cut_words, next_words = cut.split(), after.split()
    if article is None or not cut_words or not next_words:
        return before
    written, capital = article.group(1), article.group(1)[0].isupper()
    if _article(cut_words[0], capital=capital) != written:
        return before
    fitted = _article(next_words[0], capital=capital)
    return before[: article.start(1)] + fitted + article.group(2)


def _apply_cuts(text: str, cuts: list[tuple[int, int, str]]) -> str:
    """`text` with non-overlapping cuts applied, the last first so the offsets hold."""
    for start, end, replacement in sorted(cuts, reverse=True):
        text = _splice(text, start, end, replacement)[0]
    return _tidy(text)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    return text


def capitalise(text: str) -> str:
    """Sentence starts and the pronoun "I" in capitals."""
    text = _LOWER_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return _LOWER_I.sub("I", text)
