"""Fetching a web page for `/add URL` without letting the bot be used against its own network.

Only http/https; every address a host name resolves to — on the first request and after each redirect —
must be public unless private addresses are explicitly allowed, and the connection goes to the address that
was checked (so a second DNS answer cannot point it elsewhere); time and size are capped.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15.0
MAX_REDIRECTS = 5


class FetchError(ValueError):
    """Why a page could not be fetched, in words an admin can act on."""


@dataclass(frozen=True)
class Page:
    url: str
    html: str


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    return address.is_global and not address.is_multicast


def check_address(url: str, allow_private: bool, allowed: Callable[[IPAddress], bool] = is_public) -> IPAddress:
    """The address to connect to; refuses non-http(s) URLs and hosts with any non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("only http:// and https:// links can be added")
    if not parts.hostname:
        raise FetchError("the link has no host name")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise FetchError(f"there is no site called {parts.hostname} (check the link for typos; or the internet "
                         "connection is down)") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not allow_private:
        for address in addresses:
            if not allowed(address):
                raise FetchError(f"{parts.hostname} points to a private or local address ({address}); refused")
    return addresses[0]


def _pinned(url: str, address: IPAddress) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL rewritten to the checked address, with the Host header and TLS name of the original."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    headers = {"Host": parts.netloc.rpartition("@")[2]}
    return parts._replace(netloc=netloc).geturl(), headers, {"sni_hostname": parts.hostname or ""}


def _in_words(error: httpx.HTTPError, host: str) -> str:
    """A network failure said the way a person would, not as an errno."""
    detail = str(error).lower()
    if "certificate" in detail or "ssl" in detail:
        return f"{host} has no valid security certificate, so the page was not fetched"
    if isinstance(error, httpx.ConnectError):
        return f"could not connect to {host}: the site may be down; try again later"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return f"{host} broke off the connection before sending the page; try again later"
    return f"the page could not be fetched from {host} (a network error); try again later"


def fetch_page(url: str, allow_private: bool = False, max_bytes: int = MAX_BYTES,
               timeout: float = TIMEOUT, allowed: Callable[[IPAddress], bool] = is_public) -> Page:
    """GET a page, following redirects one hop at a time so each target is checked before it is contacted."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=timeout, follow_redirects=False,
                      headers={"User-Agent": "newsbot/0.1 (+article import)"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            target, headers, extensions = _pinned(url, check_address(url, allow_private, allowed))
            try:
                with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"the site answered HTTP {response.status_code}")
                    kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
                    if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
                        raise FetchError(f"the link is not a web page ({kind})")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise FetchError(f"the page is larger than {max_bytes // 1024 // 1024} MB")
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("total time limit")
                    encoding = response.encoding or "utf-8"
                    return Page(url, bytes(body).decode(encoding, errors="replace"))
            except httpx.TimeoutException:
                raise FetchError(f"the site did not answer within {timeout:.0f} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(_in_words(exc, urlsplit(url).hostname or "the site")) from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
