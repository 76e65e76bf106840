"""A small corpus where a figure was revised: an older and a newer report of the North Korean death toll, and a
few other dated stories (one with only an `added:` date). `TODAY` is the day the tests ask on (a Friday)."""
from __future__ import annotations

import datetime as dt

from bot.models import Article, Paragraph

TODAY = dt.date(2025, 11, 21)

OLD = Article(
    id="nk-300", title="About 300 North Korean soldiers killed in Kursk, Seoul says", outlets=("Yonhap",),
    published="2025-01-13",
    paragraphs=(
        Paragraph("About 300 North Korean soldiers have died fighting for Russia in the Kursk region, South Korea's "
                  "spy agency said on Monday."),
        Paragraph("Another 2,700 were wounded, lawmakers told reporters after a closed-door briefing by the National "
                  "Intelligence Service."),
    ),
)
NEW = Article(
    id="nk-2000", title="North Korean death toll in Russia's war rises to about 2,000", outlets=("Reuters", "BBC"),
    published="2025-11-20",
    paragraphs=(
        Paragraph("Seoul's intelligence services estimate that roughly 2,000 North Korean soldiers have died so far "
                  "in the war against Ukraine."),
        Paragraph("The National Intelligence Service told lawmakers that North Korea had sent a further 5,000 "
                  "military construction workers to Russia."),
    ),
)
BRIDGE = Article(
    id="bridge", title="Harbour bridge reopens after repairs", outlets=("Harbour <Times> & Co",),
    published="2025-11-18",
    paragraphs=(Paragraph("The harbour bridge reopened to traffic on Monday after eight months of repairs costing 40 "
                          "million euros."),),
)
BUDGET = Article(
    id="budget", title="City council approves budget", outlets=("City Paper",), added="2025-11-19",
    paragraphs=(Paragraph("The city council approved a budget of 1.2 billion for next year, with more money for "
                          "schools."),),
)
RU_OLD = Article(
    id="ru-300", title="В Курской области погибли около 300 северокорейских солдат", outlets=("ТАСС",),
    published="2025-01-14", language="ru",
    paragraphs=(Paragraph("Около 300 северокорейских солдат погибли в Курской области, сообщила разведка Южной "
                          "Кореи."),),
)
RU_NEW = Article(
    id="ru-2000", title="Число погибших северокорейских солдат выросло до 2000", outlets=("Интерфакс",),
    published="2025-11-20", language="ru",
    paragraphs=(Paragraph("Около 2000 северокорейских солдат погибли с начала войны, сообщила разведка Южной "
                          "Кореи."),),
)
REVISED = (OLD, NEW, BRIDGE, BUDGET)
