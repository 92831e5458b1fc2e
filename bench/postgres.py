#!/usr/bin/env python3
"""envreg on PostgreSQL, side by side with psql on the same data in the same run (issue 13).

    python3 bench/postgres.py                          # 1M firms, writers 4/16/64
    python3 bench/postgres.py --sizes 3400000 --writers ''   # national scale import and sweeps

Uses the cluster at $ENVREG_BENCH_POSTGRES (a URL to its maintenance database), else starts the
throwaway one of `.ci/postgres start` (loopback; fsync=off and synchronous_commit=off, as for the
tests: both sides run against the same server with the same settings). Each size gets two new
databases, both made by `envreg init` (same schema, same reference data):
  - import: `envreg enterprise import` (rows judged in Swift, COPY into staging, one INSERT … SELECT)
    against psql's `\\copy` into a staging table + the same INSERT … SELECT in one transaction;
  - list: `enterprise list --limit 0 --format csv` against the same columns and order in psql;
  - review sweep: `lists review` (every firm's facts through the rules) against one SQL query
    reading the same facts per firm;
  - writers: W processes registering firms for --writers-seconds on each engine: writes per
    second, p99 latency (whole process, start-up included), failures, and lost = acknowledged -
    audit rows added; then `audit verify`.
Peak resident memory from GNU time. Results to stdout and bench/out/postgres.csv. Needs the release
binary bench/run.py builds (.build/bench) and the CSV it generates (bench/out/enterprises-N.csv).
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ENVREG, OUT, ROOT, STAGING, LIST_COLUMNS, LIST_FROM, run_timed, best  # noqa: E402
from serve import credit_code  # noqa: E402

PSQL_IMPORT = """\\set ON_ERROR_STOP on
{staging}
\\copy staging FROM '{csv}' WITH (FORMAT csv, HEADER true)
BEGIN;
INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (1000000000, '2026-01-01', 'bench', 'psql.import', 'import', 'bench', 'x', 'bench-import');
INSERT INTO enterprise (credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact,
  key_discharge_unit, permit_class, online_monitoring, grade, credit_rating, facility_type, near_yangtze, registered_on,
  created_audit_id, updated_audit_id)
SELECT credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact,
  (key_discharge_unit = 'yes')::int, permit_class, online_monitoring, grade, credit_rating, facility_type,
  (near_yangtze = 'yes')::int, registered_on, 1000000000, 1000000000
FROM staging;
COMMIT;
"""

# The sweep's facts in PostgreSQL's SQL: run.py's query, string_agg for group_concat.
PG_FACTS = """SELECT e.id, e.credit_code, e.name, e.region_code, e.industry_code, e.process, e.fuel,
  e.key_discharge_unit, e.permit_class, e.online_monitoring, e.credit_rating, e.facility_type, e.near_yangtze, e.status,
  (SELECT string_agg(kind || ' ' || valid_from || ' ' || coalesce(valid_until, ''), ',') FROM designation d
   WHERE d.enterprise_id = e.id),
  (SELECT string_agg(kind || ' ' || occurred_on, ',') FROM incident i WHERE i.enterprise_id = e.id),
  (SELECT string_agg(decided_on, ',') FROM fine f WHERE f.enterprise_id = e.id),
  (SELECT string_agg(p.class || ' ' || p.valid_from || ' ' || p.valid_to || ' ' || coalesce((SELECT max(until_on)
     FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'deferral-granted'), ''), ',') FROM permit p
   WHERE p.enterprise_id = e.id),
  (SELECT string_agg(list || ' ' || admitted_on || ' ' || valid_until || ' ' || coalesce(revoked_on, ''), ',')
   FROM list_membership m WHERE m.enterprise_id = e.id)
FROM enterprise e ORDER BY e.id"""


def psql(url, sql, **kwargs):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                          capture_output=True, text=True, **kwargs).stdout


def new_database(server, name):
    psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(server, f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + "/" + name
    subprocess.run([ENVREG, "init", "--db", url], check=True, stdout=subprocess.DEVNULL)
    return url


def writers(db, count, seconds, offset):
    """`count` threads, each starting envreg processes one after another for `seconds`."""
    acknowledged, failures, latencies = [0] * count, [0] * count, []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def work(w):
        n = 0
        while time.perf_counter() < stop:
            n += 1
            code = credit_code("420102", offset + w * 100_000 + n)
            began = time.perf_counter()
            result = subprocess.run([ENVREG, "enterprise", "add", code, "--name", f"压测写入{w}-{n}有限公司", "--region",
                                     "420102", "--industry", "2614", "--db", db, "--actor", f"writer-{w}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with lock:
                latencies.append(time.perf_counter() - began)
            if result.returncode == 0:
                acknowledged[w] += 1
            else:
                failures[w] += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0
    return sum(acknowledged), sum(failures), p99


def audit_rows(db):
    head = subprocess.run([ENVREG, "audit", "head", "--db", db], text=True, capture_output=True, check=True).stdout
    return int(re.search(r"(\d+):[0-9a-f]{64}", head).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--writers", default="4,16,64")
    parser.add_argument("--writers-seconds", type=int, default=30)
    parser.add_argument("--only", default="import,list,review,writers",
                        help="cases to run; without import the databases of an earlier run are reused")
    args = parser.parse_args()
    server = os.environ.get("ENVREG_BENCH_POSTGRES") or subprocess.run(
        ["bash", os.path.join(ROOT, ".ci", "postgres"), "start"], check=True, capture_output=True,
        text=True).stdout.strip()
    rows = []

    def report(**row):
        rows.append(row)
        print(row, flush=True)

    for size in [int(s) for s in args.sizes.split(",") if s]:
        data = os.path.join(OUT, f"enterprises-{size}.csv")
        cases = args.only.split(",")
        base = server.rsplit("/", 1)[0]
        ours, theirs = f"{base}/envreg_bench_{size}", f"{base}/psql_bench_{size}"
        if "import" in cases:
            ours = new_database(server, f"envreg_bench_{size}")
            theirs = new_database(server, f"psql_bench_{size}")
            envreg = run_timed([ENVREG, "enterprise", "import", data, "--db", ours, "--as-of", "2026-11-29"])
            with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
                script.write(PSQL_IMPORT.format(staging=STAGING, csv=data))
                script.flush()
                baseline = run_timed(["psql", "-X", "-q", theirs, "-f", script.name])
            report(size=size, case="import", envreg_s=round(envreg[0], 2), psql_s=round(baseline[0], 2),
                   ratio=round(envreg[0] / baseline[0], 2), envreg_peak_mb=round(envreg[1] / 1024, 1))
        if "list" in cases:
            envreg = best([ENVREG, "enterprise", "list", "--limit", "0", "--format", "csv", "--db", ours], args.repeat)
            sql = (f"\\copy (SELECT {LIST_COLUMNS} FROM {LIST_FROM} ORDER BY e.credit_code) "
                   "TO STDOUT WITH (FORMAT csv, HEADER)")
            baseline = best(["psql", "-X", "-q", theirs, "-c", sql], args.repeat)
            report(size=size, case="list all (csv)", envreg_s=round(envreg[0], 2), psql_s=round(baseline[0], 2),
                   ratio=round(envreg[0] / baseline[0], 2), envreg_peak_mb=round(envreg[1] / 1024, 1))
        if "review" in cases:
            envreg = best([ENVREG, "lists", "review", "--list", "inspection-exemption", "--db", ours, "--as-of",
                           "2026-11-29", "--format", "csv"], args.repeat)
            sql = "\\copy (" + " ".join(PG_FACTS.split()) + ") TO STDOUT WITH (FORMAT csv)"
            baseline = best(["psql", "-X", "-q", theirs, "-c", sql], args.repeat)
            report(size=size, case="review sweep", envreg_s=round(envreg[0], 2), psql_s=round(baseline[0], 2),
                   ratio=round(envreg[0] / baseline[0], 2), envreg_peak_mb=round(envreg[1] / 1024, 1))
        for count in [int(c) for c in args.writers.split(",") if c] if "writers" in cases else []:
            for engine, db in (("postgresql", ours), ("sqlite", None)):
                if db is None:
                    work = tempfile.mkdtemp(prefix="envreg-writers-")
                    db = os.path.join(work, "registry.sqlite")
                    subprocess.run([ENVREG, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
                before = audit_rows(db)
                # Codes 8 digits long: count × 1,000,000 + writer × 100,000 + n stays under 100,000,000.
                acknowledged, failed, p99 = writers(db, count, args.writers_seconds, 1_000_000 * count)
                after = audit_rows(db)
                verify = subprocess.run([ENVREG, "audit", "verify", "--db", db], capture_output=True).returncode
                report(size=size, case=f"{count} writer processes", engine=engine,
                       writes_per_s=round(acknowledged / args.writers_seconds, 1), p99_ms=round(p99, 1),
                       failures=failed, lost=acknowledged - (after - before), verify_intact=verify == 0)
    with open(os.path.join(OUT, "postgres.csv"), "w", newline="", encoding="utf-8") as f:
        keys = []
        for r in rows:
            keys += [k for k in r if k not in keys]
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
