"""Load test of the dashboard API on loopback.

Starts `tightrope serve` on a free port (its own store in a temporary folder), then:
  baseline : one client issuing requests one after another for --seconds
  tightrope: --clients concurrent clients for --seconds
against GET /api/profile/KAZ (90% of requests) and a small job endpoint (10%: a minefield
simulation when that capability is installed, otherwise a bargaining forecast), each job
polled to completion. Prints requests/s, p50/p95 latency and errors per endpoint.

    python3 benchmarks/web_load.py [--clients 50] [--seconds 30]

The last line is `ratio: <N>x (...)`: throughput with concurrent clients over one client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_up(base: str) -> None:
    async with httpx.AsyncClient() as c:
        for _ in range(600):
            try:
                if (await c.get(base + "/api/health")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


BUSY = [0]  # 429 answers (queue full) that clients retried
JOB_EVERY = 10  # every n-th request of a client starts a job (0: profile only)


async def job_request(c: httpx.AsyncClient, base: str, kind: str) -> int:
    if kind == "simulate":
        body = {"scenario": "kazakhstan-2023", "strategy": "balancer", "runs": 200,
                "horizon": 8, "seed": 1}
    else:
        body = {"example": "ec-car-emissions", "rounds": 5}
    r = await c.post(f"{base}/api/{kind}", json=body)
    while r.status_code == 429:  # the bounded queue is full: back off, as a real client would
        BUSY[0] += 1
        await asyncio.sleep(0.2)
        r = await c.post(f"{base}/api/{kind}", json=body)
    if r.status_code != 202:
        return r.status_code
    jid = r.json()["id"]
    while True:
        j = (await c.get(f"{base}/api/jobs/{jid}")).json()
        if j["status"] in ("done", "failed", "cancelled"):
            return 200 if j["status"] == "done" else 500
        await asyncio.sleep(0.25)  # as the dashboard page polls


async def client_loop(base: str, kind: str, until: float, i: int,
                      lat: dict[str, list[float]], errs: dict[str, int]) -> None:
    async with httpx.AsyncClient(timeout=60) as c:
        n = i
        while time.perf_counter() < until:
            n += 1
            endpoint = "job" if JOB_EVERY and n % JOB_EVERY == 0 else "profile"
            t0 = time.perf_counter()
            try:
                if endpoint == "profile":
                    code = (await c.get(base + "/api/profile/KAZ")).status_code
                else:
                    code = await job_request(c, base, kind)
            except httpx.HTTPError:
                code = -1
            dt = time.perf_counter() - t0
            if code == 200:
                lat[endpoint].append(dt)
            else:
                errs[f"{endpoint}:{code}"] += 1


async def phase(base: str, kind: str, clients: int, seconds: float
                ) -> tuple[dict[str, list[float]], dict[str, int], float]:
    lat: dict[str, list[float]] = defaultdict(list)
    errs: dict[str, int] = defaultdict(int)
    t0 = time.perf_counter()
    until = t0 + seconds
    await asyncio.gather(*(client_loop(base, kind, until, i, lat, errs) for i in range(clients)))
    return lat, errs, time.perf_counter() - t0


def report(name: str, lat: dict[str, list[float]], errs: dict[str, int], wall: float) -> float:
    total = sum(len(v) for v in lat.values())
    print(f"{name}: {total} requests in {wall:.1f} s = {total / wall:.1f} req/s; "
          f"errors: {dict(errs) or 0}")
    for ep, v in sorted(lat.items()):
        q = statistics.quantiles(v, n=20) if len(v) >= 2 else [v[0]] * 19
        print(f"  {ep:8s} n={len(v):6d}  p50 {statistics.median(v) * 1000:7.1f} ms  "
              f"p95 {q[18] * 1000:7.1f} ms")
    return total / wall


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--job-every", type=int, default=10,
                    help="every n-th request of a client starts a job (0: profile only)")
    args = ap.parse_args()
    global JOB_EVERY
    JOB_EVERY = args.job_every
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TIGHTROPE_DB": str(Path(tmp) / "load.duckdb")}
        server = subprocess.Popen([sys.executable, "-m", "tightrope.cli.app", "serve",
                                   "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await wait_up(base)
            async with httpx.AsyncClient() as c:
                caps = (await c.get(base + "/api/capabilities")).json()
            kind = "simulate" if caps.get("simulate") else "bargain"
            print(f"server {base}; job endpoint: /api/{kind}")
            lat1, err1, wall1 = await phase(base, kind, 1, min(10.0, args.seconds))
            base_rps = report("baseline, 1 client", lat1, err1, wall1)
            latn, errn, walln = await phase(base, kind, args.clients, args.seconds)
            rps = report(f"tightrope, {args.clients} clients", latn, errn, walln)
            print(f"errors under load: {sum(errn.values())}; 429 (queue full) answers retried "
                  f"after 0.2 s: {BUSY[0]}")
            print(f"ratio: {rps / base_rps:.1f}x ({args.clients} concurrent clients "
                  f"{rps:.0f} req/s vs 1 client {base_rps:.0f} req/s)")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    asyncio.run(main())
