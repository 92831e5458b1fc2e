import GRDB
import RegistryCore
import RegistryService

/// Accounts and API tokens of the served registry (schema 5).
extension Store {
  static func account(_ row: Row) throws -> Account {
    guard let role = Role(rawValue: row["role"]) else {
      throw RegistryError.database("account \(row["name"] as String? ?? "?") has an unknown role")
    }
    return Account(
      name: row["name"], role: role, regionPrefix: row["region_prefix"], passwordHash: row["password_hash"],
      disabledAt: row["disabled_at"], createdAt: row["created_at"])
  }

  static func account(_ db: Database, named name: String) throws -> Account? {
    try Row.fetchOne(db, cached: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(account)
  }

  public func accounts() throws -> [Account] {
    try read { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY name").map(Store.account) }
  }

  public func account(named name: String) throws -> Account? {
    try read { db in try Store.account(db, named: name) }
  }

  public func account(tokenHash: String) throws -> Account? {
    try read { db in
      try Row.fetchOne(
        db,
        cached: """
          SELECT a.* FROM api_token t JOIN account a ON a.id = t.account_id
          WHERE t.token_hash = ? AND t.revoked_at IS NULL
          """,
        arguments: [tokenHash]
      ).map(Store.account)
    }
  }

  public func tokens(of name: String) throws -> [APIToken] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT t.id, a.name, t.label, t.created_at, t.revoked_at
          FROM api_token t JOIN account a ON a.id = t.account_id
          WHERE a.name = ? ORDER BY t.id
          """,
        arguments: [name]
      ).map { APIToken(id: $0[0], account: $0[1], label: $0[2], createdAt: $0[3], revokedAt: $0[4]) }
    }
  }
}

extension SQLiteTransaction {
  var now: String { store.clock() }

  func account(named name: String) throws -> Account? { try Store.account(db, named: name) }

  func insertAccount(_ account: Account, auditID: Int64) throws {
    try db.execute(
      sql: """
        INSERT INTO account (name, role, region_prefix, password_hash, created_at, disabled_at, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        account.name, account.role.rawValue, account.regionPrefix, account.passwordHash, account.createdAt,
        account.disabledAt, auditID,
      ])
  }

  func updateAccount(_ account: Account, auditID: Int64) throws {
    try db.execute(
      sql: """
        UPDATE account SET role = ?, region_prefix = ?, password_hash = ?, disabled_at = ?, audit_id = ?
        WHERE name = ?
        """,
      arguments: [
        account.role.rawValue, account.regionPrefix, account.passwordHash, account.disabledAt, auditID, account.name,
      ])
  }

  func insertToken(account: String, tokenHash: String, label: String, createdAt: String, auditID: Int64) throws
    -> Int
  {
    try db.execute(
      sql: """
        INSERT INTO api_token (account_id, token_hash, label, created_at, audit_id)
        SELECT id, ?, ?, ?, ? FROM account WHERE name = ?
        """,
      arguments: [tokenHash, label, createdAt, auditID, account])
    return Int(db.lastInsertedRowID)
  }

  func revokeToken(account: String, id: Int, at: String, auditID: Int64) throws -> Bool {
    try db.execute(
      sql: """
        UPDATE api_token SET revoked_at = ?, audit_id = ?
        WHERE id = ? AND revoked_at IS NULL AND account_id = (SELECT id FROM account WHERE name = ?)
        """,
      arguments: [at, auditID, id, account])
    return db.changesCount == 1
  }
}
