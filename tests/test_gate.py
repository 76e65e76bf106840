"""The answer gate on hand-made evidence: more of the question found means more confidence."""
from __future__ import annotations

import pytest

from bot.gate import FULL_LENGTH, confidence
from bot.ranking import Question, gather
from bot.tokenizer import Tokenizer

TOKENIZER = Tokenizer()
MAX_IDF = 10.0


def question(text: str, idf: float = 5.0) -> Question:
    return Question.parse(text, TOKENIZER, lambda term: idf)


def test_confidence_is_a_share() -> None:
    q = question("harbour bridge opened 1932")
    full = confidence(q, gather(q, "The harbour bridge opened in 1932.", "Harbour bridge", TOKENIZER), 5.0)
    assert 0.0 <= full <= 1.0
    # everything found except half the title and half the length: (3 + 1 + 1 + 0.5 + 2 * 0.5 + 2) / 10
    assert FULL_LENGTH == 8 and full == pytest.approx(0.85)


def test_passage_holding_more_of_the_question_is_more_confident() -> None:
    q = question("When did the harbour bridge open to traffic?")
    good = gather(q, "The harbour bridge opened to traffic in 1932.", "", TOKENIZER)
    poor = gather(q, "Traffic was heavy on Monday.", "", TOKENIZER)
    assert confidence(q, good, MAX_IDF) > confidence(q, poor, MAX_IDF)


def test_common_words_make_a_weaker_question() -> None:
    text = "The harbour bridge opened."
    rare, common = question("harbour bridge", idf=9.0), question("harbour bridge", idf=1.0)
    assert confidence(rare, gather(rare, text, "", TOKENIZER), MAX_IDF) > \
        confidence(common, gather(common, text, "", TOKENIZER), MAX_IDF)


def test_question_without_terms_has_no_confidence() -> None:
    q = question("the of and")
    assert confidence(q, gather(q, "Anything at all.", "", TOKENIZER), MAX_IDF) == 0.0
