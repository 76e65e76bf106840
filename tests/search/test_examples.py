
from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.search.examples import example_questions, question_from
from tests.support.paths import REPO


def article(*texts: str, title: str = "A title.") -> Article:
    return Article(id="a", title=title, paragraphs=tuple(Paragraph(t) for t in texts))


def test_counted_sentence_becomes_a_how_many_question() -> None:
    assert question_from(article("Officials said 1,200 flights were cancelled after the storm.")) == \
        "How many flights were cancelled?"
    assert question_from(article("Over 10,000 North Korean soldiers were sent to Russia in 2024.")) == \
        "How many North Korean soldiers were sent to Russia?"


def test_sentences_that_make_bad_questions_are_skipped() -> None:
    assert question_from(article("It grew in 2004. These valuations were the highest.")) is None
    assert question_from(article("It took 3 years were wasted.", "Some 40 countries have been involved.")) is None


def test_examples_prefer_questions_then_titles() -> None:
    plain = article("No numbers here.", title="Quiet day.")
    counted = article("About 300 workers were hired by the plant.")
    assert example_questions([plain, counted], 2) == ["How many workers were hired?", "Quiet day"]


def test_every_example_of_the_corpus_is_answered() -> None:
    engine = Engine.load(REPO / "corpus")
    examples = engine.example_questions(3)
    assert examples == ["How many North Korean soldiers were sent to Russia?"]
    assert all(engine.ask(q).found for q in examples)
