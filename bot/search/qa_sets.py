"""Question-answering data sets as articles plus questions: SQuAD (JSON), WikiQA (TSV) and TrecQA (CSV), read as
they are published. The format is told by the file name: `.json[.gz]` SQuAD, `.tsv[.gz]` WikiQA, `.csv[.gz]`
TrecQA (`qa_format`).

SQuAD's questions were written by people reading the paragraph; WikiQA's were typed into a search engine and
TrecQA's are TREC factoid questions over newswire, both written without seeing the passage: the questions
people really ask.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..corpus.importing import open_text
from ..models import Article, Paragraph

FORMATS = {".json": "squad", ".tsv": "wikiqa", ".csv": "trecqa"}


@dataclass(frozen=True)
class QA:
    """One answerable question: the article and paragraph numbers (within the data set) that answer it."""

    text: str
    gold: frozenset[tuple[int, int]]  # (article number, paragraph number)
    answers: tuple[str, ...] = ()  # SQuAD: answer spans; the bold sentence is right when it holds one
    sentences: tuple[tuple[int, int, bool], ...] = ()  # WikiQA: (start, end, answers) of the gold paragraph's
    number: int = 0  # the data set's own question number (held-out halves split on it)
    language: str = ""  # the data set's label for it (a mixed-language file's title suffix "(de)"), if any

    @property
    def article(self) -> int:
        return min(a for a, _ in self.gold)


@dataclass(frozen=True)
class QASet:
    name: str
    articles: list[Article]
    questions: list[QA]


def qa_format(path: Path) -> str:
    """"squad", "wikiqa" or "trecqa" from the file's extension (before a `.gz`)."""
    suffixes = [s for s in path.suffixes if s != ".gz"]
    kind = FORMATS.get(suffixes[-1].lower() if suffixes else "")
    if kind is None:
        raise ValueError(f"{path.name}: expected a SQuAD .json, a WikiQA .tsv or a TrecQA .csv file (.gz or not)")
    return kind


def load(path: Path) -> QASet:
    return {"squad": load_squad, "wikiqa": load_wikiqa, "trecqa": load_trecqa}[qa_format(path)](path)


# A language label ending a title: XQuAD's mixed file is its eight languages' files with " (de)" added to titles.
_LANGUAGE_LABEL = re.compile(r" \(([a-z]{2})\)$")


def load_squad(path: Path) -> QASet:
    """One article per SQuAD title, its contexts the paragraphs; a title's language label (" (de)") is taken off
    and kept with its questions (the engine is not told: it reads the article's language from its text)."""
    with open_text(path) as handle:
        data = json.load(handle)["data"]
    articles, questions = [], []
    for a, item in enumerate(data):
        paragraphs = tuple(Paragraph(" ".join(p["context"].split())) for p in item["paragraphs"])
        title = item["title"].replace("_", " ")
        label = _LANGUAGE_LABEL.search(title)
        articles.append(Article(id=f"squad-{a}", title=_LANGUAGE_LABEL.sub("", title), paragraphs=paragraphs))
        for p, para in enumerate(item["paragraphs"]):
            for qa in para["qas"]:
                if qa.get("answers"):
                    questions.append(QA(qa["question"], frozenset([(a, p)]), tuple(x["text"] for x in qa["answers"]),
                                        number=len(questions), language=label.group(1) if label else ""))
    return QASet("SQuAD", articles, questions)


# Penn Treebank tokenization as both sets ship it: `` '' -LRB- and spaces before punctuation. People read and
# type "(1994)" and "Seoul's", so the text is put back together before indexing.
_PTB = [(re.compile(p), r) for p, r in [
    (r"``\s*", '"'), (r"\s*''", '"'), (r"-LRB-\s*", "("), (r"\s*-RRB-", ")"), (r"-LSB-\s*", "["), (r"\s*-RSB-", "]"),
    (r"-LCB-\s*", "{"), (r"\s*-RCB-", "}"), (r"\s+([.,;:?!%])(?=[\s\"')\]]|$)", r"\1"),
    (r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1"), (r"\$\s+(?=\d)", "$")]]
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def detokenize(text: str) -> str:
    for pattern, replacement in _PTB:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def load_wikiqa(path: Path) -> QASet:
    """One article per Wikipedia page (its title the page's), its summary sentences joined into one paragraph
    (a full stop added where a sentence has none); the questions with at least one answer sentence."""
    with open_text(path) as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    pages: dict[str, tuple[str, dict[int, str]]] = {}
    asked: dict[str, tuple[str, str, set[int]]] = {}
    for row in rows:
        sentence = int(row["SentenceID"].rpartition("-")[2])
        pages.setdefault(row["DocumentID"], (row["DocumentTitle"], {}))[1][sentence] = detokenize(row["Sentence"])
        question = asked.setdefault(row["QuestionID"], (row["Question"], row["DocumentID"], set()))
        if row["Label"] == "1":
            question[2].add(sentence)
    articles, number, spans = [], {}, {}
    for page, (title, sentences) in pages.items():
        parts, offsets, start = [], [], 0
        for n in sorted(sentences):
            text = sentences[n] if _SENTENCE_END.search(sentences[n]) else sentences[n] + "."
            offsets.append((n, start, start + len(text)))
            parts.append(text)
            start += len(text) + 1
        number[page] = len(articles)
        spans[page] = offsets
        articles.append(Article(id=page, title=title, paragraphs=(Paragraph(" ".join(parts)),)))
    questions = [QA(text, frozenset([(number[page], 0)]),
                    sentences=tuple((a, b, n in good) for n, a, b in spans[page]), number=int(qid.lstrip("Q")))
                 for qid, (text, page, good) in asked.items() if good]
    return QASet("WikiQA", articles, questions)


def load_trecqa(path: Path) -> QASet:
    """Each distinct candidate sentence a one-paragraph article without a title (news sentences out of their
    articles); the questions with at least one answering sentence, all of which count as right."""
    with open_text(path) as handle:
        rows = list(csv.DictReader(handle))
    sentence_numbers: dict[str, int] = {}
    asked: dict[str, set[int]] = {}
    for row in rows:
        sentence = sentence_numbers.setdefault(detokenize(row["atext"]), len(sentence_numbers))
        good = asked.setdefault(detokenize(row["qtext"]), set())
        if row["label"] == "1":
            good.add(sentence)
    articles = [Article(id=f"trecqa-{n}", title="", paragraphs=(Paragraph(text),))
                for n, text in enumerate(sentence_numbers)]
    questions = [QA(text, frozenset((n, 0) for n in good), number=q)
                 for q, (text, good) in enumerate(asked.items()) if good]
    return QASet("TrecQA", articles, questions)
