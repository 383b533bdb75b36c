"""A small process supervisor for ``qyzmet serve``: start the children, restart one that dies
(with exponential back-off), keep the others serving, stop them all only on SIGINT/SIGTERM.

* A child that exits on its own — a crash, ``kill -9``, an error at start — is logged and
  started again after ``delay`` seconds; each quick death in a row doubles the delay up to
  ``delay_max``; a child that ran ``stable_seconds`` before dying starts from ``delay`` again.
  The others are not touched: the web server keeps answering while the task worker restarts.
* SIGINT or SIGTERM to the supervisor: every child gets SIGTERM (their own graceful stop:
  gunicorn finishes its requests, the task worker its task), then ``stop_seconds`` to exit;
  a child still running is killed. Exit code 0 when every child stopped in time, 1 when one
  had to be killed.
* The children run in their own process group, so a Ctrl-C in the terminal reaches only the
  supervisor, which stops them in order; on Linux each child also gets SIGTERM should the
  supervisor itself die (``PR_SET_PDEATHSIG``), so no orphan keeps a port.
* Sockets the supervisor opened (``pass_fds``) stay open across restarts of a child: the web
  server's listening socket is the supervisor's, so while gunicorn restarts, connections wait
  in the socket's backlog instead of being refused.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    name: str
    argv: list[str]
    pass_fds: tuple[int, ...] = ()
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # quick deaths in a row
    restart_at: float | None = None
    restarts: int = 0
    history: list[int] = field(default_factory=list)  # pids, oldest first


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"code {returncode}"


class Supervisor:
    def __init__(
        self,
        children: list[Child],
        *,
        env: dict[str, str],
        delay: float = 1.0,
        delay_max: float = 60.0,
        stable_seconds: float = 30.0,
        stop_seconds: float = 20.0,
        log: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = {child.name: child for child in children}
        self.env = env
        self.delay = delay
        self.delay_max = delay_max
        self.stable_seconds = stable_seconds
        self.stop_seconds = stop_seconds
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.clock = clock
        self.stopping: int | None = None  # the signal that asked us to stop

    # ------------------------------------------------------------------ lifecycle

    def start_all(self) -> None:
        for child in self.children.values():
            self._start(child)

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - our own commands
            child.argv,
            env=self.env,
            pass_fds=child.pass_fds,
            process_group=0,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
        )
        child.started_at = self.clock()
        child.restart_at = None
        child.history.append(child.process.pid)

    def backoff(self, failures: int) -> float:
        """The wait before the restart after ``failures`` quick deaths in a row (≥ 1)."""
        return min(self.delay_max, self.delay * 2 ** max(0, failures - 1))

    def poll(self) -> None:
        """One round: notice children that died, restart those whose wait is over."""
        now = self.clock()
        for child in self.children.values():
            process = child.process
            if child.restart_at is None and process is not None and process.poll() is not None:
                ran = now - child.started_at
                child.failures = 1 if ran >= self.stable_seconds else child.failures + 1
                wait = self.backoff(child.failures)
                child.restart_at = now + wait
                self.log(
                    f"qyzmet serve: {child.name} (pid {process.pid}) exited with "
                    f"{describe_exit(process.returncode)} after {ran:.1f} s; "
                    f"restarting in {wait:.1f} s (quick failures in a row: {child.failures})"
                )
            if child.restart_at is not None and now >= child.restart_at and self.stopping is None:
                self._start(child)
                child.restarts += 1
                self.log(
                    f"qyzmet serve: {child.name} restarted (pid {child.process.pid}, "
                    f"restart {child.restarts})"
                )

    def request_stop(self, signum: int, _frame=None) -> None:
        if self.stopping is None:
            self.stopping = signum

    def run(self, on_started: Callable[[], None] | None = None) -> int:
        """Start everything, supervise until SIGINT/SIGTERM, stop everything; the exit code."""
        previous = {
            sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            self.start_all()
            if on_started is not None:
                on_started()
            while self.stopping is None:
                self.poll()
                time.sleep(0.2)
            return self.stop_all()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop_all(self) -> int:
        name = signal.Signals(self.stopping).name if self.stopping else "request"
        self.log(f"qyzmet serve: {name} received; stopping every process")
        running = [
            c for c in self.children.values() if c.process is not None and c.process.poll() is None
        ]
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + self.stop_seconds
        killed = []
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
                killed.append(child.name)
        if killed:
            self.log(f"qyzmet serve: killed after {self.stop_seconds:.0f} s: {', '.join(killed)}")
            return 1
        self.log("qyzmet serve: every process stopped")
        return 0

    def pids(self) -> dict[str, int]:
        return {n: c.process.pid for n, c in self.children.items() if c.process is not None}
