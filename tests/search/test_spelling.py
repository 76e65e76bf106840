"""Correcting misspelt question terms against the corpus's own vocabulary."""
from __future__ import annotations

import pytest

from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.search.index import BM25Index
from bot.search.spelling import correct, edits

COUNTS = {"ctenophor": 3, "hollywood": 5, "holywood": 1, "separ": 2, "1929": 4, "war": 9, "gone": 0}
FREQUENCY = COUNTS.get
FREQUENCY_KEYS = COUNTS.keys()


def frequency(term: str) -> int:
    return FREQUENCY(term, 0)


def test_edits_are_one_deletion_transposition_replacement_or_insertion_away() -> None:
    found = edits("abc")
    assert {"bc", "ac", "ab", "bac", "acb", "xbc", "abx", "abcx", "xabc", "aabc"} <= found
    assert "abc" not in found and "cba" not in found and "a" not in found


@pytest.mark.parametrize(("typed", "expected"), [
    ("ctenophhor", "ctenophor"),  # a letter too many
    ("ctenohor", "ctenophor"),  # one missing
    ("hollwood", "hollywood"),  # the more frequent of two neighbours
    ("seper", "separ"),  # one replaced
    ("ctneophor", "ctenophor"),  # two swapped
])
def test_unknown_terms_take_the_most_frequent_indexed_neighbour(typed: str, expected: str) -> None:
    assert correct(typed, typed, FREQUENCY_KEYS, frequency, set) == expected


def test_the_word_as_typed_is_corrected_too() -> None:
    """Stemming a misspelt word can leave a term no edit of the term repairs: "conversaton" stems to itself,
    "conversation" to "convers"."""
    counts = {"convers": 4}
    stem = {"conversation": "convers"}.get
    assert correct("conversaton", "conversaton", counts.keys(), lambda t: counts.get(t, 0),
                   lambda words: {stem(w, w) for w in words}) == "convers"


@pytest.mark.parametrize("typed", [
    "holywood",  # known: never "corrected", even to a more frequent neighbour
    "1928",  # numbers: one edit from another real number
    "wars",  # short words: one edit from too many others
    "zzzzzz",  # nothing near
    "ctenoph0r",  # not all letters
    "gonex",  # its only neighbour is known but no longer in any document
])
def test_known_short_numeric_or_hopeless_terms_stay(typed: str) -> None:
    assert correct(typed, typed, FREQUENCY_KEYS, frequency, set) == typed


def test_words_longer_than_any_real_one_are_not_edited() -> None:
    looked_up: list[str] = []

    def counting(term: str) -> int:
        looked_up.append(term)
        return 0

    assert correct("x" * 4000, "x" * 4000, FREQUENCY_KEYS, counting, set) == "x" * 4000
    assert len(looked_up) <= 1  # at most the term itself, never its ~200,000 edits


def test_document_frequency_counts_alive_documents() -> None:
    index = BM25Index([["bridge", "bridge"], ["bridge"], ["river"]])
    assert index.document_frequency("bridge") == 2 and index.document_frequency("tunnel") == 0
    index.remove([0])
    assert index.document_frequency("bridge") == 1


def test_a_misspelt_question_finds_its_passage() -> None:
    articles = [Article(id="a", title="Sea life", paragraphs=(
        Paragraph("Ctenophores are marine animals that swim with combs of cilia."),
        Paragraph("Jellyfish drift with the currents and sting their prey."),
        Paragraph("Corals build reefs in warm and shallow water."),
        Paragraph("Whales sing songs that carry for miles."),
    ))]
    answer = Engine(articles).ask("What are ctenophhores?")  # its only word misspelt
    assert answer.found and answer.best.text.startswith("Ctenophores")
    assert answer.read_as == (("ctenophhores", "ctenophores"),)  # the word of the passage, to show the reader
    assert Engine(articles).ask("What are ctenophores?").read_as == ()
