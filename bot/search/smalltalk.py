"""Chat that is not a question: greetings, thanks, "ok", "lol", emoji, "who are you?". Searching the corpus for
"thanks" finds a passage about tanks; these get a reply of their own instead (or none), never a passage.

A message is small talk when it holds no letter or digit at all (emoji, "?", "!!!"), or when it is made, whole,
of small-talk phrases and filler words ("ok thanks bot", "hi everyone!"), in at most `MAX_WORDS` words. A
question that merely contains such words ("who sang hello", "thanks to whom did the prize go") is a question.
Checked on the questions of SQuAD, WikiQA, TrecQA and XQuAD (de, es, ru): none is taken for small talk
(docs/quality.md).

People greet in their own language whatever the corpus's, so every language's phrases are recognised; the
language found comes back with the kind, for a reply in that language one day.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

MAX_WORDS = 8  # longer messages are questions, whatever they hold

# language → kind → patterns (regular expressions over casefolded words, apostrophes straightened).
PHRASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "greeting": ["hi+", "hello+", "hey+", "hiya", "howdy", "yo", "sup", "greetings", "gm", "morning",
                     "good (morning|afternoon|evening|day)", "(hi|hello|hey) there"],
        "thanks": ["thanks?", "thank (you|u)", "thanx", "thnx", "thx", "tx", "ty", "tysm", "tyvm", "cheers", "ta",
                   "much appreciated", "appreciate it", "many thanks", "thanks a (lot|bunch|million)",
                   "thank you (so|very) much"],
        "ack": ["ok+", "okay", "okey", "okie", "k+", "alright", "all right", "fine", "cool", "nice", "nice one",
                "great", "awesome", "perfect", "good", "very good", "got it", "i see", "understood", "noted", "sure",
                "yes", "yeah", "yep", "yup", "no", "nope", "nah", "hmm+", "mhm", "wow", "oh", "ah", "oops", "sorry",
                "np", "no problem", "never mind", "nvm", "interesting"],
        "laugh": ["lol+", "lmao+", "rofl", "haha(ha)*h?", "hehe(he)*", "hihi", "xd+", "that's funny", "funny"],
        "bye": ["bye+", "bye bye", "goodbye", "good bye", "see (you|ya)( later| soon)?", "cya", "later",
                "good night", "gn", "take care"],
        "identity": ["who are you", "what are you", "who r u", "what r u", "what is this", "what's this",
                     "who is this", "who (made|created|built) you", "are you (a )?(bot|robot|human|real|ai|person)",
                     "what can you do", "what do you do", "what can i ask( you)?", "what can i do",
                     "what should i ask", "how does (this|it) work", "how do (i|you) use (this|you|it)",
                     "how to use (this|you|it)", "help( me)?", "what do you know", "what are you for",
                     "what is your name", "what's your name", "your name"],
        "how_are_you": ["how are you( doing)?", "how r u", "how's it going", "how is it going", "what's up",
                        "whats up", "wassup", "how are things"],
    },
    "ru": {
        "greeting": ["привет(ик)?", "приветствую", "здравствуй(те)?", "здрасте", "добрый (день|вечер)",
                     "доброе утро", "хай"],
        "thanks": ["спасибо", "спс", "благодарю"],
        "ack": ["ок", "окей", "хорошо", "ладно", "понятно", "ясно", "да", "нет", "круто", "класс", "супер"],
        "laugh": ["ха(ха)+", "ах(ах)+", "хах(а)*", "лол"],
        "bye": ["пока", "до свидания", "до встречи", "спокойной ночи"],
        "identity": ["кто ты", "ты кто", "что ты (умеешь|можешь)", "что ты такое", "как тебя зовут", "помощь",
                     "помоги"],
        "how_are_you": ["как дела", "как ты", "что нового"],
    },
    "uk": {
        "greeting": ["вітаю", "добр(ий день|ий вечір|ого ранку)", "привіт"],
        "thanks": ["дякую", "щиро дякую"],
        "ack": ["гаразд", "добре", "зрозуміло", "так", "ні"],
        "bye": ["бувай(те)?", "до побачення", "на все добре"],
        "identity": ["хто ти", "що ти (вмієш|можеш)", "допомога"],
        "how_are_you": ["як справи"],
    },
    "es": {
        "greeting": ["hola", "buen(os|as) (d[ií]as|tardes|noches)"],
        "thanks": ["gracias", "muchas gracias"],
        "ack": ["vale", "bien", "claro", "s[ií]"],
        "laugh": ["jaja(ja)*"],
        "bye": ["adi[oó]s", "hasta luego", "chao"],
        "identity": ["qui[eé]n eres", "qu[eé] eres", "qu[eé] puedes hacer", "ayuda"],
        "how_are_you": ["qu[eé] tal", "c[oó]mo est[aá]s"],
    },
    "pt": {
        "greeting": ["ol[aá]", "oi", "bom dia", "boa (tarde|noite)"],
        "thanks": ["obrigad[oa]"],
        "laugh": ["kkkk+"],
        "bye": ["tchau"],
        "identity": ["quem [eé] voc[eê]", "o que voc[eê] faz"],
        "how_are_you": ["tudo bem"],
    },
    "it": {
        "greeting": ["ciao", "salve", "buongiorno", "buonasera"],
        "thanks": ["grazie( mille)?"],
        "ack": ["va bene", "certo"],
        "bye": ["arrivederci"],
        "identity": ["chi sei", "cosa sai fare", "aiuto"],
        "how_are_you": ["come stai"],
    },
    "fr": {
        "greeting": ["bonjour", "bonsoir", "salut", "coucou"],
        "thanks": ["merci( beaucoup)?"],
        "ack": ["d'accord", "oui", "non"],
        "laugh": ["mdr"],
        "bye": ["au revoir", "[aà] bient[oô]t"],
        "identity": ["qui es[- ]tu", "tu es qui", "que (peux|sais)[- ]tu faire", "aide"],
        "how_are_you": ["[çc]a va", "comment [çc]a va"],
    },
    "de": {
        "greeting": ["hallo", "moin", "servus", "guten (morgen|tag|abend)"],
        "thanks": ["danke( sch[oö]n| sehr)?", "vielen dank"],
        "ack": ["gut", "alles klar", "ja", "nein", "prima"],
        "bye": ["tsch[uü]ss", "auf wiedersehen"],
        "identity": ["wer bist du", "was bist du", "was kannst du", "hilfe"],
        "how_are_you": ["wie geht('s| es)?( dir)?"],
    },
    "nl": {"greeting": ["hoi", "goedemorgen"], "thanks": ["dank je( wel)?", "bedankt"]},
    "pl": {"greeting": ["cze[sś][cć]", "dzie[nń] dobry"], "thanks": ["dzi[eę]kuj[eę]"], "ack": ["tak", "nie"]},
    "tr": {"greeting": ["merhaba", "selam"], "thanks": ["te[sş]ekk[uü]rler", "sa[gğ]ol"]},
    "ar": {"greeting": ["مرحبا", "[اأ]هلا", "السلام عليكم", "صباح الخير", "مساء الخير"],
           "thanks": ["شكرا( جزيلا)?", "شكرًا"], "bye": ["مع السلامة", "وداعا"], "identity": ["من انت", "من أنت"]},
    "zh": {"greeting": ["你好", "您好", "嗨"], "thanks": ["谢谢(你|您)?", "多谢"], "bye": ["再见"],
           "identity": ["你是谁"]},
}
# Words that may surround small talk without making it a question ("ok thanks bot", "hi everyone", "thanks again").
FILLERS = {
    "en": ["bot", "buddy", "mate", "man", "dude", "guys", "everyone", "all", "friend", "again", "so much",
           "very much", "a lot", "then", "well", "so", "and", "but", "please", "pls", "plz", "you", "u", "dear",
           "for (that|this|the (answer|help|info))", "anyway", "just", "really", "too", "very"],
    "ru": ["бот", "ещё", "еще", "большое", "огромное", "тебе", "вам", "ну", "и", "а"],
    "es": ["mucho", "muchas", "amigo", "mil", "por todo"],
    "de": ["vielmals"],
    "fr": ["beaucoup"],
    "it": ["tanto"],
    "uk": ["бот", "тобі", "вам", "велике", "ще"],
    "ar": ["لك", "لكم", "يا بوت"],
}
# Which kind a message is when it holds several ("hi, who are you?" asks who the bot is).
PRECEDENCE = ("identity", "how_are_you", "thanks", "bye", "greeting", "laugh", "ack")

_SYMBOLS = re.compile(r"[^\w\s']+")


class SmallTalk(NamedTuple):
    kind: str  # greeting, thanks, ack, laugh, bye, identity, how_are_you, emoji
    language: str  # the language whose phrase it is, as an ISO code (the asker's for emoji)


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], list[tuple[str, str, re.Pattern[str]]]]:
    """The whole-message pattern (phrases and fillers of every language, one after another) and, per language
    and kind, a pattern for a phrase of that kind among the words."""
    phrases = [p for kinds in PHRASES.values() for patterns in kinds.values() for p in patterns]
    fillers = [f for words in FILLERS.values() for f in words]
    whole = re.compile(rf"(?:(?:{_alternation(phrases + fillers)})(?:\s+|$))+")
    kinds = [(language, kind, re.compile(rf"(?:^|\s)(?:{_alternation(patterns)})(?:\s|$)"))
             for language, by_kind in PHRASES.items() for kind, patterns in by_kind.items()]
    return whole, kinds


def _words(message: str) -> str:
    text = unicodedata.normalize("NFKC", message).casefold().replace("’", "'")
    return " ".join(_SYMBOLS.sub(" ", text).split())


def small_talk(message: str, language: str = "en") -> SmallTalk | None:
    """What kind of small talk `message` is, or None when it may be a question for the corpus. Phrases of
    `language` win over the same words in another language ("no" is English before it is Italian)."""
    text = _words(message)
    if not any(ch.isalnum() for ch in text):
        return SmallTalk("emoji", language) if message.strip() else None
    whole, kinds = _patterns()
    if len(text.split()) > MAX_WORDS or not whole.fullmatch(text):
        return None
    found = [(k, lang) for lang, k, pattern in kinds if pattern.search(text)]
    if not found:  # fillers only ("you", "so", "and"): nothing to search for either
        return SmallTalk("ack", language)
    kind = min((k for k, _ in found), key=PRECEDENCE.index)
    languages = [lang for k, lang in found if k == kind]
    return SmallTalk(kind, language if language in languages else languages[0])
