"""What the window asks the engine to load for the writer's settings."""

from __future__ import annotations

from dataclasses import replace

from engine.models.spec import ModelSpec, ServerSpec
from engine.settings import ServerSettings, Settings
from ui.controllers.model_services import model_changed, spec_for


def test_a_server_setting_loads_a_server_spec_not_a_hub_model() -> None:
    server = ServerSettings("http://127.0.0.1:8080", "m", "KEY_ENV", first_byte_timeout=5.0)
    settings = Settings(server=server)
    settings = replace(settings, model=replace(settings.model, source="server"))
    assert spec_for(settings) == ServerSpec("http://127.0.0.1:8080", "m", "KEY_ENV", 5.0)
    assert spec_for(Settings()) == ModelSpec.bundled()
    assert model_changed(Settings(), settings)
    other = replace(settings, server=replace(server, url="http://127.0.0.1:9090"))
    assert model_changed(settings, other) and not model_changed(settings, settings)
