"""The fast path's modules depend one way: the plan and the step choice on the kernels and
the decoder, never the reverse (they once imported each other in a circle)."""

from __future__ import annotations

import ast
from pathlib import Path

FASTPATH = Path(__file__).resolve().parents[3] / "engine" / "fastpath"


def _imports(module: str) -> set[str]:
    """Every engine.fastpath module `module` imports, at the top, lazily or for types."""
    tree = ast.parse((FASTPATH / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "engine.fastpath":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("engine.fastpath."):
                found.add(node.module.removeprefix("engine.fastpath."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("engine.fastpath.")
                for a in node.names
                if a.name.startswith("engine.fastpath.")
            }
    return found


def test_the_decoder_and_the_kernels_never_import_the_plan() -> None:
    assert not _imports("decoder") & {"cpu_plan", "step_choice", "native_step", "compiled_step"}
    assert not _imports("native_step") & {"cpu_plan", "step_choice", "compiled_step"}
    assert not _imports("cpu_info") & {"cpu_plan", "decoder", "native_step"}
    assert {"decoder", "cpu_info"} <= _imports("cpu_plan")
