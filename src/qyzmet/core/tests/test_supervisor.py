"""The supervisor of `qyzmet serve` (core/supervisor.py) with tiny child processes: a child
that dies is restarted with a back-off that doubles for quick deaths and starts again after a
stable run, the others are left alone, and a stop request ends every child."""

import signal
import sys
import time

from qyzmet.core.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


def test_backoff_doubles_up_to_the_cap():
    supervisor = Supervisor([], env={}, delay=1.0, delay_max=5.0)
    assert [supervisor.backoff(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def run_until(supervisor, condition, deadline=120.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        supervisor.poll()
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def test_a_dead_child_is_restarted_and_the_others_keep_running():
    lines = []
    now = [0.0]
    supervisor = Supervisor(
        [Child("steady", SLEEPER), Child("crashy", CRASHER)],
        env={},
        delay=1.0,
        delay_max=4.0,
        stable_seconds=30.0,
        log=lines.append,
        clock=lambda: now[0],
    )
    supervisor.start_all()
    try:
        steady, crashy = supervisor.children["steady"], supervisor.children["crashy"]
        steady_pid = steady.process.pid
        waits = []
        for _ in range(4):
            crashy.process.wait(timeout=120)
            supervisor.poll()  # notices the death, schedules the restart
            waits.append(crashy.restart_at - now[0])
            now[0] = crashy.restart_at
            supervisor.poll()  # restarts it
        assert waits == [1.0, 2.0, 4.0, 4.0]  # doubling quick deaths, capped
        assert crashy.restarts == 4 and len(crashy.history) == 5
        # A run longer than stable_seconds starts the back-off again from the first delay.
        crashy.process.wait(timeout=120)
        now[0] += 31.0
        supervisor.poll()
        assert crashy.restart_at - now[0] == 1.0
        assert steady.process.pid == steady_pid and steady.process.poll() is None
        assert any("crashy" in line and "exited with code 3" in line for line in lines)
    finally:
        supervisor.request_stop(signal.SIGTERM)
        assert supervisor.stop_all() == 0
    assert steady.process.poll() is not None
    assert "SIGTERM received" in "\n".join(lines)


def test_a_child_that_ignores_the_stop_is_killed_and_the_exit_code_says_so():
    stubborn = [
        sys.executable,
        "-c",
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(600)",
    ]
    import subprocess

    supervisor = Supervisor([Child("stubborn", stubborn)], env={}, stop_seconds=1.0, log=print)
    supervisor.children["stubborn"].argv = stubborn
    supervisor._start = lambda child: _start_piped(supervisor, child, subprocess)
    supervisor.start_all()
    child = supervisor.children["stubborn"]
    assert child.process.stdout.readline().strip() == "ready"  # its SIGTERM handler is set
    supervisor.request_stop(signal.SIGINT)
    assert supervisor.stop_all() == 1
    assert child.process.returncode == -signal.SIGKILL


def _start_piped(supervisor, child, subprocess):
    child.process = subprocess.Popen(child.argv, stdout=subprocess.PIPE, text=True)
    child.started_at = supervisor.clock()
    child.restart_at = None
