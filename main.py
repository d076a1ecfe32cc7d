"""Inkwell: an offline writing assistant. `python main.py [FILE]` opens the window;
`python main.py run OPERATION ...` runs one operation headless (see engine/cli.py);
`python main.py prepare` measures the CPU plan and builds the compiled decode step now.
Installed, `inkwell` opens the window and `inkwell-cli OPERATION ...` is `main.py run`.

This file only wires things together: the engine and the UI never import each other's
dependencies, and settings reach them through constructors.
"""

from __future__ import annotations

import os
import sys

from engine.fastpath import threads


def configure_environment(*, allow_download: bool = False) -> None:
    """Keep a missing network from ever stalling a start, and keep library chatter quiet.

    Hub access stays possible when the writer explicitly asks for a download.
    """
    if not allow_download:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")
    threads.configure_process()  # before torch is imported: only the engine thread computes in parallel


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    configure_environment(allow_download="--allow-download" in args)
    if args and args[0] == "run":
        from engine.cli import run

        return run(args[1:])
    if args and args[0] == "prepare":
        from engine.cli import prepare

        return prepare(args[1:])
    from ui.platform_check import missing_xcb_libraries

    missing = missing_xcb_libraries()
    if missing:  # Qt itself would abort with a page about plugins
        print(missing, file=sys.stderr)
        return 1
    from ui.app import run_app

    return run_app(args)


def cli() -> int:
    """The `inkwell-cli` console script: `main.py run`, or `prepare` when asked for."""
    args = sys.argv[1:]
    return main(args if args[:1] == ["prepare"] else ["run", *args])


if __name__ == "__main__":
    sys.exit(main())
