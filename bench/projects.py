#!/usr/bin/env python3
"""The EIA approval service (RULES §11) at scale, side by side with the sqlite3 shell on the same data.

    python3 bench/projects.py                    # 2,000, 20,000 and 100,000 projects
    python3 bench/projects.py --sizes 20000      # one size
    python3 bench/projects.py --no-build         # reuse the release binary of bench/run.py

For each size it writes synthetic projects (each on one of the three ledgers, a valid builder code,
a Hubei site and industry) and their approval events (a receipt each, a technical review for half,
a decision for a third), then times, with the release binary bench/run.py builds:

- project import and project import-events, against the sqlite3 shell loading the same rows into
  the same tables (.import into a staging table, then INSERT … SELECT; no validation, no per-row
  check of the events before it), and
- project ledger --ledger national --format csv (every project on the ledger with both clocks and
  its trace computed, the builder looked up in the registry) and due --within 30, against the
  sqlite3 shell reading the same rows (versions, entries and events joined, in the ledger's order),
  which is the floor: the shell computes no clock.

Wall clock of the whole process, best of --repeat runs for the reads; peak resident memory from GNU
time. Results go to stdout and bench/out/projects.csv.
"""
import argparse
import csv
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BUILD, ENVREG, OUT, ROOT, best, fresh_registry, run_timed  # noqa: E402

AS_OF = "2026-11-29"
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
REGIONS = ["420102", "420103", "420104", "420106", "420111", "420115", "420502", "420602", "421002", "420503"]
INDUSTRIES = ["3011", "2614", "3562", "4413", "3670", "1431", "2511", "8411", "3120", "4620"]


def credit_code(first17):
    total = sum(CHARS.index(c) * WEIGHTS[i] for i, c in enumerate(first17))
    check = 31 - total % 31
    return first17 + CHARS[0 if check == 31 else check]


def write_data(size, directory):
    """projects-N.csv and events-N.csv; returns their paths."""
    rng = random.Random(size)
    projects = os.path.join(directory, f"projects-{size}.csv")
    events = os.path.join(directory, f"events-{size}.csv")
    with open(projects, "w", newline="") as p, open(events, "w", newline="") as e:
        pw, ew = csv.writer(p), csv.writer(e)
        pw.writerow(["project_no", "name", "builder", "builder_name", "region", "industry", "investment", "items",
                     "sensitive", "urgent", "effective", "ledger", "ledger_reference", "ledger_from"])
        ew.writerow(["project_no", "event", "on", "to", "reference", "note"])
        for n in range(size):
            number = f"B-{n:07d}"
            builder = credit_code("914201%02dMA%07d" % (n % 17, n))
            kind = "report" if n % 2 else "form"
            pw.writerow([number, f"建设项目{n}", builder, f"建设单位{n}", REGIONS[n % 10], INDUSTRIES[n % 10],
                         1000 + n % 90000, f"2021:{n % 50}:{kind}", "no", "no", "2026-01-05",
                         ["national", "local", "foreign"][n % 3], "重大项目清单", "2026-01-05"])
            received = f"2026-{3 + n % 6:02d}-{1 + rng.randrange(28):02d}"
            ew.writerow([number, "received", received, "", "", ""])
            if n % 2 == 0:
                day = f"2026-09-{1 + rng.randrange(20):02d}"
                ew.writerow([number, "technical-review", day, day[:-2] + "28", "", ""])
            if n % 3 == 0:
                ew.writerow([number, "approved", f"2026-10-{1 + rng.randrange(28):02d}", "", "环审", ""])
    return projects, events


SQLITE_IMPORT = """PRAGMA foreign_keys = ON;
.bail on
CREATE TEMP TABLE sp (project_no TEXT, name TEXT, builder TEXT, builder_name TEXT, region TEXT, industry TEXT,
  investment TEXT, items TEXT, sensitive TEXT, urgent TEXT, effective TEXT, ledger TEXT, ledger_reference TEXT,
  ledger_from TEXT);
CREATE TEMP TABLE se (project_no TEXT, event TEXT, on_day TEXT, to_day TEXT, reference TEXT, note TEXT);
.import --csv --skip 1 {projects} sp
.import --csv --skip 1 {events} se
BEGIN;
INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (1000000000, '2026-01-01', 'bench', 'sqlite3.import', 'import', 'bench', 'x', 'bench-import');
INSERT INTO project (project_no, audit_id) SELECT project_no, 1000000000 FROM sp;
INSERT INTO project_version (project_id, version, effective, name, builder_code, builder_name, region_code,
  industry_code, investment_fen, items, sensitive, urgent, process, route, contact, audit_id)
SELECT p.id, 1, sp.effective, sp.name, sp.builder, sp.builder_name, sp.region, sp.industry,
  CAST(sp.investment AS INTEGER) * 1000000, sp.items, sp.sensitive = 'yes', sp.urgent = 'yes', 'unknown', 'ordinary',
  '', 1000000000
FROM sp JOIN project p ON p.project_no = sp.project_no;
INSERT INTO project_listing (project_id, ledger, reference, from_day, audit_id)
SELECT p.id, sp.ledger, sp.ledger_reference, sp.ledger_from, 1000000000 FROM sp JOIN project p ON p.project_no = sp.project_no;
INSERT INTO approval_event (project_id, kind, on_day, to_day, reference, note, audit_id)
SELECT p.id, se.event, se.on_day, nullif(se.to_day, ''), se.reference, se.note, 1000000000
FROM se JOIN project p ON p.project_no = se.project_no;
COMMIT;
"""

LEDGER_QUERY = """.mode csv
SELECT p.project_no, v.name, v.builder_name, v.builder_code, v.region_code, v.industry_code, v.investment_fen,
  v.items, l.ledger, group_concat(e.kind || ' ' || e.on_day || ' ' || coalesce(e.to_day, ''), '; ')
FROM project p JOIN project_version v ON v.project_id = p.id
JOIN project_listing l ON l.project_id = p.id AND l.ledger = 'national' AND l.from_day <= '{as_of}'
LEFT JOIN approval_event e ON e.project_id = p.id AND e.on_day <= '{as_of}'
LEFT JOIN enterprise f ON f.credit_code = v.builder_code
GROUP BY p.id ORDER BY p.project_no;
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "envreg", "--static-swift-stdlib",
                        "--build-path", BUILD], cwd=ROOT, check=True)
    os.makedirs(OUT, exist_ok=True)
    work = os.path.join(OUT, "projects")
    os.makedirs(work, exist_ok=True)
    rows = []

    def report(size, case, envreg, sqlite):
        ratio = envreg[0] / sqlite[0] if sqlite[0] else float("inf")
        rows.append([size, case, f"{envreg[0]:.2f}", envreg[1] // 1024, f"{sqlite[0]:.2f}", sqlite[1] // 1024,
                     f"{ratio:.2f}"])
        print(f"{size:>8} {case:<34} envreg {envreg[0]:8.2f} s {envreg[1] // 1024:5d} MB   "
              f"sqlite3 {sqlite[0]:7.2f} s {sqlite[1] // 1024:4d} MB   x{ratio:.2f}", flush=True)

    for size in [int(s) for s in args.sizes.split(",")]:
        projects, events = write_data(size, work)
        ours, theirs = os.path.join(work, "envreg.sqlite"), os.path.join(work, "sqlite3.sqlite")
        fresh_registry(ours)
        fresh_registry(theirs)
        load = run_timed([ENVREG, "project", "import", projects, "--db", ours, "--as-of", AS_OF])
        events_load = run_timed([ENVREG, "project", "import-events", events, "--db", ours, "--as-of", AS_OF])
        shell = run_timed(["sqlite3", theirs], SQLITE_IMPORT.format(projects=projects, events=events))
        report(size, "import projects + events", (load[0] + events_load[0], max(load[1], events_load[1])), shell)
        ledger = best([ENVREG, "project", "ledger", "--ledger", "national", "--format", "csv", "--db", ours,
                       "--as-of", AS_OF], args.repeat)
        floor = best(["sqlite3", theirs], args.repeat, LEDGER_QUERY.format(as_of=AS_OF))
        report(size, "project ledger --ledger national", ledger, floor)
        due = best([ENVREG, "due", "--within", "30", "--format", "csv", "--db", ours, "--as-of", AS_OF], args.repeat)
        report(size, "due --within 30 (projects' items)", due, floor)
    with open(os.path.join(OUT, "projects.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["size", "case", "envreg_s", "envreg_mb", "sqlite3_s", "sqlite3_mb", "ratio"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
