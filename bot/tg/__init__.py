"""The Telegram front end: handlers turn updates into calls of the engine and the curator, and their results
into messages; wiring (`app`) is kept apart from the callbacks, as in python-telegram-bot's own examples."""
