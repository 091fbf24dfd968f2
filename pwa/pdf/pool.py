"""The one render pool: every PDF the app makes is rendered here, in a few separate, lower-priority renderer
processes (pebble), so a flood of PDF requests cannot take the CPU or the threads that serve pages.

A request takes a renderer (`slot`) before any work is done on it. When every renderer is busy it waits in a
short queue, for a few seconds at most; when the queue is full too it is turned away at once (RenderBusy, a 503).
One client address holds at most `per_address` renderers and as many places in the queue, so one client cannot
starve the others. A render over `seconds` is stopped (a 503) and its renderer replaced; a renderer whose memory
peaked over `memory_mb` is retired once its render is done, and a fresh one takes its place.

The pool is a Flask extension (`init_app`): one per app, started by the server process at boot (the gunicorn
hook in pwa/__main__.py) and stopped as it exits. With processes=0 it renders in the request's thread.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import resource
import threading
from collections import Counter
from collections.abc import Iterator

from flask import Flask, current_app
from pebble import ProcessExpired, ProcessPool

from ..exceptions import SafeStepsError
from .job import RenderJob

EXTENSION_KEY = "safesteps.render_pool"

# How long one render may take before its renderer is stopped (a 503). The worst plan within PAGES_MAX takes
# about 3 s on one idle core; this leaves room for a busy machine and the renderers' lower priority.
RENDER_SECONDS = 30


class RenderBusy(SafeStepsError, RuntimeError):
    """Every renderer is busy and the queue is full: try again shortly."""

    status, code, words_name, retry_after = 503, "busy", "busy", 10


def _prepare_renderer() -> None:
    """Each renderer, as it starts: give way to the processes serving pages when the CPU is short, and do the
    slow first-time work (fonts, the stylesheets) before any person waits for a PDF."""
    with contextlib.suppress(OSError):
        os.nice(10)
    from .render import warm_up

    warm_up()


def _render_job(job: RenderJob) -> bytes:
    from .render import render_job  # WeasyPrint is loaded where renders run, never just by importing the app

    return render_job(job)


def _measured(function, args, kwargs):
    """Runs in the renderer: the result, and the renderer's peak memory so far in MB (Linux counts kB)."""
    result = function(*args, **kwargs)
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ready() -> bool:
    return True


def _less(counts: Counter[str], address: str) -> None:
    """One fewer for this address, forgetting it at none (so the counts hold only the addresses active now)."""
    counts[address] -= 1
    if counts[address] <= 0:
        del counts[address]


class RenderPool:
    """The renderers of one app (see the module's docstring): `slot` to take one, `render_job` to render."""

    def __init__(
        self,
        processes: int = 2,
        queue: int = 4,
        *,
        per_address: int = 1,
        wait: float = 10,
        seconds: float = RENDER_SECONDS,
        memory_mb: float = 600,
        renders_per_process: int = 200,
    ):
        self.processes = processes
        self.queue = queue
        self.per_address = per_address
        self.wait = wait
        self.seconds = seconds
        self.memory_mb = memory_mb
        self._renders_per_process = renders_per_process
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()
        # Who holds a renderer, and who waits for one, by client address.
        self._turn = threading.Condition()
        self._holding: Counter[str] = Counter()
        self._waiting: Counter[str] = Counter()
        self.retired = 0  # renderers retired for their memory (read by tests and benchmarks)
        self._stopped_at_exit = False

    # ------------------------------------------------------------ the Flask extension

    @classmethod
    def from_config(cls, config) -> RenderPool:
        return cls(
            int(config["PDF_PROCESSES"]),
            int(config["PDF_QUEUE"]),
            per_address=int(config["PDF_PER_ADDRESS"]),
            wait=float(config["PDF_WAIT_SECONDS"]),
            seconds=float(config["PDF_SECONDS"]),
            memory_mb=float(config["PDF_RENDERER_MB"]),
        )

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION_KEY] = self

    # ------------------------------------------------------------ taking a renderer

    @property
    def renderers(self) -> int:
        return max(1, self.processes)

    @property
    def share(self) -> int:
        """Renderers one address may hold: never all of them when there are several."""
        return min(self.per_address, max(1, self.renderers - 1))

    def _may_start(self, address: str) -> bool:
        return sum(self._holding.values()) < self.renderers and self._holding[address] < self.share

    @contextlib.contextmanager
    def slot(self, address: str = "") -> Iterator[None]:
        """A renderer for one request, taken before any work is done on it (reading the assessment, the plan,
        the render). When none is free the request waits in the queue, up to `wait` seconds; with the queue
        full, or this address already holding and waiting for its share, it is refused at once, so a flood of
        PDF requests costs the server almost nothing."""
        with self._turn:
            if not self._may_start(address):
                if sum(self._waiting.values()) >= self.queue or self._waiting[address] >= self.share:
                    raise RenderBusy("Every PDF renderer is busy.")
                self._waiting[address] += 1
                try:
                    if not self._turn.wait_for(lambda: self._may_start(address), timeout=self.wait):
                        raise RenderBusy("Every PDF renderer stayed busy.")
                finally:
                    _less(self._waiting, address)
            self._holding[address] += 1
        try:
            yield
        finally:
            with self._turn:
                _less(self._holding, address)
                self._turn.notify_all()

    # ------------------------------------------------------------ rendering

    def _running_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPool(
                    max_workers=self.processes,
                    max_tasks=self._renders_per_process,
                    initializer=_prepare_renderer,
                    # Not fork: the server's threads and locks must not be copied into the renderer.
                    context=multiprocessing.get_context("spawn"),
                )
                if not self._stopped_at_exit:
                    atexit.register(self.shutdown)
                    self._stopped_at_exit = True
            return self._pool

    def start(self) -> None:
        """Start the renderers now (a server process at boot), not at the first request for a PDF."""
        if self.processes:
            self._running_pool().schedule(_ready)

    def render_job(self, job: RenderJob) -> bytes:
        return self.call(_render_job, job)

    def render(
        self, html: str, paper="a4", large: bool = False, resources: dict[str, tuple[bytes, str]] | None = None
    ) -> bytes:
        return self.render_job(RenderJob((html,), paper, large, resources or {}))

    def call(self, function, *args, **kwargs):
        """Run a module-level function (it must pickle) in a renderer, or here with processes=0."""
        if self.processes == 0:
            return function(*args, **kwargs)
        pool = self._running_pool()
        try:
            future = pool.schedule(_measured, args=(function, args, kwargs), timeout=self.seconds)
        except RuntimeError:
            # The pool itself failed: start afresh for the next request.
            self._drop(pool, stop=True)
            raise RenderBusy("The PDF renderers had to be restarted.") from None
        try:
            result, peak_mb = future.result()
        except TimeoutError:
            raise RenderBusy(f"A PDF took longer than {self.seconds} s to make.") from None
        except ProcessExpired:
            raise RenderBusy("The PDF renderer stopped (killed, or out of memory).") from None
        if peak_mb > self.memory_mb:
            # Retire these renderers: renders already running finish, new ones go to fresh renderers.
            self.retired += 1
            self._drop(pool, stop=False)
            self.start()
        return result

    def _drop(self, pool: ProcessPool, *, stop: bool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        if stop:
            pool.stop()
        else:
            pool.close()  # no new work; its renderers exit when their renders are done
        threading.Thread(target=pool.join, daemon=True).start()

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join()


def render_pool(app: Flask | None = None) -> RenderPool:
    """The app's render pool (the current app's by default)."""
    return (app or current_app).extensions[EXTENSION_KEY]
