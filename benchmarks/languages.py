"""How well the bot tells languages (bot/search/detect.py) on short texts: XQuAD's questions and paragraphs in
eight languages (../shared/data/xquad), whole, cut to their first words, with and without the corpus's
languages and a Telegram language_code as hints.

    python -m benchmarks.languages

Questions are read as the engine reads them over the mixed corpus (its eight languages: `detect.question_languages`,
right when the first reading is the question's language; "top 2": when either of the two searched is), and with
no corpus at all (py3langid over every language the bot can analyse). Articles are read from their title and
first paragraphs (`detect.article_language`); here from a paragraph or its first 100 / 30 characters.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpora import DATA
from bot.search import detect
from bot.search.qa_sets import load

CORPUS = dict.fromkeys(("ar", "de", "en", "es", "hi", "ru", "vi", "zh"), 240)  # paragraphs per language
WRONG_HINT = {"en": "de", "de": "en", "es": "en", "ru": "uk", "ar": "en", "hi": "en", "vi": "en", "zh": "ja"}


def accuracy(name: str, items: list[tuple[str, str]], read: Callable[[str, str], tuple[str, ...] | str | None],
             top: int = 1) -> None:
    started = time.perf_counter()
    right, total, wrong = Counter(), Counter(), Counter()
    for text, language in items:
        found = read(text, language)
        found = (found,) if isinstance(found, str) or found is None else found
        ok = language in found[:top]
        right[language] += ok
        total[language] += 1
        if not ok:
            wrong[f"{language}→{found[0]}"] += 1
    ms = 1000 * (time.perf_counter() - started) / max(len(items), 1)
    cells = " ".join(f"{code} {right[code] / total[code]:.3f}" for code in sorted(total))
    worst = ", ".join(f"{k} {n}" for k, n in wrong.most_common(4)) or "none"
    print(f"{name:58} {sum(right.values()) / len(items):.3f}  ({cells}; {ms:.2f} ms; wrong: {worst})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    data = load(args.data / "xquad" / "xquad.mixed.json.gz")
    questions = [(qa.text, qa.language) for qa in data.questions]
    language_of = {a: qa.language for qa in data.questions for a, _ in qa.gold}
    paragraphs = [(p.text, language_of[n]) for n, a in enumerate(data.articles) if n in language_of
                  for p in a.paragraphs]
    started = time.perf_counter()
    detect.load()
    print(f"model loaded in {time.perf_counter() - started:.2f} s; {len(questions)} questions, "
          f"{len(paragraphs)} paragraphs")
    short = [(q, lang) for q, lang in questions if len(q.split()) <= 6 and lang != "zh"]
    first3 = [(" ".join(q.split()[:3]), lang) for q, lang in questions if lang != "zh"]
    none: dict[str, int] = {}
    for label, items in (("questions", questions), (f"questions of at most 6 words ({len(short)}, not zh)", short),
                         ("the first 3 words of each question (not zh)", first3)):
        print(label)
        accuracy("  no corpus, no hint", items, lambda t, lang: detect.question_languages(t, none))
        accuracy("  the corpus's 8 languages", items, lambda t, lang: detect.question_languages(t, CORPUS))
        accuracy("  the corpus's 8 languages, either of the two searched", items,
                 lambda t, lang: detect.question_languages(t, CORPUS), top=2)
        accuracy("  the corpus's languages, the user's language as hint", items,
                 lambda t, lang: detect.question_languages(t, CORPUS, lang))
        accuracy("  the corpus's languages, a wrong hint (ru→uk, en→de…)", items,
                 lambda t, lang: detect.question_languages(t, CORPUS, WRONG_HINT[lang]))
        accuracy("  no corpus, a wrong hint", items,
                 lambda t, lang: detect.question_languages(t, none, WRONG_HINT[lang]))
    print("articles (no hints: an article's language does not depend on the corpus)")
    accuracy("  a paragraph", paragraphs, lambda t, lang: detect.article_language("", [t]))
    accuracy("  its first 100 characters", paragraphs, lambda t, lang: detect.article_language("", [t[:100]]))
    accuracy("  its first 30 characters", paragraphs, lambda t, lang: detect.article_language("", [t[:30]]))


if __name__ == "__main__":
    main()
