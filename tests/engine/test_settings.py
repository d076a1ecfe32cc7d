"""The settings object: TOML round trip, and hand-edited files that are wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from engine.models.spec import ModelKind, ModelSpec
from engine.settings import (
    EditorSettings,
    GenerationSettings,
    ModelSettings,
    ServerSettings,
    Settings,
    SettingsStore,
    from_dict,
    to_toml,
)

CHANGED = Settings(
    model=ModelSettings(
        source="gguf",
        location='/models/My "odd" model.gguf',
        device="cpu",
        dtype="bfloat16",
        precision="exact",
        context_size=4096,
    ),
    server=ServerSettings(
        url="http://gpu-box:8000", model="qwen", api_key_env="MY_KEY", first_byte_timeout=12.5
    ),
    generation=GenerationSettings(max_new_tokens=300, temperature=0.7, top_p=0.9),
    editor=EditorSettings(font_family="DejaVu Serif", font_size=15, theme="dark", autosave_seconds=45),
)


def test_settings_round_trip_through_toml(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "config")
    store.save(CHANGED)
    loaded, problems = store.load()
    assert problems == []
    assert loaded == CHANGED
    assert loaded != Settings()
    assert 'api_key_env = "MY_KEY"' in store.path.read_text(encoding="utf-8")


def test_no_file_means_defaults_without_complaint(tmp_path: Path) -> None:
    assert SettingsStore(tmp_path).load() == (Settings(), [])


def test_a_corrupt_file_falls_back_to_defaults_with_a_message_and_is_kept(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.path.write_text("[model\nsource = bundled = yes\n", encoding="utf-8")
    settings, problems = store.load()
    assert settings == Settings()
    assert len(problems) == 1
    assert "settings.toml is not valid TOML" in problems[0]
    assert "settings.toml.broken" in problems[0]
    assert (tmp_path / "settings.toml.broken").read_text(encoding="utf-8").startswith("[model")
    store.save(settings)  # the app can write good settings again
    assert store.load() == (Settings(), [])


def test_a_binary_file_is_reported_not_fatal(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    settings, problems = store.load()
    assert settings == Settings()
    assert "not valid TOML" in problems[0]


def test_each_bad_value_is_replaced_by_its_default_and_reported() -> None:
    settings, problems = from_dict(
        {
            "model": {"source": "cloud", "device": "cpu", "context_size": -5, "colour": "red"},
            "generation": {"temperature": "hot", "top_p": 0.5, "max_new_tokens": True},
            "editor": {"font_size": 12, "theme": "dark", "autosave_seconds": 1},
            "server": "not a table",
            "extra": {"x": 1},
        }
    )
    # good values are kept
    assert settings.model.device == "cpu"
    assert settings.generation.top_p == 0.5
    assert settings.editor.font_size == 12
    assert settings.editor.theme == "dark"
    # bad ones fall back
    assert settings.model.source == "bundled"
    assert settings.model.context_size == 0
    assert settings.generation.temperature == 0.0
    assert settings.generation.max_new_tokens == 0
    assert settings.editor.autosave_seconds == 30
    assert settings.server == ServerSettings()
    text = "\n".join(problems)
    for expected in (
        "model.source = 'cloud' is not one of bundled, folder, gguf, hub, server",
        "model.context_size = -5 is outside",
        "unknown setting model.colour ignored",
        "generation.temperature should be float",
        "generation.max_new_tokens should be int",
        "editor.autosave_seconds = 1 is outside",
        "[server] should be a table",
        "unknown section [extra] ignored",
    ):
        assert expected in text
    assert len(problems) == 8


def test_integers_are_accepted_where_floats_are_expected() -> None:
    settings, problems = from_dict({"generation": {"temperature": 1, "top_p": 1}})
    assert problems == []
    assert settings.generation.temperature == 1.0
    assert isinstance(settings.generation.temperature, float)
    assert to_toml(settings).count("temperature = 1.0") == 1


def test_model_settings_name_the_model_to_load(tmp_path: Path) -> None:
    assert ModelSettings().spec() == ModelSpec.bundled()
    assert ModelSettings(source="hub", location=" org/model ").spec() == ModelSpec(ModelKind.HUB, "org/model")
    folder = ModelSettings(source="folder", location=str(tmp_path)).spec()
    assert folder == ModelSpec(ModelKind.FOLDER, str(tmp_path))
    assert ModelSettings(source="gguf", location="").spec() == ModelSpec.bundled()  # nothing chosen yet


COMMENTED = """\
# My Inkwell settings, tuned for the old laptop.

[model]
source = "bundled"
precision = "fast"  # exact was too slow here

[editor]
# a bigger font for the evening
font_size = 14
theme = "dark"
"""


def test_saving_keeps_the_writers_comments_and_changes_only_what_changed(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.path.write_text(COMMENTED, encoding="utf-8")
    settings, problems = store.load()
    assert problems == [] and settings.editor.font_size == 14
    store.save(replace(settings, editor=replace(settings.editor, font_size=16)))

    text = store.path.read_text(encoding="utf-8")
    for kept in (
        "# My Inkwell settings, tuned for the old laptop.",
        'precision = "fast"  # exact was too slow here',
        "# a bigger font for the evening",
    ):
        assert kept in text
    assert "font_size = 16" in text and "font_size = 14" not in text
    reread, problems = store.load()
    assert problems == []
    assert reread == replace(settings, editor=replace(settings.editor, font_size=16))
    assert text.index("[model]") < text.index("[editor]")  # the writer's order stays
