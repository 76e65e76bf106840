"""Questions as people type them in a chat, over the repository's article and two more news articles
(tests/data/articles): headlines, short queries, a year or stray punctuation added, "what did X say", irregular
forms, small talk."""
from __future__ import annotations

import shutil

import pytest

from bot.models import Article, Paragraph
from bot.search.engine import Engine
from tests.support.paths import REPO, TEST_DATA

DIED = "Seoul’s intelligence services estimate that roughly 2,000 North Korean soldiers have died so far."
TOLL_LEDE = "South Korea's spy agency said on Thursday that about 2,000 North Korean soldiers"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    corpus = tmp_path_factory.mktemp("corpus")
    for path in [*REPO.joinpath("corpus").glob("*.md"), *TEST_DATA.joinpath("articles").glob("*.md")]:
        shutil.copy(path, corpus)
    return Engine.load(corpus)


@pytest.mark.parametrize("question", ["death toll", "north korean death toll", "what's the death toll",
                                      "What is the North Korean death toll?"])
def test_headline_words_find_the_articles_lede(engine: Engine, question: str) -> None:
    """"toll" is only in the headline ("North Korean death toll … rises to about 2,000"): the lede answers."""
    answer = engine.ask(question)
    assert answer.found and answer.best.text.startswith(TOLL_LEDE)


@pytest.mark.parametrize("question", ["how many north korean soldiers died", "how many north korean soldiers died?!",
                                      "how many north korean soldiers died in 2025?", "how many north korean "
                                      "soldiers died (2025)", "How many North Korean soldiers died... ?",
                                      "how many north korean soldiers died in november 2025"])
def test_a_year_a_date_or_stray_punctuation_keeps_the_answer(engine: Engine, question: str) -> None:
    """Found, with the passage that answers the plain question among those offered (with 2025 the passage
    "In 2025, at least 12,000 soldiers died on both sides" may come first: it answers too)."""
    answer = engine.ask(question)
    assert answer.found and DIED in [p.text for p in answer.passages]
    assert "died" in answer.best.text


@pytest.mark.parametrize(("question", "said"), [
    ("what did zelensky say", "Zelensky said on Sunday"),
    ("what did zelensky say about territory", "Zelensky said on Sunday"),
    ("what did the kremlin say about kyiv", "The Kremlin said it had seen no sign"),
    ("what did jang say", "Jang"),
    ("what does the south korean constitution say", "Under South Korea’s constitution, all Koreans"),
    ("Will the POWs be sent back to North Korea?", "Sending them back to North Korea would be tantamount"),
])
def test_what_did_someone_say_finds_their_statement(engine: Engine, question: str, said: str) -> None:
    answer = engine.ask(question)
    assert answer.found and said in answer.best.text


@pytest.mark.parametrize(("question", "passage"), [
    ("when did the interview take place", "The conversation took place on October 28"),  # took / take
    ("what did the men read", "one of the men reading letters"),  # man / men, read / reading
])
def test_irregular_forms_match(engine: Engine, question: str, passage: str) -> None:
    answer = engine.ask(question)
    assert answer.found and passage in answer.best.text


@pytest.mark.parametrize(("message", "kind"), [("thanks", "thanks"), ("thank you!", "thanks"), ("hi", "greeting"),
                                               ("hello", "greeting"), ("good morning", "greeting"), ("ok", "ack"),
                                               ("lol", "laugh"), ("👍", "emoji"), ("who are you?", "identity")])
def test_small_talk_gets_no_passage(engine: Engine, message: str, kind: str) -> None:
    answer = engine.ask(message)
    assert (answer.best, answer.small_talk, answer.read_as) == (None, kind, ())


def test_more_answers_are_only_passages_that_pass_the_gate_too(engine: Engine) -> None:
    """Many paragraphs mention soldiers; only those that say how many died are offered (no padding)."""
    answer = engine.ask("how many soldiers died?")
    assert answer.best.text == DIED
    assert [p.sentence for p in answer.alternatives] == [
        "In 2025, at least 12,000 soldiers died on both sides in the battles around Pokrovsk, according to "
        "estimates by Western officials."]
    assert len(engine.rank("how many soldiers died?", 5).ranked) == 5  # what the gate left out


def test_a_common_word_is_never_corrected_into_a_corpus_word() -> None:
    """"thanks" is one edit from "tanks", "chili" from "child", "gracias" from "garcia": words of a language,
    not typos of the corpus's words."""
    engine = Engine([Article("a", "Tanks", (Paragraph("Garcia said 77 tanks and a child were seen near the river "
                                                      "bank on Monday."),)),
                     Article("b", "Markets", (Paragraph("Shares fell sharply in London on Tuesday."),)),
                     Article("c", "Weather", (Paragraph("Storms closed two roads near the coast."),))])
    for question in ["thanks for the tanks", "chili near the river", "gracias garcia"]:
        assert engine.rank(question, 1).corrections == ()
    assert engine.rank("how many tankz", 1).corrections == (("tankz", "tank"),)  # a typo still is one
