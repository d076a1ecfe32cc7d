"""Loading by `ModelSpec`, and a base model without a chat template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.backends.local import LocalBackend
from engine.engine import Engine
from engine.errors import ModelLoadError
from engine.jobs import Request
from engine.models.cache import ConvertedModelCache
from engine.models.loader import ModelLoader
from engine.models.spec import ModelKind, ModelSpec
from engine.prompting.templates import Catalog
from tests.conftest import PARAGRAPH, generated_summaries, run_async

pytestmark = pytest.mark.model


@pytest.fixture
def base_model_folder(cache_dir: Path, bundled_engine, tmp_path: Path) -> Path:
    """The converted bundled model with its chat template taken away: a 'base' model."""
    (converted,) = (cache_dir / "converted").iterdir()
    folder = tmp_path / "base-model"
    folder.mkdir()
    for file in converted.iterdir():
        if file.name in ("chat_template.jinja", "inkwell-manifest.json"):
            continue
        if file.name == "tokenizer_config.json":
            config = json.loads(file.read_text(encoding="utf-8"))
            config.pop("chat_template", None)
            (folder / file.name).write_text(json.dumps(config), encoding="utf-8")
        else:
            (folder / file.name).symlink_to(file)
    return folder


def test_a_model_without_chat_template_gets_the_completion_form(
    base_model_folder: Path, cache_dir: Path
) -> None:
    backend = LocalBackend(
        ModelLoader(ConvertedModelCache(cache_dir)),
        generated_summaries(),
        device="cpu",  # type: ignore[arg-type]
    )
    with Engine(backend) as engine:
        info = engine.load(ModelSpec.parse(str(base_model_folder))).result(timeout=120)
        assert info.kind == ModelKind.FOLDER.value and not info.has_chat_template
        request = Request("summarize", PARAGRAPH, max_new_tokens=60)
        prompt = engine.render(request).result(timeout=30)
        assert prompt.form == "completion"
        assert "<|im_start|>" not in prompt.text
        assert prompt.text.startswith("Text:\n" + PARAGRAPH)

        async def go() -> str:
            return await engine.stream(request).text()

        text = run_async(go())
    assert text.strip()
    assert "Summary" not in text[:10]


def test_the_bundled_model_uses_the_chat_form(bundled_engine) -> None:
    prompt = bundled_engine.render(Request("proofread", "Teh cat.")).result(timeout=30)
    assert prompt.form == "chat"
    assert prompt.text.rstrip().endswith("<|im_start|>assistant")
    assert "Teh cat." in prompt.text


def test_a_failed_switch_keeps_the_old_model(cache_dir: Path, bundled_engine, tmp_path: Path) -> None:
    backend = LocalBackend(ModelLoader(ConvertedModelCache(cache_dir)), Catalog.default(), device="cpu")
    with Engine(backend) as engine:
        first = engine.load(ModelSpec.bundled()).result(timeout=120)
        with pytest.raises(ModelLoadError, match=r"no config\.json"):
            engine.load(ModelSpec.parse(str(tmp_path))).result(timeout=30)
        assert engine.info == first

        async def go() -> str:
            return await engine.stream(Request("proofread", PARAGRAPH, max_new_tokens=20)).text()

        assert run_async(go())


def test_continue_starts_where_the_text_ends(bundled_engine) -> None:
    story = (
        "The lighthouse keeper climbed the stairs every night at dusk. On the last night of "
        "October, he noticed a small boat drifting toward the rocks."
    )

    async def go() -> tuple[str, str]:
        joined = await bundled_engine.stream(Request("continue", story, max_new_tokens=40)).text()
        spaced = await bundled_engine.stream(Request("continue", story + " ", max_new_tokens=40)).text()
        return joined, spaced

    joined, spaced = run_async(go())
    assert joined.startswith(" ") and joined.strip()
    assert not spaced.startswith(" ")
    assert story not in joined
