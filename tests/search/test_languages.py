"""Every language read in its own way: the language table, each script's words, and names across scripts."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.languages import LANGUAGES, header_problem, language_code
from bot.search.stopwords import raw_list
from bot.search.token_stream import tokenize_texts
from bot.search.tokenizer import Tokenizer, analyzer


@pytest.mark.parametrize(("value", "code"), [
    ("ru", "ru"), ("RU", "ru"), ("pt-br", "pt"), ("zh_Hans", "zh"), ("Russian", "ru"), ("english", "en"),
    ("nb", "no"), (" uk ", "uk"), ("klingon", None), ("", None), (None, None), ("xx-YY", None),
])
def test_codes_locales_and_names_are_one_code(value: str | None, code: str | None) -> None:
    assert language_code(value) == code


def test_a_nonsense_header_is_told_why() -> None:
    assert header_problem("ru") is None
    assert "is not a language the bot can read" in header_problem("klingon")


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_of_the_table_is_analysed(code: str) -> None:
    tokens = Tokenizer(code)("Reuters 2025: 10,000 " + " ".join(raw_list(code)[:3]) + " iPhone")
    assert {"2025", "10000"} <= set(tokens) and not set(raw_list(code)[:3]) & set(tokens)
    if LANGUAGES[code].script != "latin":  # Latin words in other scripts' text are read as English
        assert {"reuter", "iphon"} <= set(tokens)


@pytest.mark.parametrize(("code", "text", "words"), [
    ("hi", "हिन्दी भारत की राजभाषा है", ["हिन्दी", "भारत", "की", "राजभाषा", "है"]),  # vowel signs stay inside words
    ("ar", "العَرَبِيَّة الـــعربية", ["العربية", "العربية"]),  # short vowels and tatweel go
    ("ta", "தமிழ் மொழி", ["தமிழ்", "மொழி"]),
    ("zh", "北京大学成立于1898年", ["北京", "京大", "大学", "学成", "成立", "立于", "1898", "年"]),
    ("zh", "苹果iPhone很贵", ["苹果", "iphone", "很贵"]),  # Latin and digits are words of their own
    ("th", "ภาษาไทย", ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]),  # a vowel mark stays with its letter ("ไท")
    ("ja", "東京タワー", ["東京", "京タ", "タワ", "ワー"]),
    ("vi", "Việt Nam", ["việt", "nam"]),  # tones are letters in Vietnamese
    ("en", "Việt Nam", ["viet", "nam"]),  # and accents elsewhere
    ("ru", "Москва́ ёлка", ["москва", "ёлка"]),  # a stress mark goes, ё stays
])
def test_words_of_every_script(code: str, text: str, words: list[str]) -> None:
    assert Tokenizer(code).words(text) == words


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
                                       "\u00ad", "\u202b", "\u2067"])
def test_invisible_characters_do_not_split_words(invisible: str) -> None:
    assert Tokenizer("ru")(f"сол{invisible}дат") == Tokenizer("ru")("солдат")
    assert Tokenizer("en")(f"sol{invisible}dier") == Tokenizer("en")("soldier")


def test_right_to_left_text_with_embedded_latin_and_marks() -> None:
    arabic = Tokenizer("ar")
    assert arabic("\u200fسعر \u202aiPhone 15\u202c هو ١٬٠٠٠ دولار\u200f") == arabic("سعر iPhone 15 هو 1,000 دولار")


@pytest.mark.parametrize(("digits", "ascii"), [("١٩٩٠", "1990"), ("१९९०", "1990"), ("۱۹۹۰", "1990"), ("๑๙๙๐", "1990")])
def test_digits_of_every_script_are_numbers(digits: str, ascii: str) -> None:
    assert Tokenizer("ar")(digits) == Tokenizer("en")(ascii) == [ascii]


def test_names_and_brands_match_across_languages() -> None:
    """A Latin brand is the English term in any language, a Cyrillic name the Russian one in any language."""
    terms = {code: set(Tokenizer(code)("Apple iPhone Зеленский 2025")) for code in ("en", "ru", "uk", "ar", "zh", "de")}
    assert terms["ru"] == terms["en"] == terms["ar"] == terms["zh"]
    assert set(Tokenizer("ru")("Зеленскому")) <= terms["en"]
    assert {"appl", "iphon", "2025"} <= terms["uk"] and {"iphon", "2025"} <= terms["de"]


def test_ukrainian_forms_meet_in_their_lemma() -> None:
    """Snowball has no Ukrainian: simplemma's table brings the forms together."""
    ukrainian = Tokenizer("uk")
    assert len(set(ukrainian("місто міста місту містом місті"))) == 1
    assert ukrainian("президента України") == ukrainian("президент Україна")


def test_stopwords_of_each_language_are_dropped() -> None:
    assert Tokenizer("ru")("и в на") == [] and Tokenizer("de")("der die und") == [] and Tokenizer("ar")("في من") == []
    assert Tokenizer("ru")("года") != []  # a frequent word that carries a topic is no stopword


@settings(deadline=None)  # a language's first text loads its lemma table
@given(st.text(max_size=200), st.sampled_from(sorted(LANGUAGES)))
def test_any_text_in_any_language_gives_words_without_spaces(text: str, code: str) -> None:
    tokenizer = analyzer(code)
    assert all(word and not any(ch.isspace() for ch in word) for word in tokenizer.words(text))
    assert all(token and not any(ch.isspace() for ch in token) for token in tokenizer(text))


TEXTS = st.lists(st.tuples(st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
                           | st.sampled_from(["北京大学 2015年", "Сколько стоит iPhone?", "ภาษาไทย", "قال \u200fمحمد",
                                              "Việt Nam", "hello world's 10,000 men"]),
                           st.sampled_from([None, "en", "ru", "zh", "ar", "vi", "th", "uk"])), max_size=12)


@settings(deadline=None)
@given(TEXTS)
def test_bulk_tokens_are_the_tokenizers_in_every_language(texts: list[tuple[str, str | None]]) -> None:
    """The index build's bulk path gives exactly each text's tokens in its language."""
    stream = tokenize_texts([t for t, _ in texts], Tokenizer(), processes=1, languages=[c for _, c in texts])
    assert list(stream.documents()) == [analyzer(code or "en")(text) for text, code in texts]
