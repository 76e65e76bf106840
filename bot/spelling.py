"""Misspelt question words → the corpus's own spelling ("ctenophhores" → "ctenophores", "hollwood" → "hollywood").

A question term the index has never seen cannot match anything, and it is usually the rarest, most telling
word of the question. The corpus's vocabulary is the dictionary: names and jargon of the articles are spelt
right there, which no general word list knows. Only terms one edit (a letter deleted, inserted, replaced, or
two swapped) away from an indexed term are corrected, to the most frequent such term; short words and numbers
("1928" vs "1929") are left alone, as one edit turns them into other real words too easily.
"""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from string import ascii_lowercase

MIN_LENGTH = 5


def edits(term: str) -> set[str]:
    """Every string one edit away from `term`, with the Latin alphabet and the term's own letters."""
    letters = set(ascii_lowercase) | set(term)
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {term}


def correct(term: str, known: AbstractSet[str], frequency: Callable[[str], int]) -> str:
    """`term`, or the most frequent indexed term one edit away when the index has never seen it.

    `known` (a superset of the terms with a frequency, cheap to intersect with) spares looking up each edit."""
    if len(term) < MIN_LENGTH or not term.isalpha() or frequency(term) > 0:
        return term
    count, best = max(((frequency(t), t) for t in known & edits(term)), default=(0, term))
    return best if count > 0 else term
