"""Where Inkwell keeps its own files: recovery copies, recent files, settings.

Always the platform's per-user folders (never next to the program); tests and portable
installs point them elsewhere with INKWELL_DATA_DIR and INKWELL_CONFIG_DIR.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from engine.settings import default_config_dir


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        data = os.environ.get("INKWELL_DATA_DIR") or platformdirs.user_data_dir("inkwell", appauthor=False)
        return cls(Path(data), default_config_dir())

    @property
    def recovery_dir(self) -> Path:
        return self.data_dir / "recovery"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def recent_files(self) -> Path:
        return self.config_dir / "recent-files.json"
