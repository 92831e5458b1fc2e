#!/usr/bin/env python3
"""envreg serve under load, measured with wrk on loopback over a registry of N firms.

    python3 bench/serve.py                    # 1M firms (bench/out/envreg-1000000.sqlite, made by run.py)
    python3 bench/serve.py --size 100000 --duration 10

Cases, each side by side with the same server's /healthz (the HTTP floor: Hummingbird, the
middleware, no registry work) in the same run, as a ratio of requests per second:
  - the profile page of one firm (signed-in session), at 16 and 64 connections;
  - the eligibility API (bearer token), at 16 and 64 connections;
  - 8 concurrent writers registering firms through POST /api/v1/enterprises for --writers-seconds:
    writes per second, p99 latency, failures, and afterwards the audit rows counted against the
    writes acknowledged (lost = acknowledged - recorded) and `envreg audit verify` before and after
    (intact: the writers added no problem; the bench facts, loaded with sqlite3, carry no seals).
Results go to stdout and bench/out/serve.csv. Needs wrk (Debian's package) and the release binary
that bench/run.py builds (.build/bench).
"""
import argparse
import csv
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
BUILD = os.path.join(ROOT, ".build", "bench")
ENVREG = os.path.join(BUILD, "release", "envreg")
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
PORT = 18790


def credit_code(region, n):
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    org = f"{n:08d}"
    check = 11 - sum(int(c) * w for c, w in zip(org, weights)) % 11
    org += "X" if check == 10 else "0" if check == 11 else str(check)
    body = "91" + region + org
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def wrk(url, connections, seconds, header):
    result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", header, url],
                            capture_output=True, text=True, check=True)
    text = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    failures = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket.groups())) if socket else 0)
    return rps, float(p99.group(1)) * scale, failures


def request(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Set-Cookie"), data


def writers(token, count, seconds, region):
    acknowledged, failures, latencies = [0] * count, [0] * count, [[] for _ in range(count)]
    stop = time.perf_counter() + seconds

    def work(w):
        n = 0
        while time.perf_counter() < stop:
            code = credit_code(region, 90_000_000 + w * 1_000_000 + n)
            n += 1
            body = json.dumps({"credit_code": code, "name": f"压测写入{w}-{n}有限公司", "region_code": region,
                               "industry_code": "2614"})
            began = time.perf_counter()
            try:
                status, _, _ = request("POST", "/api/v1/enterprises", body,
                                       {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            except OSError:
                status = 0
            latencies[w].append(time.perf_counter() - began)
            if status == 201:
                acknowledged[w] += 1
            else:
                failures[w] += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_latencies = sorted(x for xs in latencies for x in xs)
    p99 = all_latencies[int(len(all_latencies) * 0.99) - 1] * 1000 if all_latencies else 0
    return sum(acknowledged), sum(failures), p99


def audit_problems(env):
    """`envreg audit verify`'s problems (the bench registry's facts were loaded outside envreg, so
    their rows have no seals: the check is that the writers add no problem to those)."""
    result = subprocess.run([ENVREG, "audit", "verify"], env=env, text=True, capture_output=True)
    text = result.stdout + result.stderr
    return result.returncode, text[text.find("== problems"):] if "== problems" in text else ""


def audit_rows(env):
    head = subprocess.run([ENVREG, "audit", "head"], env=env, text=True, capture_output=True, check=True).stdout
    return int(re.search(r"(\d+):[0-9a-f]{64}", head).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk case")
    parser.add_argument("--writers-seconds", type=int, default=60)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "envreg", "--static-swift-stdlib",
                        "--build-path", BUILD], cwd=ROOT, check=True)
    source = os.path.join(OUT, f"envreg-{args.size}.sqlite")
    if not os.path.exists(source):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "run.py"), "--sizes", str(args.size),
                        "--only", "import", "--no-build"], check=True)
    work = tempfile.mkdtemp(prefix="envreg-serve-bench-")
    db = os.path.join(work, "registry.sqlite")
    shutil.copyfile(source, db)
    os.chmod(db, 0o600)
    env = dict(os.environ, ENVREG_DB=db, ENVREG_ACTOR="bench")
    password = "Load-Test-Pass-2026"
    subprocess.run([ENVREG, "user", "add", "bench", "--role", "admin", "--password-stdin"], input=password + "\n",
                   text=True, env=env, check=True, capture_output=True)
    token = subprocess.run([ENVREG, "user", "token", "add", "bench", "--label", "wrk"], text=True, env=env,
                           check=True, capture_output=True).stdout.strip()
    with open(os.path.join(OUT, f"enterprises-{args.size}.csv"), encoding="utf-8") as f:
        f.readline()
        code = f.readline().split(",")[0]
    region = "420102"
    problems_before = audit_problems(env)
    server = subprocess.Popen([ENVREG, "serve", "--listen", f"127.0.0.1:{PORT}", "--as-of", "2026-11-30"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        for _ in range(100):
            try:
                if request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        status, cookie, _ = request("POST", "/login", urllib.parse.urlencode({"name": "bench", "password": password}),
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        session = cookie.split(";")[0]
        base = f"http://127.0.0.1:{PORT}"
        for connections in (16, 64):
            floor = wrk(f"{base}/healthz", connections, args.duration, f"Cookie: {session}")
            for case, path, header in [
                ("profile page", f"/firms/{code}", f"Cookie: {session}"),
                ("eligibility API", f"/api/v1/enterprises/{code}/eligibility", f"Authorization: Bearer {token}"),
            ]:
                rps, p99, failures = wrk(base + path, connections, args.duration, header)
                row = dict(size=args.size, case=case, connections=connections, rps=round(rps, 1),
                           p99_ms=round(p99, 2), failures=failures, healthz_rps=round(floor[0], 1),
                           ratio_to_healthz=round(rps / floor[0], 3))
                rows.append(row)
                print(row, flush=True)
        before = audit_rows(env)
        acknowledged, failed, p99 = writers(token, 8, args.writers_seconds, region)
    finally:
        server.terminate()
        server.wait()
    after = audit_rows(env)
    problems_after = audit_problems(env)
    row = dict(size=args.size, case="8 API writers", connections=8, rps=round(acknowledged / args.writers_seconds, 1),
               p99_ms=round(p99, 2), failures=failed, lost=acknowledged - (after - before),
               audit_intact=problems_after == problems_before,
               audit_was_intact=problems_before[0] == 0)
    rows.append(row)
    print(row, flush=True)
    with open(os.path.join(OUT, "serve.csv"), "w", newline="", encoding="utf-8") as f:
        keys = []
        for r in rows:
            keys += [k for k in r if k not in keys]
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
