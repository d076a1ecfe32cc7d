"""Inkwell's model side: loading, prompts, streaming generation. Never imports Qt.

Modules are imported directly (`from engine.engine import Engine`); this package file
stays empty so that light modules (requests, templates) load without torch.
"""
