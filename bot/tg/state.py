"""What the handlers share: the engine, the curator, the feedback store and the throttle of one running bot."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from telegram.ext import ContextTypes

from ..curation import Curator
from ..models import Answer
from ..search.engine import Engine
from ..settings import Settings
from .feedback import FeedbackStore
from .throttle import QuestionThrottle

CANDIDATES = 5  # best passage + "More answers"
STATE = "state"  # its key in `bot_data`


@dataclass
class BotState:
    """`engine` stays the same object for the bot's life: `curator` changes it by swapping its view whole, so a
    question sees the corpus either before or after a change."""

    settings: Settings
    engine: Engine
    curator: Curator
    store: FeedbackStore
    throttle: QuestionThrottle
    # One worker: ranking leaves the event loop free for other chats' I/O, and engine calls never overlap.
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine"))

    async def ask(self, question: str, language_hint: str | None = None) -> Answer:
        """`language_hint`: the asker's Telegram language_code, one hint to the question's language."""
        engine = self.engine
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, partial(engine.ask, question, CANDIDATES, language_hint=language_hint))


def state_of(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data[STATE]
