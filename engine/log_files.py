"""The log a writer can send: a rotating file in Inkwell's data folder, without their words.

What goes in: Inkwell's own events and errors at INFO and above. What never does: the
document's text (no logger is ever given it), paths beyond a file's name (every absolute
path in a message or a traceback is cut to its last part), and secrets (the value of the
API key's environment variable and of the usual token variables is replaced wherever it
appears). The filter sits on the file handler, so it holds for every logger, ours or a
library's.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "inkwell.log"
MAX_BYTES = 1_000_000
BACKUPS = 3  # inkwell.log.1 … .3: at most 4 MB in all
TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "OPENAI_API_KEY")
_PATH = re.compile(r"(?:[A-Za-z]:\\|~?/)(?:[^\s'\"/\\:]+[/\\])+([^\s'\"/\\:]*)")


def secrets_from_environment(names: Iterable[str]) -> list[str]:
    """The values of these variables (and the usual token ones) that look like secrets."""
    values = (os.environ.get(name, "") for name in (*names, *TOKEN_VARIABLES) if name)
    return [value for value in values if len(value) >= 6]


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[secret]")
    return _PATH.sub(lambda match: match.group(1) or "[folder]", text)


class Redactor(logging.Filter):
    """Rewrites each record's message and traceback before it reaches the file."""

    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = list(self._secrets())
        record.msg, record.args = redact(record.getMessage(), secrets), None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info), secrets)
            record.exc_info = None
        return True


def install(folder: Path, secrets: Callable[[], Iterable[str]]) -> RotatingFileHandler | None:
    """Log to `folder`/inkwell.log from now on; None (and no file log) if it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redactor(secrets))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler
