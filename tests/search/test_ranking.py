"""Each re-ranking signal on small hand-made paragraphs."""
from __future__ import annotations

import pytest

from bot.search import ranking
from bot.search.ranking import CONTENDER, Candidate, Question, _paragraph, gather, rerank
from bot.search.tokenizer import Tokenizer

TOKENIZER = Tokenizer()


def question(text: str) -> Question:
    return Question.parse(text, TOKENIZER, lambda term: 1.0)


def test_coverage_counts_each_question_term_once() -> None:
    q = question("harbour bridge opened")
    assert gather(q, "The bridge, the bridge, the bridge.", "", TOKENIZER).coverage == pytest.approx(1 / 3)
    assert gather(q, "The harbour bridge was opened.", "", TOKENIZER).coverage == pytest.approx(1.0)


def test_title_and_heading_are_evidence() -> None:
    q = question("When did Sydney open its bridge?")
    assert gather(q, "It opened in 1932.", "Sydney Harbour Bridge", TOKENIZER).title == pytest.approx(2 / 3)


def test_sentence_share_prefers_terms_together() -> None:
    q = question("harbour bridge opened")
    apart = gather(q, "A harbour. A bridge. It opened.", "", TOKENIZER)
    together = gather(q, "The harbour bridge opened. Rain fell.", "", TOKENIZER)
    assert apart.sentence == pytest.approx(1 / 3) and together.sentence == pytest.approx(1.0)
    assert together.best_sentence == "The harbour bridge opened."


def test_bigram_needs_the_pair_adjacent_and_in_order() -> None:
    q = question("New York taxes")
    assert gather(q, "New York taxes rose.", "", TOKENIZER).bigram == pytest.approx(1.0)
    assert gather(q, "Taxes in New York rose.", "", TOKENIZER).bigram == pytest.approx(0.5)
    assert gather(q, "York is new; taxes rose.", "", TOKENIZER).bigram == 0.0


def test_window_rewards_proximity_across_sentences() -> None:
    q = question("harbour bridge")
    near = gather(q, "See the harbour. Its bridge is old.", "", TOKENIZER)
    far = gather(q, "See the harbour. " + "Word " * 20 + "bridge.", "", TOKENIZER)
    assert near.window == pytest.approx(1.0) and far.window == pytest.approx(0.5)


def test_phrase_counts_the_questions_word_pairs_as_written() -> None:
    q = question("Who wrote the book of songs?")  # every adjacent pair but one holds a content word
    assert q.phrases == {("who", "wrote"), ("wrote", "the"), ("the", "book"), ("book", "of"), ("of", "songs")}
    assert gather(q, "Li Bai wrote the book of songs.", "", TOKENIZER).phrase == pytest.approx(4 / 5)
    assert gather(q, "Songs fill a book that Li Bai wrote.", "", TOKENIZER).phrase == 0.0
    assert gather(q, "Li Bai wrote the book. It has songs.", "", TOKENIZER).phrase == pytest.approx(2 / 5)


def test_exact_counts_question_words_in_the_same_form() -> None:
    q = question("Which treaties were signed?")
    assert q.content == {"treaties", "signed"}
    assert gather(q, "The treaties were signed in 1648.", "", TOKENIZER).exact == pytest.approx(1.0)
    stemmed_only = gather(q, "Each treaty was signing news.", "", TOKENIZER)
    assert stemmed_only.coverage == pytest.approx(1.0) and stemmed_only.exact == 0.0


@pytest.mark.parametrize(("text", "expected"), [
    ("The bridge has 6 lanes.", 1.0),
    ("The bridge has six lanes.", 1.0),
    ("The bridge has many lanes.", 0.0),
])
def test_how_many_wants_a_new_number(text: str, expected: float) -> None:
    assert gather(question("How many lanes has the bridge?"), text, "", TOKENIZER).answer_type == expected


def test_number_already_in_the_question_is_not_an_answer() -> None:
    q = question("How many lanes did the 1932 bridge have?")
    assert gather(q, "The 1932 bridge had lanes.", "", TOKENIZER).answer_type == 0.0
    assert gather(question("What did the bridge have?"), "It had 6 lanes.", "", TOKENIZER).answer_type == 0.0


@pytest.mark.parametrize(("asked", "text", "expected"), [
    ("When did the bridge open?", "The bridge opened in 1932.", 1.0),
    ("When did the bridge open?", "The bridge opened in March.", 1.0),
    ("In what century was the bridge built?", "The bridge was built in the 19th century.", 1.0),
    ("When did the bridge open?", "The bridge opened with 6 lanes.", 0.0),  # a number, but not a time
    ("When did the 1932 bridge open?", "The 1932 bridge opened.", 0.0),  # the question's own year
    ("Who opened the bridge in 1932?", "Lang opened the bridge in 1933.", 0.0),  # not a time question
])
def test_when_wants_a_time_the_question_does_not_give(asked: str, text: str, expected: float) -> None:
    assert gather(question(asked), text, "", TOKENIZER).answer_type == expected


@pytest.mark.parametrize(("asked", "framing"), [
    ("What type of bridge was built?", "type"),
    ("What kinds of bridges are there?", "kind"),
    ("What is the name of the bridge?", "name"),
    ("In what year did the bridge open?", "year"),
    ("What is the bridge called?", "call"),
    ("Where is the bridge located?", "locat"),
    ("How long is the bridge?", "long"),
])
def test_words_that_frame_the_question_weigh_nothing(asked: str, framing: str) -> None:
    q = question(asked)
    assert q.weights[framing] == 0.0 and q.weights["bridg"] == 1.0
    assert framing in q.terms  # BM25 still counts it


def test_framing_word_used_as_content_keeps_its_weight() -> None:
    assert question("Which blood type is rarest?").weights["type"] == 1.0
    assert question("Who gave the bridge its name?").weights["name"] == 1.0


def test_related_forms_count_part_of_a_match() -> None:
    q = question("German percentage")  # stems "german", "percentag"
    related = gather(q, "Germany's share is ten percent.", "", TOKENIZER)
    assert related.coverage == pytest.approx(ranking.RELATED) and related.sentence == pytest.approx(ranking.RELATED)
    assert gather(q, "German percentage.", "", TOKENIZER).coverage == pytest.approx(1.0)
    assert gather(q, "Gerbils peruse it.", "", TOKENIZER).coverage == 0.0  # three letters in common are not enough


def test_short_terms_have_no_related_forms() -> None:
    q = question("war")
    assert gather(q, "Warsaw is a city.", "", TOKENIZER).coverage == 0.0


def test_spell_maps_the_question_terms() -> None:
    q = Question.parse("Ctenophhores eat", TOKENIZER, lambda term: 1.0,
                       lambda word, term: "ctenophor" if word == "ctenophhores" else term)
    assert q.terms == ("ctenophor", "eat") and set(q.weights) == {"ctenophor", "eat"}
    assert q.corrections == (("ctenophhores", "ctenophor"),)


def test_spelling_is_asked_once_per_distinct_word_and_for_a_dozen_at_most() -> None:
    asked: list[str] = []

    def spell(word: str, term: str) -> str:
        asked.append(word)
        return term

    Question.parse("bridge bridge " + " ".join(f"w{n}x" for n in range(40)), TOKENIZER, lambda term: 1.0, spell)
    assert asked[:2] == ["bridge", "w0x"] and len(asked) == ranking.MAX_SPELLED


def test_rerank_lifts_the_paragraph_that_restates_the_question() -> None:
    q = question("How many lanes does the harbour bridge have?")
    candidates = [
        Candidate(0, 10.0, "Bridge traffic. Harbour views. Lanes, lanes, lanes everywhere.", "Traffic"),
        Candidate(1, 9.0, "The harbour bridge has eight lanes.", "Harbour bridge"),
    ]
    ranked = rerank(q, candidates, TOKENIZER)
    assert [r.number for r in ranked] == [1, 0]
    assert ranked[0].score > ranked[1].score


def test_rerank_of_nothing_is_empty() -> None:
    assert rerank(question("anything"), [], TOKENIZER) == []


def test_paragraph_words_and_tokens_are_the_tokenizers() -> None:
    """Re-ranking tokenizes chunk by chunk (cached); words and tokens must be exactly the tokenizer's."""
    text = ("Tesla\u2019s father\u00a0paid 10,000 dinars (in 1862). The U.S. Dr. Smith's \uff21BC\u2014Running! "
            "Caf\u0065\u0301 a\u00a8b \u2474 \u2163 \ufb01ne")  # combining accent; NFKC adding spaces, brackets
    paragraph = _paragraph(text, TOKENIZER)
    assert len(paragraph.sentences) > 1
    assert [list(s.tokens) for s in paragraph.sentences] == [TOKENIZER(s.text) for s in paragraph.sentences]
    assert [list(s.words) for s in paragraph.sentences] == [TOKENIZER.words(s.text) for s in paragraph.sentences]
    assert list(paragraph.words) == TOKENIZER.words(text)
    assert "10000" in paragraph.sentences[0].tokens and "abc" in paragraph.sentences[2].tokens


def test_candidates_far_below_the_best_bm25_follow_in_bm25_order() -> None:
    q = question("How many lanes does the harbour bridge have?")
    candidates = [
        Candidate(0, 10.0, "Bridge traffic. Lanes, lanes, lanes everywhere.", "Traffic"),
        Candidate(1, 4.0, "The harbour bridge has eight lanes.", "Harbour bridge"),  # under CONTENDER * 10
        Candidate(2, 3.0, "Harbour lanes.", ""),
    ]
    assert 0.4 < CONTENDER <= 0.9
    ranked = rerank(q, candidates, TOKENIZER)
    assert [r.number for r in ranked] == [0, 1, 2] and ranked[1].score == pytest.approx(0.4)
    assert ranked[1].evidence.best_sentence == "The harbour bridge has eight lanes."
    assert [r.number for r in rerank(q, candidates, TOKENIZER, limit=2)] == [0, 1]


def test_word_memos_are_bounded_and_emptying_them_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "MAX_CACHED_WORDS", 3)
    tokenizer = Tokenizer()  # memos are per tokenizer: a fresh one starts empty
    text = "Alpha beta gamma delta epsilon, zeta eta theta iota kappa."
    q = Question.parse("beta kappa", tokenizer, lambda term: 1.0)
    assert gather(q, text, "Greek letters", tokenizer).coverage == pytest.approx(1.0)
    words = ranking._words(tokenizer)
    assert len(words.surface) <= 3 and len(words.tokens) <= 3
    assert words.split(text) == (tuple(tokenizer.words(text)), tuple(tokenizer(text)))


def test_only_the_best_depth_candidates_are_re_scored(monkeypatch: pytest.MonkeyPatch) -> None:
    q = question("How many lanes does the harbour bridge have?")
    candidates = [Candidate(0, 10.0, "Bridge traffic. Lanes, lanes, lanes everywhere.", "Traffic"),
                  Candidate(1, 9.0, "The harbour bridge has eight lanes.", "Harbour bridge")]
    assert [r.number for r in rerank(q, candidates, TOKENIZER)] == [1, 0]
    monkeypatch.setattr(ranking, "DEPTH", 1)
    assert [r.number for r in rerank(q, candidates, TOKENIZER)] == [0, 1]
