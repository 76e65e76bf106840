"""The answer gate on hand-made evidence: more of the question found means more confidence."""
from __future__ import annotations

import pytest

from bot.search.gate import FULL_LENGTH, WEIGHTS, confidence, name_share, name_terms
from bot.search.ranking import Question, gather
from bot.search.tokenizer import Tokenizer

TOKENIZER = Tokenizer()
MAX_IDF = 10.0


def question(text: str, idf: float = 5.0) -> Question:
    return Question.parse(text, TOKENIZER, lambda term: idf)


def sure(q: Question, text: str, heading: str = "", max_idf: float = MAX_IDF) -> float:
    names = name_share(q, text, heading, TOKENIZER)
    return confidence(q, gather(q, text, heading, TOKENIZER), max_idf, names)


def test_confidence_is_a_share() -> None:
    q = question("harbour bridge opened 1932")
    full = sure(q, "The harbour bridge opened in 1932.", "Harbour bridge", 5.0)
    assert 0.0 <= full <= 1.0
    # everything found but "opened 1932" in the title and half the length; no names, so their share is whole;
    # the phrases "harbour bridge" and "bridge opened" are in the text, "opened 1932" is not ("opened in 1932").
    # The year weighs half its idf (2.5 of 17.5), so the title holds 10 / 17.5 and the mean idf is 4.375 of 5.
    shares = {"coverage": 1, "sentence": 1, "window": 1, "title": 10 / 17.5, "length": 0.5, "rarity": 4.375 / 5,
              "phrase": 2 / 3, "names": 1}
    assert FULL_LENGTH == 8 and set(shares) == set(WEIGHTS)
    assert full == pytest.approx(sum(WEIGHTS[k] * v for k, v in shares.items()) / sum(WEIGHTS.values()))


def test_passage_holding_more_of_the_question_is_more_confident() -> None:
    q = question("When did the harbour bridge open to traffic?")
    assert sure(q, "The harbour bridge opened to traffic in 1932.") > sure(q, "Traffic was heavy on Monday.")


def test_common_words_make_a_weaker_question() -> None:
    text = "The harbour bridge opened."
    rare, common = question("harbour bridge", idf=9.0), question("harbour bridge", idf=1.0)
    assert sure(rare, text) > sure(common, text)


def test_question_without_terms_has_no_confidence() -> None:
    q = question("the of and")
    assert sure(q, "Anything at all.") == 0.0


def test_names_are_the_capitalised_words_after_the_first() -> None:
    q = question("When did Newcastle's basketball team join the BBL?")
    assert name_terms(q, TOKENIZER) == {"newcastl", "bbl"}
    assert name_terms(question("Where do harbour porpoises live?"), TOKENIZER) == set()
    assert name_terms(question("Sydney harbour bridge"), TOKENIZER) == set()  # the first word is capitalised anyhow
    assert name_terms(question("WHEN DID THE HARBOUR BRIDGE OPEN?"), TOKENIZER) == set()  # capitals mark nothing
    assert name_terms(question("When Did The Harbour Bridge Open?"), TOKENIZER) == set()
    assert name_terms(question("Who is Barack Obama?"), TOKENIZER) == {"barack", "obama"}


def test_name_share_is_the_idf_mass_of_the_names_found() -> None:
    weights = {"newcastl": 6.0, "bbl": 2.0}
    q = Question.parse("When did Newcastle's team join the BBL?", TOKENIZER, lambda term: weights.get(term, 1.0))
    assert name_share(q, "Newcastle Eagles joined the BBL in 1996.", "", TOKENIZER) == 1.0
    assert name_share(q, "The Eagles play in Newcastle.", "", TOKENIZER) == pytest.approx(0.75)
    assert name_share(q, "Leicester Riders joined the BBL.", "", TOKENIZER) == pytest.approx(0.25)
    assert name_share(q, "A team joined a league.", "", TOKENIZER) == 0.0
    assert name_share(question("when did the team join the league?"), "Nothing alike.", "", TOKENIZER) == 1.0


def test_a_passage_missing_the_questions_name_is_less_confident() -> None:
    q = question("What is the name of Newcastle's basketball team?")
    right = "Newcastle's basketball team is the Eagles."
    wrong = "Harvard's basketball team is the Crimson."
    assert sure(q, right) > sure(q, wrong)
    # the heading counts too: an article about Newcastle need not repeat the name in every paragraph
    assert sure(q, "Its basketball team is the Eagles.", "Newcastle upon Tyne") > \
        sure(q, "Its basketball team is the Eagles.", "Harvard")


def test_the_questions_own_phrasing_in_the_passage_adds_confidence() -> None:
    q = question("Who built the harbour bridge?")
    own_words = "Dorman Long built the harbour bridge."
    other_words = "The bridge over the harbour was built by Dorman Long."
    assert sure(q, own_words) > sure(q, other_words)
