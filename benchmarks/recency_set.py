"""The recency evaluation set (benchmarks/data/recency_set.json), built from Reuters-21578 (stories of 1987, each
dated): `python -m benchmarks.recency_set` writes it; `python -m benchmarks.recency` measures with it.

Revision groups: stories whose title reports the same statistic ("U.S. M-1 MONEY SUPPLY RISES 1.2 BILLION DLRS",
"JAPAN FEBRUARY TRADE SURPLUS ...") — the title's subject (the words before the first verb, figure, month or
"SAYS") ending in a statistic noun, months dropped — at two or more dates with different lead figures. Exact
repeats (same lead paragraph, another NEWID) are kept as equivalents of one report, never as a revision.

Questions per group (all generated from the subject, never hand-written):
- plain:    "How much did the U.S. M-1 money supply rise?"      gold: the newest report (and its repeats)
- latest:   the same with "most recently" / "in the latest report" / "Latest: ..." / "now"   gold: newest
- date:     "..., as reported on 19 March 1987?"                gold: the report of that day
- month:    "... in April 1987?"  (publication month)            gold: the newest report published in it
- before:   "... before April 1987?"                             gold: the newest report published before
- relative: "yesterday" / "last week" / "this week" with a fixed `today` stored in the question
Each time question carries `plain` (the same question without its time words) and the period it asks for
([start, end] in ISO dates), so the evaluation can check "period respected" for any story.

The file holds only story ids, dates, figures and questions (the texts are read from ../shared/data at run time)
and, to stay small while it measures, every plain, "latest" and single question but one period kind per group,
the kinds in rotation.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

from benchmarks.corpora import DATA

REUTERS = DATA / "reuters21578" / "reuters21578.jsonl.gz"
OUT = Path(__file__).resolve().parent / "data" / "recency_set.json"
PERIOD_KINDS = ("date", "yesterday", "month", "last week", "this week", "before")

MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
          "NOVEMBER", "DECEMBER"]
MONTH_WORDS = set(MONTHS) | {"JAN", "FEB", "MAR", "APR", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC"}
# Where a title's subject ends: verbs, prepositions, "SAYS", figures.
STOP = set("""RISES RISE ROSE RISING FALLS FALL FELL FALLING UP DOWN IN BY TO AT FOR FROM VS SAYS SAID SEEN SEES
INCREASES INCREASED DECREASES DECREASED WIDENS WIDENED NARROWS NARROWED SHRINKS GROWS GREW DROPS DROPPED JUMPS
JUMPED CLIMBS CLIMBED DECLINES DECLINED HIGHER LOWER UNCHANGED STEADY REVISED IS WAS WERE ARE TOTAL TOTALS
TOTALLED SHOWS SHOW SLOWS SURGES SOARS EASES EASED REBOUNDS RECOVERS ACCELERATES CONFIRMED CONFIRMS POSTS HAS
HAD REPORTS OF ON AFTER RAISES CUTS SETS DETAILS LIFTS""".split())
GROWING = {"RISES", "RISE", "ROSE", "UP", "INCREASES", "INCREASED", "GROWS", "GREW", "JUMPS", "JUMPED", "CLIMBS",
           "CLIMBED", "SURGES", "SOARS", "REBOUNDS", "ACCELERATES", "WIDENS", "WIDENED"}
SHRINKING = {"FALLS", "FALL", "FELL", "DOWN", "DECREASES", "DECREASED", "DROPS", "DROPPED", "DECLINES", "DECLINED",
             "NARROWS", "NARROWED", "SHRINKS", "SLOWS", "EASES", "EASED"}
# The statistic a subject must end with (its last word).
STATISTIC = set("""SUPPLY DEFICIT SURPLUS UNEMPLOYMENT PRICES INFLATION RESERVES PRODUCTION OUTPUT GDP GNP LOANS
BORROWINGS SALES CLAIMS STARTS INDEX INDICATOR INDICATORS INCOME CREDIT DEPOSITS BALANCES ASSETS COSTS
M3 M-1 M-2 M-3 M1 M2 ORDERS SPENDING""".split())
# Levels (a deficit "is" so much) rather than changes (a supply "rises" so much).
LEVELS = {"DEFICIT", "SURPLUS", "BORROWINGS", "UNEMPLOYMENT", "BALANCES", "RESERVES", "ASSETS"}
COUNTRY_NOUNS = {"JAPAN", "CANADA", "CHINA", "TAIWAN", "SINGAPORE", "SWEDEN", "NORWAY", "DENMARK", "FRANCE",
                 "ITALY", "PERU", "INDIA", "PAKISTAN", "THAILAND", "PHILIPPINES", "BRAZIL", "MEXICO", "HONG",
                 "SOUTH", "WEST", "AUSTRALIA", "BELGIUM", "SPAIN", "PORTUGAL", "BRITAIN", "ECUADOR", "TURKEY",
                 "ISRAEL", "KOREA", "NISSAN"}
PROPER = COUNTRY_NOUNS | set("""JAPANESE CANADIAN CHINESE SWISS SWEDISH NORWEGIAN DANISH FRENCH ITALIAN GERMAN
DUTCH BELGIAN SPANISH TURKISH BRITISH AUSTRALIAN KOREA KOREAN KOREA'S THAI BRAZILIAN MEXICAN INDIAN FED TREASURY
NEW YORK SINGAPORE'S KONG EUROPEAN STERLING OPEC PORTUGUESE AFRICAN""".split())
PLURAL = {"RESERVES", "BORROWINGS", "BALANCES", "ASSETS", "SALES", "PRICES", "CLAIMS", "STARTS", "LOANS", "ORDERS",
          "COSTS", "DEPOSITS", "INDICATORS"}


GENERIC = set("""money supply trade deficit surplus prices price consumer industrial production output sales car
unemployment reserves foreign official net current account interim bank discount borrowings business loans retail
wholesale producer leading indicators indicator index credit personal income housing starts home construction
spending factory orders energy costs first time jobless claims sight deposits offshore banking assets balances
budget market inflation annual weekly electric adjusted central gold exchange and of late beef shipbuilding gas
machinery farm paddy average currency motorcycle fuel heavy corn""".split())


def cap(word: str) -> str:
    return word[:1] + word[1:].lower()

_NUMBER = re.compile(r"(?<![\w.\-])(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)"
                     r"(?:\s+(?:pct|mln|billion|trillion|dlrs?|stg|yen|marks|francs|crowns|baht|rupees|bpd))*",
                     re.IGNORECASE)
_DATEISH = re.compile(r"(?:" + "|".join(m.title()[:3] for m in MONTHS) + r")[a-z]*\.?\s*$")


def story_date(raw: str) -> str:
    return dt.datetime.strptime(raw.split()[0], "%d-%b-%Y").date().isoformat()


def subject(title: str) -> tuple[tuple[str, ...], str] | None:
    """The statistic a title reports (words before its verb, months dropped) and its direction word."""
    words = title.replace(",", " ").split()
    kept, direction = [], ""
    for word in words:
        if word in MONTH_WORDS or word in {"QTR", "QUARTER"}:
            continue
        if word.startswith("<"):
            kept.append(word)
            continue
        if re.fullmatch(r"1ST|2ND|3RD|4TH|FIRST|SECOND|THIRD|FOURTH", word) and kept and kept[-1] != "U.S.":
            continue
        if word in STOP or re.search(r"\d", word) and word not in {"M-1", "M-2", "M-3", "M1", "M2", "M3"}:
            direction = word
            break
        if word in {"-", "--"}:
            break
        kept.append(word)
    if len(kept) < 2 or len(kept) > 6 or kept[-1] not in STATISTIC:
        return None
    if not (direction in GROWING | SHRINKING | {"UNCHANGED", "STEADY", "TOTAL", "TOTALLED", "AT", "IN", "REVISED",
                                                 "CONFIRMED", "IS", "WAS"} or re.search(r"\d", direction)):
        return None  # not a figure report ("ADB APPROVES LOANS FOR ...")
    return tuple(kept), direction


def lead_figure(paragraph: str) -> str | None:
    """The first figure of the lead sentence that is not a date, year or week number."""
    for m in _NUMBER.finditer(paragraph):
        text = m.group(0).rstrip(",")
        after = paragraph[m.end():m.end() + 8]
        if re.match(r"\s*(days|weeks|months)", after) or re.search(r"base\s*$", paragraph[:m.start()]):
            continue
        before = paragraph[max(0, m.start() - 12):m.start()]
        if re.fullmatch(r"(19|20)\d\d", text) or _DATEISH.search(before) or re.fullmatch(r"[a-z]+", text, re.I):
            continue
        return text
    return None


def phrase(words: tuple[str, ...]) -> str:
    """'U.S. M-1 MONEY SUPPLY' → "the U.S. M-1 money supply"; 'JAPAN TRADE SURPLUS' → "Japan's trade surplus"."""
    tickers = [n for n, w in enumerate(words) if w.startswith("<")]
    if tickers:  # a company: "K MART <KM> SALES" → "K Mart's sales"
        n = tickers[0]
        name = " ".join(map(cap, words[:n]))
        rest = [w.lower() if w.lower() in GENERIC else cap(w) for w in words[n + 1:]]
        return name + ("" if name.endswith("'s") else "'" if name.endswith("s") else "'s") + " " + " ".join(rest)
    out = []
    for word in words:
        if re.search(r"[\d.]", word) or word in {"GDP", "GNP", "EC", "CBI", "OPEC", "N.Z.", "U.K.", "U.S."}:
            out.append(word)
        elif word.lower() in GENERIC:
            out.append(word.lower())
        else:
            out.append(cap(word))
    if any(w.endswith("'S") for w in words) or words[1:2] == ("KOREAN",):
        return " ".join(out)
    if words[0] in COUNTRY_NOUNS and len(words) > 1 and words[1] not in COUNTRY_NOUNS | {"KONG", "KOREA"}:
        out[0] += "'s"
        return " ".join(out)
    if words[0] in {"SOUTH", "HONG"} and len(words) > 2:
        out[1] += "'s"
        return " ".join(out)
    return "the " + " ".join(out)


def load_stories(path: Path = REUTERS) -> list[dict]:
    with gzip.open(path, "rt") as handle:
        return [r for r in map(json.loads, handle) if r["paragraphs"]]


_LEAD_DROP = re.compile(r"\d[\d,.]*|\b(?:" + "|".join(m.lower() for m in MONTH_WORDS) + r"|" +
                        "|".join(w.lower() for w in GROWING | SHRINKING) + r"|rise|fall|up|down)\b", re.I)


def lead_key(story: dict) -> str:
    """The lead sentence's wording without its figures, months and verbs of change: stories of one series
    share it ("In its weekly report on electric output, the electric utility trade association said ...")."""
    words = _LEAD_DROP.sub(" ", story["paragraphs"][0].split(". ")[0].lower()).split()
    return " ".join(words[:10])


def groups(stories: list[dict], singletons: list | None = None) -> list[dict]:
    found: dict[tuple[str, ...], list[tuple[dict, str]]] = defaultdict(list)
    by_lead: dict[str, list[dict]] = defaultdict(list)
    for story in stories:
        by_lead[lead_key(story)].append(story)
    for story in stories:
        parsed = subject(story["title"])
        if parsed:
            found[parsed[0]].append((story, parsed[1]))
    for _words, members in found.items():  # the same series under another title ("U.S. WEEKLY ELECTRIC OUTPUT")
        have = {m[0]["newid"] for m in members}
        for story, _ in list(members):
            key = lead_key(story)
            if len(key.split()) >= 6:
                for other in by_lead[key]:
                    if other["newid"] not in have:
                        have.add(other["newid"])
                        members.append((other, ""))
    result = []
    for words, members in sorted(found.items()):
        reports: dict[str, dict] = {}  # lead paragraph → one report (repeats of a story are one report)
        for story, direction in sorted(members, key=lambda m: (story_date(m[0]["date"]), m[0]["newid"])):
            lead = story["paragraphs"][0]
            figure = lead_figure(lead)
            if figure is None:
                continue
            report = reports.setdefault(lead, {"ids": [], "date": story_date(story["date"]), "figure": figure,
                                               "direction": direction, "lead": lead[:300]})
            report["ids"].append(story["newid"])
        ordered = sorted(reports.values(), key=lambda r: (r["date"], r["ids"][0]))
        dates = [r["date"] for r in ordered]
        figures = [r["figure"] for r in ordered]
        if len(ordered) == 1 and singletons is not None:
            singletons.append({"subject": " ".join(words), "words": words, "reports": ordered})
        if len(set(dates)) < 2 or len(set(figures)) < 2 or dates.count(dates[-1]) > 1:
            continue  # one date only, one figure only, or two different reports on the newest day
        result.append({"subject": " ".join(words), "words": words, "reports": ordered})
    return result


def _month_span(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def questions(group: dict, n: int) -> list[dict]:
    words, reports = group["words"], group["reports"]
    subj = phrase(words)
    directions = {r["direction"] for r in reports}
    if words[-1] in LEVELS:
        be, now = ("were", "are") if words[-1] in PLURAL else ("was", "is")
        plain, now = f"How much {be} {subj}?", f"How much {now} {subj} now?"
        verb = None
    else:
        verb = "rise" if directions <= GROWING else "fall" if directions <= SHRINKING else "change"
        plain, now = f"How much did {subj} {verb}?", None
    stem = plain[:-1]
    newest = reports[-1]
    out = [{"kind": "plain", "question": plain, "gold": newest["ids"], "earlier": reports[-2]["ids"]}]
    latest = [f"{stem} most recently?", f"{stem} in the latest report?", f"Latest: {plain[0].lower()}{plain[1:]}"]
    if now:
        latest.append(now)
    out.append({"kind": "latest", "question": latest[n % len(latest)], "plain": plain, "gold": newest["ids"]})

    def period(kind: str, text: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict | None:
        inside = [r for r in reports if start.isoformat() <= r["date"] <= end.isoformat()]
        if not inside:
            return None
        gold = inside[-1]
        if kind != "date" and gold is newest:
            pass  # kept: a period that holds the newest report still checks "respected"
        q = {"kind": kind, "question": text, "plain": plain, "gold": gold["ids"],
             "period": [start.isoformat(), end.isoformat()]}
        if today:
            q["today"] = today.isoformat()
        return q

    older = [r for r in reports[:-1]]
    pick = older[n % len(older)]  # an older report: the period questions that must not get the newest
    day = dt.date.fromisoformat(pick["date"])
    same_day = [r for r in reports if r["date"] == pick["date"]]
    if len(same_day) == 1:
        when = f"{day.day} {day:%B %Y}" if n % 2 else f"{day:%B} {day.day}, {day.year}"
        out.append(period("date", f"{stem}, as reported on {when}?", day, day))
        yesterday = day + dt.timedelta(days=1)
        out.append(period("yesterday", f"{stem} yesterday?", day, day, today=yesterday))
    start, end = _month_span(day)
    if sum(start.isoformat() <= r["date"] <= end.isoformat() for r in reports) >= 1:
        out.append(period("month", f"{stem} in {day:%B %Y}?", start, end))
    monday = day - dt.timedelta(days=day.weekday())
    out.append(period("last week", f"{stem} last week?", monday, monday + dt.timedelta(days=6),
                      today=monday + dt.timedelta(days=7 + n % 5)))
    out.append(period("this week", f"{stem} this week?", monday, day, today=day))
    first_of_month = dt.date.fromisoformat(newest["date"]).replace(day=1)
    if any(r["date"] < first_of_month.isoformat() for r in reports):
        out.append(period("before", f"{stem} before {first_of_month:%B %Y}?", dt.date(1987, 1, 1),
                          first_of_month - dt.timedelta(days=1)))
    return [q for q in out if q]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--singletons", type=int, default=60)
    args = parser.parse_args()
    stories = load_stories()
    single: list[dict] = []
    found = groups(stories, single)
    items = []
    for n, group in enumerate(found):
        made = questions(group, n)
        periods = [q for q in made if q["kind"] in PERIOD_KINDS]
        wanted = PERIOD_KINDS[n % len(PERIOD_KINDS)]
        period = next((q for q in periods if q["kind"] == wanted), periods[0] if periods else None)
        items += [{**q, "group": n} for q in made if q["kind"] not in PERIOD_KINDS or q is period]
    for group in single[::max(1, len(single) // args.singletons)][:args.singletons]:
        q = questions({**group, "reports": group["reports"] * 2}, 0)[0]  # the plain question only
        items.append({"kind": "single", "question": q["question"], "gold": group["reports"][0]["ids"],
                      "date": group["reports"][0]["date"]})
    data = {"source": "Reuters-21578, Distribution 1.0 (research use only): stories by NEWID, read from "
                      "../shared/data/reuters21578 at run time",
            "groups": [[{"ids": r["ids"], "date": r["date"], "figure": r["figure"]} for r in g["reports"]]
                       for g in found],
            "questions": items}
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(found)} groups, {sum(len(g['reports']) for g in found)} reports, {len(items)} questions "
          f"→ {args.out}")


if __name__ == "__main__":
    main()
