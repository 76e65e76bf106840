"""Whether the best passage answers the question at all: below `MIN_CONFIDENCE` the bot says "not found".

BM25 always returns something, so the gate judges the winner by how much of the question it holds, not by
its score (whose scale grows with the corpus). Every ingredient is a share in [0, 1]:

- coverage, sentence, window, title: the ranking's evidence for the best passage (see ranking);
- length: questions of fewer than `FULL_LENGTH` distinct terms match a wrong passage by chance more easily;
- rarity: the question terms' mean idf over the highest idf the corpus allows (log of its size), so it is
  comparable across corpus sizes; a question of common words matches anything.

Weights and threshold were chosen on the protocol of `evaluation.abstention` (SQuAD dev even articles + BBC
indexed, odd articles asked as off-corpus questions): at 0.48 the gate abstains on 81 % of off-corpus
questions while dropping 2.2 % of correct answers (0.475: 79 % / 1.8 %); coverage alone reaches ~68 % at the
same cost. Fitted on articles 0 and 1 mod 4 and checked on 2 and 3 mod 4, none of these refused more off-corpus
questions at 2 % lost than noise (about a point either way): the second passage's score over the first's, the
rarest question term or the two rarest missing, the idf of the rarest missing term over `max_idf`, terms the
corpus has never seen, the share of question words (not idf mass) found, the phrase and exact shares of the
ranking, question-asking words ("kind", "type", "name", "year") left out, a logistic fit of all of them.
Off-corpus questions that pass share most of their words with a passage on a neighbouring topic ("What is
Europe's largest inland port?" → "the world's largest port, Rotterdam"), which word statistics cannot tell
from a paraphrased in-corpus question.
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
