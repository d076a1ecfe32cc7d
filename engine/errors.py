"""Errors the engine reports to the writer.

Each carries a message meant for a person: it says what went wrong and what to do,
and never includes the document's text.
"""

from __future__ import annotations


class InkwellError(Exception):
    """Base class: anything the UI or the CLI shows as one clear line."""

    @property
    def message(self) -> str:
        return str(self)


class InputError(InkwellError):
    """The request cannot be run as given (empty text, unknown operation, too long)."""


class ModelLoadError(InkwellError):
    """The model could not be found or read."""


class GenerationError(InkwellError):
    """Generation failed after it started."""


class EngineClosedError(InkwellError):
    """The engine was shut down before the job could finish."""
