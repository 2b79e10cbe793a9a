"""Load generators: wrk for throughput (requests prepared and signed in advance), and an
open-loop Python generator for latency at a steady rate (latency counted from the scheduled
send time, so a slow server cannot hide its tail by slowing the generator down)."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

WRK_SCRIPT = r"""
local requests = {}
local counter = 0
local offset = 0
function init(args)
  for line in io.lines(args[1]) do
    local path, sig, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
    requests[#requests + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = sig}, body)
  end
  offset = math.random(#requests)
end
function request()
  counter = counter + 1
  return requests[((counter + offset) % #requests) + 1]
end
"""


@dataclass(frozen=True)
class Prepared:
    """One request ready to send: path (with query), signature header, form body."""

    path: str
    signature: str
    body: str


class Throughput(NamedTuple):
    """What one wrk run measured."""

    rate: float  # requests per second
    errors: int  # non-2xx/3xx answers and socket errors
    sent: int  # requests completed (more than the prepared ones means some were replayed)


def ensure_wrk() -> str:
    """wrk from Debian's packages (installed on first use when running as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is needed for throughput figures: apt-get install wrk")
    return found


def throughput(base: str, requests: Sequence[Prepared], seconds: int = 10,
               connections: int = 8) -> Throughput:
    """Requests per second, non-2xx count and requests sent, under wrk with `connections`."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "requests.tsv"
        data.write_text("".join(f"{r.path}\t{r.signature}\t{r.body}\n" for r in requests))
        script = Path(folder) / "signed.lua"
        script.write_text(WRK_SCRIPT)
        out = subprocess.run(
            [ensure_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base,
             "--", str(data)], capture_output=True, text=True, check=True,
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sent = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = sum(int(n) for n in socket.groups()) if socket else 0
    return Throughput(rate, (int(errors.group(1)) if errors else 0) + failed, sent)


def steady(base: str, requests: Sequence[Prepared], rate: float, seconds: float,
           threads: int = 16,
           answered: Callable[[int, float], None] | None = None) -> tuple[list[float], int]:
    """Send at a fixed rate; return latencies in ms (from scheduled time) and error count.
    `answered(index, perf_counter)` is told when each request's answer came (if given)."""
    parts = urlsplit(base)
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    next_index = [0]

    def worker() -> None:
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= total:
                return
            due = start + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            req = requests[index % len(requests)]
            ok = _send(parts.hostname or "127.0.0.1", parts.port or 80, req)
            now = time.perf_counter()
            elapsed = (now - due) * 1000
            if answered is not None and ok:
                answered(index, now)
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors[0]


def _send(host: str, port: int, req: Prepared) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("POST", req.path, body=req.body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": req.signature})
        response = conn.getresponse()
        response.read()
        return 200 <= response.status < 400
    except OSError:
        return False
    finally:
        conn.close()
