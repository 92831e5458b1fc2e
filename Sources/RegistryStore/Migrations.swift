import GRDB
import RegistryCore
import RegistryService

/// Schema upgrades. Each step turns version N-1 into version N as `schema.sql` defines it: a table
/// whose definition changed is rebuilt from the very statement in `schema.sql` (so an upgraded
/// registry and a new one have the same schema), keeping every row and every value it held.
enum Migrations {
  /// The steps, keyed by the version they produce. A step that shipped is never edited.
  static let steps: [Int: @Sendable (Database) throws -> Void] = [
    2: toVersion2, 3: toVersion3, 4: toVersion4, 5: toVersion5, 6: toVersion6, 7: toVersion7,
  ]

  /// Version 2 (rule book 2020.2): unknown facts as NULL and the ID-7 override (enterprise), the
  /// canonical decision key (fine, ID-8), superseding arrangements (fine_arrangement), the GB/T
  /// 2260 history, and the national parameters added since version 1.
  static func toVersion2(_ db: Database) throws {
    // Existing values are kept as they are: a stored 0 or 'none' was supplied by someone.
    try rebuild(db, table: "enterprise", fill: ["code_override": "NULL"])
    try rebuild(db, table: "fine", fill: ["decision_key": "'#' || id"])
    try rebuild(db, table: "fine_arrangement", fill: ["supersede_reason": "''"])
    try rebuild(db, table: "audit", fill: ["os_user": "NULL", "keyed": "0"])
    // ID-8 keys; two recorded spellings of one decision keep apart, the later one marked.
    for row in try Row.fetchAll(db, sql: "SELECT id, decision_number FROM fine ORDER BY id") {
      let id: Int64 = row[0]
      let printed: String = row[1]
      var key = (try? DecisionNumber.parse(printed).get().key) ?? printed
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM fine WHERE decision_key = ? AND id <> ?", arguments: [key, id])
        == true
      {
        key += " (duplicate of an earlier fine, id \(id))"
      }
      try db.execute(sql: "UPDATE fine SET decision_key = ? WHERE id = ?", arguments: [key, id])
    }
    try db.execute(sql: try statement(in: Embedded.schema, creating: "region_history"))
    try ReferenceData.loadHistory(into: db)
    try createMissingIndexes(db)
    try db.execute(sql: "PRAGMA application_id = \(Store.applicationID)")
    for parameter in PolicyBook.national.parameters {
      try db.execute(
        sql:
          """
          INSERT OR IGNORE INTO policy_parameter (key, jurisdiction, effective_from, effective_to, value, reference)
          VALUES (?, 'national', ?, ?, ?, ?)
          """,
        arguments: [
          parameter.key, parameter.effectiveFrom.description, parameter.effectiveTo?.description, parameter.value.json,
          parameter.reference,
        ])
    }
  }

  /// Version 3: enterprise imports staged outside the write lock (`import_run`, `enterprise.pending`)
  /// and a `seal` on every table but `audit` (Seals.swift), every existing row sealed under the key
  /// in use. The upgrade vouches for the rows as they are: verify the registry before upgrading.
  static func toVersion3(_ db: Database) throws {
    func has(_ table: String, _ column: String) throws -> Bool {
      try Bool.fetchOne(db, sql: "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", arguments: [table, column])
        == true
    }
    if try !(Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_schema WHERE name = 'import_run'") ?? false) {
      try db.execute(sql: try statement(in: Embedded.schema, creating: "import_run"))
    }
    // Tables rebuilt by step 2 from today's schema.sql already have these columns.
    if try !has("enterprise", "pending") {
      try db.execute(sql: "ALTER TABLE enterprise ADD COLUMN pending INTEGER REFERENCES import_run (id)")
    }
    let tables = try String.fetchAll(
      db,
      sql:
        """
        SELECT name
        FROM pragma_table_list
        WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit'
        """
    )
    for table in tables where try !has(table, "seal") {
      try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN seal TEXT")
    }
    try createMissingIndexes(db)
    try Seals.sealAll(db)
  }

  /// Version 4 (national scale): the industry index carries the region (industry with region in one
  /// index range), names are indexed for search (NameIndex.swift), and the planner's statistics are
  /// gathered.
  static func toVersion4(_ db: Database) throws {
    try db.execute(sql: "DROP INDEX IF EXISTS enterprise_industry")
    try createMissingIndexes(db)
    try db.execute(sql: try statement(in: Embedded.schema, creating: NameIndex.table, kind: "VIRTUAL TABLE"))
    try NameIndex.rebuild(db)
    try Store.analyze(db)
  }

  /// Version 5 (the served registry): accounts and API tokens.
  static func toVersion5(_ db: Database) throws {
    for table in ["account", "api_token"] {
      try db.execute(sql: try statement(in: Embedded.schema, creating: table))
    }
    try createMissingIndexes(db)
  }

  /// Version 6 (RULES §9, §10): the 双随机 roster, draws, picks and results as the draw commands
  /// keep them (the version-1 draft tables, never written by any command, are replaced), weather
  /// alerts, the 保障类 designation kind (designation rebuilt), and the draw's national parameters.
  static func toVersion6(_ db: Database) throws {
    for table in ["draw_pick", "inspection_draw", "inspector_conflict", "inspector"] {
      let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
      guard rows == 0 else {
        throw RegistryError.database(
          "\(table) holds \(rows) row(s) no envreg command wrote; nothing was changed (upgrade to schema 6)")
      }
      try db.execute(sql: "DROP TABLE \(table)")
    }
    for table in [
      "inspector", "inspector_conflict", "inspection_draw", "draw_pick", "inspection_result", "emission_baseline",
      "weather_alert",
    ] {
      try db.execute(sql: try statement(in: Embedded.schema, creating: table))
    }
    try rebuild(db, table: "designation", fill: [:])
    try createMissingIndexes(db)
    try insertNationalParameters(db, prefixes: ["rd.", "hw."])
  }

  /// Version 7 (RULES §11): construction projects, their versions, ledger entries and approval
  /// events, and the approval clock's national parameters.
  static func toVersion7(_ db: Database) throws {
    for table in ["project", "project_version", "project_listing", "approval_event"] {
      try db.execute(sql: try statement(in: Embedded.schema, creating: table))
    }
    try createMissingIndexes(db)
    try insertNationalParameters(db, prefixes: ["ea."])
  }

  /// The national parameters whose keys start with one of `prefixes`, where the registry lacks
  /// them, sealed.
  static func insertNationalParameters(_ db: Database, prefixes: [String]) throws {
    for parameter in PolicyBook.national.parameters where prefixes.contains(where: parameter.key.hasPrefix) {
      try db.execute(
        sql:
          """
          INSERT OR IGNORE INTO policy_parameter (key, jurisdiction, effective_from, effective_to, value, reference)
          VALUES (?, 'national', ?, ?, ?, ?)
          """,
        arguments: [
          parameter.key, parameter.effectiveFrom.description, parameter.effectiveTo?.description, parameter.value.json,
          parameter.reference,
        ])
    }
    try Seals.sealUnsealed(db, table: "policy_parameter")
  }

  /// Rebuilds `table` from its statement in `schema.sql`: the old table is renamed aside (child
  /// foreign keys keep naming `table`, `legacy_alter_table`), the new one created, the shared
  /// columns copied, new columns filled from `fill` (SQL expressions over the old row), the old
  /// table dropped and the table's indexes created again. Runs with foreign keys off (the caller).
  static func rebuild(_ db: Database, table: String, fill: [String: String]) throws {
    let old = table + "_previous"
    try db.execute(sql: "ALTER TABLE \(table) RENAME TO \(old)")
    try db.execute(sql: try statement(in: Embedded.schema, creating: table))
    let oldColumns = Set(
      try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [old]).map { $0[0] as String })
    let newColumns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
      .map { $0[0] as String }
    let copied = newColumns.filter { oldColumns.contains($0) || fill[$0] != nil }
    let sources = copied.map { oldColumns.contains($0) ? $0 : (fill[$0] ?? "NULL") }
    try db.execute(
      sql:
        "INSERT INTO \(table) (\(copied.joined(separator: ", "))) SELECT \(sources.joined(separator: ", ")) FROM \(old)"
    )
    try db.execute(sql: "DROP TABLE \(old)")
    for index in indexStatements(in: Embedded.schema, on: table) { try db.execute(sql: index) }
  }

  /// Creates every index of `schema.sql` the file does not have yet, on the tables it has (a
  /// later step creates a newer table with its indexes).
  static func createMissingIndexes(_ db: Database) throws {
    let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index'"))
    let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'"))
    for line in Embedded.schema.split(separator: "\n") where line.hasPrefix("CREATE INDEX ") {
      let name = line.dropFirst("CREATE INDEX ".count).prefix { $0 != " " }
      guard let on = line.range(of: " ON ") else { continue }
      let table = line[on.upperBound...].prefix { $0 != " " }
      if !present.contains(String(name)), tables.contains(String(table)) { try db.execute(sql: String(line)) }
    }
  }

  /// `CREATE TABLE name (...) ...;` (or another `kind`) as `schema.sql` writes it.
  static func statement(in schema: String, creating table: String, kind: String = "TABLE") throws -> String {
    guard let start = schema.range(of: "CREATE \(kind) \(table) "),
      let end = schema[start.upperBound...].range(of: ";\n")
    else {
      throw RegistryError.database("schema.sql has no table \(table)")
    }
    return String(schema[start.lowerBound..<end.lowerBound])
  }

  /// Every `CREATE INDEX ... ON table (...)` line of `schema.sql`.
  static func indexStatements(in schema: String, on table: String) -> [String] {
    schema.split(separator: "\n").filter { $0.hasPrefix("CREATE INDEX ") && $0.contains(" ON \(table) (") }.map(
      String.init)
  }
}
