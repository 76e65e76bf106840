"""What counts as a web link, for the whole bot: the one pattern that decides whether `/add …` and `add …` fetch a
page, which URL lines of a pasted text are the article's link, and which URLs a reply may link to."""
from __future__ import annotations

import re

# http(s), a host, then anything but whitespace and control characters (Telegram refuses a message whose link
# holds those, and a pasted line may end in one).
WEB_URL = re.compile(r"https?://[^\s/?#\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*", re.IGNORECASE)


def is_web_url(text: str) -> bool:
    """The whole of `text` is one http(s) link."""
    return WEB_URL.fullmatch(text) is not None


MAX_WORDS_AROUND_LINK = 12


def link_in(text: str) -> str | None:
    """The link of a short one-line message that holds exactly one ("see this https://…"), else None: a pasted
    article that mentions a link is still an article."""
    if "\n" in text.strip():
        return None
    links = WEB_URL.findall(text)
    if len(links) != 1:
        return None
    link = links[0].rstrip(".,;:!?)»”'\"")
    words = WEB_URL.sub(" ", text).split()
    return link if len(words) <= MAX_WORDS_AROUND_LINK else None


def normalize_url(url: str) -> str:
    """The form two links to the same page share (scheme, `www.`, case and a trailing slash aside)."""
    return url.strip().rstrip("/").removeprefix("https://").removeprefix("http://").removeprefix("www.").lower()
