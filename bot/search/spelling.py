"""Misspelt question words → the corpus's own spelling ("ctenophhores" → "ctenophores", "conversaton" →
"conversation").

A question term the index has never seen cannot match anything, and it is usually the rarest, most telling
word of the question. The corpus's vocabulary is the dictionary: names and jargon of the articles are spelt
right there, which no general word list knows. A word whose term is unknown is read as the most frequent
indexed term one edit (a letter deleted, inserted, replaced, or two swapped) away from the word as typed or
from its term; short words and numbers ("1928" vs "1929") are left alone, as one edit turns them into other
real words too easily, and so are words longer than any real one (their edits grow with the square of their
length: a 4,000-letter "word" would take seconds and gigabytes).

The corpus alone is not a dictionary of the language, though: "thanks" over an article about tanks, "chili"
over one about a child, "gracias" over one that names Garcia. A word common in any language people chat in
(wordfreq's frequency lists, shipped with the package) is never corrected.
"""
from __future__ import annotations

from collections.abc import Callable, Container
from collections.abc import Set as AbstractSet
from functools import cache
from string import ascii_lowercase

from .languages import wordfreq_code
from .tokenizer import analyzer, script_of

MIN_LENGTH = 5
MAX_LENGTH = 20
# wordfreq's codes of the languages whose common words are never corrected: the question's own first, then the
# languages people chat in (those of the small-talk phrases).
CHAT_LANGUAGES = ("en", "ru", "uk", "es", "pt", "it", "fr", "de", "nl", "pl", "tr")
# The letters an edit may put in, by the script of the word (lowercase, as the tokenizer gives words).
ALPHABETS = {"latin": ascii_lowercase, "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџѓќѕ",
             "greek": "αβγδεζηθικλμνξοπρστυφχψωςάέήίόύώϊϋΐΰ", "hebrew": "אבגדהוזחטיכךלמםנןסעפףצץקרשת",
             "arabic": "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيپچژکگی",
             "armenian": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"}


def edits(word: str) -> set[str]:
    """Every string one edit away from `word`, with the alphabet of its script (Latin for Latin words and the
    rest) and the word's own letters."""
    letters = set(ALPHABETS.get(script_of(word), ascii_lowercase)) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


def is_common(word: str, language: str = "en") -> bool:
    """Whether `word` (lowercase, as the tokenizer gives it) is a common word of `language` or of a language
    people chat in: in wordfreq's "small" list, which holds exactly the words of Zipf frequency 3 and up (for the
    question's own language also as the tokenizer writes them: "اصلاحات" for "إصلاحات", "fur" for "für").

    wordfreq is imported on first use and each list loaded once (0.5 s for all; `Engine.warm_up` does it at
    start); looking a word up in them directly skips wordfreq's per-call tokenizing (0.3 ms a word)."""
    return any(word in words for words in _word_lists(language))


@cache
def _word_lists(language: str) -> tuple[Container[str], ...]:
    from wordfreq import available_languages, get_frequency_dict

    have = available_languages("small")
    own = wordfreq_code(language)
    lists: list[Container[str]] = []
    if own in have:
        lists.append(get_frequency_dict(own, wordlist="small"))
        if language != "en":  # English words are written as the tokenizer writes them
            normalise = analyzer(language).normalise
            lists.append(frozenset(n for w in lists[0] if (n := normalise(w)) != w))
    lists.extend(get_frequency_dict(code, wordlist="small") for code in CHAT_LANGUAGES if code != own and code in have)
    return tuple(lists)


def correct(word: str, term: str, known: AbstractSet[str], frequency: Callable[[str], int],
            to_terms: Callable[[set[str]], set[str]], language: str = "en") -> str:
    """`term` (the index term of `word`), or the most frequent indexed term one edit away when the index has
    never seen it and `word` is no common word of a language (see `is_common`). `known` (a superset of the
    terms with a frequency, cheap to intersect with) spares looking up each edit; `to_terms` turns the edited
    words into their terms (stopwords left out), all at once."""
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH or not word.isalpha() or frequency(term) > 0:
        return term
    if is_common(word, language):  # before the edits: a look-up, where they are hundreds of stemmings
        return term
    near = to_terms(edits(word)) | edits(term)
    count, best = max(((frequency(t), t) for t in known & near), default=(0, term))
    return best if count > 0 else term
