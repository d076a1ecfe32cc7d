"""What every request from the window shares: the operations catalog, the generation
settings and the language Proofread judges with. One builder serves the live suggestion
and the review pass, so an edited prompt or a changed setting reaches both at once."""

from __future__ import annotations

from engine.jobs import Request
from engine.prompting.templates import Catalog, OperationTemplate
from engine.settings import GenerationSettings


class RequestBuilder:
    def __init__(self, catalog: Catalog, generation: GenerationSettings | None = None) -> None:
        self.catalog = catalog
        self.generation = generation or GenerationSettings()
        self.spelling_language = "en"

    def operation(self, name: str) -> OperationTemplate:
        """The operation called `name` (raises InputError for an unknown one)."""
        return self.catalog.get(name)

    def request(
        self,
        operation: str,
        text: str,
        *,
        style: str | None = None,
        language: str | None = None,
        instruction: str | None = None,
        before: str = "",
        after: str = "",
    ) -> Request:
        """A checked request (raises InputError): the generation settings applied, and
        Proofread told the spelling language unless another was asked for."""
        if self.catalog.get(operation).pipeline == "edits" and language is None:
            language = self.spelling_language
        generation = self.generation
        request = Request(
            operation,
            text,
            style=style,
            language=language,
            instruction=instruction,
            before=before,
            after=after,
            max_new_tokens=generation.max_new_tokens or None,
            temperature=generation.temperature,
            top_p=generation.top_p,
        )
        self.catalog.validate(request)
        return request
