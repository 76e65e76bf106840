"""The pure parts of the Telegram front end: HTML formatting and trimming, button data, the per-user limit,
and the feedback store."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.curation import Added, ReloadReport
from bot.models import Article, Paragraph, Passage
from bot.tg import button_data, fit
from bot.tg.feedback import FeedbackStore, Stats
from bot.tg.messages import ENGLISH as replies
from bot.tg.throttle import QuestionThrottle
from tests.support.fake_telegram import html_error

# What Telegram's HTML parse mode accepts from us: these tags, these entities, and no other < > &.
_TOKEN = re.compile(r'<(?:b|i|code|blockquote expandable)>|</(?:b|i|code|a|blockquote)>|<a href="[^"<>]*">'
                    r'|&(?:amp|lt|gt|quot|#x27);')


def assert_valid_html(text: str) -> None:
    stack = []
    for token in _TOKEN.findall(text):
        if token.startswith("</"):
            assert stack and stack.pop() == token[2:-1], text
        elif token.startswith("<"):
            stack.append(token[1:-1].split()[0])
    assert not stack, text
    assert html_error(text) is None, html_error(text)  # and the fake Bot API server agrees
    assert not re.search(r"[<>&]", _TOKEN.sub("", text)), text


def passage(text: str, sentence: str, *, title: str = "Title", url: str | None = "https://x.example/a",
            section: str | None = None) -> Passage:
    article = Article(id="a", title=title, url=url, outlets=("Outlet",), published="2024-01-02",
                      paragraphs=(Paragraph(text, section),))
    return Passage(article, 0, 1.0, sentence)


def test_passage_escaped_with_bold_sentence_and_linked_source():
    html = replies.format_passage(passage("A <b> & c. Best one here. Tail.", "Best one here.",
                                          title="T&C <x>", url="https://x.example/?a=1&b=2", section="S&P"),
                                  rank=1, total=3)

    assert html == ('<i>S&amp;P</i>\nA &lt;b&gt; &amp; c. <b>Best one here.</b> Tail.\n\n'
                    '📰 <a href="https://x.example/?a=1&amp;b=2">T&amp;C &lt;x&gt;</a> · Outlet · 2 Jan 2024\n'
                    '<i>Answer 2 of 3</i>')
    assert_valid_html(html)


def test_only_web_urls_become_links():
    for url in ["javascript:alert(1)", "ftp://x.example/f", 'https://x.example/"onclick', "https://a b", None]:
        html = replies.format_passage(passage("Text.", "Text.", url=url))
        assert "<a " not in html or url.startswith("https://x.example/"), html
        assert_valid_html(html)


def test_long_passage_is_trimmed_around_the_best_sentence_within_the_limit():
    before = " ".join(f"w{n} & <tag>" for n in range(2000))
    after = " ".join(f"z{n} &amp;" for n in range(2000))
    best = "The answer sits right here."
    html = replies.format_passage(passage(f"{before} {best} {after}", best))

    assert fit.tg_len(html) <= 4096
    assert f"<b>{best}</b>" in html
    # both sides cut (with ellipses) and folded into expandable quotes, the bold sentence in view between them
    assert re.search(r"<blockquote expandable>…[^<]*</blockquote>\n<b>", html)
    assert re.search(r"</b>\n<blockquote expandable>[^<]*…</blockquote>", html)
    assert "&amp;amp;" in html  # "&amp;" in the article is text, shown as typed
    assert_valid_html(html)


def test_a_long_passage_keeps_its_bold_sentence_in_view_and_folds_the_long_sides():
    lead = "The harbour bridge reopened on Monday after eight months of repairs."
    best = "It cost 40 million euros, twice the first estimate."
    rest = " ".join(["Engineers replaced the cables and repainted the deck over the winter."] * 12)
    shown = replies.format_passage(passage(f"{lead} {best} {rest}", best))
    assert shown.startswith(f"{lead} <b>{best}</b>\n<blockquote expandable>Engineers replaced")  # short side inline
    assert shown.count("<blockquote expandable>") == 1 and rest in shown  # nothing lost, nothing repeated
    assert_valid_html(shown)
    short = replies.format_passage(passage(f"{lead} {best}", best))
    assert "blockquote" not in short and f"{lead} <b>{best}</b>" in short


def test_the_last_answer_says_there_are_no_more():
    texts = [replies.format_passage(passage("Text.", "Text."), rank, 3) for rank in range(3)]
    assert [t.endswith("no more answers</i>") for t in texts] == [False, False, True]
    assert "Answer" not in replies.format_passage(passage("Text.", "Text."), 0, 1)


def test_emoji_count_twice_towards_the_limit():
    best = "🙂" * 3000
    html = replies.format_passage(passage(best, best))
    assert fit.tg_len(html) <= 4096 < len(html) * 2
    assert_valid_html(html)


# Section, title, outlets, date and link are capped (≤ ~1,500 units together), so any limit from 2,048 leaves
# room for the passage; the bot uses 4,096. (Below that the fixed parts alone could overflow: 200 was too small.)
@given(st.text(min_size=1, max_size=3000), st.data(), st.integers(min_value=2048, max_value=4096),
       st.text(max_size=300), st.one_of(st.none(), st.text(max_size=50)))
def test_any_passage_fits_and_stays_valid_html(text, data, limit, title, section):
    start = data.draw(st.integers(0, len(text) - 1))
    sentence = text[start:data.draw(st.integers(start, len(text)))]
    html = replies.format_passage(passage(text, sentence, title=title, section=section), 0, 5, limit=limit)
    assert fit.tg_len(html) <= limit
    assert_valid_html(html)


def test_counts_read_naturally():
    assert "in my 1 article." in replies.not_found(1) and "in my 2 articles." in replies.not_found(2)


def test_help_text_escapes_examples():
    text = replies.help_text("NewsBot", 2, 9, ["AT&T <deal>"])
    assert "• AT&amp;T &lt;deal&gt;" in text and "<b>2 articles</b> (9 passages)" in text
    assert_valid_html(text)


def test_source_pages_fit_even_with_huge_titles_and_urls():
    articles = [Article(id=f"a{n}", title="&<" * 2000, url="https://x.example/?" + "&" * 900,
                        outlets=("&" * 500,), published="2024", paragraphs=(Paragraph("p"),)) for n in range(25)]
    texts = [replies.sources_page(articles, page) for page in range(-1, 5)]
    for text in texts:
        assert fit.tg_len(text) <= 4096
        assert_valid_html(text)
    assert texts[0] == texts[1] and texts[3] == texts[4] == texts[5]  # out-of-range pages are clamped
    assert "page 3 of 3" in texts[3] and "\n21. " in texts[3]


def test_admin_list_shows_ids_and_fits_with_huge_ids_and_titles():
    articles = [Article(id=f"{n}-" + "&" * 300, title="&<" * 2000, url="https://x.example/?" + "&" * 900,
                        outlets=("&" * 500,), published="2024", paragraphs=(Paragraph("p"),)) for n in range(25)]
    for page in range(3):
        text = replies.sources_page(articles, page, with_ids=True)
        assert fit.tg_len(text) <= 4096
        assert_valid_html(text)
    assert replies.sources_page(articles[:1], 0, with_ids=True).startswith(
        "<b>Corpus, newest first</b> (1), page 1 of 1:\n1. <code>0-&amp;&amp;")


def test_admin_messages_are_escaped_and_fit():
    huge = Article(id="x", title="<b>&" * 3000, paragraphs=tuple(Paragraph("&<>" * 500) for _ in range(9)))
    report = ReloadReport(added=[f"id-{n}&" for n in range(5000)], changed=["c"], removed=[],
                          errors={f"bad{n}.md": "<why>" * 100 for n in range(100)})
    stats = Stats(questions=40, answered=10, up=3, down=1, unanswered=[("<q> & " * 100, 9)] * 10)
    texts = [replies.added(Added(huge)), replies.added(Added(huge, duplicate_of="x")), replies.reload_report(report),
             replies.stats_text(stats, 5, 50), replies.failed("add this", "<" * 5000), replies.removed(huge),
             replies.restored(huge), replies.unknown_article("<" * 500)]
    for text in texts:
        assert fit.tg_len(text) <= 4096
        assert_valid_html(text)
    assert texts[2].startswith("Reloaded: 5000 added, 1 changed, 0 removed, 100 unparseable.\nAdded: id-0&amp;")
    assert "40 asked, 10 answered (25%), 30 not found (75%)" in texts[3]
    assert "answered (–)" in replies.stats_text(Stats(0, 0, 0, 0, []), 0, 0)  # no questions yet: no division


def test_buttons_round_trip_within_64_bytes():
    biggest = 10**15 - 1
    for button in [button_data.ShowAnswer(biggest, 99), button_data.Vote(biggest, 99, False),
                   button_data.SourcesPage(999999), button_data.ListPage(999999)]:
        data = button.encode()
        assert len(data.encode()) <= 64
        assert button_data.decode_button(data) == button


@given(st.one_of(st.none(), st.integers(), st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_decoding_any_data_never_fails(data):
    button = button_data.decode_button(data)
    assert button is None or button_data.decode_button(button.encode()) == button


def test_forged_button_data_is_rejected():
    for data in ["a:1", "a:1:2:3", "a:-1:0", "a:1:100", "v:1:0:2", "s:-1", "a:1:0\n", "a:١:0", "x:1:1",
                 "a:" + "9" * 16 + ":0"]:
        assert button_data.decode_button(data) is None, data


def test_answer_keyboard_pages_and_marks_the_vote():
    def labels(markup):
        return [b.text for row in markup.inline_keyboard for b in row]

    assert labels(button_data.answer_keyboard(7, 0, 3)) == ["👍", "👎", "More answers (2/3)"]
    assert labels(button_data.answer_keyboard(7, 2, 3, voted=False)) == ["👍", "👎 ✓", "↩ Best answer"]
    assert labels(button_data.answer_keyboard(7, 0, 1, voted=True)) == ["👍 ✓", "👎"]


def test_throttle_allows_a_burst_then_tells_once_and_recovers():
    now = [0.0]
    throttle = QuestionThrottle(limit=2, window=10, clock=lambda: now[0])
    verdicts = [throttle.check(1) for _ in range(4)]

    assert [v.allowed for v in verdicts] == [True, True, False, False]
    assert [v.notify for v in verdicts[2:]] == [True, False]
    assert verdicts[2].retry_in == 10
    assert throttle.check(2).allowed  # per user
    now[0] = 10.0
    assert throttle.check(1).allowed
    assert QuestionThrottle(limit=0, window=10).check(1).allowed  # 0 turns the limit off


def test_store_keeps_votes_with_question_and_shown_passage(tmp_path):
    store = FeedbackStore.in_dir(tmp_path / "new-dir")
    qid = store.log_question("Who?", found=True, candidates=2, via="private", user_id=1, chat_id=1,
                             chat_type="private")
    assert not store.vote(qid, 0, user_id=1, up=True)  # nothing shown yet: a forged or stale button
    store.record_shown(qid, 1, passage("Shown text.", "Shown text."))
    assert store.vote(qid, 1, user_id=1, up=True) and store.vote(qid, 1, user_id=1, up=False)
    store.close()

    reopened = FeedbackStore.in_dir(tmp_path / "new-dir")
    assert [(v.question, v.passage, v.up) for v in reopened.votes()] == [("Who?", "Shown text.", False)]
    assert reopened.question(qid).chat_id == 1 and reopened.question(qid + 1) is None


def test_huge_title_outlets_section_and_url_still_fit_one_message():
    article = Article(id="a", title="𝖒" * 5000, url="https://x.example/" + "p" * 990, outlets=("O&" * 900,),
                      published="2" * 500, paragraphs=(Paragraph("Text. " * 2000, "§<" * 900),))
    html = replies.format_passage(Passage(article, 0, 1.0, "Text."), 0, 5)
    assert fit.tg_len(html) <= 4096 and "<b>Text.</b>" in html
    assert_valid_html(html)
