"""One corpus, many languages: each article and each question read in its own language (issue 15)."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.corpus.importing import article_from_text
from bot.corpus.parsing import read_article
from bot.curation import Curator
from bot.models import Article, Paragraph
from bot.search import detect
from bot.search.engine import Engine
from bot.search.ranking import Question, _is_number
from bot.search.tokenizer import Tokenizer
from tests.support.paths import TEST_DATA

LANGUAGES = TEST_DATA / "languages"  # ru, uk, ar, zh and en articles, none with a `language:` header


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(LANGUAGES, corpus)
    return corpus


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    corpus = tmp_path_factory.mktemp("languages") / "corpus"
    shutil.copytree(LANGUAGES, corpus)
    return Engine.load(corpus)


def test_each_article_is_read_in_the_language_of_its_text(engine: Engine) -> None:
    assert engine.languages == {"ru": 2, "uk": 2, "ar": 2, "zh": 2, "en": 1}
    assert engine.article_languages() == {"kndr-losses": "ru", "kyiv-bridge": "uk", "harbour-bridge-ar": "ar",
                                          "beijing-airport": "zh", "harbour-bridge": "en"}


@pytest.mark.parametrize(("question", "language", "article", "holds"), [
    ("Сколько солдат КНДР погибло?", "ru", "kndr-losses", "около 300 солдат КНДР погибли"),
    ("скока солдат кндр погибло", "ru", "kndr-losses", "около 300 солдат"),  # sloppy, lower case, a typo
    ("Сколько солдат отправили в Россию?", "ru", "kndr-losses", "более 10 000"),
    ("Скільки коштував міст?", "uk", "kyiv-bridge", "2 мільярди гривень"),
    ("كم كلفت إصلاحات الجسر؟", "ar", "harbour-bridge-ar", "40 مليون دولار"),
    ("北京新机场每年接待多少旅客？", "zh", "beijing-airport", "7200万人次"),
    ("新机场离天安门多远", "zh", "beijing-airport", "46公里"),
    ("How much did the bridge repairs cost?", "en", "harbour-bridge", "40 million dollars"),
    ("Сколько солдат КНДР (North Korea) погибло?", "ru", "kndr-losses", "около 300"),  # mixed scripts
])
def test_a_question_finds_the_answer_in_its_own_language(engine: Engine, question: str, language: str,
                                                          article: str, holds: str) -> None:
    answer = engine.ask(question)
    assert answer.language == language
    assert answer.best.article.id == article and holds in answer.best.sentence


def test_correct_words_of_the_questions_language_are_not_corrected(engine: Engine) -> None:
    """The issue's example: over the English analysis "отправили" was "read as отправил"."""
    assert engine.ask("Сколько солдат отправили в Россию?").read_as == ()
    assert engine.ask("Сколько солдат КНДР погибло?").read_as == ()


@pytest.mark.parametrize("question", ["Wie viele Menschen wohnen in Berlin?", "Πόσοι στρατιώτες σκοτώθηκαν;",
                                      "Kaç asker öldü?", "ما هي عاصمة البيرو؟"])
def test_a_question_no_article_answers_is_not_found(engine: Engine, question: str) -> None:
    assert not engine.ask(question).found


@pytest.mark.parametrize("hint", [None, "ru", "uk", "en", "pt-br", "nonsense"])
def test_the_askers_telegram_language_is_a_hint_not_a_verdict(engine: Engine, hint: str | None) -> None:
    answer = engine.ask("Сколько солдат КНДР погибло?", language_hint=hint)
    # Short Russian and Ukrainian are close: a Ukrainian user's hint may tip the reading, never the answer.
    assert answer.language == ("uk" if hint == "uk" else "ru") and "около 300" in answer.best.sentence
    assert engine.ask("Скільки коштував міст?", language_hint=hint).language == "uk"


def test_a_russian_how_many_wants_a_number_as_an_english_one_does() -> None:
    for question, tokenizer in [("Сколько солдат погибло?", Tokenizer("ru")), ("How many died?", Tokenizer()),
                                ("北京有多少人？", Tokenizer("zh")), ("كم عدد الجنود؟", Tokenizer("ar"))]:
        assert Question.parse(question, tokenizer, lambda term: 1.0).wants is _is_number


def test_a_nonsense_language_header_is_said_and_the_fallback_used(folder: Path) -> None:
    path = folder / "harbour-bridge.md"
    path.write_text(path.read_text().replace("title:", "language: klingon\ntitle:", 1))
    engine = Engine.load(folder, language="en")
    assert "klingon" in engine.warnings["harbour-bridge"] and "read as English" in engine.warnings["harbour-bridge"]
    assert engine.ask("How much did the bridge repairs cost?").found


def test_a_header_wins_over_the_text_and_a_corrected_one_is_reindexed(folder: Path) -> None:
    first = Engine.load(folder)
    assert first.language_of(next(n for n, loc in enumerate(first.locations) if loc.article.id == "kyiv-bridge")) \
        == "uk"
    path = folder / "kyiv-bridge.md"
    path.write_text(path.read_text().replace("title:", "language: ru\ntitle:", 1))
    again = Engine.load(folder)  # from the saved index: the article's language changed, so it is read again
    assert again.languages["ru"] == 4 and "uk" not in again.languages


def test_the_saved_index_keeps_each_articles_language(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Engine.load(folder)
    monkeypatch.setattr("bot.search.detect.article_language", lambda *_: pytest.fail("detected again"))
    assert Engine.load(folder).languages == {"ru": 2, "uk": 2, "ar": 2, "zh": 2, "en": 1}


def test_an_added_article_gets_its_language_written_into_its_file(folder: Path) -> None:
    curator = Curator(folder, Engine.load(folder))
    added = curator.add(article_from_text("Паводок в Одесі\nУ четвер вода піднялася на два метри, повідомили "
                                          "рятувальники міста."))
    assert added.article.language == "uk" and "Ukrainian (uk, detected)" in added.describe()
    assert read_article(folder / f"{added.article.id}.md").language == "uk"
    assert curator.engine.ask("На скільки метрів піднялася вода?").best.article.id == added.article.id


def test_text_too_short_to_tell_is_read_in_the_fallback_language(folder: Path) -> None:
    article = replace(read_article(folder / "harbour-bridge.md"), id="short", title="MH17",
                      paragraphs=(replace(read_article(folder / "harbour-bridge.md").paragraphs[0], text="2025: 298"),))
    engine = Engine([article], Tokenizer("ru"))
    assert engine.languages == {"ru": 1}


def test_a_handful_of_paragraphs_in_another_language_does_not_split_an_english_corpus() -> None:
    """A few Dutch posts among English news (as in 20 Newsgroups): English questions are read in English alone
    and search every paragraph at once; a Dutch question still finds the Dutch post, its own language first."""
    english = [Article(f"story-{n}", f"Council report {n}", tuple(
        Paragraph(f"The council approved budget number {n * 10 + k} for the harbour ferries on Monday, officials "
                  f"said in a statement about the {k}th meeting.") for k in range(10))) for n in range(200)]
    dutch = article_from_text("Symposium over compacte objecten\nHet sterrenkundig symposium over compacte objecten "
                              "vindt plaats op 26 april in Amsterdam, zeggen de organisatoren van de universiteit.")
    engine = Engine([*english, replace(dutch, language="nl")], Tokenizer("en"))
    assert engine.languages == {"en": 2000, "nl": 1}
    weight = {code: detect.corpus_weight(code, engine.languages, 2001) for code in ("en", "nl")}
    assert weight["nl"] < 1.0 == weight["en"]
    assert engine.view.outside("en") is None and engine.view.outside("nl") is not None
    assert engine.question_languages("death toll") == engine.question_languages("ferry budget") == ("en",)
    dutch_question = "Waar vindt het sterrenkundig symposium plaats?"
    assert engine.question_languages(dutch_question) == ("en",)
    assert engine.ask(dutch_question).best.article.id == dutch.id  # by its words as written
    answer = engine.ask(dutch_question, language_hint="nl")  # the asker's app is Dutch: read as Dutch
    assert answer.language == "nl" and answer.best.article.id == dutch.id
