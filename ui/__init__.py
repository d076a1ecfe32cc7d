"""Inkwell's window. Never imports torch or transformers: the engine is handed in."""
