"""Who is asking what: the message filters of the handler table and the helpers they are made of."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import Message, MessageEntity, MessageOriginChannel
from telegram.ext import filters


def text_of(message: Message) -> str:
    """The message's text, or its caption (a photo with a question under it counts as the question)."""
    return message.text or message.caption or ""


def mentions_bot(message: Message, username: str) -> bool:
    handle = f"@{username}".casefold()
    found = (message.parse_entities([MessageEntity.MENTION]) if message.text
             else message.parse_caption_entities([MessageEntity.MENTION]))
    return any(value.casefold() == handle for value in found.values())


def replies_to_bot(message: Message, bot_id: int) -> bool:
    """A reply to one of our messages; in a forum topic every message "replies" to the topic's first one."""
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id
                and not replied.forum_topic_created)


def without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip(" \t\n,:;-—")


class AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: a reply to one of its messages or an @mention of it."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return replies_to_bot(message, bot.id) or mentions_bot(message, bot.username)


class OlderThan(filters.MessageFilter):
    """Messages that waited longer than `seconds` (queued while the bot was down): answering them now is noise."""

    def __init__(self, seconds: int) -> None:
        super().__init__(name=f"OlderThan({seconds})")
        self.seconds = seconds

    def filter(self, message: Message) -> bool:
        return (datetime.now(UTC) - message.date).total_seconds() > self.seconds


class FromChannel(filters.MessageFilter):
    """A post forwarded from a channel."""

    def filter(self, message: Message) -> bool:
        return isinstance(message.forward_origin, MessageOriginChannel)
