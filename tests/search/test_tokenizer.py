import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.search.tokenizer import ANALYSIS_VERSION, Tokenizer, matches, normalise, surface_word, surface_words_differ


@pytest.fixture(scope="module")
def tokenize() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize("text", ["10.000", "10,000", "10000"])
def test_thousands_separators_are_one_number(tokenize: Tokenizer, text: str) -> None:
    assert tokenize(f"over {text} soldiers") == ["10000", "soldier"]


def test_decimals_stay_decimals(tokenize: Tokenizer) -> None:
    assert tokenize("3.5 percent and 3,5") == ["3.5", "percent", "3.5"]


def test_unicode_words_survive(tokenize: Tokenizer) -> None:
    tokens = tokenize("Ким Чен Ын met 김정은 and Йосиф")
    assert {"ким", "чен", "ын", "김정은", "йосиф"} <= set(tokens)


@pytest.mark.parametrize(("written", "typed"), [
    ("José Müller", "Jose Muller"),
    ("Möngke in Kraków", "Mongke in Krakow"),
    ("Cafe\u0301 naïve Đặng", "cafe naive Đang"),  # a combining accent; Đ is a letter of its own
])
def test_accents_on_latin_letters_do_not_matter(tokenize: Tokenizer, written: str, typed: str) -> None:
    assert tokenize(written) == tokenize(typed)


def test_marks_of_other_scripts_stay(tokenize: Tokenizer) -> None:
    assert tokenize("йод") != tokenize("иод")  # the breve makes another Cyrillic letter


def test_lowercase_stemming_and_stopwords(tokenize: Tokenizer) -> None:
    assert tokenize("The Soldiers were DYING in the wars") == ["soldier", "die", "war"]


def test_curly_apostrophes_match_straight_ones(tokenize: Tokenizer) -> None:
    assert tokenize("Seoul’s intelligence") == tokenize("Seoul's intelligence") == ["seoul", "intellig"]


@pytest.mark.parametrize(("irregular", "regular"), [("took", "take"), ("men", "man"), ("said", "say"),
                                                    ("children", "child"), ("ran", "run"), ("sent", "send")])
def test_irregular_forms_meet_their_lemma(tokenize: Tokenizer, irregular: str, regular: str) -> None:
    assert tokenize(irregular) == tokenize(regular)


@pytest.mark.parametrize(("word", "other"), [("us", "we"), ("better", "good"), ("went", "go")])
def test_lemmas_that_change_the_first_letter_are_not_taken(tokenize: Tokenizer, word: str, other: str) -> None:
    assert tokenize(word) != tokenize(other)


def test_lemmas_are_a_switch() -> None:
    assert Tokenizer(lemmas=False)("took") != Tokenizer()("took") == Tokenizer()("take")


def test_stemming_language_is_configurable() -> None:
    russian = Tokenizer("russian")
    assert russian("солдаты") == russian("солдатов")
    assert Tokenizer("german")("Soldaten") != Tokenizer("english")("Soldaten")
    assert Tokenizer("ru").language == Tokenizer("russian").language == "ru"


def test_an_unknown_language_is_refused_with_the_codes_to_use() -> None:
    with pytest.raises(ValueError, match="code such as en, ru"):
        Tokenizer("klingon")


def test_keeping_stopwords_is_a_switch() -> None:
    assert Tokenizer(remove_stopwords=False)("the war") == ["the", "war"]


@given(st.text(alphabet=st.sampled_from("ab1'’.,_ 9é-–(0)\u00a0A"), max_size=40) | st.text(max_size=40))
def test_surface_words_differ_whenever_a_surface_word_does(text: str) -> None:
    """Callers skip `surface_word` when `surface_words_differ` says no: that must never lose a change."""
    normalised = normalise(text)
    if not surface_words_differ(normalised):
        assert all(surface_word(match) == match for match in matches(normalised))


PINNED_TEXT = """Over 10.000 North Korean soldiers are estimated to have been sent to Russia.
Two North Korean soldiers captured by Ukrainian forces while fighting for Russia have voiced their wish to defect to South Korea, a defector aid group told AFP on Sunday, according to News.ro.
The conversation took place on October 28 in Kyiv at a confidential location where the pair are detained.
Seoul’s intelligence services estimate that roughly 2,000 North Korean soldiers have died so far.
The men were taken; the women take notes, and the geese ran while a child runs.
Möngke's 10.000 men — 3,5 % of U.S. forces; Kraków, Zürich, «Ёлка», 2,000.5 and 1990s, don’t stop."""  # noqa: E501


def test_tokens_are_pinned_to_the_analysis_version() -> None:
    """A saved index is reused while ANALYSIS_VERSION is unchanged, so a change to what the tokens are must
    come with a new version (and a new digest here)."""
    tokens = "\n".join(" ".join(Tokenizer()(line)) for line in PINNED_TEXT.splitlines())
    assert (ANALYSIS_VERSION, hashlib.sha256(tokens.encode()).hexdigest()[:16]) == (3, "760c42af32511d29")
