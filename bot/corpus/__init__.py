"""The corpus wing: files → articles. The `corpus/` folder, the article formats, what admins hand over
(pasted text, files, web pages, JSON lines) and the crash-safe writes; nothing here knows about search."""
