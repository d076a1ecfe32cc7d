"""A minimal Linux without Qt's X11 libraries gets one sentence naming the packages."""

from __future__ import annotations

import sys

import pytest

import main
from ui import platform_check
from ui.platform_check import XCB_LIBRARIES, missing_xcb_libraries, uses_xcb

LINUX = sys.platform.startswith("linux")


@pytest.mark.skipif(not LINUX, reason="Qt's xcb plugin is Linux's")
def test_only_an_x11_start_needs_the_xcb_libraries() -> None:
    assert uses_xcb({"DISPLAY": ":0"})
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not uses_xcb({})


@pytest.mark.skipif(not LINUX, reason="Qt's xcb plugin is Linux's")
def test_the_missing_libraries_and_their_packages_are_named() -> None:
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"}
    message = missing_xcb_libraries({"DISPLAY": ":0"}, loads=lambda name: name not in absent)
    assert message is not None
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message
    assert message.count(".so.") == 3 and "\n" not in message
    assert missing_xcb_libraries({"DISPLAY": ":0"}, loads=lambda name: True) is None
    assert missing_xcb_libraries({"QT_QPA_PLATFORM": "offscreen"}, loads=lambda name: False) is None


@pytest.mark.skipif(not LINUX, reason="Qt's xcb plugin is Linux's")
def test_main_stops_with_the_sentence_instead_of_qts_abort(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(platform_check, "_loads", lambda name: name != "libxcb-keysyms.so.1")
    monkeypatch.setattr(main, "configure_environment", lambda **options: None)  # no process-wide env
    assert main.main([]) == 1
    said = capsys.readouterr().err
    assert "libxcb-keysyms.so.1" in said and "sudo apt install libxcb-keysyms1" in said
    assert len(XCB_LIBRARIES) >= 3
