"""Start the llama.cpp OpenAI-compatible server (llama-cpp-python) for the tests.

On AMX CPUs ggml's extra buffer types crash in the first prompt eval (shared/KNOWN.md);
turning them off before the model loads is the verified workaround.
"""

from __future__ import annotations

import runpy
import sys

import llama_cpp

_default_params = llama_cpp.llama_cpp.llama_model_default_params


def _safe_params():
    params = _default_params()
    params.use_extra_bufts = False
    return params


llama_cpp.llama_cpp.llama_model_default_params = _safe_params
llama_cpp.llama_model_default_params = _safe_params
sys.argv = ["llama_cpp.server", *sys.argv[1:]]
runpy.run_module("llama_cpp.server", run_name="__main__")
