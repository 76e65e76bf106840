"""Telling chat from questions: whole messages of small-talk phrases, never a question that contains one."""
from __future__ import annotations

import csv
import gzip
import json

import pytest

from bot.search.smalltalk import SmallTalk, small_talk
from tests.support.paths import DATA


@pytest.mark.parametrize(("message", "kind"), [
    ("thanks!", "thanks"), ("thx", "thanks"), ("Thank you so much", "thanks"), ("thanks a lot bot", "thanks"),
    ("ok", "ack"), ("OK.", "ack"), ("got it", "ack"), ("cool, thanks", "thanks"), ("lol", "laugh"),
    ("hahaha that's funny", "laugh"), ("hi", "greeting"), ("Hello!", "greeting"), ("hey bot", "greeting"),
    ("good morning", "greeting"), ("👍", "emoji"), ("😂😂", "emoji"), ("?", "emoji"), ("!!!", "emoji"),
    ("who are you?", "identity"), ("What can you do?", "identity"), ("help", "identity"),
    ("hi, who are you?", "identity"), ("how are you?", "how_are_you"), ("bye", "bye"), ("see you later", "bye"),
    ("спасибо большое!", "thanks"), ("Привет!", "greeting"), ("что ты умеешь?", "identity"), ("gracias", "thanks"),
    ("¿quién eres?", "identity"), ("danke schön", "thanks"), ("merci", "thanks"), ("ça va?", "how_are_you"),
    ("дякую тобі!", "thanks"), ("Добрий вечір", "greeting"), ("що ти вмієш?", "identity"),
    ("як справи?", "how_are_you"),
    ("شكرا لك", "thanks"), ("شكراً جزيلاً", "thanks"), ("مرحبا", "greeting"), ("من أنت؟", "identity"),
])
def test_chat_messages_are_small_talk_of_their_kind(message: str, kind: str) -> None:
    assert small_talk(message).kind == kind


@pytest.mark.parametrize("question", [
    "thanks to whom did the prize go", "who sang hello", "what does ok mean", "how are you supposed to pay taxes",
    "who are you by the who", "what can you do with a degree in history", "good morning america host",
    "what did zelensky say", "death toll", "what is lol", "help desk salary", "ok computer release date",
    "hi-fi history", "how many soldiers died?", "",
])
def test_questions_that_contain_chat_words_are_questions(question: str) -> None:
    assert small_talk(question) is None


def test_the_language_of_the_phrase_comes_back() -> None:
    assert small_talk("gracias") == SmallTalk("thanks", "es")
    assert small_talk("спасибо") == SmallTalk("thanks", "ru")
    assert small_talk("no") == SmallTalk("ack", "en")  # also Italian and Spanish: the bot's language first


def _real_questions() -> list[str]:
    with gzip.open(DATA / "squad-dev" / "dev-v1.1.json.gz", "rt", encoding="utf-8") as handle:
        questions = [qa["question"] for a in json.load(handle)["data"] for p in a["paragraphs"] for qa in p["qas"]]
    with gzip.open(DATA / "wikiqa" / "WikiQA-train.tsv.gz", "rt", encoding="utf-8") as handle:
        questions += [row["Question"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    with (DATA / "trecqa" / "trecqa-train.csv").open(encoding="utf-8") as handle:
        questions += [row["qtext"] for row in csv.DictReader(handle)]
    return list(dict.fromkeys(questions))


@pytest.mark.skipif(not (DATA / "wikiqa").is_dir(), reason="needs ../shared/data")
def test_no_real_question_is_taken_for_small_talk() -> None:
    questions = _real_questions()
    assert len(questions) > 12_000
    assert [q for q in questions if small_talk(q)] == []
