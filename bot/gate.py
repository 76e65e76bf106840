"""Whether the best passage answers the question at all: below `MIN_CONFIDENCE` the bot says "not found".

BM25 always returns something, so the gate judges the winner by how much of the question it holds, not by
its score (whose scale grows with the corpus). Every ingredient is a share in [0, 1]:

- coverage, sentence, window, title: the ranking's evidence for the best passage (see ranking);
- length: questions of fewer than `FULL_LENGTH` distinct terms match a wrong passage by chance more easily;
- rarity: the question terms' mean idf over the highest idf the corpus allows (log of its size), so it is
  comparable across corpus sizes; a question of common words matches anything.

Weights and threshold were chosen on the protocol of `evaluation.abstention` (SQuAD dev even articles + BBC
indexed, odd articles asked as off-corpus questions): at 0.48 the gate abstains on ~80 % of off-corpus
questions while dropping ~2 % of correct answers; coverage alone reaches ~68 % at the same cost.
"""
from __future__ import annotations

from .ranking import Evidence, Question

MIN_CONFIDENCE = 0.48
FULL_LENGTH = 8
WEIGHTS = {"coverage": 3, "sentence": 1, "window": 1, "title": 1, "length": 2, "rarity": 2}


def confidence(question: Question, evidence: Evidence, max_idf: float) -> float:
    """Weighted mean of the shares above, in [0, 1]."""
    if not question.weights or max_idf <= 0:
        return 0.0
    shares = {
        "coverage": evidence.coverage,
        "sentence": evidence.sentence,
        "window": evidence.window,
        "title": evidence.title,
        "length": min(len(question.weights), FULL_LENGTH) / FULL_LENGTH,
        "rarity": min(sum(question.weights.values()) / len(question.weights) / max_idf, 1.0),
    }
    return sum(WEIGHTS[name] * share for name, share in shares.items()) / sum(WEIGHTS.values())
