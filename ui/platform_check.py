"""Saying in one sentence why the window cannot open on a minimal Linux.

Qt's X11 plugin (xcb) needs a few system libraries that minimal installs lack. Without
them Qt prints a page about plugins and aborts the process, which a writer cannot act on.
This module imports no Qt: it runs before Qt is loaded, tries the libraries the plugin
links against, and names the Debian/Ubuntu packages that hold the missing ones.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# The libraries Qt 6's xcb plugin loads beyond libxcb itself, and their Debian packages.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt will pick its X11 plugin: asked for, or an X display without Wayland."""
    if not sys.platform.startswith("linux"):
        return False
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(";")[0].split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(
    env: Mapping[str, str] | None = None, loads: Callable[[str], bool] | None = None
) -> str | None:
    """One sentence naming what to install, or None when the window can open."""
    loads = loads or _loads
    if not uses_xcb(os.environ if env is None else env):
        return None
    missing = [name for name in XCB_LIBRARIES if not loads(name)]
    if not missing:
        return None
    packages = " ".join(XCB_LIBRARIES[name] for name in missing)
    return (
        f"Inkwell cannot open its window: Qt's X11 support needs {', '.join(missing)}, which this "
        f"system lacks; install them (Debian/Ubuntu: sudo apt install {packages}) and start again."
    )
