"""Which language a text is in: py3langid (a naive Bayes over byte n-grams that ships its model; numpy only),
restricted to the languages the bot can analyse (see languages).

- An article: its title and first paragraphs, once, when it comes in (the result is written into its file as
  `language:`, where an admin can correct it). Too little text, or no clear winner: None, and the caller falls
  back to `SEARCH_LANGUAGE`.
- A question: three to six words are little to go on, and a question can only match the corpus's languages
  anyway. When its script tells which of them it is in (a Cyrillic question over English and Russian news; any
  Latin one over English news alone), that is its language, without a model. A language with under `MINOR` of
  the corpus's paragraphs does not count in that choice unless it is the asker's Telegram language: a few Dutch
  posts among a million English paragraphs must not make every English question a toss-up, nor pay for the model
  (a Dutch question there is read as English, and still finds the Dutch posts by their names and numbers, unless
  the asker's app is Dutch). Otherwise py3langid's probabilities are weighed by what is known besides: the
  languages of the corpus (another language counts `OUTSIDE` as much: people mostly ask in the language of what
  they read; a language with under `MINOR` of the corpus proportionally less) and the user's Telegram
  language_code (`HINT` times more).
  When the best reading is not `SURE`, the two best are both searched and the answer the gate trusts more wins
  (see engine).

The model (0.8 s, about 100 MB) loads on first use; `Engine.warm_up` loads it when the bot starts. Accuracy on
short texts and how the weights were chosen: docs/languages.md.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from functools import cache
from typing import Any

from .languages import LANGUAGES
from .tokenizer import script_of

OUTSIDE = 0.05
MINOR = 0.01  # a language with a smaller share of the corpus's paragraphs counts less (see above and engine)
HINT = 4.0
SURE = 0.8
ARTICLE_SAMPLE = 600  # characters of an article read: title and lede tell its language as well as the rest
MIN_LETTERS = 12  # an article with fewer letters has no language to tell
MIN_ARTICLE_PROBABILITY = 0.5

_LETTER = re.compile(r"[^\W\d_]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in LANGUAGES if code in identifier.labels])
    return identifier


def load() -> None:
    """Load the model now rather than on the first text (see `Engine.warm_up`)."""
    _identifier()


def probabilities(text: str) -> dict[str, float]:
    """P(language | text) over the analysable languages; Han characters without kana are Chinese (py3langid
    takes short Chinese for Japanese)."""
    ranked = dict(_identifier().rank(text))
    if _HAN.search(text) and not _KANA.search(text) and "zh" in ranked:
        ranked = {code: p if code == "zh" else p * 0.01 for code, p in ranked.items()}
        total = sum(ranked.values()) or 1.0
        ranked = {code: p / total for code, p in ranked.items()}
    return ranked


def article_language(title: str, paragraphs: Collection[str]) -> str | None:
    """The language of an article's text, or None when it cannot be told."""
    sample = title
    for paragraph in paragraphs:
        if len(sample) >= ARTICLE_SAMPLE:
            break
        sample += "\n" + paragraph
    sample = sample[:ARTICLE_SAMPLE]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    code, probability = max(probabilities(sample).items(), key=lambda item: item[1])
    return code if probability >= MIN_ARTICLE_PROBABILITY else None


def scripts(text: str) -> set[str]:
    """The scripts of a text's letters ("latin", "cyrillic", "han"…, see `tokenizer.script_of`)."""
    if text.isascii():
        return {"latin"} if _LETTER.search(text) else set()
    return {script_of(ch) for ch in text if ch.isalpha()}


def corpus_weight(code: str, corpus: Mapping[str, int], total: int) -> float:
    """How much the corpus makes a language likely (see the module): 1 from `MINOR` of its `total` paragraphs up,
    less below, `OUTSIDE` at least; 1 for every language when nothing is known of the corpus."""
    if not total:
        return 1.0
    return max(OUTSIDE, min(1.0, corpus.get(code, 0) / (MINOR * total)))


def question_languages(text: str, corpus: Mapping[str, int], hint: str | None = None) -> tuple[str, ...]:
    """The readings of a question worth searching, best first: one when it is clear, the two best when not; ()
    when the text has no letters to tell by (the caller then uses the corpus's or the fallback language).
    `corpus`: its paragraphs per language."""
    written = scripts(text)
    if not written:
        return ()
    candidates = [code for code in corpus if LANGUAGES[code].script in written]
    total = sum(corpus.values())
    likely = [code for code in candidates if code == hint or corpus[code] >= MINOR * total]
    if len(candidates) == 1:
        return (candidates[0],)
    if len(likely) == 1:
        return (likely[0],)
    weighted = {code: p * corpus_weight(code, corpus, total) * (HINT if code == hint else 1.0)
                for code, p in probabilities(text).items()}
    total = sum(weighted.values()) or 1.0
    ranked = sorted(weighted, key=weighted.__getitem__, reverse=True)
    if weighted[ranked[0]] / total >= SURE or len(ranked) == 1:
        return (ranked[0],)
    return (ranked[0], ranked[1])
