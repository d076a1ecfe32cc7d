"""Giving the fast decoder its fastest decode step, without ever making a writer wait.

The native C step is built for this machine in about a second and attached at once. Where
it cannot be built, an AOTInductor step is taken from the cache, or compiled in a
background process (about a minute) and taken up between jobs once it is ready. Where both
can run, the background process also times each on the model's real step and caches the
faster (engine/fastpath/step_choice.py); the compiled step replaces the native one between
jobs when it won, and is attached right after the load from then on.
`mode` says how far this goes: "off" keeps the eager step; "use" attaches a cached step;
"build" also starts the background work (the app); "detach" starts it and leaves it
running after this process ends (a one-shot CLI run).
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

from engine.fastpath import compiled_step, cpu_plan, native_step, step_choice
from engine.fastpath.decoder import FastLlama

log = logging.getLogger(__name__)


class DecodeSteps:
    """Used from the engine thread only, like the backend that owns it."""

    def __init__(self, directory: Path, mode: str = "use") -> None:
        self._directory = directory
        self.mode = mode
        self.builder: subprocess.Popen[bytes] | None = None
        self._package: Path | None = None
        self._attach_pending = False
        self._plan_only = False  # the background process only measures the CPU plan
        self._choosing = False  # it also times the native and the compiled step
        self.choice: step_choice.StepChoice | None = None  # the step chosen by timing, once known
        self.preparing = False  # a faster step is being built for this run or the next

    def prepare(self, fast: FastLlama | None) -> None:
        """A model was loaded: stop what was prepared for the last one, start on this one."""
        self.stop()
        self._attach_pending = self._plan_only = self._choosing = False
        if fast is None or self.mode == "off":
            return
        why_not = compiled_step.supports(fast)
        package = self._directory / compiled_step.package_name(fast.shape, layers=fast.kinds[0])
        self.choice = step_choice.cached(self._directory)
        if self._attach_native(fast):
            if why_not is not None:
                self._measure_plan(fast)
            elif self.choice is None:
                self._time_steps(fast, package)
            elif self.choice.step == "compiled" and compiled_step.is_ready(package):
                self._package, self._attach_pending = package, True  # timed faster here
            return
        if why_not is not None:
            log.info("Decode step not compiled: %s.", why_not)
            return
        self._package = package
        if compiled_step.is_ready(self._package):
            self._attach_pending = True  # in attach_pending(): the model is usable before that
        elif self.mode in ("build", "detach"):
            if compiled_step.is_building(self._package):
                self.preparing = True  # another Inkwell process is building it
                return
            log.info("Compiling the decode step in the background (once; about a minute).")
            builder = compiled_step.start_build(fast, self._package)
            self.preparing = True
            if self.mode == "build":
                self.builder = builder  # polled and taken up by this process

    def _measure_plan(self, fast: FastLlama) -> None:
        """With the native step in use only the CPU plan may be missing (it decides the
        prefill): measured once, in the background, like the compiled step's build."""
        if self.mode not in ("build", "detach") or cpu_plan.current(self._directory) is not cpu_plan.DEFAULT:
            return
        marker = self._directory / f"cpu-plan-{cpu_plan.machine_key()}.json"
        if compiled_step.is_building(marker):
            return
        log.info("Measuring this CPU's kernels in the background (once; about 15 s).")
        builder = compiled_step.start_build(fast, marker, plan_only=True)
        self._plan_only = True
        if self.mode == "build":
            self.builder, self._package = builder, marker

    def _time_steps(self, fast: FastLlama, package: Path) -> None:
        """Both steps can run and neither has been timed here: compile the other (when it is
        not cached), time both on the model's shape and keep the faster, in the background."""
        if self.mode not in ("build", "detach") or compiled_step.is_building(package):
            return
        log.info("Timing this CPU's decode steps in the background (once; about a minute).")
        builder = compiled_step.start_build(fast, package, choose_step=True)
        self._choosing = self.preparing = True
        if self.mode == "build":
            self.builder, self._package = builder, package

    def _attach_native(self, fast: FastLlama) -> bool:
        why_not = native_step.supports(fast)
        kernels = native_step.load_kernels(self._directory) if why_not is None else None
        if kernels is None:
            if why_not is not None:
                log.info("Native decode step not used: %s.", why_not)
            return False
        try:
            fast.use_native(kernels)
            step = native_step.NativeStep(fast, kernels)
            native_step.check(fast, step)
        except Exception as exc:  # a library that does not fit: torch's kernels still work
            fast.use_native(None)
            log.warning("The native decode step is not used (%s).", exc)
            return False
        fast.attach(step, native_step.KV_DTYPE)
        return True

    def attach_pending(self, fast: FastLlama | None) -> None:
        """Attach a cached compiled step found at load (right after it, not during it)."""
        if self._attach_pending and fast is not None and self._package is not None:
            self._attach(fast, self._package)
        self._attach_pending = False

    def _attach(self, fast: FastLlama, package: Path) -> None:
        try:
            fast.attach(compiled_step.load(fast, package), compiled_step.KV_DTYPE)
        except Exception as exc:  # e.g. a package from another machine: the eager step still works
            log.warning("The compiled decode step could not be loaded (%s); using the eager one.", exc)

    def poll(self, fast: FastLlama | None) -> None:
        """Between jobs: take up the compiled step once the background build has finished."""
        builder = self.builder
        if builder is None or builder.poll() is None:
            return
        self.builder = None
        package = self._package
        if self._plan_only:
            if builder.returncode != 0:
                log.warning("Measuring the CPU plan failed (exit %s).", builder.returncode)
            return
        if self._choosing:
            self.preparing = False
            self.choice = step_choice.cached(self._directory)
            if builder.returncode != 0 or self.choice is None:
                code = builder.returncode
                log.warning("Timing the decode steps failed (exit %s); the native step stays.", code)
            elif (
                self.choice.step == "compiled"
                and fast is not None
                and package
                and compiled_step.is_ready(package)
            ):
                self._attach(fast, package)
            return
        if builder.returncode == 0 and fast is not None and package and compiled_step.is_ready(package):
            self._attach(fast, package)
        else:
            code = builder.returncode
            log.warning("Compiling the decode step failed (exit %s); the eager step stays.", code)

    def stop(self) -> None:
        if self.builder is not None:
            compiled_step.stop_build(self.builder, self._package)
        self.builder = None

    def wait(self, fast: FastLlama | None, timeout: float) -> bool:
        """Wait for a background build (benchmarks and tests), then take it up; True when
        `fast` decodes through a compiled step."""
        if self.builder is not None:
            try:
                self.builder.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            self.poll(fast)
        elif self.preparing and self._package is not None and fast is not None:
            deadline = time.monotonic() + timeout  # another process builds it: wait for its file
            while compiled_step.is_building(self._package) and time.monotonic() < deadline:
                time.sleep(0.5)
            if not fast.compiled and compiled_step.is_ready(self._package):
                self._attach(fast, self._package)
        return fast is not None and fast.compiled
