"""Arbitrary text into every layer a user or admin can reach: nothing raises except with a clear ArticleError."""
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.importing import article_from_text, article_from_upload
from bot.corpus.parsing import ArticleError, parse_markdown, to_markdown
from bot.curation import Curator
from bot.search.engine import Engine
from bot.search.tokenizer import Tokenizer
from tests.support.paths import REPO

ENGINE = Engine.load(REPO / "corpus")
TOKENIZE = Tokenizer()
# What the first text of a script loads (its language's lemma table, the language model) is loaded before the
# clock of Hypothesis's deadline starts: a one-time cost, not a per-text one.
WARM = "Видео العربية ελληνικά հայերեն हिन्दी தமிழ் עברית ქართული 한국어 北京 ไทย Tất cả"
ENGINE.warm_up()
TOKENIZE(WARM)
ENGINE.ask(WARM)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=600)
suffixes = st.sampled_from(["a.txt", "a.md", "a.html", "a.htm", "a.bin", "a"])


@given(any_text)
def test_tokenizer_takes_anything(text: str) -> None:
    tokens = TOKENIZE(text)
    assert all(token and not any(ch.isspace() for ch in token) for token in tokens)


@settings(max_examples=60, deadline=None)  # the first question read in a language loads its tables (once)
@given(any_text)
def test_any_question_gets_an_answer_or_not_found(text: str) -> None:
    answer = ENGINE.ask(text)
    if answer.found:
        assert answer.best.sentence in answer.best.text


@given(st.text(min_size=4000, max_size=4096))
@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
def test_4096_character_questions(text: str) -> None:
    ENGINE.ask(text)


@settings(max_examples=80)
@given(suffixes, st.binary(max_size=2000) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_upload_is_an_article_or_a_clear_error(name: str, data: bytes) -> None:
    try:
        article = article_from_upload(name, data)
    except ArticleError as exc:
        assert str(exc)
    else:
        assert article.title.strip() and article.paragraphs


@settings(max_examples=60)
@given(any_text)
def test_stored_articles_read_back_identically(text: str) -> None:
    try:
        article = article_from_text(text)
    except ArticleError:
        return
    assert parse_markdown(to_markdown(article), article.id) == article


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(any_text)
def test_adding_any_text_never_corrupts_the_corpus(tmp_path: Path, text: str) -> None:
    folder = tmp_path / f"c{abs(hash(text))}"
    folder.mkdir()
    curator = Curator(folder, Engine([]))
    try:
        added = curator.add(article_from_text(text))
    except ArticleError:
        assert not any(folder.iterdir())
        return
    reloaded = Engine.load(folder)
    assert reloaded.errors == {} and reloaded.articles == [added.article]
