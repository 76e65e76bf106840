"""Text → search tokens: the one place that decides what a "word" is, shared by indexing and questions.

A `Tokenizer` is one language's analysis (see languages). Every language shares the first steps:

- normalising: NFKC; invisible characters dropped (zero-width spaces and joiners, bidi marks, soft hyphens, BOM,
  Arabic tatweel), so "сол\u200bдат" is "солдат"; every decimal digit made ASCII ("١٩٩٠" and "१९९०" are "1990");
  Arabic short vowels dropped and alef forms unified; curly quotes folded; accents dropped from Latin letters
  ("Mongke" finds "Möngke"; not in Vietnamese, where they are letters) and stress marks from Cyrillic ones;
  lowercase;
- words: Unicode letters, digits and the combining marks inside them (Python's `\\w` misses the vowel signs of
  Hindi, Thai or Tamil, which would shatter every word), `10.000` / `10,000` / `10000` one number, decimals kept;
- scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar): each run of their characters
  becomes overlapping pairs of characters ("北京大学" → 北京 京大 大学), as Lucene's CJK analyzer does: no
  dictionary needed, and digits or Latin words inside ("2015年", "iPhone") are set apart as words of their own.

Then each word becomes a term by its language: stopwords dropped, simplemma's lemma table brings irregular forms
together ("took" → "take", "men" → "man", only when the lemma keeps the first letter, so "us" and "we" stay
apart), then Snowball stems. A word of another script than its language's goes through that script's language
(`languages.SCRIPT_LANGUAGE`): "iPhone" in a Russian or Arabic article is the English "iphon", "Зеленский" in an
English one the Russian "зеленск", so names, brands and numbers match across languages. Index terms carry no
language prefix: a question in any language finds the numbers and names of every article.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from itertools import pairwise

import Stemmer

from .languages import LANGUAGES, SCRIPT_LANGUAGE, Language, language_code
from .stopwords import raw_list

DEFAULT_LANGUAGE = "en"
# Bump whenever the tokens of some text change (`tests/search/test_tokenizer.py` pins them): saved indexes
# record it and are rebuilt rather than misread.
ANALYSIS_VERSION = 3

CAPITALISED_NOUNS = frozenset({"de"})  # languages whose lemma table holds nouns capitalised ("Mann")


# --- characters ------------------------------------------------------------------------------------------------

def _ranges(pairs: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in pairs)


def _compact_marks() -> str:
    """The combining marks that occur inside words (Latin combining accents, Cyrillic, Hebrew, Arabic, the Indic
    blocks, Thai and Lao, Tibetan, Myanmar, Khmer, kana voicing) as a few ranges: a gap of letters or unassigned
    code points between two marks joins their ranges, as `\\w` matches those letters anyway."""
    blocks = [(0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x064B, 0x065F),
              (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0900, 0x0DFF), (0x0E31, 0x0EFF), (0x0F18, 0x0FBC),
              (0x102B, 0x109D), (0x17B4, 0x17DD), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20F0),
              (0x3099, 0x309A), (0xFE20, 0xFE2F)]
    ranges: list[list[int]] = []
    for start, end in blocks:
        for cp in range(start, end + 1):
            if unicodedata.category(chr(cp))[0] != "M":
                continue
            gap = range(ranges[-1][1] + 1, cp) if ranges else range(0)
            if ranges and all(unicodedata.category(chr(c)) in ("Lo", "Lm", "Ll", "Lu", "Nd", "Cn") for c in gap):
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return _ranges([(a, b) for a, b in ranges])


# Blocks of the scripts written without spaces; in the small ones only letters, marks and digits count (Khmer's
# and Myanmar's sentence marks are punctuation).
_NOSPACE_WHOLE = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)]
_NOSPACE_BLOCKS = [(0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x3038, 0x303C),
                   (0x3040, 0x30FF), (0x31F0, 0x31FF), (0x0E00, 0x0E7F), (0x0E80, 0x0EFF), (0x1780, 0x17FF),
                   (0x19E0, 0x19FF), (0x1000, 0x109F), (0xAA60, 0xAA7F), (0xA9E0, 0xA9FF)]


def _nospace_class(kinds: str) -> str:
    """The characters of those blocks whose category starts with one of `kinds` ("LMN": letters, marks, digits)."""
    cps = [cp for a, b in _NOSPACE_BLOCKS for cp in range(a, b + 1) if unicodedata.category(chr(cp))[0] in kinds]
    pairs: list[tuple[int, int]] = []
    for cp in sorted(cps):
        if pairs and cp == pairs[-1][1] + 1:
            pairs[-1] = (pairs[-1][0], cp)
        else:
            pairs.append((cp, cp))
    return _ranges(pairs)


MARKS = _compact_marks()
_NOSPACE = _nospace_class("LMN") + _ranges(_NOSPACE_WHOLE)
_NOSPACE_CHAR = re.compile(f"[{_NOSPACE}]")
_NOSPACE_RUN = re.compile(f"[{_NOSPACE}]+")
_NOSPACE_MARKS = _nospace_class("M")
_CLUSTER = re.compile(f".[{_NOSPACE_MARKS}]*", re.DOTALL)  # a letter and its marks: one character of a pair
_MARK = re.compile(f"[{_NOSPACE_MARKS}]")

# A number with thousands separators ("10,000", "10.000"), a decimal ("3.5"), or a word (with its marks, and an
# apostrophe inside: "don't", "o'clock"). Plain ASCII text (most of it) takes the simpler, faster form.
_ASCII_TOKEN = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?![\d])|\d+[.,]\d+|\w+(?:'\w+)*")
_TOKEN = re.compile(rf"\d{{1,3}}(?:[.,]\d{{3}})+(?![\d])|\d+[.,]\d+|[\w{MARKS}]+(?:'[\w{MARKS}]+)*")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SEPARATORS = re.compile(r"[.,]")
_APOSTROPHES = ("’", "‘", "ʼ", "`", "´")

# Invisible characters (zero-width space, non-joiner and joiner, bidi marks and isolates, word joiner, BOM, soft
# hyphen, Arabic letter mark, Mongolian vowel separator, Arabic tatweel "الـــعربية"): dropped. Decimal digits of
# other scripts: made ASCII.
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c\u180e\u0640"
_DIGIT_ZEROS = (0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
                0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810)
_TABLE = {**{zero + n: str(n) for zero in _DIGIT_ZEROS for n in range(10)},
          **{cp: None for a, b in ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x2069))
             for cp in range(a, b + 1)},
          **dict.fromkeys(map(ord, "\ufeff\u00ad\u061c\u180e\u0640")),
          0x066B: ".", 0x066C: ","}  # Arabic decimal and thousands separators: "١٬٠٠٠" is 1,000
_DIGITS = "".join(f"{chr(zero)}-{chr(zero + 9)}" for zero in _DIGIT_ZEROS)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
# Anything beyond apostrophes and Latin accents to do: one character class (a bitmap for the BMP), one pass.
_SPECIAL = re.compile(f"[{_INVISIBLE}{_DIGITS}{_ARABIC}{_NOSPACE}]")  # the Arabic block holds its separators
_ARABIC_CHAR = re.compile(f"[{_ARABIC}]")
_HARAKAT = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
# Marks to drop after decomposition: accents on Latin letters, stress marks on Cyrillic ones ("Москва́").
_ACCENT_MARKS = re.compile(r"(?<=[A-Za-z])[\u0300-\u036f]+|(?<=[\u0400-\u04ff])[\u0300\u0301]")
# Latin letters that may carry an accent (Latin-1, Extended-A/B, Extended Additional), Cyrillic letters with a
# grave, and combining marks.
_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f\u0400\u040d\u0450\u045d]")

# The script of a word, from its first character: (first code point, script) of each stretch, for bisect.
_SCRIPTS = [(0x0000, "other"), (0x0041, "latin"), (0x0250, "other"), (0x0370, "greek"), (0x0400, "cyrillic"),
            (0x0530, "armenian"), (0x0590, "hebrew"), (0x0600, "arabic"), (0x0780, "other"), (0x08A0, "arabic"),
            (0x0900, "devanagari"), (0x0980, "other"), (0x0B80, "tamil"), (0x0C00, "other"), (0x0E00, "thai"),
            (0x0E80, "lao"), (0x0F00, "other"), (0x1000, "myanmar"), (0x10A0, "georgian"), (0x1100, "hangul"),
            (0x1200, "other"), (0x1780, "khmer"), (0x1800, "other"), (0x1E00, "latin"), (0x1F00, "greek"),
            (0x2000, "other"), (0x2E80, "han"), (0x3130, "hangul"), (0x3190, "han"), (0xA000, "other"),
            (0xAC00, "hangul"), (0xD7B0, "other"), (0xF900, "han"), (0xFB00, "other"), (0xFB1D, "hebrew"),
            (0xFB50, "arabic"), (0xFE00, "other"), (0xFE70, "arabic"), (0xFF00, "other"), (0x20000, "han"),
            (0x40000, "other")]
_SCRIPT_STARTS = [start for start, _ in _SCRIPTS]
NOSPACE_SCRIPTS = frozenset({"han", "thai", "lao", "khmer", "myanmar"})


def script_of(word: str) -> str:
    """The script of a word's first character ("latin", "cyrillic", "han"…; "other" for the rest)."""
    return _SCRIPTS[bisect.bisect_right(_SCRIPT_STARTS, ord(word[0])) - 1][1]


def normalise(text: str, fold_accents: bool = True) -> str:
    """The text that `matches` splits (see the module's steps); ASCII text is only lowercased."""
    text = unicodedata.normalize("NFKC", text)
    if "`" in text or not text.isascii():  # most text is ASCII, or holds a curly quote at most: keep it cheap
        for apostrophe in _APOSTROPHES:
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
        if _SPECIAL.search(text):
            text = _special(text)
        if fold_accents and _ACCENTED.search(text):
            text = unicodedata.normalize("NFC", _ACCENT_MARKS.sub("", unicodedata.normalize("NFD", text)))
    return text.lower()


def _special(text: str) -> str:
    """Invisible characters, digits, runs of scripts without spaces and Arabic letters (see `normalise`)."""
    text = text.translate(_TABLE)
    if _NOSPACE_CHAR.search(text):
        text = _NOSPACE_RUN.sub(r" \g<0> ", text)
    if _ARABIC_CHAR.search(text):
        text = _HARAKAT.sub("", text).translate(_ALEF)
    return text


def matches(normalised: str) -> list[str]:
    """Regex matches; none holds whitespace, so whitespace-separated chunks can be matched (and cached) alone.
    A match is one word, or a run of a script without spaces (see `pieces`)."""
    return (_ASCII_TOKEN if normalised.isascii() else _TOKEN).findall(normalised)


def has_runs(normalised: str) -> bool:
    """Whether some match of `normalised` is a run of a script without spaces (which `pieces` splits)."""
    return not normalised.isascii() and _NOSPACE_CHAR.search(normalised) is not None


def pieces(match: str) -> list[str]:
    """One match → its surface words: itself (see `surface_word`), or the overlapping character pairs of a run of
    a script without spaces (a lone character alone); a letter keeps its marks (Thai "ง่")."""
    if not _NOSPACE_CHAR.match(match):
        return [surface_word(match)]
    chars = _CLUSTER.findall(match) if _MARK.search(match) else list(match)
    return chars if len(chars) == 1 else [a + b for a, b in pairwise(chars)]


def surface_words(normalised: str) -> list[str]:
    """The surface words of a normalised text, in order."""
    found = matches(normalised)
    if has_runs(normalised):
        return [word for match in found for word in pieces(match)]
    return [surface_word(w) for w in found] if surface_words_differ(normalised) else found


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


# --- one language's terms ----------------------------------------------------------------------------------------

class Tokenizer:
    """One language's analysis (an ISO code or an English name: "ru", "russian"); callable on text.
    `remove_stopwords` and `lemmas` are switches because their effect on ranking was measured both ways."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, remove_stopwords: bool = True, lemmas: bool = True) -> None:
        code = language_code(language)
        if code is None:
            raise ValueError(f"unknown language {language!r}: use a code such as en, ru, uk, ar or zh")
        self.row: Language = LANGUAGES[code]
        self.language = code
        self.fold_accents = self.row.fold_accents
        self._latin = self.row.script == "latin"  # its ASCII words need no look at their script
        # No cache inside PyStemmer (maxCacheSize 0): `token` is memoised already, and a cache filled with
        # spelling's hundreds of one-off edits per misspelt word made each stemming three times slower.
        self._stemmer = Stemmer.Stemmer(self.row.snowball, 0) if self.row.snowball else None
        self.lemmas = self.row.lemmas if lemmas else None
        self.stopwords = frozenset(w for raw in raw_list(code) for w in self.words(raw)) if remove_stopwords \
            else frozenset()
        # `token(word)`: the index term of one surface word, None for a stopword (a memo of `_token`).
        self.token = lru_cache(maxsize=1 << 20)(self._token)

    def __repr__(self) -> str:
        return f"Tokenizer({self.language!r})"

    def normalise(self, text: str) -> str:
        return normalise(text, self.fold_accents)

    def words(self, text: str) -> list[str]:
        """Normalised surface words before stemming (also used to find sentences and quote matches)."""
        return surface_words(self.normalise(text))

    def _token(self, word: str) -> str | None:
        if word in self.stopwords:
            return None
        other = self._other_script(word)
        return other.token(word) if other else self._stem(word)

    def stem_tokens(self, words: Iterable[str]) -> set[str]:
        """The terms of many words, stopwords left out, as `token` gives them but without the lemma table:
        Snowball alone, in one call, for the hundreds of one-edit neighbours spelling tries per misspelt word (a
        neighbour that is an irregular form, the only kind this misses, is rare). A language without Snowball
        keeps its lemmas (a dictionary hit)."""
        own: list[str] = []
        terms: set[str] = set()
        for word in words:
            if word in self.stopwords:
                continue
            if not (self._latin and word.isascii()) and (other := self._other_script(word)):
                terms |= other.stem_tokens((word,))
            else:
                own.append(word)
        terms.update(self._stemmer.stemWords(own) if self._stemmer else map(self._stem, own))
        return terms

    def _other_script(self, word: str) -> Tokenizer | None:
        """The analysis of a word written in another script than this language's (see the module's docstring);
        None for its own script, numbers, and scripts no language stands for."""
        if word.isascii():
            return analyzer("en") if self.row.script != "latin" else None
        script = script_of(word)
        if script == self.row.script or script in NOSPACE_SCRIPTS:
            return None
        code = SCRIPT_LANGUAGE.get(script)
        return analyzer(code) if code and code != self.language else None

    def _stem(self, word: str) -> str:
        """The stem of the word's lemma when that keeps its first letter (and is no stopword), else its own.
        Every word of a new paragraph comes here once (then the memo answers), so it is kept cheap."""
        if self.lemmas and word.isalpha():
            table = _lemma_table(self.lemmas)
            lemma = table.get(word)
            if lemma is None and self.language in CAPITALISED_NOUNS:
                lemma = table.get(word.capitalize())
            if lemma and lemma[:1].lower() == word[:1] and (lemma := lemma.lower()) != word \
                    and lemma not in self.stopwords:
                word = lemma
        return self._stemmer.stemWord(word) if self._stemmer else word

    def __call__(self, text: str) -> list[str]:
        token = self.token
        return [t for t in map(token, self.words(text)) if t is not None]


@cache
def analyzer(code: str) -> Tokenizer:
    """The shared default analysis of a language of the table."""
    return Tokenizer(code)


@cache
def _lemma_table(language: str) -> Mapping[str, str]:
    """simplemma's table of word forms → lemmas for a language (imported and loaded on first use, a fraction of
    a second to a second). Only the table: simplemma's affix rules guess lemmas of unknown words, which Snowball
    does anyway, at several times the cost."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(language)
