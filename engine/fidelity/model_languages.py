"""What the loaded model cannot do, said before it does it badly.

The bundled SmolLM2-135M knows English only: asked to make a Chinese paragraph formal it
writes an English letter. An operation that would write text in a language the model
does not list is refused, naming a model that can do it; a translation into such a
language goes ahead with a warning (the writer may want to see it), and summaries, which
quote the text's own sentences, work in any language.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.fidelity import language
from engine.jobs import Request

RECOMMENDED = {"zh": "Qwen2.5-0.5B-Instruct or Qwen2.5-1.5B-Instruct"}
ANY_LANGUAGE = ("summarize",)  # extractive: the text's own sentences, in its own language
DEFAULT_RECOMMENDATION = "Qwen2.5-1.5B-Instruct (29 languages)"


@dataclass(frozen=True)
class Gate:
    refusal: str = ""
    warning: str = ""


def recommendation(code: str) -> str:
    return RECOMMENDED.get(code, DEFAULT_RECOMMENDATION)


def check(request: Request, operation: str, known: tuple[str, ...], model: str) -> Gate:
    """Refuse or warn when the request needs a language the model (`known` codes; () for
    a model whose languages are not known) does not list."""
    if not known or operation in ANY_LANGUAGE or operation == "proofread":
        return Gate()
    warning = ""
    if operation == "translate":
        target = language.code_of(request.language)
        if target and target not in known:
            warning = (
                f"{model} does not know {language.name_of(target)}: expect a poor translation. "
                f"{recommendation(target)} does it well (Preferences → Model)."
            )
    source = language.detect(request.text)
    if source and source not in known:
        name = language.name_of(source)
        return Gate(
            refusal=(
                f"{model} knows {', '.join(language.name_of(c) for c in known)} only, and this text is "
                f"in {name}: its answer would be worse than nothing. Load a model that knows {name}, "
                f"such as {recommendation(source)} (Preferences → Model)."
            ),
        )
    return Gate(warning=warning)
