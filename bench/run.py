#!/usr/bin/env python3
"""envreg benchmarks, side by side with the sqlite3 shell on the same data in the same run.

    python3 bench/run.py                     # 10k, 100k and 1M enterprises
    python3 bench/run.py --sizes 3400000     # national scale (results of other sizes are kept)
    python3 bench/run.py --sizes 10000       # a quick run
    python3 bench/run.py --only import,list  # some cases

For each size it generates valid synthetic enterprises (bench/gen_enterprises.py), builds two
registries with `envreg init` (same schema, same reference data), and times each case with both
tools: the whole process, wall clock, best of --repeat runs for the read cases. Peak resident
memory comes from GNU time. Results go to stdout as a table and to bench/out/results.csv.

Fairness notes: the sqlite3 side runs with PRAGMA foreign_keys=ON (the registry always enforces its
foreign keys; the shell's default is off) and otherwise the shell's defaults; envreg runs as shipped
(WAL, synchronous=NORMAL, a 32 MiB page cache during imports). Both write into the same `enterprise` table with the
same indexes and CHECK constraints.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
# The release binary as deployed: the Swift runtime and Foundation linked in (--static-swift-stdlib;
# no shared libraries to load at start-up), built in its own folder so that it never swaps under a
# running benchmark and `swift build -c release` elsewhere does not rebuild it.
BUILD = os.path.join(ROOT, ".build", "bench")
ENVREG = os.path.join(BUILD, "release", "envreg")

STAGING = """CREATE TEMP TABLE staging (credit_code TEXT, name TEXT, region_code TEXT, industry_code TEXT,
  process TEXT, fuel TEXT, address TEXT, legal_rep TEXT, contact TEXT, key_discharge_unit TEXT, permit_class TEXT,
  online_monitoring TEXT, grade TEXT, credit_rating TEXT, facility_type TEXT, near_yangtze TEXT, registered_on TEXT);"""

SQLITE_IMPORT = """PRAGMA foreign_keys = ON;
.bail on
{staging}
.import --csv --skip 1 {csv} staging
BEGIN;
INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (1000000000, '2026-01-01', 'bench', 'sqlite3.import', 'import', 'bench', 'x', 'bench-import');
INSERT INTO enterprise (credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact,
  key_discharge_unit, permit_class, online_monitoring, grade, credit_rating, facility_type, near_yangtze, registered_on,
  created_audit_id, updated_audit_id)
SELECT credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact, key_discharge_unit = 'yes',
  permit_class, online_monitoring, grade, credit_rating, facility_type, near_yangtze = 'yes', registered_on, 1000000000, 1000000000
FROM staging;
COMMIT;
"""

# The columns `enterprise list --format csv` writes: the division and industry named from the code
# tables, as the ledger query below names them.
LIST_COLUMNS = """e.credit_code, e.name, e.region_code,
  trim(coalesce(p.name, '') || ' ' || coalesce(c.name, '') || ' ' || coalesce(r.name, '')) AS region,
  e.industry_code, coalesce(i.name, '') AS industry, e.permit_class, e.grade, e.status"""
LIST_FROM = """enterprise e LEFT JOIN region r ON r.code = e.region_code
  LEFT JOIN region c ON c.code = substr(e.region_code, 1, 4) || '00' AND c.code <> e.region_code
  LEFT JOIN region p ON p.code = substr(e.region_code, 1, 2) || '0000' AND p.code <> e.region_code
  LEFT JOIN industry i ON i.code = e.industry_code"""
AS_OF = "2026-11-29"

# One SQL query reading the facts the eligibility sweep reads, per firm, in one pass.
FACTS_QUERY = """SELECT e.id, e.credit_code, e.name, e.region_code, e.industry_code, e.process, e.fuel, e.key_discharge_unit,
  e.permit_class, e.online_monitoring, e.credit_rating, e.facility_type, e.near_yangtze, e.status,
  (SELECT group_concat(kind || ' ' || valid_from || ' ' || ifnull(valid_until, '')) FROM designation d WHERE d.enterprise_id = e.id),
  (SELECT group_concat(kind || ' ' || occurred_on) FROM incident i WHERE i.enterprise_id = e.id),
  (SELECT group_concat(decided_on) FROM fine f WHERE f.enterprise_id = e.id),
  (SELECT group_concat(p.class || ' ' || p.valid_from || ' ' || p.valid_to || ' ' ||
     ifnull((SELECT max(until_on) FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'deferral-granted'), '')) FROM permit p WHERE p.enterprise_id = e.id),
  (SELECT group_concat(list || ' ' || admitted_on || ' ' || valid_until || ' ' || ifnull(revoked_on, '')) FROM list_membership m WHERE m.enterprise_id = e.id)
FROM enterprise e ORDER BY e.id;"""

# The expiry notice in SQL: the same window, columns and order as `permit expiring --within 90`.
EXPIRING_QUERY = f"""SELECT p.number, e.credit_code, e.name, e.region_code, p.class, p.valid_to,
  date(p.valid_to, CASE WHEN p.valid_to >= '2021-03-01' THEN '-60 days' ELSE '-30 days' END) AS renewal_due,
  CAST(julianday(p.valid_to) - julianday('{AS_OF}') AS INTEGER) AS days_left,
  (SELECT min(event_on) FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'renewal-applied') AS applied,
  (SELECT max(until_on) FROM permit_event v WHERE v.permit_id = p.id AND v.kind = 'deferral-granted') AS deferred
FROM permit p JOIN enterprise e ON e.id = p.enterprise_id
WHERE (p.superseded_by IS NULL OR (SELECT s.issued_on FROM permit s WHERE s.id = p.superseded_by) > '{AS_OF}') AND p.issued_on <= '{AS_OF}'
  AND p.valid_to >= '{AS_OF}' AND p.valid_to <= date('{AS_OF}', '+90 days')
  AND NOT EXISTS (SELECT 1 FROM permit_event v WHERE v.permit_id = p.id AND v.kind IN ('cancelled', 'revoked'))
ORDER BY days_left;"""

# The ledger report in SQL: the same 18 columns (location and industry named from the code tables,
# the latest note, the state and overdue remark on the date), in the same order, as CSV.
LEDGER_QUERY = f"""SELECT row_number() OVER (ORDER BY e.region_code, e.credit_code, li.id) AS 序号, e.name, e.credit_code,
  trim(coalesce(p.name, '') || ' ' || coalesce(c.name, '') || ' ' || coalesce(r.name, '')) AS 所在地,
  e.industry_code || ' ' || coalesce(i.name, '') AS 行业, li.source, li.problem_type, li.description, li.found_on, li.class, li.measures,
  li.responsible_unit, li.responsible_person, li.due_on,
  (SELECT note FROM ledger_entry le WHERE le.item_id = li.id AND le.entry_on <= '{AS_OF}' AND le.note <> '' ORDER BY le.entry_on DESC, le.id DESC LIMIT 1) AS 整改进展,
  li.state, li.closed_on,
  CASE WHEN li.state <> '已销号' AND li.due_on < '{AS_OF}' THEN '超期' || CAST(julianday('{AS_OF}') - julianday(li.due_on) AS INTEGER) || '天' ELSE '' END AS 备注
FROM ledger_item li JOIN enterprise e ON e.id = li.enterprise_id
LEFT JOIN region r ON r.code = e.region_code LEFT JOIN region c ON c.code = substr(e.region_code, 1, 4) || '00' LEFT JOIN region p ON p.code = substr(e.region_code, 1, 2) || '0000'
LEFT JOIN industry i ON i.code = e.industry_code
ORDER BY e.region_code, e.credit_code, li.id;"""

# Overdue fines in SQL: unpaid after the due date, 3%/day surcharge capped at the amount.
OVERDUE_QUERY = f"""SELECT f.decision_number, e.credit_code, e.name, f.decided_on, date(f.received_on, '+15 days') AS due,
  f.amount_fen, coalesce(pay.paid, 0) AS paid, f.amount_fen - coalesce(pay.paid, 0) AS outstanding,
  min(f.amount_fen, (f.amount_fen - coalesce(pay.paid, 0)) * 3 * CAST(julianday('{AS_OF}') - julianday(date(f.received_on, '+15 days')) AS INTEGER) / 100) AS surcharge,
  CAST(julianday('{AS_OF}') - julianday(date(f.received_on, '+15 days')) AS INTEGER) AS days_overdue
FROM fine f JOIN enterprise e ON e.id = f.enterprise_id
LEFT JOIN (SELECT fine_id, sum(amount_fen) AS paid FROM fine_payment WHERE paid_on <= '{AS_OF}' GROUP BY fine_id) pay ON pay.fine_id = f.id
WHERE f.decided_on <= '{AS_OF}' AND f.amount_fen > coalesce(pay.paid, 0) AND date(f.received_on, '+15 days') < '{AS_OF}'
ORDER BY days_overdue DESC;"""


def run_timed(command, stdin_text=None):
    """Runs a command under GNU time; returns (seconds, peak KB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        start = time.perf_counter()
        # Exit code 3 is envreg's "ran fine, the answer is negative" (overdue found): not a failure.
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", timing.name] + command, input=stdin_text,
                                text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if result.returncode not in (0, 3):
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-500:]}")
        elapsed = time.perf_counter() - start
        peak = int(timing.read().strip().splitlines()[-1])
    return elapsed, peak


def best(command, repeat, stdin_text=None):
    runs = [run_timed(command, stdin_text) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def longest_writer_wait(import_command, import_stdin, write_command):
    """Starts an import and runs short writes one after another until it ends.

    Returns (longest write in seconds, writes, failed writes, import seconds): the longest time a
    writer waited for the lock while the import ran (its own work is a few milliseconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(import_command, stdin=subprocess.PIPE if import_stdin else None,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    if import_stdin:
        proc.stdin.write(import_stdin)
        proc.stdin.close()
    longest, writes, failed = 0.0, 0, 0
    while proc.poll() is None:
        writes += 1
        began = time.perf_counter()
        result = subprocess.run(write_command(writes), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        longest = max(longest, time.perf_counter() - began)
        failed += result.returncode != 0
    if proc.wait() != 0:
        raise RuntimeError(f"{' '.join(import_command)} failed")
    return longest, writes, failed, time.perf_counter() - start


def day(n):
    return time.strftime("%Y-%m-%d", time.gmtime(1609459200 + 86400 * n))  # 2021-01-01 + n days


def fresh_registry(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    subprocess.run([ENVREG, "init", "--db", path], check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--only", default="import,wait,list,export,review,permits,fines,ledger")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse databases an earlier run left in bench/out (no import, no set-up)")
    args = parser.parse_args()
    cases = set(args.only.split(","))
    os.makedirs(OUT, exist_ok=True)
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "envreg", "--static-swift-stdlib",
                        "--build-path", BUILD], cwd=ROOT, check=True)
    results = []

    def report(size, case, envreg, sqlite):
        row = dict(size=size, case=case, envreg_s=round(envreg[0], 3), sqlite3_s=round(sqlite[0], 3),
                   ratio=round(envreg[0] / sqlite[0], 2) if sqlite[0] > 0 else None,
                   envreg_peak_mb=round(envreg[1] / 1024, 1), sqlite3_peak_mb=round(sqlite[1] / 1024, 1))
        results.append(row)
        print(f"{size:>9,}  {case:<34} envreg {row['envreg_s']:>8.3f} s  sqlite3 {row['sqlite3_s']:>8.3f} s  "
              f"ratio {row['ratio']:>5}  peak {row['envreg_peak_mb']:>6} MB / {row['sqlite3_peak_mb']:>5} MB", flush=True)

    for size in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(OUT, f"enterprises-{size}.csv")
        if not os.path.exists(data):
            with open(data, "w", encoding="utf-8") as f:
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_enterprises.py"), str(size)], stdout=f, check=True)
        ours = os.path.join(OUT, f"envreg-{size}.sqlite")
        theirs = os.path.join(OUT, f"sqlite3-{size}.sqlite")
        reuse = args.reuse and os.path.exists(ours) and os.path.exists(theirs)
        if not reuse:
            fresh_registry(ours)
            fresh_registry(theirs)
            # Import: one run each (it changes the database).
            envreg = run_timed([ENVREG, "enterprise", "import", data, "--db", ours])
            sqlite = run_timed(["sqlite3", theirs], SQLITE_IMPORT.format(staging=STAGING, csv=data))
            if "import" in cases:
                report(size, "import (full validation)", envreg, sqlite)

        if "wait" in cases:
            # Issue 10 item 10: the longest wait of a concurrent writer during an import, each tool on
            # a new registry of its own (the import again; not the timed import above).
            waits = {}
            for tool in ("envreg", "sqlite3"):
                db = os.path.join(OUT, f"wait-{tool}-{size}.sqlite")
                fresh_registry(db)
                if tool == "envreg":
                    waits[tool] = longest_writer_wait(
                        [ENVREG, "enterprise", "import", data, "--db", db], None,
                        lambda n: [ENVREG, "policy", "set", "ex.k1.years", "2", "--jurisdiction", "42", "--from", day(n),
                                   "--reference", "bench", "--db", db])
                else:
                    waits[tool] = longest_writer_wait(
                        ["sqlite3", db], SQLITE_IMPORT.format(staging=STAGING, csv=data),
                        lambda n: ["sqlite3", db, "PRAGMA busy_timeout = 600000; INSERT INTO policy_parameter "
                                   f"(key, jurisdiction, effective_from, value, reference) VALUES ('ex.k1.years', '42', '{day(n)}', '2', 'bench');"])
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(db + suffix):
                        os.remove(db + suffix)
            for tool, (longest, writes, failed, seconds) in waits.items():
                print(f"{size:>9,}  writer wait during {tool} import: longest {longest:.2f} s over {writes} writes "
                      f"({failed} failed), import {seconds:.1f} s", flush=True)
            report(size, "longest writer wait during import", (waits["envreg"][0], 0), (waits["sqlite3"][0], 0))

        if "list" in cases:
            queries = [
                ("list --region 42 --industry 26",
                 ["--region", "42", "--industry", "26"],
                 f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE e.region_code >= '42' AND e.region_code < '43' "
                 "AND e.industry_code >= '26' AND e.industry_code < '27' ORDER BY e.credit_code;"),
                ("list --permit-class key --region 4201",
                 ["--permit-class", "key", "--region", "4201"],
                 f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE e.permit_class = 'key' AND e.region_code >= '4201' "
                 "AND e.region_code < '4202' ORDER BY e.credit_code;"),
                ("list --name 化工 (every match)",
                 ["--name", "化工"],
                 f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE instr(e.name, '化工') > 0 ORDER BY e.credit_code;"),
                # What a person sees: the first page of 50 and the total (envreg's table default).
                ("list --name 化工 (first page, total)",
                 ["--name", "化工", "--limit", "50"],
                 f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE instr(e.name, '化工') > 0 ORDER BY e.credit_code LIMIT 50; "
                 "SELECT count(*) FROM enterprise WHERE instr(name, '化工') > 0;"),
                ("list --name 恒达化工12345 (one firm)",
                 ["--name", "恒达化工12345"],
                 f"SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE instr(e.name, '恒达化工12345') > 0 ORDER BY e.credit_code;"),
                ("show one firm (keyed look-up)",
                 None,
                 "SELECT * FROM enterprise WHERE credit_code = (SELECT credit_code FROM enterprise LIMIT 1 OFFSET 1000);"),
            ]
            for label, options, sql in queries:
                if options is None:
                    code = subprocess.run(["sqlite3", ours, "SELECT credit_code FROM enterprise LIMIT 1 OFFSET 1000"],
                                          capture_output=True, text=True, check=True).stdout.strip()
                    command = [ENVREG, "enterprise", "show", code, "--db", ours, "--format", "csv"]
                else:
                    paged = "--limit" in options
                    command = [ENVREG, "enterprise", "list", "--db", ours] + ([] if paged else ["--limit", "0", "--format", "csv"]) + options
                report(size, label, best(command, args.repeat), best(["sqlite3", "-csv", "-header", theirs, sql], args.repeat))

        if "export" in cases:
            report(size, "export all to CSV",
                   best([ENVREG, "enterprise", "export", "--db", ours], args.repeat),
                   best(["sqlite3", "-csv", "-header", theirs, "SELECT * FROM enterprise ORDER BY credit_code;"], args.repeat))

        if cases & {"review", "permits", "fines"}:
            # Same facts in both databases (bench/facts.sql; set-up, not timed).
            facts = open(os.path.join(ROOT, "bench", "facts.sql"), encoding="utf-8").read()
            for db in (ours, theirs):
                if not reuse:
                    subprocess.run(["sqlite3", db], input=facts, text=True, check=True)
            at = ["--as-of", AS_OF, "--format", "csv", "--db", ours]
            if "review" in cases:
                report(size, "lists review --list inspection-exemption",
                       best([ENVREG, "lists", "review", "--list", "inspection-exemption"] + at, args.repeat),
                       best(["sqlite3", "-csv", theirs, FACTS_QUERY], args.repeat))
                report(size, "lists review (both lists)",
                       best([ENVREG, "lists", "review"] + at, args.repeat),
                       best(["sqlite3", "-csv", theirs, FACTS_QUERY], args.repeat))
            if "permits" in cases:
                report(size, "permit expiring --within 90",
                       best([ENVREG, "permit", "expiring", "--within", "90"] + at, args.repeat),
                       best(["sqlite3", "-csv", "-header", theirs, EXPIRING_QUERY], args.repeat))
            if "fines" in cases:
                report(size, f"fine overdue ({int(size * 0.3):,} fines)",
                       best([ENVREG, "fine", "overdue"] + at, args.repeat),
                       best(["sqlite3", "-csv", "-header", theirs, OVERDUE_QUERY], args.repeat))

        if "ledger" in cases and size <= 100_000:
            setup = open(os.path.join(ROOT, "bench", "ledger.sql"), encoding="utf-8").read()
            for db in (ours, theirs):
                if not reuse:
                    subprocess.run(["sqlite3", db], input=setup, text=True, check=True)
            report(size, f"ledger report to CSV ({size:,} items)",
                   best([ENVREG, "ledger", "report", "--as-of", AS_OF, "--db", ours], args.repeat),
                   best(["sqlite3", "-csv", "-header", theirs, LEDGER_QUERY], args.repeat))

    # Results of earlier runs at other sizes are kept, so that growth can be read across runs.
    path = os.path.join(OUT, "results.csv")
    earlier = []
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as f:
            ran = {(r["size"], r["case"]) for r in results}
            earlier = [r for r in csv.DictReader(f) if (int(r["size"]), r["case"]) not in ran]
    rows = sorted(earlier + results, key=lambda r: (int(r["size"]), r["case"]))
    growth(rows)
    fields = ["size", "case", "envreg_s", "sqlite3_s", "ratio", "envreg_peak_mb", "sqlite3_peak_mb",
              "rows_growth", "envreg_growth", "sqlite3_growth"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def growth(rows):
    """Prints, for each case, time at N over time at the next smaller size, beside the row ratio,
    and records it in the larger size's row: a listing whose time grows faster than its rows stands out."""
    by_case = {}
    for r in rows:
        by_case.setdefault(r["case"], []).append(r)
    print("\ngrowth (time at N / time at the next smaller size; rows grow by the size ratio):")
    for case, runs in by_case.items():
        runs.sort(key=lambda r: int(r["size"]))
        for small, large in zip(runs, runs[1:]):
            rows_ratio = int(large["size"]) / int(small["size"])
            ours = float(large["envreg_s"]) / max(float(small["envreg_s"]), 1e-3)
            theirs = float(large["sqlite3_s"]) / max(float(small["sqlite3_s"]), 1e-3)
            large.update(rows_growth=round(rows_ratio, 2), envreg_growth=round(ours, 2), sqlite3_growth=round(theirs, 2))
            print(f"  {case:<40} {int(small['size']):>9,} -> {int(large['size']):>9,} (x{rows_ratio:.1f} rows): "
                  f"envreg x{ours:.2f}, sqlite3 x{theirs:.2f}")


if __name__ == "__main__":
    main()
