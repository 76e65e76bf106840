"""Sentence splitting for the bold sentence: substrings of the passage, abbreviations kept inside."""
from __future__ import annotations

from bot.sentences import split_sentences


def test_sentences_are_substrings_in_order() -> None:
    text = 'He said "Yes." Then he left! Did he return? Nobody knows.'
    sentences = split_sentences(text)
    assert sentences == ['He said "Yes."', "Then he left!", "Did he return?", "Nobody knows."]
    assert all(s in text for s in sentences)


def test_abbreviations_and_lowercase_continuations_do_not_split() -> None:
    assert split_sentences("Dr. Smith met Mr. Jones in the U.S. capital. They talked.") == [
        "Dr. Smith met Mr. Jones in the U.S. capital.", "They talked."]


def test_text_without_an_end_is_one_sentence() -> None:
    assert split_sentences("no full stop here") == ["no full stop here"]
