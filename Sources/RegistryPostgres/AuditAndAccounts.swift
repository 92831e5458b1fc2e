import RegistryCore
import RegistryService

/// The audit trail's reads and verification, and the served registry's accounts.
extension PostgresStore {
  static let auditColumns =
    "id, at, actor, action, entity_type, entity_key, before, after, prev_hash, hash, os_user, keyed"

  static func auditEntry(_ row: SQLRow) throws -> AuditEntry {
    AuditEntry(
      id: try row.int(0), at: try row.string(1), actor: try row.string(2), action: try row.string(3),
      entityType: try row.string(4), entityKey: try row.string(5), before: try row.text(6), after: try row.text(7),
      prevHash: try row.string(8), hash: try row.string(9), osUser: try row.text(10), keyed: try row.flag(11) == true)
  }

  public func auditLog(entityKey: String?, since: Day?, limit: Int?) throws -> [AuditEntry] {
    var conditions = Where()
    if let entityKey {
      conditions.add(
        """
        (entity_key = ? OR id IN (
          SELECT created_audit_id FROM enterprise WHERE credit_code = ?
          UNION SELECT audit_id FROM enterprise_change
          WHERE enterprise_id = (SELECT id FROM enterprise WHERE credit_code = ?)))
        """, [entityKey, entityKey, entityKey])
    }
    if let since { conditions.add("at >= ?", [since.description]) }
    var values = conditions.values
    var sql = "SELECT \(PostgresStore.auditColumns) FROM audit" + conditions.whereClause + " ORDER BY id"
    if let limit {
      sql += " LIMIT ?"
      values.append(max(0, limit))
    }
    return try read { session in try session.rows(sql, values).map(PostgresStore.auditEntry) }
  }

  public func auditHead() throws -> AuditHead {
    try read { session in
      let row = try session.one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
      return AuditHead(rows: try row?.int(0) ?? 0, hash: try row?.string(1) ?? AuditEntry.genesis)
    }
  }

  /// What `audit verify` checks on PostgreSQL: (a) the hash chain, (b) the anchor when given. The
  /// foreign keys every data row's `audit_id` names are enforced by PostgreSQL itself (no row can
  /// name a deleted audit row), and pages are PostgreSQL's to check (`pg_amcheck`).
  public func verifyAudit(anchor: AuditHead?) throws -> AuditVerification {
    try read { session in
      var problems: [String] = []
      if let anchor, anchor.rows > 0 {
        let stored = try session.one("SELECT hash FROM audit WHERE id = ?", [anchor.rows])?.string(0)
        if stored == nil {
          problems.append("the anchor names audit row \(anchor.rows), which is gone: rows were removed from the end")
        }
        if let stored, stored != anchor.hash {
          problems.append("audit row \(anchor.rows) no longer has the anchored hash: the chain was rewritten")
        }
      }
      var check = AuditChainCheck(key: auditKey)
      try session.stream("SELECT \(PostgresStore.auditColumns) FROM audit ORDER BY id") { row in
        check.add(try PostgresStore.auditEntry(row))
      }
      problems += check.allProblems
      var result = AuditVerification(rowsChecked: check.count, head: check.head, problems: problems)
      result.notes.append(
        "row seals are kept in SQLite files only: on PostgreSQL the data rows are guarded by its roles and grants "
          + "(the chain, the anchor and the foreign keys are checked here; pages by pg_amcheck)")
      for run in try session.rows(
        """
        SELECT r.id, r.file, r.pid, (SELECT count(*) FROM enterprise WHERE pending = r.id)
        FROM import_run r WHERE r.state = 'staging'
        """)
      {
        result.notes.append(
          """
          enterprise import run \(try run.int(0)) (\(try run.string(1).quoted), process \(try run.int(2))) has not \
          completed: its \(try run.int(3)) staged firm(s) are invisible; if that process has ended, the next import \
          removes them
          """)
      }
      return result
    }
  }

  /// A PostgreSQL registry is backed up by PostgreSQL (`pg_dump`, WAL archiving) or copied whole
  /// with `envreg copy`; envreg writes no database file of its own for it.
  public func backup(to file: String) throws -> AuditHead {
    throw RegistryError.input(
      """
      'envreg backup' writes a SQLite file; a PostgreSQL registry is backed up by PostgreSQL: pg_dump \
      \(location) (nightly) with WAL archiving, as the README's Deployment section shows.
      """)
  }

  // MARK: Accounts

  static let accountColumns = "name, role, region_prefix, password_hash, disabled_at, created_at"

  static func account(_ row: SQLRow) throws -> Account {
    guard let role = Role(rawValue: try row.string(1)) else {
      throw RegistryError.database("account \(try row.string(0)) has an unknown role")
    }
    return Account(
      name: try row.string(0), role: role, regionPrefix: try row.text(2), passwordHash: try row.string(3),
      disabledAt: try row.text(4), createdAt: try row.string(5))
  }

  static func account(_ session: SQLSession, named name: String) throws -> Account? {
    try session.one("SELECT \(accountColumns) FROM account WHERE name = ?", [name]).map(account)
  }

  public func accounts() throws -> [Account] {
    try read { session in
      try session.rows("SELECT \(PostgresStore.accountColumns) FROM account ORDER BY name").map(PostgresStore.account)
    }
  }

  public func account(named name: String) throws -> Account? {
    try read { session in try PostgresStore.account(session, named: name) }
  }

  public func account(tokenHash: String) throws -> Account? {
    try read { session in
      try session.one(
        """
        SELECT a.name, a.role, a.region_prefix, a.password_hash, a.disabled_at, a.created_at
        FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.token_hash = ? AND t.revoked_at IS NULL
        """, [tokenHash]
      ).map(PostgresStore.account)
    }
  }

  public func tokens(of name: String) throws -> [APIToken] {
    try read { session in
      try session.rows(
        """
        SELECT t.id, a.name, t.label, t.created_at, t.revoked_at FROM api_token t JOIN account a ON a.id = t.account_id
        WHERE a.name = ? ORDER BY t.id
        """, [name]
      ).map {
        APIToken(
          id: try $0.int(0), account: try $0.string(1), label: try $0.string(2), createdAt: try $0.string(3),
          revokedAt: try $0.text(4))
      }
    }
  }
}
