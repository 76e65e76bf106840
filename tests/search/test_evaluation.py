"""Evaluation on a hand-made SQuAD file: figures, the abstention protocol and the printed table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.search.evaluation import Hit, Question, Report, _numbered, abstention_figures, evaluate, ranking_figures
from bot.search.qa_sets import load, qa_format

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
    questions = [Question("How many lanes?", frozenset({0}), ("eight",), 0),
                 Question("When did it open?", frozenset({1}), ("1932",), 0)]
    answers = {"How many lanes?": Hit([0, 1], 1.0, "It has eight lanes."),
               "When did it open?": Hit([0, 1], 1.0, "It opened.")}
    figures = ranking_figures(lambda text, k: answers[text], questions)
    assert figures["top-1"] == 0.5 and figures["top-3"] == 1.0 and figures["MRR@10"] == 0.75
    assert figures["top-1 'how many…' (1)"] == 1.0 and figures["top-1 'when…' (1)"] == 0.0
    assert figures["bold sentence holds the answer"] == 1.0


def test_abstention_counts_off_corpus_refusals_and_lost_correct_answers() -> None:
    questions = [Question("a", frozenset({0}), (), 0), Question("b", frozenset({1}), (), 2),
                 Question("c", frozenset(), (), 1), Question("d", frozenset(), (), 3)]
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
    assert "SQuAD questions: 5" in report.lines()


WIKIQA = """QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel
Q1\thow are glacier caves formed?\tD1\tGlacier cave\tD1-0\tA partly submerged glacier cave on Perito Moreno Glacier .\t0
Q1\thow are glacier caves formed?\tD1\tGlacier cave\tD1-1\tA glacier cave is a cave formed within the ice .\t1
Q2\twhen did the bridge open\tD2\tHarbour Bridge\tD2-0\tThe bridge -LRB- a steel arch -RRB- opened in 1932\t1
Q2\twhen did the bridge open\tD2\tHarbour Bridge\tD2-1\tIt carries `` eight '' lanes .\t0
Q3\twho painted the bridge\tD2\tHarbour Bridge\tD2-0\tThe bridge -LRB- a steel arch -RRB- opened in 1932\t0
Q4\twhat is a volcano\tD3\tVolcano\tD3-0\tA volcano is a rupture in the crust of a planet .\t0
Q5\twhat is a violin\tD4\tViolin\tD4-0\tThe violin is a wooden string instrument .\t0
"""
TRECQA = """qtext,label,atext
"When did the bridge open ?",1,"the bridge opened in 1932 ."
"When did the bridge open ?",0,"it carries eight lanes ."
"When did the bridge open ?",1,"`` It opened in 1932 , '' he said ."
"Who built it ?",0,"it carries eight lanes ."
"Who built it ?",0,"the volcano erupted on Saturday ."
"Who built it ?",0,"shares fell sharply in London ."
"""


def test_the_format_is_told_by_the_file_name() -> None:
    assert [qa_format(Path(name)) for name in ["dev-v1.1.json.gz", "WikiQA-train.tsv.gz", "trecqa-train.csv"]] == [
        "squad", "wikiqa", "trecqa"]
    with pytest.raises(ValueError, match="expected a SQuAD"):
        qa_format(Path("notes.txt"))


def test_wikiqa_pages_become_one_paragraph_articles_with_their_answer_sentences(tmp_path: Path) -> None:
    path = tmp_path / "WikiQA-train.tsv"
    path.write_text(WIKIQA)
    data = load(path)
    assert [a.title for a in data.articles] == ["Glacier cave", "Harbour Bridge", "Volcano", "Violin"]
    bridge_text = 'The bridge (a steel arch) opened in 1932. It carries "eight" lanes.'
    assert data.articles[1].paragraphs[0].text == bridge_text
    [glacier, bridge] = data.questions  # Q3 has no answer sentence
    assert bridge.gold == frozenset({(1, 0)}) and bridge.number == 2
    [question] = _numbered(data.articles, data, [bridge])
    assert question.bold_right("The bridge (a steel arch) opened in 1932.") is True
    assert question.bold_right("It carries \"eight\" lanes.") is False


def test_trecqa_sentences_are_paragraphs_and_every_answering_one_counts(tmp_path: Path) -> None:
    path = tmp_path / "trecqa-train.csv"
    path.write_text(TRECQA)
    data = load(path)
    assert [a.paragraphs[0].text for a in data.articles] == [
        "the bridge opened in 1932.", "it carries eight lanes.", '"It opened in 1932," he said.',
        "the volcano erupted on Saturday.", "shares fell sharply in London."]
    [question] = data.questions
    assert question.text == "When did the bridge open?" and question.gold == frozenset({(0, 0), (2, 0)})


@pytest.mark.parametrize(("name", "text"), [("WikiQA-train.tsv", WIKIQA), ("trecqa-train.csv", TRECQA)])
def test_real_question_sets_print_the_bot_beside_plain_and_stemmed_bm25(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    report = evaluate(path)
    assert list(report.columns) == ["bot", "rank-bm25", "stemmed BM25"]
    assert report.columns["bot"]["top-1"] == 1.0
    assert "correct answers lost to the gate" in report.columns["bot"]
    assert report.lines()[len(report.notes)].split() == ["bot", "rank-bm25", "stemmed", "BM25"]
    with pytest.raises(ValueError, match="needs a SQuAD file"):
        evaluate(path, abstain_protocol=[])
