"""The languages the bot can read: one table from ISO 639-1 code to how its text is analysed.

Every other module asks here: the tokenizer (stemmer, lemma table, stopwords, script), language detection (which
labels py3langid may answer), spelling (wordfreq's list), an article's `language:` header and the user's Telegram
`language_code` ("pt-br" is Portuguese). A language is analysed in one of four ways (docs/languages.md says why):

- `snowball`: PyStemmer's Snowball stemmer, after simplemma's lemma table where it has one (`lemmas`);
- `lemmas` alone: languages Snowball lacks (Ukrainian, Bulgarian, Hebrew…), simplemma's table of forms → lemma;
- neither: the words as written (Vietnamese, whose syllables do not inflect; Korean);
- `nospace`: scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar), overlapping pairs
  of characters.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as in `language:` headers, Telegram's language_code and py3langid
    name: str  # in English, for messages and SEARCH_LANGUAGE=russian
    script: str  # the script its words are written in (see `SCRIPT_LANGUAGE`)
    snowball: str | None = None  # PyStemmer's algorithm
    lemmas: str | None = None  # simplemma's language code, when its table is used
    nospace: bool = False  # written without spaces between words
    fold_accents: bool = True  # marks on Latin letters dropped ("Mongke" finds "Möngke"); Vietnamese tones are letters


def _table(*rows: Language) -> dict[str, Language]:
    return {row.code: row for row in rows}


L = Language
LANGUAGES: dict[str, Language] = _table(
    # Snowball, with simplemma's table before it where it has one
    L("en", "English", "latin", "english", "en"), L("de", "German", "latin", "german", "de"),
    L("es", "Spanish", "latin", "spanish", "es"), L("fr", "French", "latin", "french", "fr"),
    L("it", "Italian", "latin", "italian", "it"), L("pt", "Portuguese", "latin", "portuguese", "pt"),
    L("nl", "Dutch", "latin", "dutch", "nl"), L("sv", "Swedish", "latin", "swedish", "sv"),
    L("da", "Danish", "latin", "danish", "da"), L("no", "Norwegian", "latin", "norwegian", "nb"),
    L("fi", "Finnish", "latin", "finnish", "fi"), L("hu", "Hungarian", "latin", "hungarian", "hu"),
    L("ro", "Romanian", "latin", "romanian", "ro"), L("tr", "Turkish", "latin", "turkish", "tr"),
    L("ru", "Russian", "cyrillic", "russian", "ru"),
    L("ca", "Catalan", "latin", "catalan"), L("cs", "Czech", "latin", "czech"), L("pl", "Polish", "latin", "polish"),
    L("eu", "Basque", "latin", "basque"), L("eo", "Esperanto", "latin", "esperanto"),
    L("et", "Estonian", "latin", "estonian"), L("ga", "Irish", "latin", "irish"),
    L("id", "Indonesian", "latin", "indonesian"), L("lt", "Lithuanian", "latin", "lithuanian"),
    L("st", "Sesotho", "latin", "sesotho"), L("sr", "Serbian", "cyrillic", "serbian"),
    L("el", "Greek", "greek", "greek"), L("hy", "Armenian", "armenian", "armenian"),
    L("ar", "Arabic", "arabic", "arabic"), L("fa", "Persian", "arabic", "persian"),
    L("hi", "Hindi", "devanagari", "hindi"), L("ne", "Nepali", "devanagari", "nepali"),
    L("ta", "Tamil", "tamil", "tamil"), L("yi", "Yiddish", "hebrew", "yiddish"),
    # no Snowball stemmer: simplemma's lemma table
    L("uk", "Ukrainian", "cyrillic", lemmas="uk"), L("bg", "Bulgarian", "cyrillic", lemmas="bg"),
    L("mk", "Macedonian", "cyrillic", lemmas="mk"), L("sk", "Slovak", "latin", lemmas="sk"),
    L("sl", "Slovenian", "latin", lemmas="sl"), L("hr", "Croatian", "latin", lemmas="hbs"),
    L("lv", "Latvian", "latin", lemmas="lv"), L("is", "Icelandic", "latin", lemmas="is"),
    L("sq", "Albanian", "latin", lemmas="sq"), L("gl", "Galician", "latin", lemmas="gl"),
    L("cy", "Welsh", "latin", lemmas="cy"), L("ms", "Malay", "latin", lemmas="ms"),
    L("tl", "Tagalog", "latin", lemmas="tl"), L("sw", "Swahili", "latin", lemmas="sw"),
    L("he", "Hebrew", "hebrew", lemmas="he"), L("ka", "Georgian", "georgian", lemmas="ka"),
    # words as written
    L("vi", "Vietnamese", "latin", fold_accents=False), L("ko", "Korean", "hangul"),
    # no spaces between words: overlapping character pairs
    L("zh", "Chinese", "han", nospace=True), L("ja", "Japanese", "han", nospace=True),
    L("th", "Thai", "thai", nospace=True), L("lo", "Lao", "lao", nospace=True),
    L("km", "Khmer", "khmer", nospace=True), L("my", "Burmese", "myanmar", nospace=True),
)
del L

# Words of another script than their text's language (a Latin brand name in a Russian article, a Russian name
# in an English one) are analysed as this language, so the same name gives the same term in every article.
SCRIPT_LANGUAGE = {"latin": "en", "cyrillic": "ru", "arabic": "ar", "greek": "el", "armenian": "hy",
                   "devanagari": "hi", "tamil": "ta", "hebrew": "he", "georgian": "ka", "hangul": "ko"}

# Other spellings of codes (Telegram sends "pt-br", "zh-hans"; simplemma and wordfreq say "nb" for Norwegian).
_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "sh": "hr", "bs": "hr", "fil": "tl"}
_BY_NAME = {language.name.lower(): code for code, language in LANGUAGES.items()}
_BY_NAME.update({"norwegian bokmal": "no", "farsi": "fa", "chinese simplified": "zh", "chinese traditional": "zh"})


def language_code(value: str | None) -> str | None:
    """The table's code for a code, a locale or an English name ("ru", "RU", "pt-BR", "zh_Hans", "Russian",
    "russian"); None when it names no language the bot can analyse (or nothing)."""
    text = (value or "").strip().lower().replace("_", "-")
    if not text:
        return None
    if text in LANGUAGES:
        return text
    if text in _BY_NAME:
        return _BY_NAME[text]
    base = text.split("-", 1)[0]
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def language(code: str) -> Language:
    """The table's row; `code` must be one of its codes (see `language_code`)."""
    return LANGUAGES[code]


def name(code: str | None) -> str:
    """ "Russian" for "ru"; the code itself for one the table lacks."""
    return LANGUAGES[code].name if code in LANGUAGES else str(code)


def header_problem(value: str) -> str | None:
    """Why a `language:` header cannot be used (None when it can): said to the admin, who then fixes it."""
    if language_code(value):
        return None
    return (f"language {value.strip()[:40]!r} is not a language the bot can read; write a code such as en, ru, uk, "
            f"ar or zh")


_WORDFREQ = {"no": "nb", "hr": "sh", "tl": "fil"}


def wordfreq_code(code: str) -> str:
    """wordfreq's code for a language of the table (it may have no list for it)."""
    return _WORDFREQ.get(code, code)
