"""A small fake Telegram Bot API server (aiohttp, 127.0.0.1, a random port unless `port` is set before it starts)
for driving the bot over real HTTP.

Tests push updates (as Telegram would deliver them, entities included: messages, channel posts and the edits of
either, button presses, inline queries), the bot long-polls them with
getUpdates, and every call the bot makes is recorded so tests can wait for it instead of sleeping.
Faults can be injected for the next N calls of a method (`fail`, `flood`, `block`, `hang`, `drop`) or on a
share of its calls (`storm`): 429 with retry_after, 403 blocked, 500/502, a response slower than the bot's read
timeout, and a connection closed without a response. A faulted call is never carried out (no message is stored),
so a retry by the bot is the only way the work gets done: what arrives twice was sent twice.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

# Parameters that are plain strings in the Bot API: PTB sends every other value JSON-encoded.
_STRING_PARAMS = frozenset({
    "text", "caption", "query", "parse_mode", "action", "callback_query_id", "inline_query_id", "url",
    "secret_token", "file_id", "inline_message_id", "next_offset", "language_code",
})
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")


# Telegram's HTML: these tags only, balanced; every other <, > and & must be escaped (its four named entities).
_HTML_TAGS = frozenset("b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split())
_HTML_PIECE = re.compile(r"<(/?)([a-z-]+)(\s[^<>]*)?>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]")
MAX_TEXT = 4096


def html_error(text: str) -> str | None:
    """What real Telegram would refuse in a text sent with parse_mode HTML (None when it is fine), so a reply
    that is not escaped or too long fails here as it would there."""
    stack: list[str] = []
    plain = 0
    end = 0
    for piece in _HTML_PIECE.finditer(text):
        plain += len(text[end:piece.start()])
        end = piece.end()
        closing, tag = piece.group(1), piece.group(2)
        if tag is None:
            if piece.group().startswith("&") and len(piece.group()) > 1:
                plain += 1
                continue
            return f"Bad Request: can't parse entities: unexpected {piece.group()!r} at byte offset {piece.start()}"
        if tag not in _HTML_TAGS:
            return f"Bad Request: can't parse entities: unsupported start tag \"{tag}\""
        if not closing and (error := _attribute_error(tag, (piece.group(3) or "").strip())):
            return error
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return f"Bad Request: can't parse entities: unmatched end tag \"{tag}\""
    plain += len(text[end:])
    if stack:
        return f"Bad Request: can't parse entities: unclosed start tag \"{stack[-1]}\""
    if not text.strip():
        return "Bad Request: message text is empty"
    if plain > MAX_TEXT:
        return "Bad Request: message is too long"
    return None


# Attributes Telegram reads, by tag: a blockquote may be `expandable` (folded to a few lines, one tap opens it).
_HTML_ATTRIBUTES = {"blockquote": re.compile(r"(expandable)?")}


def _attribute_error(tag: str, attributes: str) -> str | None:
    allowed = _HTML_ATTRIBUTES.get(tag)
    if allowed is not None and not allowed.fullmatch(attributes):
        return f"Bad Request: can't parse entities: unsupported attributes {attributes!r} of tag \"{tag}\""
    return None


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict]:
    """The bot_command and mention entities Telegram would attach, with UTF-16 offsets."""
    found = []
    if command := _COMMAND.match(text):
        found.append({"type": "bot_command", "offset": 0, "length": _u16(command.group())})
    for mention in _MENTION.finditer(text):
        found.append({"type": "mention", "offset": _u16(text[:mention.start()]), "length": _u16(mention.group())})
    return found


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the request arrived
    status: int = 200  # 0: no response (hung past the client's timeout, or the connection was dropped)
    fault: str | None = None  # the injected fault's kind ("429", "500", "slow", "drop"…), None if served


def request_key(method: str, params: dict[str, Any]) -> tuple:
    """What makes two calls "the same request" (a retry): chat, message replied to or edited and text, the button
    press answered, or the offset."""
    reply = params.get("reply_parameters") or {}
    return (method, params.get("chat_id"), params.get("action"), params.get("text"),
            reply.get("message_id", params.get("reply_to_message_id")), params.get("offset"),
            params.get("message_id"), params.get("callback_query_id"), str(params.get("reply_markup")))


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None
    kind: str = "error"  # "error": this status and description; "slow": no answer for `delay` s; "drop": hang up
    delay: float = 0.0

    @property
    def label(self) -> str:
        return self.kind if self.kind != "error" else str(self.status)


def error_fault(kind: str, retry_after: int = 1, delay: float = 3.0) -> Fault:
    """A fault by its short name: "429", "500", "502", "403", "slow" or "drop"."""
    return {
        "429": lambda: Fault(429, f"Too Many Requests: retry after {retry_after}", retry_after),
        "500": lambda: Fault(500, "Internal Server Error"),
        "502": lambda: Fault(502, "Bad Gateway"),
        "403": lambda: Fault(403, "Forbidden: bot was blocked by the user"),
        "slow": lambda: Fault(0, "", kind="slow", delay=delay),
        "drop": lambda: Fault(0, "", kind="drop"),
    }[kind]()


@dataclass
class Storm:
    """Faults on a share of a method's calls. Which calls fail depends only on the request and how often it was
    tried before (not on arrival order), so a run is reproducible however the bot's requests interleave; no
    request fails more than `max_per_request` times in a row, and `budget` caps the faults in all."""

    share: float
    kinds: tuple[str, ...]
    seed: int = 0
    max_per_request: int = 2
    budget: int = 1_000_000
    retry_after: int = 1
    delay: float = 3.0

    def pick(self, key: tuple, attempt: int) -> Fault | None:
        if attempt >= self.max_per_request or self.budget <= 0:
            return None
        rng = random.Random(f"{self.seed}:{key!r}:{attempt}")
        if rng.random() >= self.share:
            return None
        self.budget -= 1
        return error_fault(rng.choice(self.kinds), self.retry_after, self.delay)


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-secret-token-never-logged"
    bot_user: dict = field(default_factory=lambda: {
        "id": 123456, "is_bot": True, "first_name": "News", "username": "NewsTestBot",
        "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True,
    })
    files: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.delivered_at: dict[int, float] = {}   # update_id → when a getUpdates response carried it
        self.chats: dict[int, dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}  # (chat id, message id) → latest version
        self.commands: dict[str, list[dict]] = {}  # scope type ("chat:<id>" for one chat, "/ru" for a language) → menu
        self.downloads: list[str] = []                  # file ids whose content was fetched
        self.slow_downloads: dict[str, float] = {}       # file id → seconds before its content is sent
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.storms: dict[str, Storm] = {}
        self.blocked_chats: set[int] = set()           # every send to these chats gets 403 "blocked"
        self.injected: Counter[str] = Counter()          # fault label → how many were injected
        self._attempts: Counter[tuple] = Counter()       # request key → calls so far
        self.webhook: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self._open_queries: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegram:
        self._changed = asyncio.Condition()
        self._new_update = asyncio.Event()
        self._closing = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=1, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)  # 0 (the default): any free port
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._new_update.set()
        await self._runner.cleanup()

    def bot_environment(self, workdir: Path, **settings: str) -> dict[str, str]:
        """Environment for `python -m bot` as a separate process talking to this server, with its corpus and
        data folders in `workdir` (the process is configured through the environment only, as in production)."""
        return {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_BASE_URL": self.base_url,
            "TELEGRAM_API_FILE_URL": self.file_url,
            "CORPUS_DIR": str(workdir / "corpus"),
            "DATA_DIR": str(workdir / "var"),
            **settings,
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- what tests feed in ---------------------------------------------------------------------------------------

    def push(self, update: dict) -> int:
        update_id = next(self._ids)
        self.updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def message(self, chat: dict, user: dict, text: str | None = None, *, reply_to: dict | None = None,
                thread_id: int | None = None, date: float | None = None, **extra: Any) -> tuple[int, dict]:
        """Push a message like Telegram delivers it; returns (update id, message)."""
        self.chats[chat["id"]] = chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat["id"]]), "date": int(date or time.time()),
            "chat": chat, "from": user, **extra,
        }
        if text is not None:
            message["text"] = text
            if found := entities(text):
                message["entities"] = found
        if "caption" in extra and (found := entities(extra["caption"])):
            message["caption_entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        return self.push({"message": message}), message

    def channel_post(self, channel: dict, text: str | None = None, *, date: float | None = None,
                     **extra: Any) -> tuple[int, dict]:
        """Push a post in a channel (no sender, the channel itself is the chat); returns (update id, post)."""
        self.chats[channel["id"]] = channel
        post: dict[str, Any] = {"message_id": next(self._message_ids[channel["id"]]),
                                "date": int(date or time.time()), "chat": channel, "sender_chat": channel, **extra}
        if text is not None:
            post["text"] = text
        return self.push({"channel_post": post}), post

    def edit(self, message: dict, text: str | None = None, **changes: Any) -> tuple[int, dict]:
        """Push the edit of a message or post pushed before: `edited_channel_post` for a channel's, else
        `edited_message`; returns (update id, the edited version)."""
        edited = {**message, **changes, "edit_date": int(time.time())}
        if text is not None:
            edited["text"] = text
            edited.pop("entities", None)
            if found := entities(text):
                edited["entities"] = found
        kind = "edited_channel_post" if message["chat"].get("type") == "channel" else "edited_message"
        return self.push({kind: edited}), edited

    def press(self, user: dict, message: dict, data: str) -> tuple[int, str]:
        """Push a press of an inline button under `message`; returns (update id, callback query id)."""
        query_id = f"cq{next(self._ids)}"
        self._open_queries.add(query_id)
        update_id = self.push({"callback_query": {
            "id": query_id, "from": user, "chat_instance": "1", "data": data, "message": message}})
        return update_id, query_id

    def inline(self, user: dict, query: str) -> tuple[int, str]:
        query_id = f"iq{next(self._ids)}"
        self._open_queries.add(query_id)
        return self.push({"inline_query": {"id": query_id, "from": user, "query": query, "offset": ""}}), query_id

    def fail(self, method: str, status: int, description: str, times: int = 1,
             retry_after: int | None = None) -> None:
        """The next `times` calls of `method` get this error instead of a result."""
        self.faults[method].extend(Fault(status, description, retry_after) for _ in range(times))

    def flood(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self.fail(method, 429, f"Too Many Requests: retry after {retry_after}", times, retry_after)

    def block(self, method: str, times: int = 1) -> None:
        self.fail(method, 403, "Forbidden: bot was blocked by the user", times)

    def hang(self, method: str, delay: float, times: int = 1) -> None:
        """The next `times` calls get no response for `delay` seconds (longer than the bot waits), then a 504;
        the call is not carried out."""
        self.faults[method].extend(Fault(0, "", kind="slow", delay=delay) for _ in range(times))

    def drop(self, method: str, times: int = 1) -> None:
        """The next `times` calls have their connection closed without a response; the call is not carried out."""
        self.faults[method].extend(Fault(0, "", kind="drop") for _ in range(times))

    def storm(self, method: str, share: float, kinds: tuple[str, ...] = ("429", "500", "502", "slow", "drop"),
              **options: Any) -> Storm:
        """Faults of `kinds` on about `share` of `method`'s calls, until `calm`; see `Storm`."""
        self.storms[method] = Storm(share, kinds, **options)
        return self.storms[method]

    def calm(self) -> None:
        """Stop all faults: storms, queued faults and blocked chats."""
        self.storms.clear()
        self.faults.clear()
        self.blocked_chats.clear()

    # --- what tests look at -------------------------------------------------------------------------------------

    def requests(self, method: str, where: Callable[[Call], bool] = lambda call: True) -> list[Call]:
        return [call for call in self.calls if call.method == method and where(call)]

    def faulted(self, method: str | None = None) -> list[Call]:
        return [call for call in self.calls if call.fault and method in (None, call.method)]

    def sent_to(self, chat_id: int) -> list[Call]:
        return self.requests("sendMessage", lambda call: call.params.get("chat_id") == chat_id and call.status == 200)

    async def wait_for(self, method: str, where: Callable[[Call], bool] = lambda call: True, count: int = 1,
                       timeout: float = 10.0) -> list[Call]:
        """Block until `count` matching calls were made; the matching calls."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.requests(method, where)) >= count), timeout)
        return self.requests(method, where)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until `condition()` holds; it is checked after every call the bot makes."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    # --- the Bot API ----------------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        form = await request.post()
        params = {key: value if key in _STRING_PARAMS else _json_or_str(value) for key, value in form.items()}
        call = Call(method, params, time.perf_counter())
        key = request_key(method, params)
        attempt, self._attempts[key] = self._attempts[key], self._attempts[key] + 1
        fault = self.faults[method].popleft() if self.faults[method] else None
        if fault is None and method in self.storms:
            fault = self.storms[method].pick(key, attempt)
        if fault is None and method.startswith("send") and params.get("chat_id") in self.blocked_chats:
            fault = error_fault("403")
        if fault:
            call.fault = fault.label
            self.injected[fault.label] += 1
        if fault and fault.kind != "error":
            call.status = 0
            await self._record(call)
            if fault.kind == "drop":
                request.transport.close()  # no status line, no body: the client sees the connection go
                return web.Response()  # written nowhere: the transport is closed
            await asyncio.sleep(fault.delay)  # the client gives up first; aiohttp then cancels this handler
            return web.json_response({"ok": False, "error_code": 504, "description": "Gateway Timeout"}, status=504)
        if fault:
            call.status = fault.status
            body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            response = web.json_response(body, status=fault.status)
        else:
            try:
                result = await self._result(method, params)
                response = web.json_response({"ok": True, "result": result})
            except _ApiError as error:
                call.status = error.status
                response = web.json_response(
                    {"ok": False, "error_code": error.status, "description": error.description}, status=error.status)
        await self._record(call)
        return response

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            if method in {"sendChatAction", "deleteWebhook", "close", "logOut", "deleteMyCommands"}:
                return True
            raise _ApiError(404, "Not Found: method not found")
        return await handler(params)

    async def _m_getMe(self, params: dict) -> dict:
        return self.bot_user

    async def _m_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self.updates and not self._closing and (left := deadline - time.monotonic()) > 0:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), left)
            except TimeoutError:
                break
        batch = self.updates[:int(params.get("limit") or 100)]
        now = time.perf_counter()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    def _check_text(self, params: dict) -> None:
        if params.get("parse_mode") == "HTML" and (error := html_error(params["text"])):
            raise _ApiError(400, error)

    async def _m_sendMessage(self, params: dict) -> dict:
        self._check_text(params)
        chat_id = params["chat_id"]
        chat = self.chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "Someone"})
        message = {"message_id": next(self._message_ids[chat_id]), "date": int(time.time()), "chat": chat,
                   "from": self.bot_user, "text": params["text"]}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        if "message_thread_id" in params:
            message.update(message_thread_id=params["message_thread_id"], is_topic_message=True)
        self.messages[chat_id, message["message_id"]] = message
        return message

    def _stored(self, params: dict) -> dict:
        message = self.messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _m_editMessageText(self, params: dict) -> dict:
        self._check_text(params)
        message = self._stored(params)
        if message["text"] == params["text"] and message.get("reply_markup") == params.get("reply_markup"):
            raise _ApiError(400, NOT_MODIFIED)
        message = {**message, "text": params["text"], "edit_date": int(time.time())}
        message.pop("reply_markup", None)
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        self.messages[params["chat_id"], params["message_id"]] = message
        return message

    async def _m_editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._stored(params)
        if message.get("reply_markup") == params.get("reply_markup"):
            raise _ApiError(400, NOT_MODIFIED)
        message = {**message, "reply_markup": params.get("reply_markup"), "edit_date": int(time.time())}
        self.messages[params["chat_id"], params["message_id"]] = message
        return message

    def _close_query(self, query_id: str) -> bool:
        if query_id not in self._open_queries:
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(query_id)
        return True

    async def _m_answerCallbackQuery(self, params: dict) -> bool:
        return self._close_query(params["callback_query_id"])

    async def _m_answerInlineQuery(self, params: dict) -> bool:
        for result in params.get("results") or []:
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._check_text({"text": content["message_text"], "parse_mode": content.get("parse_mode")})
        return self._close_query(params["inline_query_id"])

    async def _m_setMyCommands(self, params: dict) -> bool:
        scope = params.get("scope") or {"type": "default"}
        key = f"chat:{scope['chat_id']}" if scope["type"] == "chat" else scope["type"]
        if params.get("language_code"):  # a menu for the users of one language: "all_private_chats/ru"
            key += f"/{params['language_code']}"
        self.commands[key] = params["commands"]
        return True

    async def _m_setWebhook(self, params: dict) -> bool:
        self.webhook = params
        return True

    async def _m_getWebhookInfo(self, params: dict) -> dict:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    async def _m_getFile(self, params: dict) -> dict:
        content = self.files.get(params["file_id"])
        if content is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        path = f"documents/{params['file_id']}"
        return {"file_id": params["file_id"], "file_unique_id": params["file_id"], "file_size": len(content),
                "file_path": path}

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rpartition("/")[2]
        if request.match_info["token"] != self.token or file_id not in self.files:
            raise web.HTTPNotFound()
        self.downloads.append(file_id)
        await asyncio.sleep(self.slow_downloads.get(file_id, 0))
        return web.Response(body=self.files[file_id])


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _json_or_str(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # an uploaded file
    try:
        return json.loads(value)
    except ValueError:
        return value
