"""Sentence splitting, so the sentence that best answers (chosen in ranking) can be put in bold in place."""
from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before whitespace and a capital,
# digit or opening quote; abbreviations like "U.S." or "Dr." followed by lowercase do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "Prof.", "Gen.", "Lt.", "Col.", "No.", "vs.")


def split_sentences(text: str) -> list[str]:
    """Sentences as substrings of `text` (so they can be located and emphasised in place)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start:match.start()].rstrip()
        if candidate.endswith(_ABBREVIATIONS):
            continue
        end = match.start() + len(match.group().rstrip())
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences or [text]
