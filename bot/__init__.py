"""News Q&A bot: answers questions from a corpus of news articles with the best passage and its source."""
