"""Raw admin input → Article: pasted text, uploaded files, web pages (including a real loopback HTTP fetch)."""
import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator

import pytest

from bot.corpus.fetch import FetchError, check_address, fetch_page
from bot.corpus.importing import article_from_html, article_from_text, article_from_upload
from bot.corpus.parsing import ArticleError
from tests.support.paths import TEST_DATA

PAGE = (TEST_DATA / "news_page.html").read_bytes()


def test_pasted_text_like_the_first_article() -> None:
    article = article_from_text("Big news\nOthers are reading now\nFirst paragraph here.\nSources: AFP, BBC")
    assert article.title == "Big news"
    assert [p.text for p in article.paragraphs] == ["First paragraph here."]
    assert article.outlets == ("AFP", "BBC")


def test_hints_fill_only_what_the_text_lacks() -> None:
    article = article_from_text("T\nBody text.", url="https://t.me/chan/5", outlets=("Chan",))
    assert (article.url, article.outlets) == ("https://t.me/chan/5", ("Chan",))
    article = article_from_text("T\nBody text.\nSources: AFP", outlets=("Chan",))
    assert article.outlets == ("AFP",)


def test_html_main_text_metadata_and_no_boilerplate() -> None:
    article = article_from_html(PAGE.decode(), url="https://ledger.example/a")
    assert article.title == "Captured North Korean soldiers ask to go to Seoul"
    assert article.outlets == ("Daily Ledger",)
    assert article.published == "2025-11-03"
    texts = [p.text for p in article.paragraphs]
    assert len(texts) == 3 and texts[0].startswith("Two North Korean soldiers held by Ukraine")
    assert not any("Others are reading" in t or "Football" in t or "Cookie" in t for t in texts)
    assert article.paragraphs[1].section == "Fears of punishment"


@pytest.mark.parametrize("name,data,reason", [
    ("a.pdf", b"%PDF-1.4", "send .txt, .md or .html"),
    ("a", b"text", "without an extension"),
    ("a.txt", b"", "empty"),
    ("a.txt", b"   \n", "empty"),
    ("a.txt", b"Title\n\x00\x01\x02binary", "binary"),
    ("a.txt", "Caf\xe9\nBody".encode("latin-1"), "not UTF-8"),
    ("a.txt", b"x" * 3_000_000, "limit"),
    ("a.html", b"<html><body>" + b"<div>" * 50_000 + b"</div>" * 50_000 + b"</body></html>", "no article text"),
])
def test_bad_uploads_get_a_clear_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        article_from_upload(name, data)


def test_uploads_of_each_kind() -> None:
    assert article_from_upload("a.md", b"# Title\n\nBody.").title == "Title"
    assert article_from_upload("a.TXT", "\ufeffTitle\nBody.".encode()).title == "Title"
    assert article_from_upload("a.html", PAGE).outlets == ("Daily Ledger",)


def serve(host: str = "127.0.0.1", redirect_to: str = "/news") -> http.server.ThreadingHTTPServer:
    """A real HTTP server: /news is the page, /hop redirects, /big is 6 MB, /host echoes the Host header."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/hop":
                self.send_response(302)
                self.send_header("Location", redirect_to)
                self.end_headers()
                return
            if self.path == "/host":
                body = f"<html><head><title>Host</title></head><body><p>{self.headers['Host']} served this "
                body += "page about nothing in particular, long enough to count as a paragraph.</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body.encode())
                return
            body = PAGE if self.path == "/news" else b"<p>" + b"x" * 6_000_000
            self.send_response(200 if self.path in ("/news", "/big") else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site() -> Iterator[str]:
    server = serve()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_fetch_follows_redirects_when_private_addresses_are_allowed(site: str) -> None:
    page = fetch_page(f"{site}/hop", allow_private=True)
    assert page.url == f"{site}/news"
    assert article_from_html(page.html, page.url).title.startswith("Captured North Korean soldiers")


def test_fetch_refuses_loopback_by_default(site: str) -> None:
    with pytest.raises(FetchError, match="private or local"):
        fetch_page(f"{site}/news")


@pytest.mark.parametrize("url,reason", [
    ("ftp://example.com/x", "only http"),
    ("file:///etc/passwd", "only http"),
    ("http:///nohost", "no host"),
    ("http://localhost/", "private or local"),
    ("http://169.254.169.254/latest/meta-data", "private or local"),
    ("http://10.0.0.1/", "private or local"),
    ("http://[::1]/", "private or local"),
])
def test_address_checks(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        check_address(url, allow_private=False)


def test_fetch_size_and_status_limits(site: str) -> None:
    with pytest.raises(FetchError, match="larger than"):
        fetch_page(f"{site}/big", allow_private=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_page(f"{site}/missing", allow_private=True)


def test_redirect_to_a_private_address_is_refused() -> None:
    """127.0.0.1 plays a public site here, 127.0.0.2 an internal one: the redirect hop must be checked too."""
    inner = serve("127.0.0.2")
    outer = serve("127.0.0.1", redirect_to=f"http://127.0.0.2:{inner.server_port}/news")
    only_first = lambda address: address == ipaddress.ip_address("127.0.0.1")  # noqa: E731
    try:
        assert fetch_page(f"http://127.0.0.1:{outer.server_port}/news", allowed=only_first).html
        with pytest.raises(FetchError, match=r"private or local address \(127.0.0.2\)"):
            fetch_page(f"http://127.0.0.1:{outer.server_port}/hop", allowed=only_first)
    finally:
        inner.shutdown()
        outer.shutdown()


def fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real(names.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_host_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"intranet.example": "10.1.2.3"})
    with pytest.raises(FetchError, match=r"intranet.example points to a private or local address \(10.1.2.3\)"):
        fetch_page("http://intranet.example/")


def test_connection_goes_to_the_checked_address_with_the_original_host(site: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    port = site.rsplit(":", 1)[1]
    fake_dns(monkeypatch, {"news.example": "127.0.0.1"})
    page = fetch_page(f"http://news.example:{port}/host", allow_private=True)
    assert page.url == f"http://news.example:{port}/host"
    assert f"news.example:{port} served this page" in page.html
