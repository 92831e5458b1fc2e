import Foundation
import RegistryCore
import RegistryFiles
import RegistryService

extension PostgresStore {
  /// Loads the bundled code tables, the national parameters and the key-region sets into a new
  /// registry (the SQLite storage's `ReferenceData.load`, in batches of rows per statement).
  static func loadReferenceData(_ session: SQLSession) throws {
    try session.insert(
      into: "region", columns: ["code", "name", "level", "parent_code", "abolished_on", "note"],
      rows: Divisions.bundled.all.map { d in
        [d.code, d.name, d.level.rawValue, d.parentCode, d.abolishedOn, d.note]
      })
    try session.insert(
      into: "industry", columns: ["code", "name", "level", "parent_code"],
      rows: Industries.bundled.all.map { [$0.code, $0.name, $0.level.rawValue, $0.parentCode] })
    try session.insert(
      into: "region_history", columns: ["code", "name", "level", "from_month", "to_month", "successor"],
      rows: Divisions.bundled.history.values.joined().map { p in
        [p.code, p.name, p.level.rawValue, p.fromMonth, p.toMonth, p.successor]
      })
    // Codes no longer listed join `region` too (a firm registered while one was in force keeps it).
    let historyOnly: [[any SQLBindable]] = Divisions.bundled.history.sorted(by: { $0.key < $1.key }).compactMap {
      code, periods in
      guard Divisions.bundled.lookup(code) == nil, let last = periods.last else { return nil }
      return [code, last.name, last.level.rawValue, SQLNull(), last.toMonth, "GB/T 2260 history"]
    }
    try session.insert(
      into: "region", columns: ["code", "name", "level", "parent_code", "abolished_on", "note"], rows: historyOnly,
      suffix: " ON CONFLICT DO NOTHING")
    for parameter in PolicyBook.national.parameters { try insertPolicy(session, parameter, auditID: nil) }
    for set in KeyRegions.sets {
      try session.execute(
        """
        INSERT INTO region_set (set_key, version, name, effective_from, effective_to, basis)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        [
          set.key.rawValue, set.version, set.key.name, set.effectiveFrom.description, set.effectiveTo?.description,
          set.basis,
        ])
      try session.insert(
        into: "region_set_member", columns: ["set_key", "version", "region_code"],
        rows: set.members.sorted().map { [set.key.rawValue, set.version, $0] })
    }
  }

  static func insertPolicy(_ session: SQLSession, _ p: PolicyParameter, auditID: Int64?) throws {
    try session.execute(
      """
      INSERT INTO policy_parameter (key, jurisdiction, effective_from, effective_to, value, reference, audit_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """,
      [
        p.key, p.jurisdiction.description, p.effectiveFrom.description, p.effectiveTo?.description, p.value.json,
        p.reference, auditID,
      ])
  }

  /// Every parameter in the registry. The rows' whole text is read as one value; they are decoded
  /// and parsed only when it differs from the text the last book was parsed from.
  public func policyBook() throws -> PolicyBook {
    try read { session in
      let text =
        try session.one(
          """
          SELECT string_agg(key || chr(1) || jurisdiction || chr(1) || effective_from || chr(1)
            || coalesce(effective_to, chr(3)) || chr(1) || value || chr(1) || reference, chr(2) ORDER BY id)
          FROM policy_parameter
          """)?.text(0) ?? ""
      if let book = parsedPolicy.book(for: text) { return book }
      let rows = try session.rows(
        "SELECT key, jurisdiction, effective_from, effective_to, value, reference FROM policy_parameter ORDER BY id")
      let book = PolicyBook(
        try rows.compactMap { row in
          guard let jurisdiction = Jurisdiction(try row.string(1)), let from = Day(try row.string(2)),
            let value = PolicyRows.value(json: try row.string(4))
          else { return nil }
          return PolicyParameter(
            key: try row.string(0), jurisdiction: jurisdiction, from: from, to: try row.text(3).flatMap(Day.init),
            value: value, reference: try row.string(5))
        })
      parsedPolicy.remember(book, for: text)
      return book
    }
  }

  /// Rows per level in the loaded reference tables, e.g. `["region.province": 31, ...]`.
  public func referenceCounts() throws -> [String: Int] {
    try read { session in
      var counts: [String: Int] = [:]
      for row in try session.rows(
        """
        SELECT level, (abolished_on IS NOT NULL)::int, count(*) FROM region
        WHERE note IS DISTINCT FROM 'GB/T 2260 history' GROUP BY 1, 2
        """)
      {
        counts["region.\(try row.string(0))\(try row.flag(1) == true ? ".abolished" : "")"] = try row.int(2)
      }
      for row in try session.rows("SELECT level, count(*) FROM industry GROUP BY level") {
        counts["industry.\(try row.string(0))"] = try row.int(1)
      }
      let totals = try session.one(
        """
        SELECT (SELECT count(*) FROM region WHERE note = 'GB/T 2260 history'), (SELECT count(*) FROM region_history),
          (SELECT count(*) FROM region_set), (SELECT count(*) FROM region_set_member)
        """)
      counts["region.history_only"] = try totals?.int(0)
      counts["region_history.periods"] = try totals?.int(1)
      counts["region_set"] = try totals?.int(2)
      counts["region_set_member"] = try totals?.int(3)
      return counts
    }
  }
}

/// The last policy book parsed and the rows' text it was parsed from.
final class PolicyMemo: @unchecked Sendable {
  private let lock = NSLock()
  private var text: String?
  private var parsed: PolicyBook?

  func book(for text: String) -> PolicyBook? { lock.withLock { self.text == text ? parsed : nil } }

  func remember(_ book: PolicyBook, for text: String) {
    lock.withLock {
      self.text = text
      parsed = book
    }
  }
}
