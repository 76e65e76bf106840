import gc
from dataclasses import replace
from pathlib import Path

import pytest

from bot.search.engine import Engine
from tests.support.paths import REPO

DIED = "Seoul’s intelligence services estimate that roughly 2,000 North Korean soldiers have died so far."


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(REPO / "corpus")


def test_how_many_soldiers_died(engine: Engine) -> None:
    answer = engine.ask("how many soldiers died?")
    assert answer.best.text == DIED
    assert answer.best.article.outlets == ("AFP", "News.ro", "Reuters", "BBC")
    assert answer.best.article.title.startswith("Over 10.000 North Korean soldiers")


def test_how_many_were_sent_finds_the_10000_paragraph(engine: Engine) -> None:
    answer = engine.ask("How many North Korean soldiers were sent to Russia?")
    assert "over 10,000 North Korean soldiers were sent to Russia" in answer.best.text
    assert answer.best.sentence in answer.best.text


def test_off_topic_question_is_not_found(engine: Engine) -> None:
    answer = engine.ask("what is the capital of Peru?")
    assert not answer.found and answer.best is None and answer.alternatives == ()


@pytest.mark.parametrize("question", ["", "   ", "the of and", "?!", "\x00"])
def test_questions_without_words_are_not_found(engine: Engine, question: str) -> None:
    assert not engine.ask(question).found


def test_marked_sentence_is_the_most_relevant_one(engine: Engine) -> None:
    answer = engine.ask("Where did the conversation take place?")
    assert answer.best.sentence.startswith("The conversation took place on October 28 in Kyiv")
    assert answer.best.text.startswith(answer.best.sentence)


def test_alternatives_are_ranked_and_distinct(engine: Engine) -> None:
    answer = engine.ask("North Korean soldiers", limit=4)
    passages = [answer.best, *answer.alternatives]
    assert len(passages) == 4
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert len({p.paragraph_index for p in passages}) == 4


def test_bad_files_are_reported_and_skipped(corpus_dir: Path) -> None:
    (corpus_dir / "broken.md").write_text("---\ntitle: never closed\n")
    (corpus_dir / "binary.txt").write_bytes(b"\x00\x01\x02")
    (corpus_dir / "latin1.txt").write_bytes("Caf\xe9 title\nBody".encode("latin-1"))
    (corpus_dir / "notes.pdf").write_bytes(b"%PDF")
    engine = Engine.load(corpus_dir)
    assert set(engine.errors) == {"broken.md", "binary.txt", "latin1.txt"}
    assert "never closed" in engine.errors["broken.md"]
    assert len(engine.articles) == 1
    assert engine.ask("how many soldiers died?").found


def test_empty_or_missing_corpus_answers_not_found(tmp_path: Path) -> None:
    engine = Engine.load(tmp_path / "missing")
    assert engine.articles == [] and not engine.ask("how many soldiers died?").found


def test_questions_on_one_thread_while_articles_change_on_another(corpus_dir: Path) -> None:
    """The bot answers on a worker thread while admins add and remove on others: no crash, no torn view."""
    import threading

    from bot.corpus.importing import article_from_text

    engine = Engine.load(corpus_dir)
    errors: list[BaseException] = []

    def churn() -> None:
        try:
            for n in range(60):
                article = article_from_text(f"Harbour news {n}\nThe harbour of Lima handled {n} ships.")
                engine.add_articles([replace(article, id=f"h{n}")])
                if n % 2:
                    engine.remove_articles({f"h{n - 1}"})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=churn)
    worker.start()
    while worker.is_alive():
        answer = engine.ask("how many soldiers died?")
        assert answer.best.text.startswith("Seoul’s intelligence services estimate")
        harbour = engine.ask("how many ships did the harbour of Lima handle?")
        if harbour.found:
            assert harbour.best.article.title.startswith("Harbour news")
    worker.join()
    assert errors == []
    assert {a.id for a in engine.articles if a.id.startswith("h")} == {f"h{n}" for n in range(1, 60, 2)}


def test_warm_up_takes_the_loaded_corpus_out_of_the_collectors_rounds(engine: Engine) -> None:
    gc.unfreeze()
    try:
        engine.warm_up()
        assert gc.get_freeze_count() > 0  # the articles among them: no full collection walks them again
        assert engine.ask("how many soldiers died?").found
    finally:
        gc.unfreeze()
