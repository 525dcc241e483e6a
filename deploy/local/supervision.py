"""`make run`'s process manager: honcho's, except that a process that dies is started again.

honcho's Manager ends the whole set when any process exits, which a platform should not do for
one crashed worker. Here a process that exits on its own is logged, what is left of its process
group is killed (a gunicorn master's orphaned workers would hold its port), and it is started
again after a backoff that doubles from one second to thirty while it keeps dying young; one
that ran for a while starts over at one second. Ctrl-C (or SIGTERM) stops everything, as in
honcho.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time

from honcho.manager import KILL_WAIT, SIGNALS, Manager
from honcho.process import Process

MIN_BACKOFF = 1.0
MAX_BACKOFF = 30.0
# A process that ran this long before dying was healthy: its next restart waits MIN_BACKOFF.
STABLE_AFTER = 30.0


class GroupProcess(Process):
    """honcho's Process, run with `exec` (its pid is the program's, not a shell's), whose whole
    process group goes when that program does: a gunicorn master killed would otherwise leave
    its workers holding the output pipe, and nobody would hear that it died."""

    def __init__(self, cmd, **kwargs):
        super().__init__(f"exec {cmd}", **kwargs)

    def run(self, events=None, ignore_signals=False):
        self._events = events
        self._child = self._child_ctor(self.cmd, env=self.env, cwd=self.cwd)
        self._send_message({"pid": self._child.pid}, type="start")
        if ignore_signals:  # as honcho: the manager signals the children itself
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        threading.Thread(target=self._end_group_with_leader, daemon=True).start()
        for line in iter(self._child.stdout.readline, b""):
            if not self.quiet:
                self._send_message(line)
        self._child.stdout.close()
        self._child.wait()
        self._send_message({"returncode": self._child.returncode}, type="stop")

    def _end_group_with_leader(self) -> None:
        self._child.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._child.pid, signal.SIGKILL)


class Supervisor(Manager):
    """Runs a Procfile's processes and keeps them running until told to stop."""

    def __init__(self, *args, min_backoff=MIN_BACKOFF, max_backoff=MAX_BACKOFF, **kwargs):
        super().__init__(*args, **kwargs)
        self._process_ctor = GroupProcess
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self._started_at: dict[str, float] = {}
        self._backoff: dict[str, float] = {}
        self._restart_at: dict[str, float] = {}

    def loop(self) -> None:
        def _terminate(signum, _frame):
            self._system_print(f"{SIGNALS[signum]['name']} received\n")
            self.returncode = SIGNALS[signum]["rc"]
            self.terminate()

        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, _terminate)
        for name in self._processes:
            self._start_one(name)
        stopping_since = None
        while True:
            try:
                message = self.events.get(timeout=0.1)
            except queue.Empty:
                message = None
            if message is not None:
                self._handle(message)
            now = time.monotonic()
            if self._terminating:
                stopping_since = stopping_since or now
                if all("returncode" in p for p in self._processes.values()):
                    break
                if now - stopping_since > KILL_WAIT:
                    self.kill()
                continue
            for name, when in list(self._restart_at.items()):
                if now >= when:
                    del self._restart_at[name]
                    self._start_one(name)
        if self.returncode is None:
            self.returncode = 0

    def _handle(self, message) -> None:
        entry = self._processes[message.name]
        if message.type == "line":
            self._printer.write(message)
        elif message.type == "start":
            entry["pid"] = message.data["pid"]
            self._system_print(f"{message.name} started (pid={entry['pid']})\n")
            if self._terminating:  # started while everything is stopping: stop it too
                self._procmgr.terminate(entry["pid"])
        elif message.type == "stop":
            entry["returncode"] = message.data["returncode"]
            if self._terminating:
                self._system_print(f"{message.name} stopped (rc={entry['returncode']})\n")
            else:
                self._schedule_restart(message.name, entry)

    def _schedule_restart(self, name: str, entry: dict) -> None:
        ran = time.monotonic() - self._started_at[name]
        previous = self._backoff.get(name)
        if previous is None or ran >= STABLE_AFTER:
            delay = self.min_backoff
        else:
            delay = min(previous * 2, self.max_backoff)
        self._backoff[name] = delay
        self._restart_at[name] = time.monotonic() + delay
        self._system_print(
            f"{name} exited (rc={entry['returncode']}) after {ran:.0f}s; "
            f"restarting it in {delay:.0f}s\n"
        )

    def _start_one(self, name: str) -> None:
        entry = self._processes[name]
        entry.pop("pid", None)
        entry.pop("returncode", None)
        self._started_at[name] = time.monotonic()
        entry["process"] = multiprocessing.Process(
            name=name, target=entry["obj"].run, args=(self.events, True)
        )
        entry["process"].start()

    def _killall(self, force=False):
        """Signal every running process; one not started yet or between restarts has none."""
        self._restart_at.clear()
        for name, entry in self._processes.items():
            if "returncode" in entry or "pid" not in entry:
                continue
            signame = "SIGKILL" if force else "SIGTERM"
            self._system_print(f"sending {signame} to {name} (pid {entry['pid']})\n")
            if force:
                self._procmgr.kill(entry["pid"])
            else:
                self._procmgr.terminate(entry["pid"])
