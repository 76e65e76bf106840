"""Evaluation on a hand-made SQuAD file: figures, the abstention protocol and the printed table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.search.evaluation import Hit, Question, Report, abstention_figures, evaluate, ranking_figures

ARTICLES = [
    ("Harbour Bridge", "The harbour bridge opened in 1932. It carries eight lanes of traffic.",
     [("When did the harbour bridge open?", "1932"), ("How many lanes does the harbour bridge carry?", "eight")]),
    ("Volcano", "Mount Vesuvius erupted in 79 AD. It buried the town of Pompeii under ash.",
     [("Which town did Vesuvius bury?", "Pompeii")]),
    ("Glacier", "The Aletsch glacier is the largest glacier of the Alps. It flows south from the Jungfrau.",
     [("Which glacier is the largest of the Alps?", "Aletsch")]),
    ("Violin", "Antonio Stradivari made violins in Cremona. Who made them best is still argued.",
     [("Who made violins in Cremona?", "Antonio Stradivari")]),
]


@pytest.fixture
def squad(tmp_path: Path) -> Path:
    data = {"data": [{"title": title, "paragraphs": [{"context": text, "qas": [
        {"id": f"{t}-{n}", "question": q, "answers": [{"text": a, "answer_start": text.index(a)}]}
        for n, (q, a) in enumerate(qas)]}]} for t, (title, text, qas) in enumerate(ARTICLES)]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def news(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"title": "Markets", "paragraphs": ["Shares fell sharply on Monday in London."]}) + "\n")
    return path


def test_ranking_figures_count_positions_subsets_and_bold() -> None:
    questions = [Question("How many lanes?", 0, ("eight",), 0), Question("When did it open?", 1, ("1932",), 0)]
    answers = {"How many lanes?": Hit([0, 1], 1.0, "It has eight lanes."),
               "When did it open?": Hit([0, 1], 1.0, "It opened.")}
    figures = ranking_figures(lambda text, k: answers[text], questions)
    assert figures["top-1"] == 0.5 and figures["top-3"] == 1.0 and figures["MRR@10"] == 0.75
    assert figures["top-1 'how many…' (1)"] == 1.0 and figures["top-1 'when…' (1)"] == 0.0
    assert figures["bold sentence holds the answer"] == 1.0


def test_abstention_counts_off_corpus_refusals_and_lost_correct_answers() -> None:
    questions = [Question("a", 0, (), 0), Question("b", 1, (), 2), Question("c", -1, (), 1), Question("d", -1, (), 3)]
    confidence = {"a": 0.9, "b": 0.1, "c": 0.1, "d": 0.9}
    figures = abstention_figures(lambda text, k: Hit([{"a": 0, "b": 1}.get(text, 5)], confidence[text], ""),
                                 0.5, questions)
    assert figures == {"off-corpus: not found": 0.5, "in-corpus: correct answers lost to the gate": 0.5}


def test_report_prints_one_system_as_lines_and_several_as_a_table() -> None:
    assert Report({"bot": {"top-1": 0.5}}, ["questions: 2"]).lines() == ["questions: 2", "top-1: 0.500"]
    table = Report({"bot": {"top-1": 0.5}, "rank-bm25": {"top-1": 0.25}}, []).lines()
    assert table[0].split() == ["bot", "rank-bm25"] and table[1].split() == ["top-1", "0.500", "0.250"]


def test_evaluate_end_to_end_with_distractors_and_the_abstention_protocol(squad: Path, news: Path) -> None:
    report = evaluate(squad, [news], abstain_protocol=[news])
    bot, plain = report.columns["bot"], report.columns["rank-bm25"]
    assert bot["top-1"] == 1.0 and bot["among distractors: top-1"] == 1.0
    assert set(bot) == set(plain)
    assert 0.0 <= bot["off-corpus: not found"] <= 1.0
    assert "questions: 5" in report.lines()
