import GRDB
import RegistryCore

/// Reading and verifying the audit trail.
enum AuditStore {
  static func entry(_ row: Row) -> AuditEntry {
    AuditEntry(
      id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], entityType: row["entity_type"],
      entityKey: row["entity_key"], before: row.hasNull(atIndex: 6) ? nil : (row["before"] as String), after: row.hasNull(atIndex: 7) ? nil : (row["after"] as String),
      prevHash: row["prev_hash"], hash: row["hash"])
  }
}

/// The outcome of `Store.verifyAudit()`.
public struct AuditVerification: Sendable {
  public var rowsChecked: Int
  /// Human-readable findings: a broken link names the row and what is wrong with it.
  public var problems: [String]
  public var isIntact: Bool { problems.isEmpty }
}

extension Store {
  /// Audit rows, oldest first: every row about `entityKey` (a credit code, permit number ...) and
  /// the import rows that created or changed that enterprise; or every row when `entityKey` is nil.
  public func auditLog(entityKey: String? = nil, since: Day? = nil, limit: Int? = nil) throws -> [AuditEntry] {
    try read { db in
      var sql = "SELECT * FROM audit WHERE 1"
      var arguments: [any DatabaseValueConvertible] = []
      if let entityKey {
        sql += """
           AND (entity_key = ? OR id IN (
             SELECT created_audit_id FROM enterprise WHERE credit_code = ?
             UNION SELECT audit_id FROM enterprise_change WHERE enterprise_id = (SELECT id FROM enterprise WHERE credit_code = ?)))
          """
        arguments += [entityKey, entityKey, entityKey]
      }
      if let since {
        sql += " AND at >= ?"
        arguments.append(since.description)
      }
      sql += " ORDER BY id"
      if let limit { sql += " LIMIT \(max(0, limit))" }
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(AuditStore.entry)
    }
  }

  /// Recomputes the hash chain over every audit row: an edited row breaks its own hash, a deleted
  /// or inserted one breaks the link to the next.
  public func verifyAudit() throws -> AuditVerification {
    try read { db in
      var problems: [String] = []
      var previous = AuditEntry.genesis
      var expectedID = 1
      var count = 0
      let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY id")
      while let row = try cursor.next() {
        let entry = AuditStore.entry(row)
        count += 1
        if entry.id != expectedID { problems.append("audit row \(expectedID) is missing (next row is \(entry.id))") }
        if entry.prevHash != previous { problems.append("audit row \(entry.id): prev_hash does not match the hash of the row before it") }
        if entry.hash != entry.expectedHash { problems.append("audit row \(entry.id): its content does not match its hash (edited after it was written)") }
        previous = entry.hash
        expectedID = entry.id + 1
      }
      return AuditVerification(rowsChecked: count, problems: problems)
    }
  }
}
