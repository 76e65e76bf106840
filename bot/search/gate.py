"""Whether the best passage answers the question at all: below `MIN_CONFIDENCE` the bot says "not found".

BM25 always returns something, so the gate judges the winner by how much of the question it holds, not by
its score (whose scale grows with the corpus). Every ingredient is a share in [0, 1], so the threshold does not
depend on corpus size:

- coverage, sentence, window, title, phrase: the ranking's evidence for the best passage (see ranking);
- length: questions of fewer than `FULL_LENGTH` distinct terms match a wrong passage by chance more easily;
- rarity: the question terms' mean idf over the highest idf the corpus allows (log of its size); a question of
  common words matches anything;
- names: share of the idf mass of the question's names (words written with a capital, past the first word)
  found in the passage or its heading; 1 when the question names nothing. A passage about Harvard's
  basketball teams does not answer a question about Newcastle's, however many other words they share.

The weights and the threshold were fitted on half of the SQuAD abstention protocol together with WikiQA's
even questions (short search-engine questions, whose right answers the old weights refused four times as
often), and checked on the other halves; signals that measure article length rather than answerability were
left out on purpose. The figures,
and everything tried without gain, are in docs/quality.md ("The "not found" gate").
"""
from __future__ import annotations

import re
import unicodedata

from .ranking import Evidence, Question, heading_terms, terms
from .tokenizer import MARKS, Tokenizer

MIN_CONFIDENCE = 0.433
FULL_LENGTH = 8
WEIGHTS = {"coverage": 1.25, "sentence": 1, "window": 0.75, "title": 1.25, "length": 1.25, "rarity": 2, "phrase": 1,
           "names": 0.5}

_WORD = re.compile(rf"[\w{MARKS}]+(?:['’][\w{MARKS}]+)*")  # words as the tokenizer sees them, case kept


def name_terms(question: Question, tokenizer: Tokenizer) -> set[str]:
    """The question's terms written with a capital (or in capitals) anywhere but as its first word; none when
    every word is (a question in capitals or Title Case marks no names)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", question.text))
    if len(words) > 2 and all(word[0].isupper() for word in words):
        return set()
    names = {term for word in words[1:] if word[0].isupper() for term in tokenizer(word)}
    return names & question.weights.keys()


def name_share(question: Question, text: str, heading: str, tokenizer: Tokenizer,
               names: set[str] | None = None, lead: str = "") -> float:
    """Share of the idf mass of the question's names found in a passage's text (and lead) or heading; 1 without
    names. `names`: the question's `name_terms`, when the caller has them (one question, several passages)."""
    names = name_terms(question, tokenizer) if names is None else names
    total = sum(question.weights[t] for t in names)
    if total <= 0:
        return 1.0
    present = terms(text, tokenizer, lead) | heading_terms(heading, tokenizer)
    return sum(question.weights[t] for t in names if t in present) / total


def confidence(question: Question, evidence: Evidence, max_idf: float, names: float) -> float:
    """Weighted mean of the shares above, in [0, 1]; `names` is `name_share` for the same passage."""
    if not question.weights or max_idf <= 0:
        return 0.0
    shares = {
        "coverage": evidence.coverage,
        "sentence": evidence.sentence,
        "window": evidence.window,
        "title": evidence.title,
        "length": min(len(question.weights), FULL_LENGTH) / FULL_LENGTH,
        "rarity": min(sum(question.weights.values()) / len(question.weights) / max_idf, 1.0),
        "phrase": evidence.phrase,
        "names": names,
    }
    return sum(WEIGHTS[name] * share for name, share in shares.items()) / sum(WEIGHTS.values())
