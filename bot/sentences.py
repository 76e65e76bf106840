"""Sentence splitting, so the sentence that best answers (chosen in ranking) can be put in bold in place."""
from __future__ import annotations

import re

# Letters of scripts without capitals (Arabic, Hebrew, Indic, Thai, Georgian, CJK, Hangul): any may start a sentence.
_CASELESS = ("\u05d0-\u05ea\u0600-\u06ff\u0900-\u0dff\u0e00-\u0eff\u10d0-\u10ff\u1100-\u11ff\u3040-\u30ff"
             "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af")
# A sentence ends at . ! ? (optionally followed by a closing quote/bracket) before whitespace and a capital,
# digit, opening quote or caseless letter; abbreviations like "U.S." or "Dr." followed by lowercase do not end
# one. The danda, the Arabic question mark and the CJK full stops end one without a space after them. A match
# starts at the stop itself (not behind it), which lets the regex engine skip straight to the next stop.
_SENTENCE_END = re.compile(
    rf"[.!?][\"”’')\]»]*\s+(?=[\"“‘(\[«]?[A-Z0-9À-ÖØ-ÞА-ЯЁЄІЇҐΑ-Ω{_CASELESS}])"
    r"|[।॥؟。！？][\"”’')\]」』»]*\s*")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "Prof.", "Gen.", "Lt.", "Col.", "No.", "vs.")


def split_sentences(text: str) -> list[str]:
    """Sentences as substrings of `text` (so they can be located and emphasised in place)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start:match.start() + 1]  # up to and with the stop
        if candidate.endswith(_ABBREVIATIONS):
            continue
        end = match.start() + len(match.group().rstrip())
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences or [text]
