import Foundation
import GRDB
import Testing

/// The PostgreSQL cluster the tests use: `.ci/run` starts one (`.ci/postgres start`) and sets
/// ENVREG_TEST_POSTGRES to its URL. In CI a missing cluster fails these tests; elsewhere they run
/// whenever the variable is set.
let postgresServer = ProcessInfo.processInfo.environment["ENVREG_TEST_POSTGRES"]

/// A new, empty database on the test cluster, dropped at the end.
final class PostgresDatabase {
  let server: String
  let url: String

  init() throws {
    guard let server = postgresServer else {
      throw TestFailure("ENVREG_TEST_POSTGRES is not set: start a cluster with 'bash .ci/postgres start'")
    }
    self.server = server
    let name = "envreg_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try psql(server, "CREATE DATABASE \(name)")
    url = String(server[..<(server.lastIndex(of: "/") ?? server.endIndex)]) + "/" + name
  }

  deinit { _ = try? psql(server, "DROP DATABASE IF EXISTS \(url.split(separator: "/").last ?? "") WITH (FORCE)") }
}

struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// Runs SQL with psql (tab-separated rows, no header).
@discardableResult
func psql(_ url: String, _ sql: String, environment: [String: String] = [:]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  let problem = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw TestFailure("psql failed: \(String(decoding: problem, as: UTF8.self))")
  }
  return String(decoding: data, as: UTF8.self)
}

@Suite("PostgreSQL storage (issue 13): the same registry on either engine", .enabled(if: postgresServer != nil || inCI))
struct PostgresCLITests {
  @Test("The PostgreSQL schema has schema.sql's tables, columns, types, nullability and foreign keys")
  func schemasMatchColumnByColumn() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let database = try PostgresDatabase()
    #expect(try scratch.run(["init", "--db", database.url]).status == 0)
    // SQLite: every table's columns (a rowid alias or a key column is never NULL).
    let queue = try DatabaseQueue(path: scratch.db)
    let sqlite: Set<String> = try queue.read { db in
      var lines = Set<String>()
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT m.name, p.name, upper(p.type), p."notnull" OR p.pk > 0
          FROM sqlite_schema m, pragma_table_info(m.name) p
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'enterprise_name_index%'
          """)
      {
        let kind = ["INTEGER": "integer", "TEXT": "text", "REAL": "real"][row[2] as String] ?? (row[2] as String)
        lines.insert("\(row[0] as String).\(row[1] as String) \(kind) \((row[3] as Bool) ? "not null" : "null")")
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT m.name, f."from", f."table" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
          WHERE m.type = 'table'
          """)
      {
        lines.insert("\(row[0] as String).\(row[1] as String) -> \(row[2] as String)")
      }
      return lines
    }
    var postgres = Set<String>()
    for line in try psql(
      database.url,
      """
      SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'envreg_schema'
      """
    ).split(separator: "\n") {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      let kind = ["bigint": "integer", "integer": "integer", "text": "text", "double precision": "real"][f[2]] ?? f[2]
      postgres.insert("\(f[0]).\(f[1]) \(kind) \(f[3] == "NO" ? "not null" : "null")")
    }
    for line in try psql(
      database.url,
      """
      SELECT c.conrelid::regclass, a.attname, c.confrelid::regclass FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.contype = 'f'
      """
    ).split(separator: "\n") {
      let f = line.split(separator: "\t").map(String.init)
      postgres.insert("\(f[0]).\(f[1]) -> \(f[2])")
    }
    #expect(sqlite.count > 250)
    #expect(sqlite.subtracting(postgres).sorted() == [], "in schema.sql only")
    #expect(postgres.subtracting(sqlite).sorted() == [], "in schema-postgres.sql only")
    // The same CHECKs refuse the same impossible values.
    #expect(throws: TestFailure.self) {
      try psql(database.url, "UPDATE region SET abolished_on = '2021/03' WHERE code = '110000'")
    }
    #expect(throws: TestFailure.self) {
      try psql(database.url, "UPDATE audit SET at = at, after = '{not json' WHERE id = 1")
    }
    #expect(throws: TestFailure.self) {
      try psql(database.url, "INSERT INTO region_set VALUES ('jjj', 'x', 'x', '2021-02-30', NULL, 'x', NULL)")
    }
    // init on both loaded the same reference data.
    let onSQLite = try scratch.run(["init", "--format", "json"]).stdout
    let onPostgres = try scratch.run(["init", "--format", "json", "--db", database.url]).stdout
    #expect(
      onSQLite.replacingOccurrences(of: scratch.db, with: "X")
        == onPostgres.replacingOccurrences(of: database.url, with: "X"))
  }
}

extension PostgresCLITests {
  /// Reads every kind of listing and record answers; the same on both engines, byte for byte.
  static let readCommands: [[String]] = [
    ["enterprise", "list"], ["enterprise", "list", "--region", "42", "--name", "化工"],
    ["enterprise", "list", "--sort", "name", "--limit", "7", "--offset", "3"],
    ["enterprise", "list", "--format", "json"],
    ["enterprise", "show", "91350100M000100Y43"], ["enterprise", "history", "91350100M000100Y43"],
    ["enterprise", "export", "--format", "csv"], ["permit", "list"], ["permit", "expiring", "--within", "90"],
    ["permit", "changes", "--since", "2026-01-01"], ["fine", "list"], ["fine", "overdue"],
    ["fine", "show", "宜环罚〔2026〕88号"], ["retrofit", "list"], ["retrofit", "check", "1"], ["ledger", "list"],
    ["ledger", "list", "--overdue"], ["lists", "members", "--list", "inspection-exemption"],
    ["lists", "review", "--list", "inspection-exemption"], ["due", "--within", "60"], ["due", "--format", "json"],
    ["eligibility", "91350100M000100Y43", "--list", "inspection-exemption"],
    ["policy", "show", "--region", "420102"], ["user", "list"], ["audit", "log", "--limit", "12"],
    ["audit", "log", "91350100M000100Y43"],
  ]

  @Test(
    "A schema-5 or schema-6 PostgreSQL registry is upgraded to 7 when opened: the same columns and checks as a new one",
    arguments: [5, 6])
  func upgradeFromShippedVersion(_ version: Int) throws {
    let scratch = try Scratch()
    let old = try PostgresDatabase(), fresh = try PostgresDatabase()
    let shipped = try String(
      contentsOf: repositoryRoot.appendingPathComponent(
        "Tests/RegistryStoreTests/Fixtures/schema-postgres-v\(version).sql"),
      encoding: .utf8)
    try psql(old.url, shipped)
    #expect(try psql(old.url, "SELECT version FROM envreg_schema") == "\(version)\n")
    // Any command opens the registry, and opening upgrades it (under the advisory lock).
    let listed = try scratch.run(["project", "list", "--db", old.url])
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(try psql(old.url, "SELECT version FROM envreg_schema") == "7\n")
    #expect(try scratch.run(["init", "--db", fresh.url]).status == 0)
    let shape = """
      SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY 1
      """
    #expect(try psql(old.url, shape) == (try psql(fresh.url, shape)))
    let checks = """
      SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace ORDER BY 1
      """
    #expect(try psql(old.url, checks) == (try psql(fresh.url, checks)))
    // Step 6 adds the draw's parameters (a schema-6 file holds none: init writes them), step 7 the clock's.
    if version == 5 {
      #expect(try psql(old.url, "SELECT count(*) FROM policy_parameter WHERE key LIKE 'rd.%'") == "6\n")
    }
    #expect(try psql(old.url, "SELECT count(*) FROM policy_parameter WHERE key LIKE 'ea.%'") == "3\n")
  }

  @Test("envreg copy: SQLite → PostgreSQL → SQLite keeps every row and the audit chain; every listing the same")
  func copyAndSameAnswers() throws {
    let scratch = try Scratch()
    #expect(try scratch.run(["demo", "--dir", "demo", "--as-of", "2026-11-29"]).status == 0)
    let sqlite = scratch.path + "/demo/demo.sqlite"
    let database = try PostgresDatabase()
    let copied = try scratch.run(["copy", "--from", sqlite, "--to", database.url, "--format", "json"])
    #expect(copied.status == 0, "\(copied.stderr)")
    #expect(copied.stdout.contains("\"verified\": true"), "\(copied.stdout)")
    for command in PostgresCLITests.readCommands {
      let onSQLite = try scratch.run(command + ["--db", sqlite, "--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(command + ["--db", database.url, "--as-of", "2026-11-29"])
      #expect(onSQLite.status == onPostgres.status && onSQLite.stderr == onPostgres.stderr, "\(command)")
      #expect([0, 3].contains(onSQLite.status), "\(command): \(onSQLite.stderr)")
      #expect(onSQLite.stdout == onPostgres.stdout, "\(command.joined(separator: " ")) differs")
    }
    // A target that exists is refused and left alone; so is a PostgreSQL database that holds a registry.
    let again = try scratch.run(["copy", "--from", sqlite, "--to", database.url])
    #expect(again.status != 0 && again.stderr.contains("already holds a registry"), "\(again.stderr)")
    #expect(try scratch.run(["copy", "--from", database.url, "--to", sqlite]).status != 0)
    // And back: a new file, verified, whose chain extends the PostgreSQL one.
    let back = scratch.path + "/back.sqlite"
    #expect(try scratch.run(["copy", "--from", database.url, "--to", back]).status == 0)
    let verify = try scratch.run(["audit", "verify", "--db", back])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(
      try scratch.run(["enterprise", "list", "--db", back]).stdout
        == scratch.run(["enterprise", "list", "--db", sqlite]).stdout)
    // envreg backup of a PostgreSQL registry: a new owner-only SQLite file, verified.
    let backup = scratch.path + "/backup.sqlite"
    #expect(try scratch.run(["backup", backup, "--db", database.url]).status == 0)
    #expect(try scratch.run(["audit", "verify", "--db", backup]).status == 0)
    #expect(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int == 0o600)
    #expect(try scratch.run(["backup", backup, "--db", database.url]).status != 0, "never over an existing file")
    let log = try scratch.run(["audit", "log", "--db", back, "--format", "csv"]).stdout
    #expect(log.components(separatedBy: "registry.copy").count == 3, "two copies, two audit rows")
  }

  @Test("Writes on PostgreSQL: the same answers and refusals as on SQLite, each audited; verify intact")
  func writesOnBothEngines() throws {
    let scratch = try Scratch()
    #expect(try scratch.run(["demo", "--dir", "demo", "--as-of", "2026-11-29"]).status == 0)
    let sqlite = scratch.path + "/demo/demo.sqlite"
    let database = try PostgresDatabase()
    #expect(try scratch.run(["copy", "--from", sqlite, "--to", database.url]).status == 0)
    let writes: [[String]] = [
      [
        "enterprise", "add", "91350100M000100Y43", "--name", "重复登记", "--region", "350102", "--industry", "3985",
      ],
      [
        "enterprise", "add", "91420100MA4L0HXK2L", "--name", "武汉江城环保材料有限公司", "--region", "420102",
        "--industry", "2614", "--registered-on", "2020-05-06",
      ],
      ["enterprise", "update", "91420100MA4L0HXK2L", "--legal-rep", "李明", "--effective", "2026-10-01"],
      ["lists", "admit", "91350100M000100Y43", "--list", "inspection-exemption", "--on", "2026-11-29"],
      [
        "lists", "revoke", "91350100M000100Y43", "--list", "inspection-exemption", "--on", "2026-11-29", "--reason",
        "测试",
      ],
      ["fine", "pay", "宜环罚〔2026〕88号", "--amount", "1000", "--on", "2026-11-20"],
      ["fine", "pay", "宜环罚〔2026〕88号", "--amount", "99999999", "--on", "2026-11-21"],
      ["ledger", "progress", "2", "--to", "整改中", "--on", "2026-11-20", "--note", "已制定方案"],
      ["ledger", "progress", "36", "--to", "整改中", "--on", "2026-11-20", "--note", "已制定方案"],
      ["ledger", "reopen", "2", "--on", "2026-11-21", "--reason", "复查发现问题"],
      [
        "policy", "set", "ex.k1.years", "2", "--jurisdiction", "42", "--from", "2021-01-01", "--reference",
        "鄂环发〔2020〕19号",
      ],
      ["enterprise", "deregister", "91420100MA4L0HXK2L", "--on", "2026-11-25", "--reason", "注销"],
    ]
    for command in writes {
      let onSQLite = try scratch.run(command + ["--db", sqlite, "--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(command + ["--db", database.url, "--as-of", "2026-11-29"])
      #expect(onSQLite.status == onPostgres.status, "\(command): \(onSQLite.stderr) | \(onPostgres.stderr)")
      #expect(onSQLite.stdout == onPostgres.stdout, "\(command.joined(separator: " ")) differs")
      #expect(onSQLite.stderr == onPostgres.stderr, "\(command.joined(separator: " ")) says different things")
    }
    for command in PostgresCLITests.readCommands {
      let onSQLite = try scratch.run(command + ["--db", sqlite, "--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(command + ["--db", database.url, "--as-of", "2026-11-29"])
      if command.first == "audit" || command.first == "user" { continue }  // timestamps and hashes differ
      #expect(onSQLite.stdout == onPostgres.stdout, "after the writes, \(command.joined(separator: " ")) differs")
    }
    // An account (its generated password differs from run to run, so it is not compared).
    #expect(
      try scratch.run(["user", "add", "yichang-officer", "--role", "officer", "--region", "4205", "--db", database.url])
        .status == 0)
    #expect(try scratch.run(["user", "list", "--db", database.url]).stdout.contains("yichang-officer"))
    let verify = try scratch.run(["audit", "verify", "--db", database.url])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    let actions = try psql(database.url, "SELECT action FROM audit WHERE actor = 'cli-test' ORDER BY id")
    #expect(
      actions.split(separator: "\n") == [
        "registry.copy", "enterprise.add", "enterprise.update", "lists.revoke", "fine.pay", "ledger.transition",
        "ledger.reopen", "policy.set", "enterprise.deregister", "user.add",
      ], "\(actions)")
  }

  @Test("Concurrent writers in separate processes extend one audit chain: no fork, nothing lost")
  func concurrentWritersKeepOneChain() throws {
    let scratch = try Scratch()
    let database = try PostgresDatabase()
    #expect(try scratch.run(["init", "--db", database.url]).status == 0)
    let provinces = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41"]
    let writers = try provinces.map { province in
      let process = scratch.process([
        "policy", "set", "ex.k1.years", "2", "--jurisdiction", province, "--from", "2021-01-01", "--reference",
        "测试〔2026〕\(province)号", "--db", database.url, "--actor", "writer-\(province)",
      ])
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    for writer in writers { writer.waitUntilExit() }
    #expect(writers.allSatisfy { $0.terminationStatus == 0 })
    let verify = try scratch.run(["audit", "verify", "--db", database.url])
    #expect(verify.status == 0, "\(verify.stdout)")
    let count = { (sql: String) in try psql(database.url, sql).trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(try count("SELECT count(*) FROM audit") == "\(provinces.count + 1)")
    #expect(try count("SELECT count(DISTINCT prev_hash) FROM audit") == "\(provinces.count + 1)", "a fork")
    #expect(try count("SELECT count(*) FROM policy_parameter WHERE reference LIKE '测试%'") == "\(provinces.count)")
  }
}

extension PostgresCLITests {
  @Test("Credentials from the URL, PGPASSWORD or an owner-only ~/.pgpass; a password is never printed")
  func credentials() throws {
    let scratch = try Scratch()
    let database = try PostgresDatabase()
    let secret = "Geheim-\(UUID().uuidString.prefix(8))"
    try psql(
      database.server,
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'envreg_pw') THEN CREATE ROLE envreg_pw LOGIN; "
        + "END IF; END $$")
    try psql(database.server, "ALTER ROLE envreg_pw PASSWORD '\(secret)'")
    let name = String(database.url.split(separator: "/").last ?? "")
    try psql(database.server, "ALTER DATABASE \(name) OWNER TO envreg_pw")
    try psql(database.url, "ALTER SCHEMA public OWNER TO envreg_pw")
    let hostPort = database.url.split(separator: "@").last.map { String($0.split(separator: "/")[0]) } ?? ""
    let plain = "postgres://envreg_pw@\(hostPort)/\(name)"
    let withPassword = "postgres://envreg_pw:\(secret)@\(hostPort)/\(name)"
    let home = ["HOME": scratch.path, "PGPASSWORD": ""]
    // In the URL: works, and the password appears nowhere in the output.
    let initialised = try scratch.run(["init", "--db", withPassword], environment: home)
    #expect(initialised.status == 0, "\(initialised.stderr)")
    #expect(!(initialised.stdout + initialised.stderr).contains(secret))
    #expect(initialised.stdout.contains("postgres://envreg_pw:***@\(hostPort)/\(name)"))
    // From PGPASSWORD.
    let listed = try scratch.run(["enterprise", "list", "--db", plain], environment: ["PGPASSWORD": secret])
    #expect(listed.status == 0, "\(listed.stderr)")
    // From ~/.pgpass, only when its owner alone may read it (as libpq).
    let passfile = scratch.path + "/.pgpass"
    try "# host:port:database:user:password\n*:*:\(name):envreg_pw:\(secret)\n".write(
      toFile: passfile, atomically: true, encoding: .utf8)
    chmod(passfile, 0o644)
    let open = try scratch.run(["enterprise", "list", "--db", plain], environment: home)
    #expect(open.status != 0 && open.stderr.contains("password"), "\(open.stderr)")
    chmod(passfile, 0o600)
    #expect(try scratch.run(["enterprise", "list", "--db", plain], environment: home).status == 0)
    // A wrong password: refused, the message names the registry and shows no password.
    let wrong = "postgres://envreg_pw:Wrong-\(secret)@\(hostPort)/\(name)"
    let refused = try scratch.run(["enterprise", "list", "--db", wrong], environment: home)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains(plain) && refused.stderr.contains("refused the sign-in"), "\(refused.stderr)")
    #expect(!refused.stderr.contains(secret))
  }
}

extension PostgresCLITests {
  @Test("enterprise import on PostgreSQL (COPY into staging, one INSERT … SELECT): the same counts, refusals and firms")
  func enterpriseImportOnBothEngines() throws {
    let scratch = try Scratch()
    let database = try PostgresDatabase()
    #expect(try scratch.run("init").status == 0)
    #expect(try scratch.run(["init", "--db", database.url]).status == 0)
    let moved = scratch.path + "/moved.csv"
    // Known firms changed by a file: one moves within Fujian, one gets a new name.
    try """
    credit_code,name,region_code,industry_code,registered_on
    91350100M000100Y43,福州闽江电子材料有限公司,350104,3985,2019-04-01
    """.write(toFile: moved, atomically: true, encoding: .utf8)
    let steps: [[String]] = [
      ["enterprise", "import", sample("enterprises.csv")],
      ["enterprise", "import", sample("enterprises.csv")],
      ["enterprise", "import", sample("enterprises-bad.csv")],
      ["enterprise", "import", sample("enterprises-hubei.xlsx")],
      ["enterprise", "import", sample("enterprises-gb18030.csv")],
      ["enterprise", "import", moved, "--effective", "2026-10-01"],
      ["enterprise", "import", sample("enterprises-bad.csv"), "--skip-invalid", "rejects-DB.csv"],
    ]
    for step in steps {
      let onSQLite = try scratch.run(
        step.map { $0.replacingOccurrences(of: "DB", with: "sqlite") } + ["--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(
        step.map { $0.replacingOccurrences(of: "DB", with: "postgres") } + [
          "--db", database.url, "--as-of", "2026-11-29",
        ])
      #expect(onSQLite.status == onPostgres.status, "\(step)")
      #expect(
        onSQLite.stdout.replacing(/audit_id +[0-9]+/, with: "")
          == onPostgres.stdout.replacing(/audit_id +[0-9]+/, with: ""),
        "\(step)")
      #expect(
        onSQLite.stderr.replacingOccurrences(of: "sqlite", with: "DB")
          == onPostgres.stderr.replacingOccurrences(of: "postgres", with: "DB"), "\(step)")
    }
    let rejects = try String(contentsOfFile: scratch.path + "/rejects-sqlite.csv", encoding: .utf8)
    #expect(rejects == (try String(contentsOfFile: scratch.path + "/rejects-postgres.csv", encoding: .utf8)))
    for command in [
      ["enterprise", "list", "--limit", "0"], ["enterprise", "export", "--format", "csv"],
      ["enterprise", "list", "--name", "化工", "--sort", "name"],
    ] {
      #expect(try scratch.run(command).stdout == scratch.run(command + ["--db", database.url]).stdout, "\(command)")
    }
    // The move is history on both: one region_code row, effective 2026-10-01.
    let history = try scratch.run(["enterprise", "history", "91350100M000100Y43", "--db", database.url]).stdout
    #expect(
      history.contains("region_code") && history.contains("350104") && history.contains("2026-10-01"), "\(history)")
    #expect(try scratch.run(["audit", "verify", "--db", database.url]).status == 0)
    // Every other kind: the same importer (RecordImports) on either engine's transactions.
    for step in [
      ["designation", "import", sample("designations.csv")], ["incident", "import", sample("incidents.csv")],
      ["permit", "import", sample("permits.csv")], ["fine", "import", sample("fines.csv")],
      ["retrofit", "import", sample("retrofits.csv")],
      ["retrofit", "import", sample("measurements.csv"), "--measurements"],
      ["ledger", "import", sample("ledger.csv")], ["permit", "import", sample("permits.csv")],
    ] {
      let onSQLite = try scratch.run(step + ["--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(step + ["--db", database.url, "--as-of", "2026-11-29"])
      #expect(onSQLite.status == 0 && onPostgres.status == 0, "\(step): \(onSQLite.stderr) | \(onPostgres.stderr)")
      #expect(
        onSQLite.stdout.replacing(/audit_id +[0-9]+/, with: "")
          == onPostgres.stdout.replacing(/audit_id +[0-9]+/, with: ""),
        "\(step)")
    }
    // (Audit rows, accounts and a firm's history carry the times they were written: not compared.)
    for command in PostgresCLITests.readCommands
    where !["audit", "user"].contains(command[0]) && !["show", "history"].contains(command[1]) {
      let onSQLite = try scratch.run(command + ["--as-of", "2026-11-29"])
      let onPostgres = try scratch.run(command + ["--db", database.url, "--as-of", "2026-11-29"])
      #expect(onSQLite.stdout == onPostgres.stdout, "after the imports, \(command.joined(separator: " ")) differs")
    }
    #expect(try scratch.run(["audit", "verify", "--db", database.url]).status == 0)
  }
}

/// The streaming replica `.ci/run` starts beside the test cluster (`.ci/postgres replica`).
let postgresReplica = ProcessInfo.processInfo.environment["ENVREG_TEST_POSTGRES_REPLICA"]

@Suite("Deployment: a PostgreSQL primary with a streaming replica", .enabled(if: postgresReplica != nil || inCI))
struct PostgresReplicaTests {
  @Test("Reads from the replica see what the primary committed; a write to the replica is refused")
  func replicaReadsCommittedWrites() throws {
    guard let replicaServer = postgresReplica else {
      throw TestFailure("ENVREG_TEST_POSTGRES_REPLICA is not set: start one with 'bash .ci/postgres replica'")
    }
    let scratch = try Scratch()
    let database = try PostgresDatabase()
    let name = String(database.url.split(separator: "/").last ?? "")
    let replica = String(replicaServer[..<(replicaServer.lastIndex(of: "/") ?? replicaServer.endIndex)]) + "/" + name
    #expect(try scratch.run(["init", "--db", database.url]).status == 0)
    #expect(try scratch.run(["enterprise", "import", sample("enterprises.csv"), "--db", database.url]).status == 0)
    /// Polls the replica until `check` holds (streaming replication lags by milliseconds).
    func eventually(_ check: () throws -> Bool) throws -> Bool {
      for _ in 0..<100 {
        if (try? check()) == true { return true }
        usleep(100_000)
      }
      return try check()
    }
    let listing = try scratch.run(["enterprise", "list", "--db", database.url]).stdout
    #expect(try eventually { try scratch.run(["enterprise", "list", "--db", replica]).stdout == listing })
    let code = "91420100MA4L0HXK2L"
    let added = try scratch.run([
      "enterprise", "add", code, "--name", "武汉江城环保材料有限公司", "--region", "420102", "--industry", "2614",
      "--db", database.url,
    ])
    #expect(added.status == 0, "\(added.stderr)")
    #expect(try eventually { try scratch.run(["enterprise", "show", code, "--db", replica]).status == 0 })
    #expect(try scratch.run(["audit", "verify", "--db", replica]).status == 0)
    let refused = try scratch.run([
      "policy", "set", "ex.k1.years", "2", "--jurisdiction", "42", "--from", "2021-01-01",
      "--reference", "鄂环发〔2020〕19号", "--db", replica,
    ])
    #expect(refused.status != 0 && refused.stderr.contains("read-only"), "\(refused.stderr)")
  }
}

extension PostgresCLITests {
  @Test(
    "PostgreSQL: an import killed mid-way leaves nothing visible, the chain intact; the next import abandons the run")
  func killDuringImport() throws {
    let scratch = try Scratch()
    let database = try PostgresDatabase()
    #expect(try scratch.run(["init", "--db", database.url]).status == 0)
    let firms = try CrashTests.firms(60_000, in: scratch)
    // Killed once the copy has begun (some firms staged, invisible), which the test watches for.
    let importing = try scratch.start(["enterprise", "import", firms, "--db", database.url])
    var staged = "0"
    for _ in 0..<1_200 where staged == "0" && importing.isRunning {
      Thread.sleep(forTimeInterval: 0.05)
      staged = try psql(database.url, "SELECT count(*) FROM enterprise WHERE pending IS NOT NULL")
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    kill(importing.processIdentifier, SIGKILL)
    importing.waitUntilExit()
    #expect(staged != "0", "the copy never began")
    let visible = try psql(
      database.url,
      "SELECT count(*) FROM enterprise WHERE pending IS NULL OR pending IN "
        + "(SELECT id FROM import_run WHERE state = 'done')"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(visible == "0" || visible == "60000", "after the kill: \(visible) firms visible")
    #expect(try scratch.run(["audit", "verify", "--db", database.url]).status == 0)
    // The next import finds the dead run (its session's lock is free once PostgreSQL has ended the
    // killed client's backend, which finishes the statement it was running first) and removes what
    // it staged.
    for _ in 0..<200 {
      let others = try psql(
        database.url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
      if others.trimmingCharacters(in: .whitespacesAndNewlines) == "0" { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(try scratch.run(["enterprise", "import", sample("enterprises.csv"), "--db", database.url]).status == 0)
    let left = try psql(
      database.url,
      """
      SELECT (SELECT count(*) FROM import_run WHERE state = 'staging'),
        (SELECT count(*) FROM enterprise WHERE pending IN (SELECT id FROM import_run WHERE state <> 'done')),
        (SELECT count(*) FROM import_run WHERE state = 'abandoned') = (SELECT count(*) FROM audit
          WHERE action = 'enterprise.import.abandon')
      """)
    #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "0\t0\tt", "\(left)")
    #expect(try scratch.run(["audit", "verify", "--db", database.url]).status == 0)
  }
}
