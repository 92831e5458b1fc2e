import Foundation
import GRDB
import RegistryCore
import RegistryService
import Testing

@testable import RegistryStore

@Suite("Migrations: an upgraded registry equals a new one and keeps every value")
struct MigrationTests {
  /// A registry as version 1 wrote it (the shipped schema, kept in Fixtures/), with rows in the
  /// tables version 2 rebuilds.
  func versionOneRegistry(_ path: String) throws {
    let schema = try MigrationTests.shippedSchema(version: 1)
    var config = Configuration()
    config.foreignKeysEnabled = false
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.write { db in
      try db.execute(sql: schema)
      try db.execute(sql: "INSERT INTO region (code, name, level) VALUES ('420102', '江岸区', 'county')")
      try db.execute(sql: "INSERT INTO industry (code, name, level) VALUES ('3985', '电子专用材料制造', 'class')")
      // A chained row as version 1 hashed it (no OS user), so the upgraded registry verifies.
      let hash = AuditEntry.chainHash(
        id: 1, at: "2026-01-01T00:00:00Z", actor: "v1", action: "registry.init", entityType: "registry",
        entityKey: "schema", before: nil, after: nil, prevHash: AuditEntry.genesis)
      try db.execute(
        sql:
          """
          INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
          VALUES (1, '2026-01-01T00:00:00Z', 'v1', 'registry.init', 'registry', 'schema', ?, ?)
          """,
        arguments: [AuditEntry.genesis, hash])
      try db.execute(
        sql: """
          INSERT INTO enterprise (id, credit_code, name, region_code, industry_code, key_discharge_unit, permit_class, online_monitoring, registered_on, created_audit_id, updated_audit_id)
          VALUES (1, '91350100M000100Y43', '旧企业', '420102', '3985', 0, 'none', 'none', '2020-01-01', 1, 1)
          """)
      try db.execute(
        sql:
          """
          INSERT INTO fine (id, decision_number, enterprise_id, amount_fen, decided_on, received_on, law_version,
          audit_id)
          VALUES (1, '冀环罚[2021]12号', 1, 100, '2021-08-01', '2021-08-02', '2021', 1)
          """
      )
      try db.execute(
        sql:
          """
          INSERT INTO fine (id, decision_number, enterprise_id, amount_fen, decided_on, received_on, law_version,
          audit_id)
          VALUES (2, '冀环罚〔2021〕12号', 1, 100, '2021-08-01', '2021-08-02', '2021', 1)
          """
      )
      try db.execute(
        sql:
          """
          INSERT INTO fine_arrangement (fine_id, kind, applied_on, reason, approver, approved_on, new_due_on,
          audit_id)
          VALUES (1, 'deferral', '2021-08-10', 'r', 'a', '2021-08-12', '2021-10-01', 1)
          """
      )
    }
  }

  /// The schema a shipped version wrote (kept in Fixtures/).
  static func shippedSchema(version: Int) throws -> String {
    try String(
      contentsOf: repositoryRoot.appendingPathComponent("Tests/RegistryStoreTests/Fixtures/schema-v\(version).sql"),
      encoding: .utf8)
  }

  static func shape(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      var lines: [String] = []
      for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") {
        for column in try Row.fetchAll(
          db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
          arguments: [table])
        {
          lines.append(
            "\(table).\(column[0] as String) \(column[1] as String) notnull=\(column[2] as Int) default=\(column[3] as String? ?? "-") pk=\(column[4] as Int)"
          )
        }
      }
      lines += try String.fetchAll(
        db,
        sql:
          """
          SELECT type || ' ' || name || ' ' || tbl_name
          FROM sqlite_schema
          WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'
          ORDER BY name
          """
      )
      return lines
    }
  }

  @Test(
    "Version 1 → 3: same tables, columns and indexes as schema.sql; values kept (a stored 0 or 'none' stays); ID-8 keys; foreign keys intact; every row sealed and verify intact"
  )
  func versionOneToTwo() throws {
    let fresh = try TempRegistry()
    let path = fresh.directory + "/v1.sqlite"
    try versionOneRegistry(path)
    let store = try Store(path: path)
    let upgraded = try MigrationTests.shape(path), created = try MigrationTests.shape(fresh.path)
    #expect(upgraded == created)
    #expect(try fresh.sql("PRAGMA user_version") as Int? == Store.schemaVersion)
    let migrated = try DatabaseQueue(path: path)
    try migrated.read { (db: Database) throws -> Void in
      #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == Store.schemaVersion)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM enterprise WHERE seal IS NULL") == 0)
      #expect(try Int.fetchOne(db, sql: "SELECT key_discharge_unit FROM enterprise") == 0)
      #expect(try String.fetchOne(db, sql: "SELECT permit_class FROM enterprise") == "none")
      #expect(
        try String.fetchAll(db, sql: "SELECT decision_key FROM fine ORDER BY id") == [
          "冀环罚〔2021〕12号", "冀环罚〔2021〕12号 (duplicate of an earlier fine, id 2)",
        ])
      #expect(try String.fetchOne(db, sql: "SELECT supersede_reason FROM fine_arrangement") == "")
      #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM region_history") == 7_292)
      #expect(
        try Int.fetchOne(db, sql: "SELECT count(*) FROM policy_parameter WHERE key = 'rg.renewal_window.days'") == 1)
    }
    let verification = try store.verifyAudit()
    #expect(verification.isIntact, "\(verification.problems)")
    // The upgraded registry works: the old fine is found by another spelling of its number.
    #expect(try store.fine("冀环罚（2021）12号").fine.decisionNumber == "冀环罚[2021]12号")
  }

  @Test(
    "Version 2 (shipped) → 3: same tables, columns and indexes as schema.sql; rows sealed, the import tables added, verify intact"
  )
  func versionTwoToThree() throws {
    let fresh = try TempRegistry()
    let path = fresh.directory + "/v2.sqlite"
    let schema = try MigrationTests.shippedSchema(version: 2)
    var config = Configuration()
    config.foreignKeysEnabled = false
    try DatabaseQueue(path: path, configuration: config).write { db in
      try db.execute(sql: schema)
      try db.execute(sql: "INSERT INTO region (code, name, level) VALUES ('420102', '江岸区', 'county')")
      try db.execute(sql: "INSERT INTO industry (code, name, level) VALUES ('3985', '电子专用材料制造', 'class')")
      // A chained row as version 2 hashed it (with the OS user).
      let hash = AuditEntry.chainHash(
        id: 1, at: "2026-11-01T00:00:00Z", actor: "v2", action: "registry.init", entityType: "registry",
        entityKey: "schema", before: nil, after: nil, prevHash: AuditEntry.genesis, osUser: "bureau")
      try db.execute(
        sql:
          """
          INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash, os_user)
          VALUES (1, '2026-11-01T00:00:00Z', 'v2', 'registry.init', 'registry', 'schema', ?, ?, 'bureau')
          """,
        arguments: [AuditEntry.genesis, hash])
      try db.execute(
        sql: """
          INSERT INTO enterprise (id, credit_code, name, region_code, industry_code, registered_on, created_audit_id, updated_audit_id)
          VALUES (1, '91350100M000100Y43', '旧企业', '420102', '3985', '2020-01-01', 1, 1)
          """)
    }
    let store = try Store(path: path)
    #expect(try MigrationTests.shape(path) == MigrationTests.shape(fresh.path))
    try DatabaseQueue(path: path).read { (db: Database) throws -> Void in
      #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == Store.schemaVersion)
      #expect(try String.fetchOne(db, sql: "SELECT seal FROM enterprise")?.hasPrefix("h:") == true)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM import_run") == 0)
    }
    let verification = try store.verifyAudit()
    #expect(verification.isIntact, "\(verification.problems)")
    #expect(try store.enterprise(try #require(CreditCode("91350100M000100Y43")))?.name == "旧企业")
  }

  @Test(
    "Version 3 (shipped) → 4: same shape as schema.sql; every existing name indexed for search, the industry index carries the region, verify intact"
  )
  func versionThreeToFour() throws {
    let fresh = try TempRegistry()
    let path = fresh.directory + "/v3.sqlite"
    let schema = try MigrationTests.shippedSchema(version: 3)
    var config = Configuration()
    config.prepareDatabase { db in Seals.register(db, key: nil) }
    try DatabaseQueue(path: path, configuration: config).write { db in
      try db.execute(sql: schema)
      try Seals.installTriggers(db)  // version 3 sealed every row it wrote
      try db.execute(sql: "INSERT INTO region (code, name, level) VALUES ('420102', '江岸区', 'county')")
      try db.execute(sql: "INSERT INTO industry (code, name, level) VALUES ('2614', '有机化学原料制造', 'class')")
      try MigrationTests.insertInitAudit(db, actor: "v3")
      for (id, code, name) in [
        (1, "91350100M000100Y43", "武汉长江化工有限公司"), (2, "91420102MA4KX3XR5B", "江岸热电厂"),
      ] {
        try db.execute(
          sql: """
            INSERT INTO enterprise (id, credit_code, name, region_code, industry_code, registered_on,
              created_audit_id, updated_audit_id)
            VALUES (?, ?, ?, '420102', '2614', '2020-01-01', 1, 1)
            """,
          arguments: [id, code, name])
      }
    }
    let store = try Store(path: path)
    #expect(try MigrationTests.shape(path) == MigrationTests.shape(fresh.path))
    try DatabaseQueue(path: path).read { (db: Database) throws -> Void in
      #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == Store.schemaVersion)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE name = 'enterprise_industry'") == 0)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'enterprise'") ?? 0 > 0)
    }
    let verification = try store.verifyAudit()
    #expect(verification.isIntact, "\(verification.problems)")
    var filter = EnterpriseFilter(asOf: testDay)
    let searches: [(String, [String])] = [
      ("化工", ["武汉长江化工有限公司"]), ("热电", ["江岸热电厂"]), ("长江化", ["武汉长江化工有限公司"]), ("工热", []),
    ]
    for (fragment, expected) in searches {
      filter.nameContains = fragment
      var names: [String] = []
      try store.forEachEnterprise(filter) { names.append($0.name) }
      #expect(names == expected, "--name \(fragment)")
    }
  }

  @Test("Version 4 (shipped) → 5: the account tables added, same shape as schema.sql, verify intact")
  func versionFourToFive() throws {
    let fresh = try TempRegistry()
    let path = fresh.directory + "/v4.sqlite"
    let schema = try MigrationTests.shippedSchema(version: 4)
    var config = Configuration()
    config.prepareDatabase { db in Seals.register(db, key: nil) }
    try DatabaseQueue(path: path, configuration: config).write { db in
      try db.execute(sql: schema)
      try Seals.installTriggers(db)
      try MigrationTests.insertInitAudit(db, actor: "v4")
      try db.execute(sql: "ANALYZE")  // version 4's init gathered the planner's statistics
    }
    let store = try Store(path: path)
    let upgraded = try MigrationTests.shape(path), created = try MigrationTests.shape(fresh.path)
    #expect(upgraded == created, "\(Set(upgraded).symmetricDifference(created).sorted())")
    #expect(try store.accounts().isEmpty)
    let verification = try store.verifyAudit()
    #expect(verification.isIntact, "\(verification.problems)")
  }

  @Test(
    "Versions 5 and 6 (shipped) → 7: draws, alerts, projects as schema.sql has them, parameters added, verify intact",
    arguments: [5, 6])
  func shippedToSeven(_ version: Int) throws {
    let fresh = try TempRegistry()
    let path = fresh.directory + "/v\(version).sqlite"
    let schema = try MigrationTests.shippedSchema(version: version)
    var config = Configuration()
    config.prepareDatabase { db in Seals.register(db, key: nil) }
    try DatabaseQueue(path: path, configuration: config).write { db in
      try db.execute(sql: schema)
      try Seals.installTriggers(db)
      try MigrationTests.insertInitAudit(db, actor: "v\(version)")
      try db.execute(sql: "ANALYZE")
    }
    let store = try Store(path: path)
    let upgraded = try MigrationTests.shape(path), created = try MigrationTests.shape(fresh.path)
    #expect(upgraded == created, "\(Set(upgraded).symmetricDifference(created).sorted())")
    // The draw's (RD-2, RD-4, added by step 6) and the approval clock's (EA-3, EA-4, step 7) national
    // parameters are there.
    if version == 5 {
      #expect(try store.policyBook().lookup("rd.ratio.key", region: "420102", asOf: Day("2026-11-30")!) != nil)
    }
    #expect(try store.policyBook().lookup("ea.statutory_days.form", region: "420102", asOf: Day("2026-11-30")!) != nil)
    let verification = try store.verifyAudit()
    #expect(verification.isIntact, "\(verification.problems)")
  }

  /// The `registry.init` audit row a shipped version wrote first (os_user recorded since version 2).
  static func insertInitAudit(_ db: Database, actor: String) throws {
    let hash = AuditEntry.chainHash(
      id: 1, at: "2026-11-01T00:00:00Z", actor: actor, action: "registry.init", entityType: "registry",
      entityKey: "schema", before: nil, after: nil, prevHash: AuditEntry.genesis, osUser: "bureau")
    try db.execute(
      sql: """
        INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash, os_user)
        VALUES (1, '2026-11-01T00:00:00Z', ?, 'registry.init', 'registry', 'schema', ?, ?, 'bureau')
        """,
      arguments: [actor, AuditEntry.genesis, hash])
  }
}
