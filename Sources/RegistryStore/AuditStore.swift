import GRDB
import RegistryCore
import RegistryFiles
import RegistryService

/// Reading and verifying the audit trail.
enum AuditStore {
  static func entry(_ row: Row) -> AuditEntry {
    AuditEntry(
      id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], entityType: row["entity_type"],
      entityKey: row["entity_key"], before: row.hasNull(atIndex: 6) ? nil : (row["before"] as String),
      after: row.hasNull(atIndex: 7) ? nil : (row["after"] as String),
      prevHash: row["prev_hash"], hash: row["hash"], osUser: row["os_user"], keyed: (row["keyed"] as Int64? ?? 0) == 1)
  }
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

  /// The audit trail's head: its row count and last hash. Kept or published outside the file, it
  /// lets `audit verify --anchor` detect rows removed from the end or a chain recomputed over edits.
  public func auditHead() throws -> AuditHead {
    try read { db in
      let row = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
      return AuditHead(rows: row.map { Int($0[0] as Int64) } ?? 0, hash: row?[1] ?? AuditEntry.genesis)
    }
  }

  /// Everything `audit verify` and `check` check: (a) the hash chain (an edited row breaks its own
  /// hash, a deleted or inserted one the link to the next); (b) the anchor, when given: the chain
  /// still holds that row with that hash; (c) every data row's seal (Seals.swift): its values are
  /// the ones envreg last wrote; (d) SQLite's integrity and foreign-key checks, so a data
  /// row naming an audit row that is gone (`DELETE FROM audit`) or a damaged page is found.
  public func verifyAudit(anchor: AuditHead? = nil) throws -> AuditVerification {
    try read { db in
      var problems: [String] = []
      for row in try Row.fetchAll(db, sql: "PRAGMA integrity_check") where (row[0] as String?) != "ok" {
        problems.append("SQLite integrity check: \(row[0] as String? ?? "?")")
      }
      for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").prefix(20) {
        let table: String = row[0], parent: String = row[2]
        problems.append(
          "\(table) row \(row[1] as Int64? ?? 0) refers to a missing \(parent) row\(parent == "audit" ? " (audit rows were deleted)" : "")"
        )
      }
      if let anchor, anchor.rows > 0 {
        let stored = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [anchor.rows])
        if stored == nil {
          problems.append("the anchor names audit row \(anchor.rows), which is gone: rows were removed from the end")
        }
        if let stored, stored != anchor.hash {
          problems.append("audit row \(anchor.rows) no longer has the anchored hash: the chain was rewritten")
        }
      }
      var check = AuditChainCheck(key: auditKey)
      let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY id")
      while let row = try cursor.next() { check.add(AuditStore.entry(row)) }
      problems += check.allProblems
      // (c) every data row still holds the values envreg last wrote (its seal).
      problems += try Seals.problems(db).filter { !(check.keyedWithoutKey && $0.contains("ENVREG_AUDIT_KEY")) }
      var result = AuditVerification(rowsChecked: check.count, head: check.head, problems: problems)
      for run in try Row.fetchAll(
        db,
        sql:
          """
          SELECT r.id, r.file, r.pid, (SELECT count(*)
          FROM enterprise
          WHERE pending = r.id)
          FROM import_run r
          WHERE r.state = 'staging'
          """
      ) {
        result.notes.append(
          """
          enterprise import run \(run[0] as Int64) (\((run[1] as String).quoted), process \(run[2] as Int64)) has \
          not completed: its \(run[3] as Int64) staged firm(s) are invisible; if that process has ended, the next \
          import removes them
          """
        )
      }
      return result
    }
  }
}

extension Store {
  /// Copies the registry through SQLite's online backup API into a new owner-only file beside
  /// `file`, checks the copy (chain, integrity, foreign keys) and only then puts it in place.
  /// Returns the copy's audit head.
  public func backup(to file: String) throws -> AuditHead {
    let target = try OutputFile(path: file, force: false, protected: protectedPaths)
    let temporary = target.temporaryPath
    target.abandonKeepingFile()
    do {
      let copy = try DatabaseQueue(path: temporary)
      try queue.backup(to: copy)
      try copy.close()
      let check = try Store(path: temporary).verifyAudit()
      guard check.isIntact else {
        throw RegistryError.database(
          "The backup copy does not verify: \(check.problems.joined(separator: "; ")); nothing was written.")
      }
      try OutputFile.place(temporary, at: file)
      return check.head
    } catch {
      OutputFile.remove(temporary)
      throw error
    }
  }
}
