"""Text → search tokens: the one place that decides what a "word" is, shared by indexing and questions.

Unicode-aware (Cyrillic and Hangul survive; accents on Latin letters are dropped), lowercased, curly quotes
folded, numbers normalised (`10.000`, `10,000` and `10000` are one token) and Snowball-stemmed with a
configurable language. Before stemming, irregular forms are brought to their lemma from simplemma's table
("took" → "take", "men" → "man", "said" → "say"), which Snowball keeps apart; only when the lemma keeps the
word's first letter, so suppletive pairs that mean different things to a search stay apart ("us" / "we",
"better" / "good", "went" / "go").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache

import Stemmer

DEFAULT_LANGUAGE = "english"
# Bump whenever the tokens of some text change (`tests/search/test_tokenizer.py` pins them): saved indexes
# record it and are rebuilt rather than misread.
ANALYSIS_VERSION = 2

CAPITALISED_NOUNS = frozenset({"de"})  # languages whose lemma table holds nouns capitalised ("Mann")
# simplemma's language codes for the Snowball languages it has a table for.
LEMMA_LANGUAGES = {"english": "en", "german": "de", "spanish": "es", "french": "fr", "italian": "it",
                   "portuguese": "pt", "dutch": "nl", "russian": "ru", "swedish": "sv", "danish": "da",
                   "norwegian": "nb", "finnish": "fi", "hungarian": "hu", "romanian": "ro", "turkish": "tr"}

# A number with thousands separators ("10,000", "10.000") or a plain word/number.
# Decimals ("3.5") stay one token too.
_TOKEN = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+[.,]\d+|\w+(?:['’]\w+)*", re.UNICODE)
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SEPARATORS = re.compile(r"[.,]")
_LATIN_MARKS = re.compile(r"(?<=[A-Za-z])[\u0300-\u036f]+")
_APOSTROPHES = ("’", "‘", "ʼ", "`", "´")
# Latin letters that may carry an accent (Latin-1, Extended-A/B, Extended Additional) and combining marks.
_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")

# Function words that carry no topic; kept out of the index because BM25 would otherwise reward long
# paragraphs full of "the" and "of". Per-language lists come with PyStemmer's languages where we have them.
STOPWORDS: dict[str, frozenset[str]] = {
    "english": frozenset(
        """a about above after again against all am an and any are as at be because been before being below
        between both but by can could did do does doing down during each few for from further had has have
        having he her here hers herself him himself his how i if in into is it its itself just me more most my
        myself no nor not now of off on once only or other our ours ourselves out over own same she should so
        some such than that the their theirs them themselves then there these they this those through to too
        under until up very was we were what when where which while who whom why will with would you your yours
        yourself yourselves s t d ll m re ve many much""".split()
    ),
}


class Tokenizer:
    """Callable tokenizer; `remove_stopwords` is a switch because its effect on ranking was measured both ways."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, remove_stopwords: bool = True, lemmas: bool = True) -> None:
        self.language = language
        self._stemmer = Stemmer.Stemmer(language)
        self.stopwords = STOPWORDS.get(language, frozenset()) if remove_stopwords else frozenset()
        self.lemmas = LEMMA_LANGUAGES.get(language) if lemmas else None
        self._stem = lru_cache(maxsize=1 << 20)(self._lemma_stem if self.lemmas else self._stemmer.stemWord)

    def _lemma_stem(self, word: str) -> str:
        """The stem of the word's lemma when that keeps its first letter (and is no stopword), else its own.
        Every word of a new paragraph comes here once (then the cache answers), so it is kept cheap."""
        if word.isalpha():
            table = _lemma_table(self.lemmas)
            lemma = table.get(word)
            if lemma is None and self.lemmas in CAPITALISED_NOUNS:
                lemma = table.get(word.capitalize())
            if lemma and lemma[:1].lower() == word[:1] and (lemma := lemma.lower()) != word \
                    and lemma not in self.stopwords:
                return self._stemmer.stemWord(lemma)
        return self._stemmer.stemWord(word)

    def words(self, text: str) -> list[str]:
        """Normalised surface words before stemming (also used to find sentences and quote matches)."""
        return [surface_word(w) for w in matches(normalise(text))]

    def token(self, word: str) -> str | None:
        """The index token of one surface word, None for a stopword."""
        return None if word in self.stopwords else self._stem(word)

    def stem_token(self, word: str) -> str | None:
        """`token` without the lemma table: Snowball alone, for the hundreds of one-edit neighbours spelling
        tries per misspelt word (a lemma lookup costs 30 µs each; a neighbour that is an irregular form, the
        only kind this misses, is rare)."""
        return None if word in self.stopwords else self._stemmer.stemWord(word)

    def __call__(self, text: str) -> list[str]:
        stop = self.stopwords
        stem = self._stem
        return [stem(w) for w in self.words(text) if w not in stop]


@cache
def _lemma_table(language: str) -> Mapping[str, str]:
    """simplemma's table of word forms → lemmas for a language (imported and loaded on first use, a fraction of
    a second). Only the table: simplemma's affix rules guess lemmas of unknown words, which Snowball does
    anyway, at several times the cost."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(language)


def normalise(text: str) -> str:
    """NFKC, folded apostrophes, accents dropped from Latin letters, lowercase: the text that `matches` splits.

    People type "Mongke", "Krakow" and "Zurich" for the "Möngke", "Kraków" and "Zürich" of the articles.
    Only marks on Latin letters go: other scripts keep theirs (the breve of Cyrillic "й" makes another letter).
    """
    text = unicodedata.normalize("NFKC", text)
    if "`" in text or not text.isascii():  # most text is ASCII, or holds a curly quote at most: keep it cheap
        for apostrophe in _APOSTROPHES:
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
        if _ACCENTED.search(text):
            text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    return text.lower()


def matches(normalised: str) -> list[str]:
    """Regex matches; none holds whitespace, so whitespace-separated chunks can be matched (and cached) alone."""
    return _TOKEN.findall(normalised)


# What `surface_word` changes: words with an apostrophe, and matches that start with a digit but are not all
# digits ("10,000", "3.5", "1990s").
_CHANGED_BY_SURFACE = re.compile(r"'|\d[.,]\d|\d[^\W\d]")


def surface_words_differ(normalised: str) -> bool:
    """False when every match of `normalised` is its own surface word (most sentences), so callers can skip
    `surface_word`; True when some may not be."""
    return _CHANGED_BY_SURFACE.search(normalised) is not None


def surface_word(word: str) -> str:
    """One regex match → the word: number separators unified, possessive/contraction endings dropped."""
    if word[0].isdigit() and not word.isdigit():
        word = _SEPARATORS.sub("", word) if _GROUPED.fullmatch(word) else word.replace(",", ".")
    if "'" in word:
        word = word.split("'", 1)[0] if word.endswith(("'s", "'t")) else word.replace("'", "")
    return word
