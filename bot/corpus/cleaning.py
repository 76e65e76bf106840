"""Pasted web text → the story: which lines are page furniture, which are headings, which line is the title.

What a browser's select-all + copy gives is the story wrapped in navigation, share buttons, ads, captions,
"Read more" links, comment counters, cookie and newsletter notices and footers, in whatever language the site
speaks. Each line is classified on its own (patterns in English, Russian, Ukrainian, German, Spanish and
Arabic), then the page's structure decides the rest: the story runs from its first to its last prose line, a
short line is a heading only right before story prose, and runs of one-word lines outside the story are menus.
How well this works is measured by `python -m benchmarks.paste_cleaning` (figures in the README).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().casefold() for w in text.replace("\n", "").split("|") if w.strip())


def _alt(*words: str) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# A line that is only one of these (outer punctuation aside) is a button or a label.
BUTTONS = _words("""
share|share this|share this article|share this story|copy link|copy|link copied|email|e-mail|print|save|saved|bookmark
|tweet|facebook|twitter|x|linkedin|whatsapp|telegram|viber|vk|вконтакте|одноклассники|reddit|pinterest|flipboard
|messenger|sign in|log in|login|register|subscribe|menu|search|close|more|next|previous|back|home|accept|accept all
|reject all|i agree|agree|ok|got it|manage preferences|manage cookies|settings|cookie settings|more options|yes|no
|listen|advertisement|advert|ad|ads|sponsored|sponsored content|promoted|paid content|partner content|adchoices
|поделиться|скопировать ссылку|ссылка скопирована|отправить|сохранить|войти|меню|поиск|принять|согласен|хорошо
|закрыть|реклама|подписаться|слушать
|поділитися|скопіювати посилання|надіслати|зберегти|увійти|пошук|прийняти|добре|закрити|підписатися|слухати
|teilen|link kopieren|merken|drucken|anmelden|menü|suche|alle akzeptieren|akzeptieren|zustimmen|einstellungen
|ablehnen|anzeige|werbung|abonnieren|schließen
|compartir|copiar enlace|guardar|imprimir|iniciar sesión|menú|buscar|aceptar|configurar|rechazar|de acuerdo
|publicidad|anuncio|suscríbete|cerrar|correo
|مشاركة|نسخ الرابط|حفظ|طباعة|تسجيل الدخول|القائمة|بحث|موافق|أوافق|قبول|إعلان|إعلانات|اشترك|إغلاق|فيسبوك|تويتر
|واتساب|تيليغرام""")

# Headers of link lists and other stock lines ("Most read", "Skip to content").
STOCK_LINES = _words("""
others are reading now|also read|read also|read more|read next|see also|related|related articles|related stories
|related topics|most read|most popular|more on this story|top stories|trending|recommended|continue reading
|click here|watch|more from|latest news|more stories|you may also like|you might also like|editor's picks|must read
|popular now|in other news|around the web|skip to content|skip to main content|skip to navigation|go to main content
|jump to navigation|jump to content|accessibility help
|читайте также|самое читаемое|по теме|еще по теме|популярное|главное|новости партнеров|смотрите также|другие новости
|перейти к содержанию|перейти к основному содержанию
|читайте також|найпопулярніше|за темою|популярне|головне|інші новини|більше новин|перейти до змісту
|lesen sie auch|meistgelesen|auch interessant|mehr zum thema|empfehlungen|weitere artikel|beliebt
|zum inhalt springen
|lee también|lo más leído|noticias relacionadas|más información|te recomendamos|más noticias|lo último
|ir al contenido|saltar al contenido
|اقرأ أيضا|اقرأ أيضاً|الأكثر قراءة|مواضيع ذات صلة|أخبار ذات صلة|المزيد|اخترنا لكم|انتقل إلى المحتوى""")

_RELATED_PREFIX = re.compile(r"^(?:" + _alt(
    "read more", "read also", "also read", "related", "see also", "recommended", "more", "read next", "read",
    "you may also like", "watch", "listen", "more on this", "читайте также", "читайте", "по теме", "смотрите также",
    "смотрите", "читайте також", "за темою", "дивіться також", "lesen sie auch", "mehr zum thema", "lesen sie",
    "weiterlesen", "auch interessant", "lee también", "lea también", "más información", "te puede interesar",
    "relacionado", "اقرأ أيضا", "اقرأ أيضاً", "اقرأ", "شاهد أيضا", "شاهد", "ذات صلة") + r")\s*[:：»>|–—-]\s*\S", re.I)
_CAPTION_PREFIX = re.compile(r"^(?:" + _alt(
    "image", "images", "photo", "photos", "picture", "pictured", "image source", "image caption", "media caption",
    "caption", "credit", "credits", "photograph", "illustration", "video caption", "foto", "fotos", "bild",
    "bildquelle", "imagen", "fotografía", "фото", "фотография", "источник фото", "світлина", "джерело фото",
    "ілюстрація", "иллюстрация", "صورة", "الصورة", "مصدر الصورة", "حقوق الصورة", "تعليق على الصورة")
    + r")\s*[:,：]\s*\S", re.I)
_AGENCIES = (r"getty(?: images)?|reuters|afp|ap|epa|dpa|pa(?: media)?|anadolu|tass|тасс|ria|риа новости|efe"
             r"|укрінформ|shutterstock|alamy")
_CAPTION_TAIL = re.compile(
    r"(?:(?:photo|image|picture|credit|foto|bild|imagen|фото|світлина|صورة|الصورة)\s*:\s*[^.]{1,40}$"
    r"|\((?:photo|image|picture|foto|bild|imagen|фото|صورة)\s*:[^)]{1,60}\)\s*$"
    rf"|(?:\bvia\s+|/\s*|\|\s*©?\s*|©\s*)(?:{_AGENCIES})\s*\.?$)", re.I)
_AGENCY_ONLY = re.compile(r"^(?:©\s*)?(?:getty(?: images)?|reuters|afp|ap|epa|dpa|pa media|shutterstock|alamy|"
                          r"anadolu|afp via getty images|reuters/\w+|тасс|риа новости|efe|укрінформ)"
                          r"(?:\s*/\s*\w+)?$", re.I)
_EXTERNAL = re.compile(r"not responsible for the content of external|approach to external linking", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|все права защищены|усі права захищені|"
                        r"всі права захищені|alle rechte vorbehalten|todos los derechos reservados|جميع الحقوق محفوظة|"
                        r"reproduction (?:without|is)|ссылка обязательна|посилання обов", re.I)
_COMMENT_WORDS = r"comments?|replies|комментари\w*|коментар\w*|kommentare?|comentarios?|التعليقات|تعليقات?"
_COMMENTS = re.compile(rf"^(?:(?:view|show|read|see|load|leave a|add a|post a|\d+)\s+)?(?:{_COMMENT_WORDS})"
                       r"\s*[(\[]?\s*\d*\s*[)\]]?$", re.I)
_SHARE = re.compile(r"^(?:share|поделиться|поділитися|teilen|compartir|مشاركة|شارك)\b", re.I)
_SHARE_ON = re.compile(r"^(?:share (?:on|this|via|to|with|article|story|page|full)|поделиться (?:в|материалом)|"
                       r"поділитися (?:у|в|матеріалом)|artikel teilen|beitrag teilen|compartir (?:en|noticia)|"
                       r"شارك (?:على|الخبر))\b", re.I)
_AD = re.compile(r"^(?:advertisement|реклама|anzeige|werbung|publicidad|anuncio|إعلان)\b", re.I)
_AD_SHORT = re.compile(r"^(?:ad|ads|paid post|sponsored|promoted|skip advertisement)\b", re.I)
_AD_CONTINUES = re.compile(r"scroll to continue|continues below|continue reading below", re.I)
_FOLLOW = re.compile(r"^(?:follow|подписывайтесь|подпишитесь|підписуйтеся|підпишіться|стежте|следите|читайте нас|"
                     r"folgen sie|síguenos|siga|تابعونا|تابعوا|تابع)\b", re.I)
_READ_TIME = re.compile(r"\b\d+\s*[-‑ ]?\s*(?:min(?:ute)?s?|мин(?:ут[аы]?)?|хв(?:илин[аи]?)?|minuten|min\.|دقائق|دقيقة)"
                        r"\.?\s*(?:read|de lectura|lesezeit|чтения|читання)?\b|listen to this article|слушать статью|"
                        r"слухати статтю|artikel anhören|escuchar (?:este )?artículo|استمع إلى المقال|reading time|"
                        r"время чтения|час читання|lesezeit|lectura de|tiempo de lectura|مدة القراءة", re.I)
_BYLINE = re.compile(r"^(?:by|written by|von|por|автор|авторка|текст|بقلم|كتب)\s*:?\s+\S", re.I)
_COOKIE = re.compile(r"cookie|куки|ملفات تعريف الارتباط|privacy|конфиденциальност|конфіденційн|datenschutz|privacidad|"
                     r"الخصوصية", re.I)
_COOKIE_VERB = re.compile(r"\b(?:we use|uses|use of|accept|agree|consent|browsing|continuing|partners|personal data|"
                          r"используем|соглашаетесь|принять|використовуємо|погоджуєтеся|verwenden|stimmen sie|"
                          r"akzeptieren|utilizamos|aceptas|navegando|نستخدم|توافق)", re.I)
_NEWSLETTER = re.compile(r"newsletter|sign[- ]up|subscribe|subscription|inbox|email address|your email|"
                         r"рассылк|подпишитесь|подписк|на почту|почтов|розсилк|підпишіться|підписк|пошт|"
                         r"melden sie sich|abonnieren|postfach|boletín|suscríbete|suscripción|apúntate|tu correo|"
                         r"bandeja|النشرة|نشرتنا|اشترك|بريدك", re.I)
# The site talking to the reader about itself (apps, channels, donations), and calls to action.
_SITE_VOICE = re.compile(r"(?<!\w)(?:our|ours|(?-i:us)|your|you|we|наш\w*|ваш\w*|вы|вас|вам|мы|нас|нам|ви|ми|"
                         r"unser\w*|(?-i:Ihr|Ihre\w*|Ihnen|Sie)|wir|uns|nuestr\w*|tu|tus|te|usted|nos)(?!\w)"
                         r"|\w{2,}(?:نا|ك)(?!\w)", re.I)
_CTA_WORDS = re.compile(r"sign[- ]?up|subscri|join|download|support|donat|contribut|journalism|reporting|newsletter|"
                        r"inbox|\bapp\b|channel|alerts?\b|notifications?|cancel anytime|free\b|register|log ?in|"
                        r"подпи|скача|поддерж|присоедин|приложени|канал|рассылк|журналист|уведомлен|бесплатн|"
                        r"підпи|завантаж|підтрима|долуча|застосун|розсилк|журналіст|сповіщен|безкоштовн|"
                        r"abonn|herunterladen|unterstütz|kanal|journalismus|kostenlos|eilmeldung|postfach|"
                        r"suscri|descarga|apoya|únete|aplicación|periodismo|gratis|alertas|"
                        r"اشترك|حمّل|ادعم|انضم|تطبيق|قناة|الصحافة|مجانا|بريد", re.I)
_CTA_START = re.compile(r"^(?:sign up|subscribe|join|download|get the|get our|get alerts|support|watch|play|listen|"
                        r"register|log in|try|click|tap|open in|подпишитесь|подписывайтесь|скачайте|поддержите|"
                        r"смотреть|слушать|войдите|присоединяйтесь|підпишіться|завантажте|підтримайте|дивитися|"
                        r"слухати|увійдіть|долучайтеся|laden sie|unterstützen sie|melden sie sich|abonnieren sie|"
                        r"jetzt|hören|ansehen|únete|descarga|apoya|suscríbete|regístrate|inicia sesión|reproducir|"
                        r"escuchar|انضم|حمّل|حمل|ادعم|اشترك|شاهد|استمع|سجل)(?!\w)", re.I)
_MEDIA = re.compile(r"^(?:video|vídeo|видео|відео|фильм|فيديو|audio|аудио|аудіо|podcast|подкаст)\b|"
                    r"\b\d{1,2}:\d{2}\b.*\b(?:duration|min)|\bduration\b|^\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?$",
                    re.I)
_PAYWALL = re.compile(r"subscriber|подписчик|передплатник|abonnent|suscriptor|مشترك", re.I)
_QUOTES = re.compile(r"[\"“”«»„]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_PIECES = re.compile(r"\s*[|•·,/]\s*|\t|\s{2,}")
_NAV_PIECES = re.compile(r"\s*[|›»>/•·]\s*|\t|\s{2,}|\s[-–]\s")
_NAV_PAIR = re.compile(r"\s[|›»>/]\s")

SENTENCE_END = (".", "!", "?", "…", "\"", "”", "»", "’", "'", ")", "؟", "。")
_NOT_HEADING_END = (".", "!", "…", ":", ";", ",", "\"", "”", "’", "'", ")", "»", "。")

# Closed-class words: a Title Case headline has some, a menu ("Home News Sport Weather") has none.
FUNCTION_WORDS = frozenset("""a an the of to in on at for and or with by as from after over into is are was be how why
what who new vs not no but than up out off its his her their
в на и с по для не у до из о от за к что как а но при под без об со
з та і й від для що як не у до за на про під без
der die das den dem des und in im mit für von zu zum zur auf aus bei nach über ist ein eine einen nicht wie was
el la los las de del en y con por para a un una al que se no es su sus""".split())


def _bare(line: str) -> str:
    return line.strip(" \t|•·-–—:>›»").casefold()


def _site_voice(line: str, words: int) -> bool:
    """The site addressing its reader (newsletters, apps, donations, channels), not a quote in the story."""
    if words > 25 or _QUOTES.search(line):
        return False
    return bool(_SITE_VOICE.search(line) and _CTA_WORDS.search(line)) or (words <= 12 and bool(_CTA_START.match(line)))


def _is_nav(line: str) -> bool:
    """Breadcrumbs, menus and footers copied as one line: short pieces between separators."""
    if line.rstrip().endswith(SENTENCE_END):
        return False
    pieces = [p for p in _NAV_PIECES.split(line) if p.strip()]
    longest = max((len(p.split()) for p in pieces), default=0)
    return (len(pieces) >= 3 and longest <= 4) or (len(pieces) == 2 and bool(_NAV_PAIR.search(line)) and longest <= 3)


# (reason, test on (line, its bare casefolded form, its word count)), in order; the first that holds names the line.
_JUNK_RULES: tuple[tuple[str, Callable[[str, str, int], bool]], ...] = (
    ("button", lambda line, bare, n: bare in BUTTONS),
    ("stock", lambda line, bare, n: bare in STOCK_LINES),
    ("buttons", lambda line, bare, n: len(ps := [p.casefold() for p in _PIECES.split(line) if p.strip()]) >= 2
     and all(p in BUTTONS for p in ps)),
    ("buttons", lambda line, bare, n: n >= 2 and all(w in BUTTONS for w in bare.split())),
    ("share", lambda line, bare, n: (n <= 4 and bool(_SHARE.match(bare))) or (n <= 12 and bool(_SHARE_ON.match(bare)))),
    ("ad", lambda line, bare, n: n <= 8 and bool(_AD.match(bare) or _AD_CONTINUES.search(bare))),
    ("ad", lambda line, bare, n: n <= 3 and bool(_AD_SHORT.match(bare))),
    ("related", lambda line, bare, n: n <= 20 and bool(_RELATED_PREFIX.match(line))),
    ("caption", lambda line, bare, n: n <= 30 and bool(_CAPTION_PREFIX.match(line) or _CAPTION_TAIL.search(line))),
    ("credit", lambda line, bare, n: bool(_AGENCY_ONLY.match(line.strip()))),
    ("copyright", lambda line, bare, n: ("©" in line and n <= 30) or (n <= 15 and bool(_COPYRIGHT.search(line)))
     or (n <= 30 and bool(_EXTERNAL.search(line)))),
    ("comments", lambda line, bare, n: bool(_COMMENTS.match(bare))),
    ("follow", lambda line, bare, n: n <= 14 and bool(_FOLLOW.match(bare))),
    ("reading time", lambda line, bare, n: n <= 10 and bool(_READ_TIME.search(line))),
    ("byline", lambda line, bare, n: n <= 8 and bool(_BYLINE.match(line)) and not line.rstrip().endswith(SENTENCE_END)),
    ("cookie", lambda line, bare, n: n <= 45 and bool(_COOKIE.search(line) and _COOKIE_VERB.search(line))),
    ("newsletter", lambda line, bare, n: (n <= 40 and len(_NEWSLETTER.findall(line)) >= 2)
     or (n <= 6 and bool(_NEWSLETTER.search(line)))),
    ("navigation", lambda line, bare, n: _is_nav(line)),
    ("site voice", lambda line, bare, n: _site_voice(line, n)),
    ("media", lambda line, bare, n: n <= 10 and bool(_MEDIA.search(line))),
    ("paywall", lambda line, bare, n: n <= 12 and bool(_PAYWALL.search(line))),
)


def is_label(line: str) -> bool:
    """Only a button or a stock label ("Share", "Read more", "Most read"), in any of the languages."""
    return _bare(line) in BUTTONS or _bare(line) in STOCK_LINES


def junk_reason(line: str) -> str | None:
    """Why a line is page furniture wherever it stands ("share", "caption", "cookie", …), or None."""
    bare = _bare(line)
    if not bare:
        return "empty"
    words = len(line.split())
    return next((reason for reason, test in _JUNK_RULES if test(line, bare, words)), None)


def is_prose(line: str) -> bool:
    """A sentence of a story: 8+ words ending like a sentence, or 20+ words."""
    words = len(line.split())
    return (words >= 8 and line.rstrip().endswith(SENTENCE_END)) or words >= 20


def heading_shaped(line: str) -> bool:
    """Short, and ending without sentence punctuation (a question mark is allowed: "Who is affected?")."""
    stripped = line.strip()
    return (0 < len(stripped) <= 70 and len(stripped.split()) <= 8 and not stripped.endswith(_NOT_HEADING_END)
            and not re.fullmatch(r"[\d\W]+", stripped))


def _is_caps_menu(line: str) -> bool:
    """A run of capitalised words without a single function word: a menu, or at best a Title Case headline."""
    words = line.split()
    if not 5 <= len(words) <= 12 or re.search(r"\d|[.!?,;:]$", line):
        return False
    return all(w[:1].isupper() for w in words) and not any(w.casefold() in FUNCTION_WORDS for w in words)


def _stems(text: str) -> set[str]:
    return {w[:5].casefold() for w in re.findall(r"\w{4,}", text) if w.casefold() not in FUNCTION_WORDS}


def _plausible_heading(line: str, story_stems: set[str]) -> bool:
    """Not the site's voice, not a "Label: value" line, and a long one shares a word with the story."""
    if _SITE_VOICE.search(line) and not _ARABIC.search(line):  # Arabic suffixes make that test too loose
        return False
    label, colon, _ = line.partition(": ")
    if colon and len(label) <= 20 and len(label.split()) <= 2:
        return False
    return len(line.split()) <= 4 or bool(_stems(line) & story_stems)


# Line kinds: metadata, junk, a candidate for the story, and "weak" (a Title Case run: the title at most).
META, JUNK, CANDIDATE, WEAK = "meta", "junk", "candidate", "weak"
MENU_ITEM_WORDS = 3   # a line of at most this many words without end punctuation may be a menu item ...
MENU_RUN = 3          # ... when at least this many follow each other
TAIL_GAP = 3          # non-story lines between the story and a trailing block of prose ...
TAIL_WORDS = 30       # ... of at most two lines this short: page furniture ("X is part of Y plc"), not the story


@dataclass
class Page:
    """A pasted page taken apart: the title, the story's paragraphs with their section, the metadata found."""

    title: str
    paragraphs: list[tuple[str, str | None]]
    meta: dict[str, str] = field(default_factory=dict)


def _menu_item(line: str) -> bool:
    return len(line.split()) <= MENU_ITEM_WORDS and not line.endswith(SENTENCE_END)


def _mark_menus(lines: Sequence[str], kinds: list[str]) -> set[int]:
    """Runs of very short lines: menus outside the story (marked junk), its own lists inside it (returned)."""
    prose = [i for i, kind in enumerate(kinds) if kind == CANDIDATE and is_prose(lines[i])]
    low, high = (prose[1], prose[-1]) if len(prose) >= 2 else (len(lines), -1)
    lists: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] == CANDIDATE and _menu_item(lines[j]):
            j += 1
        if j - i >= MENU_RUN:
            # The run's last line, right before prose, may be a real heading: the heading rule decides.
            last = j - 1 if j < len(lines) and kinds[j] == CANDIDATE and is_prose(lines[j]) else j
            if low < i and j <= high:
                if last - i >= MENU_RUN:
                    lists.update(range(i, last))
            else:
                kinds[i:last] = [JUNK] * (last - i)
        i = max(j, i + 1)
    return lists


def _mark_link_lists(lines: Sequence[str], kinds: list[str]) -> None:
    """Under a "Most read" / "Related stories" header, two or more headline-shaped lines are links."""
    for i, line in enumerate(lines):
        if kinds[i] == JUNK and _bare(line) in STOCK_LINES:
            j = i + 1
            while j < len(lines) and kinds[j] in (CANDIDATE, WEAK) and heading_shaped(lines[j]):
                j += 1
            if j - i > 2:
                kinds[i + 1:j] = [JUNK] * (j - i - 1)


def _title_index(lines: Sequence[str], kinds: list[str]) -> int:
    """The first line, unless it is furniture or a longer candidate line comes before the story starts (a
    select-all copy starts with the site's menus)."""
    pool = [i for i, kind in enumerate(kinds) if kind in (CANDIDATE, WEAK)]
    first_prose = next((i for i in pool if kinds[i] == CANDIDATE and is_prose(lines[i])), len(lines))
    before = [i for i in pool if i < first_prose]
    if not before:  # nothing but furniture before the story: the first line is the title after all
        return 0
    longer = [i for i in before if kinds[i] == CANDIDATE and len(lines[i].split()) >= 4 and lines[i][-1] != "."]
    if kinds[0] == CANDIDATE and (len(lines[0].split()) >= 3 or not longer):
        return 0
    weak = [i for i in before if kinds[i] == WEAK][-1:]  # the menus come first, a Title Case headline last
    shorter = [i for i in before if kinds[i] == CANDIDATE and len(lines[i].split()) >= 3]
    return (longer or weak or shorter or before)[0]


def _trim_tail(prose: list[int], lines: Sequence[str], kinds: list[str]) -> list[int]:
    """Drop a short block of prose that stands apart at the end, after several furniture lines."""
    while len(prose) >= 3:
        k = len(prose) - 1
        while k > 0 and prose[k] - prose[k - 1] <= 2:
            k -= 1
        if k == 0 or len(prose) - k > 2 or any(len(lines[i].split()) > TAIL_WORDS for i in prose[k:]):
            break
        gap = sum(kinds[i] in (JUNK, META) for i in range(prose[k - 1] + 1, prose[k]))
        if gap < TAIL_GAP:
            break
        prose = prose[:k]
    return prose


MetaMatcher = Callable[[str, bool], tuple[str, str] | None]


def clean_page(lines: Sequence[str], match_meta: MetaMatcher) -> Page:
    """Take a pasted page apart. `match_meta(line, in_header)` recognises metadata lines, (key, value) or None;
    `in_header` is true before the story's first prose line, where a bare date line is the article's date."""
    header_end = next((i for i, line in enumerate(lines) if i > 0 and is_prose(line)), len(lines))
    meta: dict[str, str] = {}
    kinds: list[str] = []
    for i, line in enumerate(lines):
        if found := match_meta(line, i < header_end):
            meta.setdefault(*found)
            kinds.append(META)
        else:
            kinds.append(JUNK if junk_reason(line) else CANDIDATE)
    lists = _mark_menus(lines, kinds)
    for i, line in enumerate(lines):
        if kinds[i] == CANDIDATE and _is_caps_menu(line):
            kinds[i] = WEAK
    _mark_link_lists(lines, kinds)
    title = _title_index(lines, kinds)
    candidates = [i for i, kind in enumerate(kinds) if kind == CANDIDATE and i > title]
    prose = [i for i in candidates if is_prose(lines[i])]
    # A short post ("Ferry strike ends / Crews went back to work.") has no long sentences: its lines are the story.
    prose = _trim_tail(prose, lines, kinds) if prose else [i for i in candidates if not heading_shaped(lines[i])]
    return Page(lines[title] if lines else "", _story(lines, kinds, prose, lists), meta)


def _story(lines: Sequence[str], kinds: list[str], prose: list[int], lists: set[int]) -> list[tuple[str, str | None]]:
    """The paragraphs from the first to the last prose line, each with the heading it sits under."""
    if not prose:
        return []
    kept = set(prose) | lists
    story_stems = _stems(" ".join(lines[i] for i in prose))
    span = [i for i in range(prose[0], prose[-1] + 1) if kinds[i] == CANDIDATE]
    paragraphs: list[tuple[str, str | None]] = []
    section: str | None = None
    for position, i in enumerate(span):
        line = lines[i]
        following = span[position + 1] if position + 1 < len(span) else None
        if i in kept:
            paragraphs.append((line, section))
        elif heading_shaped(line) and following in kept and following not in lists \
                and _plausible_heading(line, story_stems):
            section = line
        elif line.endswith(SENTENCE_END) and len(line.split()) >= 3:
            paragraphs.append((line, section))  # a short sentence of the story
    return paragraphs
