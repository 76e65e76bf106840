"""The command line as a user runs it: `python -m bot …` in a subprocess."""
import gzip
import json
import shutil
from pathlib import Path

import pytest

from bot.tg.feedback import FeedbackStore
from tests.support.cli import run_bot
from tests.support.paths import DATA, REPO

DIED = "Seoul’s intelligence services estimate that roughly 2,000 North Korean soldiers have died so far."


def test_ask_json_prints_the_passage_and_source() -> None:
    result = run_bot("ask", "--json", "how many soldiers died?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    answer = data["answer"]
    assert answer["passage"] == DIED
    assert answer["sentence"] in answer["passage"]
    assert answer["article"]["outlets"] == ["AFP", "News.ro", "Reuters", "BBC"]
    assert set(answer["article"]) == {"id", "title", "url", "outlets", "published", "added", "date", "date_text"}
    assert isinstance(answer["score"], float) and data["alternatives"] == []  # no other passage says how many died


def test_ask_not_found_is_null_json_and_exit_1() -> None:
    result = run_bot("ask", "--json", "what is the capital of Peru?")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"question": "what is the capital of Peru?", "answer": None, "alternatives": [],
                                         "read_as": [], "earlier": [], "time_note": "", "small_talk": None,
                                         "language": "en"}


def test_ask_small_talk_is_not_searched() -> None:
    result = run_bot("ask", "--json", "thanks!")
    assert result.returncode == 1
    assert json.loads(result.stdout)["small_talk"] == "thanks"
    assert run_bot("ask", "thanks!").stdout.startswith("You're welcome!")


def test_a_misspelt_word_is_read_as_the_corpus_spells_it_and_said_so() -> None:
    result = run_bot("ask", "--json", "how many soldirs died?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["read_as"] == [["soldirs", "soldiers"]] and "2,000 North Korean soldiers" in data["answer"]["passage"]
    chat = run_bot(stdin="how many soldirs died?\n").stdout
    assert "(Read “soldirs” as “soldiers”.)" in chat and "2,000 North Korean soldiers" in chat


def chat(*lines: str, corpus: Path | None = None) -> list[str]:
    """The terminal chat's replies, one per line typed (after the greeting)."""
    result = run_bot(stdin="".join(f"{line}\n" for line in lines), corpus=corpus)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n? ")[1:len(lines) + 1]


def test_default_without_token_is_a_terminal_chat() -> None:
    result = run_bot(stdin="how many soldiers died?\nwhat is the capital of Peru?\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Type `help` for the commands" in out
    assert f"**{DIED}**" in out
    assert "AFP, News.ro, Reuters, BBC" in out
    assert "Not found" in out


def test_chat_more_shows_the_next_answer_then_says_there_are_no_more() -> None:
    question = "how many north korean soldiers were sent to russia"
    first, *more = chat(question, *["more"] * 4)
    assert "over 10,000 North Korean soldiers were sent to Russia" in first and "(2 more: type 'more')" in first
    assert [reply.split(":", 1)[0] for reply in more[:2]] == ["Answer 2 of 3", "Answer 3 of 3"]
    assert len({reply.split("\n")[1] for reply in more[:2]}) == 2  # each a different passage
    assert more[1].rstrip().endswith("(no more answers)")
    assert more[2].startswith("No more answers.") and more[3].startswith("No more answers.")


def test_chat_help_and_list_are_commands_and_not_found_names_what_works() -> None:
    help_text, listing, not_found, more = chat("help", "list", "what is the capital of Peru?", "more")
    assert "more " in help_text and "list " in help_text and "help " in help_text
    assert listing.startswith("north-korean-soldiers-captured-in-ukraine-want-to-defect\t14 ¶\ten\t")
    assert "type `list`" in not_found and "python -m bot" not in not_found
    assert more.startswith("No more answers")


def test_chat_says_when_no_article_is_in_the_questions_language() -> None:
    [reply] = chat("Сколько солдат КНДР погибло?")
    assert reply.startswith("Not found: no article is in Russian. Ask in English, or type `list`.")


def test_chat_small_talk_gets_a_line_and_a_hint_not_a_passage() -> None:
    for reply, expected in zip(chat("thanks", "hi", "who are you?"),
                               ["You're welcome!", "Hi!", "I answer questions about the news"], strict=True):
        assert reply.startswith(expected) and "Ask me about the news" in reply
        assert "—" not in reply and "Read “" not in reply  # no passage, no source, no "correction"


def test_list_shows_articles_and_reports_bad_files(corpus_dir: Path) -> None:
    (corpus_dir / "bad.md").write_text("---\nno closing")
    (corpus_dir / "kyiv.md").write_text("# Міст через Дніпро\n\nНовий міст через Дніпро у Києві відкрили для руху в "
                                        "четвер після трьох років будівництва.\n", encoding="utf-8")
    result = run_bot("list", corpus=corpus_dir)
    assert result.returncode == 0
    assert "north-korean-soldiers-captured-in-ukraine-want-to-defect\t14 ¶\ten\t" in result.stdout
    assert "kyiv\t1 ¶\tuk\t" in result.stdout  # no header: told from its text, as it is searched
    assert "skipped bad.md" in result.stderr


@pytest.mark.skipif(not (DATA / "squad-dev").is_dir(), reason="needs ../shared/data")
def test_eval_on_a_squad_slice(tmp_path: Path) -> None:
    with gzip.open(DATA / "squad-dev" / "dev-v1.1.json.gz", "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    data["data"] = data["data"][:3]
    questions = sum(len(p["qas"]) for a in data["data"] for p in a["paragraphs"])
    small = tmp_path / "small.json"
    small.write_text(json.dumps(data))
    result = run_bot("eval", str(small))
    assert result.returncode == 0, result.stderr
    figures = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert int(figures["SQuAD questions"]) == questions
    assert 0.6 < float(figures["top-1"]) <= float(figures["top-3"]) <= 1.0


@pytest.fixture
def revised_corpus(tmp_path: Path) -> Path:
    from tests.support.revisions import REVISED
    from tests.support.telegram_harness import write_corpus

    return write_corpus(tmp_path / "corpus", REVISED)


def test_ask_json_gives_the_dates_and_the_earlier_reports(revised_corpus: Path) -> None:
    result = run_bot("ask", "--json", "--today", "2025-11-21", "how many soldiers died?", corpus=revised_corpus)
    data = json.loads(result.stdout)
    article = data["answer"]["article"]
    assert (article["id"], article["date"], article["date_text"]) == ("nk-2000", "2025-11-20", "20 Nov 2025")
    [earlier] = data["earlier"]
    assert earlier["value"] == "about 300" and earlier["article"]["date_text"] == "13 Jan 2025"
    assert data["alternatives"][0]["article"]["published"] == "2025-01-13"


def test_terminal_chat_dates_answers_and_answers_in_time(revised_corpus: Path) -> None:
    result = run_bot("chat", "--today", "2025-11-21", corpus=revised_corpus,
                     stdin="how many soldiers died?\nwhat happened in january\nwhat did the mayor say in March?\n")
    out = result.stdout
    assert "· Reuters, BBC · 20 Nov 2025\n  Earlier: about 300, Yonhap, 13 Jan 2025" in out
    assert "(Articles from January 2025, newest first.)\n**About 300 North Korean soldiers" in out
    assert "(Nothing from March 2025 answers this.)\nNot found" in out


def test_list_narrowed_by_a_span(revised_corpus: Path) -> None:
    result = run_bot("list", "--today", "2025-11-21", "7d", corpus=revised_corpus)
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["nk-2000", "budget", "bridge"]
    assert "\tadded on 19 Nov 2025\t" in result.stdout
    bad = run_bot("list", "2025-13", corpus=revised_corpus)
    assert bad.returncode == 2 and "is not a span" in bad.stderr


NATURAL = [  # (typed as people do, a piece of the passage that answers)
    ("death toll", "about 2,000 North Korean soldiers deployed to help Russia fight Ukraine have been killed"),
    ("what's the death toll", "about 2,000 North Korean soldiers deployed to help Russia fight Ukraine"),
    ("how many north korean soldiers died", DIED),
    ("how many north korean soldiers died in 2025?", "died"),
    ("how many north korean soldiers died?!", DIED),
    ("what did zelensky say", "Zelensky said on Sunday"),
    ("what did zelensky say about territory", "Zelensky said on Sunday"),
    ("when did the interview take place", "The conversation took place on October 28"),
    ("what did the men read", "one of the men reading letters"),
    ("what does the south korean constitution say", "Under South Korea’s constitution"),
]


def test_chat_answers_short_and_natural_questions(tmp_path: Path) -> None:
    """Headlines, a year or punctuation added, "what did X say", took/take and men/man, over the repository's
    article and two more (tests/data/articles)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in [*(REPO / "corpus").glob("*.md"), *(REPO / "tests" / "data" / "articles").glob("*.md")]:
        (corpus / path.name).write_bytes(path.read_bytes())
    replies = chat(*(question for question, _ in NATURAL), corpus=corpus)
    for (question, passage), reply in zip(NATURAL, replies, strict=True):
        assert passage in reply and not reply.startswith("Not found"), (question, reply)


def test_shell_changes_are_in_the_audit_log(tmp_path: Path) -> None:
    """`add`, `remove` (by an id prefix) and `undo` in the shell are logged as the admins' are, as "shell"."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus, ignore=shutil.ignore_patterns(".*"))
    story = tmp_path / "story.txt"
    story.write_text("Harbour bridge reopens\nThe harbour bridge reopened on Monday after eight months of repairs.\n")
    env = {"DATA_DIR": str(tmp_path / "var")}
    assert run_bot("add", str(story), corpus=corpus, env=env).returncode == 0
    assert run_bot("remove", "harbour-bri", corpus=corpus, env=env).returncode == 0
    assert run_bot("undo", corpus=corpus, env=env).returncode == 0
    store = FeedbackStore.in_dir(tmp_path / "var")
    logged = [(a.who, a.action, a.article_id) for a in reversed(store.actions())]
    store.close()
    assert logged == [("shell", "add", "harbour-bridge-reopens"), ("shell", "remove", "harbour-bridge-reopens"),
                      ("shell", "undo remove", "harbour-bridge-reopens")]


@pytest.mark.parametrize("word", ["quit", "exit", "Quit"])
def test_chat_quit_leaves_without_searching_the_word(word: str) -> None:
    result = run_bot(stdin=f"how many soldiers died?\n{word}\nwhat is the capital of Peru?\n")
    assert result.returncode == 0, result.stderr
    assert f"**{DIED}**" in result.stdout and "Not found" not in result.stdout  # nothing after it was asked
