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
  - wait: the longest wait of a writer (`policy set`, one after another) during the import, each
    tool into a new database of its own;
  - list: `enterprise list --limit 0 --format csv` against the same columns and order in psql;
  - facts (set-up, not timed): bench/facts.sql's permits, fines, designations, incidents and
    memberships, generated in PostgreSQL's SQL into both databases;
  - the expiry notice: `permit expiring --within 90` against the same SQL;
  - review sweep: `lists review` (every firm's facts through the rules) against one SQL query
    reading the same facts per firm;
  - due: `due --region 42 --within 30`, one province's calendar (timed alone: no one SQL query is it);
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
from run import (ENVREG, OUT, ROOT, STAGING, LIST_COLUMNS, LIST_FROM, run_timed, best, day,  # noqa: E402
                 longest_writer_wait)
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


# bench/facts.sql in PostgreSQL's SQL (set-up, not timed): the same permits, events, fines,
# payments, designations, incidents and memberships, generated from the enterprise table.
PG_FACTS_SETUP = """BEGIN;
-- The firms the writers case registered (envreg's database only), so both hold the same firms.
DELETE FROM enterprise WHERE name LIKE '压测写入%';
INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (2000000000, '2026-11-29T00:00:00Z', 'bench', 'bench.setup', 'bench', 'facts', 'x', 'bench-facts');
INSERT INTO permit (number, enterprise_id, class, issued_on, valid_from, valid_to, audit_id)
  SELECT credit_code || '001P', id, CASE permit_class WHEN 'none' THEN 'registration' ELSE permit_class END, d, d,
    to_char(d::date + interval '5 years' - interval '1 day', 'YYYY-MM-DD'), 2000000000
  FROM (SELECT credit_code, id, permit_class, to_char(date '2021-12-01' + ((id * 7919) % 1826)::int, 'YYYY-MM-DD') AS d
        FROM enterprise) e;
INSERT INTO permit_event (permit_id, kind, event_on, audit_id)
  SELECT id, 'renewal-applied', to_char(valid_to::date - 70, 'YYYY-MM-DD'), 2000000000 FROM permit
  WHERE id % 3 = 0 AND valid_to < '2027-06-01';
INSERT INTO fine (decision_number, decision_key, enterprise_id, amount_fen, decided_on, received_on, law_version,
  legal_basis, audit_id)
  SELECT 'F' || id, 'F' || id, id, (id % 100 + 1) * 100000, to_char(date '2025-01-01' + (id % 700)::int, 'YYYY-MM-DD'),
    to_char(date '2025-01-01' + (id % 700 + 3)::int, 'YYYY-MM-DD'), '2021', '', 2000000000
  FROM enterprise WHERE id % 10 < 3;
INSERT INTO fine_payment (fine_id, paid_on, amount_fen, reference, audit_id)
  SELECT id, to_char(received_on::date + 10, 'YYYY-MM-DD'), amount_fen, 'bench', 2000000000 FROM fine WHERE id % 3 <> 0;
INSERT INTO designation (enterprise_id, kind, granted_by, valid_from, audit_id)
  SELECT id, CASE id % 3 WHEN 0 THEN 'key-sector' WHEN 1 THEN 'major-project' ELSE 'key-component' END, 'bench',
    '2020-07-01', 2000000000
  FROM enterprise WHERE id % 20 = 7;
INSERT INTO incident (enterprise_id, kind, occurred_on, audit_id)
  SELECT id, CASE id % 2 WHEN 0 THEN 'emergency' ELSE 'crime' END,
    to_char(date '2023-01-01' + (id % 1400)::int, 'YYYY-MM-DD'), 2000000000
  FROM enterprise WHERE id % 50 = 11;
INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by, audit_id)
  SELECT id, 'inspection-exemption', 'EX-C6', '2025-01-01', '2028-01-01', '{}', 'bench', 2000000000 FROM enterprise
  WHERE id % 100 = 3;
COMMIT;
ANALYZE;
"""

# The expiry notice in PostgreSQL's SQL: run.py's EXPIRING_QUERY (the same window, columns, order).
PG_EXPIRING = """SELECT p.number, e.credit_code, e.name, e.region_code, p.class, p.valid_to,
  to_char(p.valid_to::date - CASE WHEN p.valid_to >= '2021-03-01' THEN 60 ELSE 30 END, 'YYYY-MM-DD') AS renewal_due,
  p.valid_to::date - date '2026-11-29' AS days_left,
  (SELECT min(event_on) FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'renewal-applied') AS applied,
  (SELECT max(until_on) FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'deferral-granted') AS deferred
FROM permit p JOIN enterprise e ON e.id = p.enterprise_id
WHERE (p.superseded_by IS NULL OR (SELECT s.issued_on FROM permit s WHERE s.id = p.superseded_by) > '2026-11-29')
  AND p.issued_on <= '2026-11-29' AND p.valid_to >= '2026-11-29' AND p.valid_to <= '2027-02-27'
  AND NOT EXISTS (SELECT 1 FROM permit_event v WHERE v.permit_id = p.id AND v.kind IN ('cancelled', 'revoked'))
ORDER BY days_left"""


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
    parser.add_argument("--only", default="import,wait,list,facts,permits,due,review,writers",
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
        if "wait" in cases:
            # The longest wait of a writer (`policy set`, one after another) during an import into a
            # new database of its own; psql's import holds its one transaction throughout.
            for tool in ("envreg", "psql"):
                db = new_database(server, f"wait_{tool}_{size}")
                if tool == "envreg":
                    command, stdin = [ENVREG, "enterprise", "import", data, "--db", db], None
                else:
                    command = ["psql", "-X", "-q", db]
                    stdin = PSQL_IMPORT.format(staging=STAGING, csv=data)
                longest, writes, failed, seconds = longest_writer_wait(
                    command, stdin,
                    lambda n, db=db: [ENVREG, "policy", "set", "ex.k1.years", "2", "--jurisdiction", "42", "--from",
                                      day(n), "--reference", "bench", "--db", db])
                report(size=size, case="longest writer wait during import", engine=tool,
                       longest_wait_s=round(longest, 2), writes=writes, failures=failed, import_s=round(seconds, 1))
                psql(server, f"DROP DATABASE IF EXISTS wait_{tool}_{size} WITH (FORCE)")
        if "list" in cases:
            envreg = best([ENVREG, "enterprise", "list", "--limit", "0", "--format", "csv", "--db", ours], args.repeat)
            sql = (f"\\copy (SELECT {LIST_COLUMNS} FROM {LIST_FROM} ORDER BY e.credit_code) "
                   "TO STDOUT WITH (FORMAT csv, HEADER)")
            baseline = best(["psql", "-X", "-q", theirs, "-c", sql], args.repeat)
            report(size=size, case="list all (csv)", envreg_s=round(envreg[0], 2), psql_s=round(baseline[0], 2),
                   ratio=round(envreg[0] / baseline[0], 2), envreg_peak_mb=round(envreg[1] / 1024, 1))
        if "facts" in cases:
            for db in (ours, theirs):
                subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", db], input=PG_FACTS_SETUP, text=True,
                               check=True, capture_output=True)
        if "permits" in cases:
            envreg = best([ENVREG, "permit", "expiring", "--within", "90", "--db", ours, "--as-of", "2026-11-29",
                           "--format", "csv"], args.repeat)
            sql = "\\copy (" + " ".join(PG_EXPIRING.split()) + ") TO STDOUT WITH (FORMAT csv, HEADER)"
            baseline = best(["psql", "-X", "-q", theirs, "-c", sql], args.repeat)
            report(size=size, case="permit expiring --within 90", envreg_s=round(envreg[0], 2),
                   psql_s=round(baseline[0], 2), ratio=round(envreg[0] / baseline[0], 2),
                   envreg_peak_mb=round(envreg[1] / 1024, 1))
        if "due" in cases:
            envreg = best([ENVREG, "due", "--region", "42", "--within", "30", "--db", ours, "--as-of", "2026-11-29",
                           "--format", "csv"], args.repeat)
            report(size=size, case="due --region 42 --within 30", envreg_s=round(envreg[0], 2),
                   envreg_peak_mb=round(envreg[1] / 1024, 1))
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
