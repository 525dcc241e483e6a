"""Serve a WSGI app under gunicorn and load it, so every figure is a ratio to a ceiling.

The ceiling is `bench/ceiling.py` under the same gunicorn settings in the same run, so the
ratios hold on any machine. Load comes from `wrk` (Debian package, installed by `ensure_wrk` when
missing and run as root), else from a small asyncio client in this file: that client shares the
cores with the server under test, caps the ceiling and flatters every ratio, so while it is in use
every line `python -m bench` prints says so (`FALLBACK_MARK`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FALLBACK_MARK = "[python load client, not wrk: ratios flattered] "


def ensure_wrk() -> bool:
    """Whether wrk is on the PATH, after installing Debian's package when missing and run as root
    (as `.ci/run` does for nginx)."""
    if shutil.which("wrk"):
        return True
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk missing: installing Debian's package", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "wrk"],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
    return shutil.which("wrk") is not None


class MarkedLines:
    """A text stream that starts every line written to it with `mark`."""

    def __init__(self, stream, mark: str):
        self.stream = stream
        self.mark = mark
        self._at_line_start = True

    def write(self, text: str) -> int:
        out = []
        for piece in text.splitlines(keepends=True):
            if self._at_line_start:
                out.append(self.mark)
            out.append(piece)
            self._at_line_start = piece.endswith("\n")
        self.stream.write("".join(out))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


@dataclass
class Result:
    rps: float
    p99_ms: float
    errors: int

    def ratio_to(self, ceiling: Result) -> tuple[float, float]:
        return self.rps / ceiling.rps, self.p99_ms / max(ceiling.p99_ms, 0.001)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    app_spec: str,
    env: dict | None = None,
    workers: int = 2,
    pythonpath: str = "",
    port: int | None = None,
):
    """gunicorn with `workers` sync workers on `port` (a free one by default); yields the base
    URL."""
    port = port or free_port()
    command = [
        str(BIN / "gunicorn"),
        "-w",
        str(workers),
        "-k",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    process = subprocess.Popen(
        [*command, app_spec],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app_spec} exited")
            time.sleep(0.1)
        time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)


def _parse_ms(value: str) -> float:
    """wrk's latency (`850.00us`, `12.3ms`, `1.02s`, `1.10m` when the machine is swamped)."""
    match = re.match(r"([\d.]+)(us|ms|s|m|h)$", value)
    if match is None:  # `-nan` when no request completed: no latency to report
        return float("nan")
    number, unit = match.groups()
    return (
        float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}[unit]
    )


def _wrk(url: str, seconds: float, connections: int, headers: dict) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency", url]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = _parse_ms(re.search(r"99%\s+(\S+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(rps, p99, errors + (int(non2xx.group(1)) if non2xx else 0))


async def _one(host, port, request: bytes) -> tuple[float, bool]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    await writer.drain()
    data = await reader.read()
    writer.close()
    ok = data[9:10] in (b"2", b"3")
    return time.perf_counter() - started, ok


async def _asyncio_load(url: str, seconds: float, connections: int, headers: dict) -> Result:
    match = re.match(r"http://([^:/]+):(\d+)(/.*)?", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3) or "/"
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.0\r\nHost: {host}\r\n{extra}\r\n".encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def loop():
        nonlocal errors
        while time.perf_counter() < deadline:
            try:
                latency, ok = await _one(host, port, request)
                latencies.append(latency)
                errors += 0 if ok else 1
            except OSError:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    return Result(len(latencies) / elapsed, p99, errors)


def load(url: str, seconds: float = 5, connections: int = 32, headers: dict | None = None):
    """Requests per second and p99 latency of GET `url` under `connections` concurrent clients."""
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections, headers or {})
    return asyncio.run(_asyncio_load(url, seconds, connections, headers or {}))


def measure_ceiling(seconds: float = 5) -> Result:
    with gunicorn("ceiling:app", pythonpath=str(ROOT / "bench")) as base:
        load(base + "/", 1)
        return load(base + "/", seconds)


class Ceiling:
    """The ceiling served throughout, loaded right before and right after each measurement.

    A measurement's ratio is to the mean of the two loads beside it, so a drift of the machine's
    load (other processes, CPU frequency) weighs on both sides of the ratio; the load after one
    measurement is the load before the next.
    """

    def __init__(self, url: str, seconds: float):
        self.url = url
        self.seconds = seconds
        self._last: Result | None = None

    def around(self, url: str, headers: dict | None = None) -> tuple[Result, Result]:
        """Load `url`; its result and the ceiling beside it."""
        before = self._last or load(self.url, self.seconds)
        result = load(url, self.seconds, headers=headers)
        after = self._last = load(self.url, self.seconds)
        beside = Result((before.rps + after.rps) / 2, (before.p99_ms + after.p99_ms) / 2, 0)
        return result, beside


@contextlib.contextmanager
def ceiling_beside(seconds: float = 5):
    """A `Ceiling` for loads measured while it is served."""
    with gunicorn("ceiling:app", pythonpath=str(ROOT / "bench")) as base:
        load(base + "/", 1)
        yield Ceiling(base + "/", seconds)


def report(label: str, result: Result, ceiling: Result, aim: float | None = None) -> str:
    rps_ratio, p99_ratio = result.ratio_to(ceiling)
    if not shutil.which("wrk") and not isinstance(sys.stdout, MarkedLines):
        label = FALLBACK_MARK + label  # a module run on its own, not through `python -m bench`
    verdict = ""
    if aim is not None:
        verdict = "  (aim {:.0%}: {})".format(aim, "met" if rps_ratio >= aim else "NOT met")
    line = (
        f"{label:<48} {result.rps:8.0f} req/s = {rps_ratio:6.1%} of ceiling; "
        f"p99 {result.p99_ms:6.1f} ms = {p99_ratio:4.1f}x ceiling's{verdict}"
    )
    if result.errors:
        line += f"  [{result.errors} errors]"
    print(line, flush=True)
    return line
