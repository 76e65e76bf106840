"""Re-ranking of BM25's best candidates with evidence that a bag of words cannot see.

BM25 counts the question's terms anywhere in a paragraph. The answer to a question usually sits in one
sentence that restates it, so a few signals computed by re-tokenizing only the top `DEPTH` candidates at query
time (no per-paragraph token storage, so the index still scales; words are memoised) separate the right
paragraph from ones that merely share its vocabulary:

- coverage: share of the question's idf mass present anywhere in the paragraph (BM25 rewards repeats instead);
- title: share present in the article title and section heading (the topic, often not repeated in the text);
- sentence: share present in the single best sentence;
- bigram: share of the question's adjacent term pairs that are adjacent in the paragraph too (phrases, names);
- window: share present within `WINDOW` consecutive tokens (proximity across sentence boundaries);
- answer type: the best sentence holds what the question asks for and does not itself mention: a number for
  "how many / how much", a year, decade, century or month for "when / what year";
- phrase: share of the question's adjacent surface words (stopwords kept, unstemmed) adjacent in the paragraph
  too: people ask in the words they read ("the first points for", "as much as");
- exact: share of the question's content words found in the very same form (not only the same stem).

An article's headline is read as the opening of its first paragraph (`Candidate.lead`): evidence for every
signal, never the sentence in bold. In coverage and sentence a related form of a term (see `PREFIX`) counts
part of a match, words that only frame the question ("what *type* of", "what *year*") weigh nothing, and a date
in the question weighs half (`DATE_SHARE`). Every signal is a share in [0, 1] and BM25
is divided by the best candidate's BM25, so the weights do not depend on corpus size or question length.
The weights were fitted on the even-numbered SQuAD v1.1 dev questions and checked on the odd ones, the title's
on WikiQA's even questions against SQuAD among distractors; `python -m bot eval` measures them, and
docs/quality.md ("Re-ranking", "Real questions") has the figures and what was tried.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain, pairwise
from operator import itemgetter
from typing import NamedTuple

from ..sentences import split_sentences
from .tokenizer import Tokenizer, has_runs, matches, pieces, surface_word, surface_words_differ

# BM25 candidates re-ranked, and the share of the best one's BM25 score a candidate needs to be re-scored at
# all; the speed limit (asking at most 2x BM25 at 1M paragraphs) decides (docs/quality.md, "Depth").
DEPTH = 7
CONTENDER = 0.6
WINDOW = 10
WEIGHTS = {"coverage": 0.75, "title": 1.4, "sentence": 1.0, "bigram": 0.75, "window": 0.75, "answer_type": 0.5,
           "phrase": 0.75, "exact": 0.75}

# A question term whose stem shares its first `PREFIX` letters with a passage term ("german" / "germany",
# "percentag" / "percent", "europ" / "european": forms Snowball keeps apart) counts `RELATED` of a match.
PREFIX = 4
RELATED = 0.75

# Distinct words of a question that spelling may correct (a correction costs up to a few milliseconds; a
# message of thousands of made-up words must not cost seconds).
MAX_SPELLED = 12

# Words that say what kind of answer is wanted ("What *type* of...", "What is the *name* of...", "What *year*...",
# "...*called*?"): the passage holding the answer rarely repeats them, so they weigh nothing in the signals
# (BM25 still counts them).
_FRAMING = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"\b(?:what|which)\s+(?:\w+\s+)?(type|types|kind|kinds|sort|sorts|form|forms)\s+of\b",
    r"\b(?:what|which)\s+(?:is|was|are|were)\s+(?:the\s+|a\s+|an\s+)?(name|names|term)\s+(?:of|for|given)\b",
    r"^\W*(?:in\s+)?(?:what|which)\s+(year|century|decade|month)\b",
    r"\b(called|named|located)\W*$",
    r"^\W*how\s+(long)\b",
    r"^\W*what\s+(?:does|do|did|has|have)\s+\S.*?\s(say|says)\b",  # a statement need not repeat "say"
))
# Questions that want a number ("how many", "сколько") or a time ("when", "когда"): the first words of an English
# question (elsewhere "how many" asks something else: "do you know how many…"), anywhere in other languages (where
# the asking word often comes late: "中国有多少人", "कितने लोग").
_QUANTITY_QUESTION = re.compile(
    r"^\W*how (?:many|much)(?!\w)|(?<!\w)(?:сколько|скільки|колко|wie ?viele?|wie hoch|cu[áa]nt[oa]s?|combien|"
    r"quant[oaie]s?|hoeveel|hur många|hvor mange|kaç|كم|چند|कितन[ाेी]|bao nhiêu)(?!\w)|多少|几个|幾|いくつ|몇",
    re.IGNORECASE)
_TIME_QUESTION = re.compile(
    r"^\W*(?:when|(?:in )?(?:what|which) (?:year|century|decade|month))(?!\w)|"
    r"^\W*(?:когда|коли|wann|cu[áa]ndo|quand|quando|wanneer|när|hvornår|ne zaman)(?!\w)|"
    r"(?<!\w)(?:в как(?:ом|ой) (?:году|веке|месяце)|в якому (?:році|столітті)|in welchem jahr|en qu[ée] año|"
    r"متى|(?:في )?أي (?:عام|سنة)|کی|कब|किस (?:वर्ष|साल|सन)|khi nào|bao giờ|năm nào)(?!\w)|"
    r"什么时候|何时|哪一?年|いつ|언제", re.IGNORECASE)
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
                          "fifty hundred thousand million billion trillion dozen".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_TIME_NUMBER = re.compile(r"(1\d{3}|20\d{2}|\d{1,4}s|\d+(st|nd|rd|th))")  # 1066, 2015, 1990s, 19th

# A year, month or weekday in a question mostly says when the asker thinks it happened ("how many soldiers
# died in 2025?"), not what it is about: it weighs `DATE_SHARE` of its idf, so a passage that answers without
# repeating the date still answers (docs/quality.md).
DATE_SHARE = 0.5
# The sentence put in bold is the one with the most question mass plus `BOLD_TYPE` when it holds the kind of
# answer asked for ("how many" → a number); the signals above read the one with the most mass.
BOLD_TYPE = 0.5
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


@dataclass(frozen=True)
class Question:
    """A question prepared once for scoring many candidates: its terms' weights and adjacent pairs."""

    text: str
    terms: tuple[str, ...]  # as tokenized, repeats kept (BM25 counts them, as rank-bm25 does)
    weights: dict[str, float]  # distinct terms → idf
    pairs: tuple[tuple[str, str], ...]
    words: frozenset[str]  # surface words, to tell a number in the answer from one in the question
    wants: Callable[[str], bool] | None  # what a word of the answer looks like, when the question says
    content: frozenset[str] = frozenset()  # surface words that are not stopwords, exactly as written
    phrases: frozenset[tuple[str, str]] = frozenset()  # adjacent surface words, stopwords kept, not both stopwords
    prefixes: tuple[tuple[str, str, float], ...] = ()  # (term, its first PREFIX letters, weight) for long terms
    corrections: tuple[tuple[str, str], ...] = ()  # (word as typed, the term it was read as) where spelling changed it

    @classmethod
    def parse(cls, text: str, tokenizer: Tokenizer, weight: Callable[[str], float],
              spell: Callable[[str, str], str] | None = None) -> Question:
        """`spell(word, term)` gives the term a word as typed is to be read as (see spelling)."""
        words = tokenizer.words(text)
        typed = [(w, t) for w, t in zip(words, map(tokenizer.token, words), strict=True) if t is not None]
        spelt = {pair: spell(*pair) if spell and n < MAX_SPELLED else pair[1]
                 for n, pair in enumerate(dict.fromkeys(typed))}
        terms = [spelt[w, t] for w, t in typed]
        corrections = tuple(dict.fromkeys((w, spelt[w, t]) for w, t in typed if spelt[w, t] != t))
        pairs = tuple((a, b) for a, b in pairwise(terms) if a != b)
        content = frozenset(w for w, _ in typed)
        phrases = frozenset((a, b) for a, b in pairwise(words) if a in content or b in content)
        framing = {tokenizer.token(m.group(1).lower()) for pattern in _FRAMING for m in pattern.finditer(text)}
        dates = {t for w, t in typed if _is_date(w)}
        weights = {t: 0.0 if t in framing else weight(t) * (DATE_SHARE if t in dates else 1.0) for t in terms}
        prefixes = tuple((t, t[:PREFIX], w) for t, w in weights.items() if len(t) >= PREFIX and w > 0)
        return cls(text, tuple(terms), weights, pairs, frozenset(words), _answer_word(text), content, phrases,
                   prefixes, corrections)

    @cached_property
    def prefix_set(self) -> frozenset[str]:
        return frozenset(p for _, p, _ in self.prefixes)

    @cached_property
    def mass(self) -> float:
        return sum(self.weights.values())

    def share(self, terms: set[str] | frozenset[str], prefixes: frozenset[str] = frozenset()) -> float:
        """Share of the question's idf mass among `terms`, a term absent from them counting `RELATED` when its
        first letters are among `prefixes` (those of the terms)."""
        if self.mass <= 0:
            return 0.0
        found = sum(w for t, w in self.weights.items() if t in terms)
        if not self.prefix_set.isdisjoint(prefixes):
            found += RELATED * sum(w for t, p, w in self.prefixes if p in prefixes and t not in terms)
        return found / self.mass


@dataclass(frozen=True)
class Evidence:
    """The signals for one paragraph and the sentence that best answers (the one to put in bold)."""

    coverage: float
    title: float
    sentence: float
    bigram: float
    window: float
    answer_type: float
    phrase: float
    exact: float
    best_sentence: str

    def bonus(self) -> float:
        return sum(weight * getattr(self, name) for name, weight in WEIGHTS.items())


@dataclass(frozen=True)
class Candidate:
    """A BM25 hit to re-rank: paragraph number, BM25 score, its text and its title/heading; `lead` is text read
    as if it opened the paragraph but never shown in bold (an article's headline, for its first paragraph)."""

    number: int
    bm25: float
    text: str
    heading: str
    lead: str = ""
    tokenizer: Tokenizer | None = None  # the analysis its article is read in, when not the question's


@dataclass(frozen=True)
class Ranked:
    number: int
    score: float
    evidence: Evidence


def _is_number(word: str) -> bool:
    return word[0].isdigit() or word in _NUMBER_WORDS


def _is_time(word: str) -> bool:
    return word in _MONTHS or bool(_TIME_NUMBER.fullmatch(word))


def _is_date(word: str) -> bool:
    return (word in _MONTHS and word != "may") or word in _DAYS or bool(_YEAR.fullmatch(word))


def asks_quantity(question: str) -> re.Match[str] | None:
    """Where the question asks "how many / how much" (in any of its languages), if it does."""
    return _QUANTITY_QUESTION.search(question)


def asks_time(question: str) -> re.Match[str] | None:
    """Where the question asks "when / what year", if it does."""
    return _TIME_QUESTION.search(question)


def _answer_word(question: str) -> Callable[[str], bool] | None:
    if asks_quantity(question):
        return _is_number
    return _is_time if asks_time(question) else None


def _has_answer_word(words: tuple[str, ...], question: Question) -> bool:
    """A word of the kind the question asks for that the question itself does not mention."""
    return any(question.wants(w) and w not in question.words for w in words)


def _window_share(hits: list[tuple[int, str]], question: Question, coverage: float) -> float:
    """Best share of question idf mass within WINDOW consecutive tokens (`hits`: positions of question terms);
    it cannot exceed the paragraph's `coverage`, so reaching that ends the search."""
    best = 0.0
    for start, (i, _) in enumerate(hits):
        inside = {t for j, t in hits[start:] if j - i < WINDOW}
        best = max(best, question.share(inside))
        if best >= coverage:
            break
    return best


def _bigram_share(hits: list[tuple[int, str]], question: Question) -> float:
    """Share of the question's adjacent pairs (weighted by their rarer term) adjacent in the paragraph too."""
    if not question.pairs:
        return 0.0
    present = {(a, b) for (i, a), (j, b) in pairwise(hits) if j == i + 1}
    weight = question.weights
    total = sum(min(weight[a], weight[b]) for a, b in question.pairs)
    found = sum(min(weight[a], weight[b]) for a, b in question.pairs if (a, b) in present)
    return found / total if total > 0 else 0.0


class _Lookup(dict):
    """A bounded memo of `compute` (emptied when full: re-computing is cheap, unbounded growth is not)."""

    def __init__(self, compute: Callable[[str], object]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> object:
        if len(self) >= MAX_CACHED_WORDS:
            self.clear()
        value = self[key] = self.compute(key)
        return value


class _Words:
    """Text → surface words and tokens: one regex pass over the normalised text, then a memo hit per word for
    its surface form and another for its token (None for a stopword).

    Exactly `Tokenizer.words` and `Tokenizer.__call__`, at a fraction of the cost of calling them word by word
    (which was most of the re-ranking time); memoising regex matches rather than whitespace chunks ("1996," and
    "(1996)" are one match) keeps the memos small and their hits frequent.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.normalise = tokenizer.normalise
        self.surface = _Lookup(surface_word)
        self.tokens = _Lookup(tokenizer.token)

    def split(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        normalised = self.normalise(text)
        found = matches(normalised)
        if has_runs(normalised):
            words = tuple(word for match in found for word in pieces(match))
        else:
            words = tuple(map(self.surface.__getitem__, found) if surface_words_differ(normalised) else found)
        return words, tuple(filter(None, map(self.tokens.__getitem__, words)))


MAX_CACHED_WORDS = 200_000  # per memo, a few dozen MB
_WORDS: weakref.WeakKeyDictionary[Tokenizer, _Words] = weakref.WeakKeyDictionary()


def _words(tokenizer: Tokenizer) -> _Words:
    return _WORDS.get(tokenizer) or _WORDS.setdefault(tokenizer, _Words(tokenizer))


class _Sentence(NamedTuple):
    text: str
    words: tuple[str, ...]  # surface words
    tokens: tuple[str, ...]
    prefixes: frozenset[str]  # of its tokens
    shown: bool = True  # False for the lead: evidence, but not a sentence of the passage to put in bold


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph as the signals read it."""

    sentences: tuple[_Sentence, ...]
    words: tuple[str, ...]  # surface words
    prefixes: frozenset[str]  # of all its tokens

    @cached_property
    def terms(self) -> frozenset[str]:
        return frozenset(chain.from_iterable(s.tokens for s in self.sentences))


_FIRST_LETTERS = itemgetter(slice(PREFIX))


def _prefixes(tokens: Iterable[str]) -> frozenset[str]:
    """First `PREFIX` letters of each token; shorter tokens come whole, so they never equal a question's."""
    return frozenset(map(_FIRST_LETTERS, tokens))


@lru_cache(maxsize=4096)
def _paragraph(text: str, tokenizer: Tokenizer, lead: str = "") -> _Paragraph:
    """Popular paragraphs come back as candidates again and again: what the signals read is kept too."""
    memo = _words(tokenizer)
    sentences = []
    if lead:
        words, tokens = memo.split(lead)
        sentences.append(_Sentence(lead, words, tokens, _prefixes(tokens), shown=False))
    for sentence in split_sentences(text):
        words, tokens = memo.split(sentence)
        sentences.append(_Sentence(sentence, words, tokens, _prefixes(tokens)))
    return _Paragraph(tuple(sentences), tuple(chain.from_iterable(s.words for s in sentences)),
                      frozenset().union(*(s.prefixes for s in sentences)))


@lru_cache(maxsize=4096)
def heading_terms(heading: str, tokenizer: Tokenizer) -> frozenset[str]:
    """An article's title and section, shared by its paragraphs (which often come back as candidates together)."""
    return frozenset(_words(tokenizer).split(heading)[1])


def terms(text: str, tokenizer: Tokenizer, lead: str = "") -> frozenset[str]:
    """The distinct tokens of a text (and its lead), from the memo of paragraphs the signals have read."""
    return _paragraph(text, tokenizer, lead).terms


def _phrase_share(words: tuple[str, ...], question: Question) -> float:
    """Share of the question's phrases (adjacent surface words) that are adjacent in `words` too."""
    if not question.phrases:
        return 0.0
    return len(question.phrases.intersection(pairwise(words))) / len(question.phrases)


def _exact_share(words: tuple[str, ...], question: Question) -> float:
    """Share of the question's content words present in `words` in the same form."""
    return len(question.content.intersection(words)) / len(question.content) if question.content else 0.0


def gather(question: Question, text: str, heading: str, tokenizer: Tokenizer, lead: str = "") -> Evidence:
    """All signals for one paragraph, from the positions of the question's terms in it (all that they need)."""
    weights = question.weights
    paragraph = _paragraph(text, tokenizer, lead)
    hits: list[tuple[int, str]] = []
    best, best_share, position = paragraph.sentences[bool(lead)], 0.0, 0
    bold, bold_score = best, 0.0  # the sentence to show in bold, when the question wants a kind of answer
    for sentence in paragraph.sentences:
        found = [(position + i, t) for i, t in enumerate(sentence.tokens) if t in weights]
        if found or not question.prefix_set.isdisjoint(sentence.prefixes):
            share = question.share({t for _, t in found}, sentence.prefixes)
            if share > best_share and sentence.shown:
                best, best_share = sentence, share
            if question.wants is not None and sentence.shown:
                score = share + BOLD_TYPE * _has_answer_word(sentence.words, question)
                if score > bold_score:
                    bold, bold_score = sentence, score
            hits.extend(found)
        position += len(sentence.tokens)
    present = {t for _, t in hits}
    coverage = question.share(present, paragraph.prefixes)
    answer_type = float(question.wants is not None and _has_answer_word(best.words, question))
    return Evidence(coverage, question.share(heading_terms(heading, tokenizer)), best_share,
                    _bigram_share(hits, question), _window_share(hits, question, question.share(present)),
                    answer_type, _phrase_share(paragraph.words, question), _exact_share(paragraph.words, question),
                    (best if question.wants is None else bold).text)


def rerank(question: Question, candidates: Sequence[Candidate], tokenizer: Tokenizer,
           limit: int | None = None, fill: bool = True) -> list[Ranked]:
    """Candidates by BM25 (relative to the best one) plus the weighted signals, best first.

    Only the best `DEPTH` candidates by BM25 that are within `CONTENDER` of the best score are re-scored (the
    signals rarely lifted another on SQuAD); the others follow in BM25 order and are read only to fill `limit`
    places (unless not to `fill`: answers to show need to be contenders). So the order does not depend on how
    many candidates or places are asked for.
    """
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: -c.bm25)
    top = ordered[0].bm25 or 1.0
    count = sum(c.bm25 >= CONTENDER * top for c in ordered[:DEPTH])
    ranked = sorted((_score(question, c, top, tokenizer) for c in ordered[:count]), key=lambda r: -r.score)
    room = 0 if not fill else len(ordered) if limit is None else max(limit - count, 0)
    return ranked + [Ranked(c.number, c.bm25 / top,
                            gather(question, c.text, c.heading, c.tokenizer or tokenizer, c.lead))
                     for c in ordered[count:count + room]]


def _score(question: Question, candidate: Candidate, top: float, tokenizer: Tokenizer) -> Ranked:
    """A candidate's words are read in its own language's analysis (`Candidate.tokenizer`), as it was indexed."""
    evidence = gather(question, candidate.text, candidate.heading, candidate.tokenizer or tokenizer, candidate.lead)
    return Ranked(candidate.number, candidate.bm25 / top + evidence.bonus(), evidence)
