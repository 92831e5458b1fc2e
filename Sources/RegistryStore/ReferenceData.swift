import GRDB
import RegistryCore
import RegistryService

/// Loads the bundled code tables and key-region sets into a new registry, so that SQL (foreign
/// keys, listings, the sqlite3 CLI) sees the same codes the core validates against.
enum ReferenceData {
  static func load(into db: Database) throws {
    let region = try db.makeStatement(
      sql: "INSERT INTO region (code, name, level, parent_code, abolished_on, note) VALUES (?, ?, ?, ?, ?, ?)")
    for division in Divisions.bundled.all {
      try region.execute(arguments: [
        division.code, division.name, division.level.rawValue, division.parentCode, division.abolishedOn, division.note,
      ])
    }
    let industry = try db.makeStatement(
      sql: "INSERT INTO industry (code, name, level, parent_code) VALUES (?, ?, ?, ?)")
    for row in Industries.bundled.all {
      try industry.execute(arguments: [row.code, row.name, row.level.rawValue, row.parentCode])
    }
    try loadHistory(into: db)
    for parameter in PolicyBook.national.parameters {
      try Store.insertPolicy(db, parameter, auditID: nil)
    }
    for set in KeyRegions.sets {
      try db.execute(
        sql:
          """
          INSERT INTO region_set (set_key, version, name, effective_from, effective_to, basis) VALUES (?, ?, ?, ?, \
          ?, ?)
          """,
        arguments: [
          set.key.rawValue, set.version, set.key.name, set.effectiveFrom.description, set.effectiveTo?.description,
          set.basis,
        ])
      for code in set.members.sorted() {
        try db.execute(
          sql: "INSERT INTO region_set_member (set_key, version, region_code) VALUES (?, ?, ?)",
          arguments: [set.key.rawValue, set.version, code])
      }
    }
  }

  /// The GB/T 2260 history (every period of every code listed since 1980).
  static func loadHistory(into db: Database) throws {
    let insert = try db.makeStatement(
      sql: "INSERT INTO region_history (code, name, level, from_month, to_month, successor) VALUES (?, ?, ?, ?, ?, ?)")
    for period in Divisions.bundled.history.values.joined() {
      try insert.execute(arguments: [
        period.code, period.name, period.level.rawValue, period.fromMonth, period.toMonth, period.successor,
      ])
    }
    // Codes no longer listed join `region` too (a firm registered while one was in force keeps it).
    let region = try db.makeStatement(
      sql:
        """
        INSERT OR IGNORE INTO region (code, name, level, parent_code, abolished_on, note) VALUES (?, ?, ?, NULL, ?, \
        'GB/T 2260 history')
        """
    )
    for (code, periods) in Divisions.bundled.history.sorted(by: { $0.key < $1.key })
    where Divisions.bundled.lookup(code) == nil {
      guard let last = periods.last else { continue }
      try region.execute(arguments: [code, last.name, last.level.rawValue, last.toMonth])
    }
  }

  /// Row counts of the bundled tables, recorded in the init audit row.
  static var counts: [(String, Value)] { ReferenceTables.counts }
}

extension Store {
  /// Rows per level in the loaded reference tables, e.g. `["region.province": 31, ...]`.
  public func referenceCounts() throws -> [String: Int] {
    try read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(
        db,
        sql:
          """
          SELECT level, abolished_on IS NOT NULL AS old, count(*) AS n FROM region WHERE note IS NOT 'GB/T 2260 \
          history' GROUP BY 1, 2
          """
      ) {
        let old: Bool = row["old"]
        counts["region.\(row["level"] as String)\(old ? ".abolished" : "")"] = row["n"]
      }
      for row in try Row.fetchAll(db, sql: "SELECT level, count(*) AS n FROM industry GROUP BY level") {
        counts["industry.\(row["level"] as String)"] = row["n"]
      }
      counts["region.history_only"] = try Int.fetchOne(
        db, sql: "SELECT count(*) FROM region WHERE note IS 'GB/T 2260 history'")
      counts["region_history.periods"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM region_history")
      counts["region_set"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM region_set")
      counts["region_set_member"] = try Int.fetchOne(db, sql: "SELECT count(*) FROM region_set_member")
      return counts
    }
  }
}
