"""Function words of each language, kept out of the index: BM25 would otherwise reward long paragraphs full of
"the", "и" or "في".

English keeps its hand-made list. Every other language has the 50 most frequent words of wordfreq's lists
(wordfreq 3.1, its data CC BY-SA 4.0: https://github.com/rspeer/wordfreq), less numbers and the few content words
among them (`NOT_STOPWORDS`: "year", "time", "today", country and people names), written once into
`data/stopwords.json` by `python -m bot.search.stopwords` and read from there: nothing is looked up at run time
(wordfreq silently answers for another language when it lacks one). Scripts written without spaces have none:
their character pairs are weighed by BM25's idf alone. How the size (50) was chosen: docs/languages.md.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from .languages import LANGUAGES, wordfreq_code

DATA = Path(__file__).resolve().parent / "data" / "stopwords.json"
TOP = 50

ENGLISH = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves s t d ll m re ve many much""".split()
)

# Frequent words that carry a topic: years, days, time, people, good/new/big, countries and their people.
NOT_STOPWORDS = frozenset(
    """время года року час україни الله محمد اليوم ایران سال کار دست magyar suomen lietuvos latvijas македонија
    година godine gada leta roku metų anys ישראל தமிழ் இந்திய அரசு மக்கள் ஆண்டு இரண்டு भारत năm ngày người
    tahun hari orang sekolah araw tao gün zaman yeni güzel büyük iyi jó nagy bra godt hyvä""".split()
)


def make_lists() -> dict[str, list[str]]:
    """The lists as `data/stopwords.json` holds them (needs wordfreq; run by hand, not at run time)."""
    import wordfreq

    available = set(wordfreq.available_languages())
    lists = {}
    for code, row in LANGUAGES.items():
        source = wordfreq_code(code)
        if code == "en" or row.nospace or code == "ko" or source not in available:
            continue  # Korean: wordfreq lists morphemes ("이", "는"), not the words between spaces
        words = [w for w in wordfreq.top_n_list(source, TOP) if not re.search(r"\d", w) and w not in NOT_STOPWORDS]
        if code == "el":  # wordfreq writes every sigma as σ; text keeps the final ς
            words = [re.sub("σ$", "ς", w) for w in words]
        lists[code] = words
    return lists


@cache
def raw_list(code: str) -> tuple[str, ...]:
    """The stopwords of a language as written (English's own list, else the data file's; none for others)."""
    if code == "en":
        return tuple(sorted(ENGLISH))
    return tuple(_data().get(code, ()))


@cache
def _data() -> dict[str, list[str]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["lists"]


def main() -> None:
    document = {"source": f"wordfreq top {TOP} per language, numbers and NOT_STOPWORDS left out "
                          "(wordfreq data: CC BY-SA 4.0); written by python -m bot.search.stopwords",
                "lists": make_lists()}
    lines = ",\n".join(f"  {json.dumps(code)}: {json.dumps(words, ensure_ascii=False)}"
                        for code, words in document["lists"].items())
    DATA.write_text(f'{{"source": {json.dumps(document["source"])},\n "lists": {{\n{lines}\n}}}}\n', encoding="utf-8")
    print(f"wrote {DATA} ({len(document['lists'])} languages)")


if __name__ == "__main__":
    main()
