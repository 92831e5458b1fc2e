import Foundation
import GRDB
import RegistryCore

/// The registry database: one SQLite file in WAL mode.
///
/// Every mutating method runs in one `BEGIN IMMEDIATE` transaction and writes its audit row inside
/// it, so a change is either whole and audited or absent. No GRDB type appears in the public API.
public final class Store: Sendable {
  /// The schema version this build writes (`PRAGMA user_version`).
  public static let schemaVersion = 2

  let queue: DatabaseQueue
  public let path: String
  let clock: @Sendable () -> String
  /// Who is acting: recorded on every audit row.
  public let actor: String

  /// `$ENVREG_ACTOR`, else the login name.
  public static var defaultActor: String {
    ProcessInfo.processInfo.environment["ENVREG_ACTOR"] ?? ProcessInfo.processInfo.userName
  }

  /// Opens an existing registry (upgrading an older schema in place), or creates one when
  /// `create` is true.
  ///
  /// - Throws: `RegistryError.input` when the file does not exist and `create` is false, or when it
  ///   was written by a newer envreg.
  public init(path: String, create: Bool = false, actor: String = Store.defaultActor, clock: @escaping @Sendable () -> String = Store.utcNow) throws {
    self.path = path
    self.clock = clock
    self.actor = actor.trimmingSpaces().isEmpty ? "unknown" : actor.trimmingSpaces()
    let exists = path == ":memory:" || FileManager.default.fileExists(atPath: path)
    guard exists || create else {
      throw RegistryError.input("No registry database at \(path.quoted). Run 'envreg init --db \(path)' to create one, or pass --db PATH (or set ENVREG_DB).")
    }
    var config = Configuration()
    config.busyMode = .timeout(15)
    config.foreignKeysEnabled = true
    config.prepareDatabase { db in
      if db.configuration.readonly == false {
        _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      }
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw RegistryError.input("Cannot open \(path.quoted) as a registry database: \(Store.describe(error))")
    }
    try bootstrap()
  }

  public static let utcNow: @Sendable () -> String = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date())
  }

  /// Applies `schema.sql` to an empty file, or the migrations after the file's version.
  private func bootstrap() throws {
    // The common case, a current registry, needs only a read.
    if path != ":memory:", try read({ db in try Int.fetchOne(db, sql: "PRAGMA user_version") }) == Store.schemaVersion {
      return
    }
    // Rebuilding a parent table needs foreign keys off (they cannot change inside a transaction);
    // the migration checks them itself before committing.
    let stored = try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    if stored > 0 && stored < Store.schemaVersion {
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON")
      }
    }
    defer { try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON") } }
    try mutate { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      if version > Store.schemaVersion {
        throw RegistryError.input("\(self.path.quoted) has schema version \(version), newer than this envreg (\(Store.schemaVersion)). Use a newer envreg.")
      }
      if version == 0 {
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'table'") ?? 0
        guard tables == 0 else {
          throw RegistryError.input("\(self.path.quoted) is an SQLite file but not an envreg registry (it has tables and no schema version).")
        }
        try db.execute(sql: Embedded.schema)
        try ReferenceData.load(into: db)
        _ = try self.audit(db, action: "registry.init", entityType: "registry", entityKey: "schema", before: nil,
                           after: .record(Fields([("schema_version", .int(Store.schemaVersion))] + ReferenceData.counts)))
        return
      }
      for target in (version + 1)...max(version + 1, Store.schemaVersion) where target <= Store.schemaVersion {
        guard let step = Migrations.steps[target] else { continue }
        try step(db)
        if let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
          throw RegistryError.database("upgrading to schema \(target) left a broken reference in \(broken[0] as String? ?? "?"); nothing was changed")
        }
        try db.execute(sql: "PRAGMA user_version = \(target)")
        _ = try self.audit(db, action: "registry.migrate", entityType: "registry", entityKey: "schema", before: .record(Fields([("schema_version", .int(target - 1))])), after: .record(Fields([("schema_version", .int(target))])))
      }
    }
  }


  /// Runs `body` in one immediate transaction; any thrown error rolls everything back.
  func mutate<T>(_ body: @escaping (Database) throws -> T) throws -> T {
    do {
      return try queue.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        guard let result else { throw RegistryError.database("transaction ended without a result") }
        return result
      }
    } catch let error as RegistryError {
      throw error
    } catch {
      throw RegistryError.database(Store.describe(error))
    }
  }

  /// Runs a read in a snapshot.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try queue.read(body)
    } catch let error as RegistryError {
      throw error
    } catch {
      throw RegistryError.database(Store.describe(error))
    }
  }

  /// Database errors in domain words where we know them.
  static func describe(_ error: any Error) -> String {
    guard let error = error as? DatabaseError else { return String(describing: error) }
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return "the database stayed locked by another process for 15 s; try again"
    case .SQLITE_CONSTRAINT:
      return "the change breaks a database rule (\(error.message ?? "constraint")); nothing was written"
    case .SQLITE_NOTADB:
      return "the file is not an SQLite database"
    case .SQLITE_READONLY:
      return "the database file is read-only"
    default:
      return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "")"
    }
  }

  // MARK: Audit

  /// Appends an audit row chained to the previous one, and returns its id.
  @discardableResult
  func audit(_ db: Database, action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64 {
    let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    let id = (last?["id"] as Int64? ?? 0) + 1
    let prevHash = last?["hash"] as String? ?? AuditEntry.genesis
    let at = clock()
        let beforeText = before.map(Render.compactJSON)
    let afterText = after.map(Render.compactJSON)
    let hash = AuditEntry.chainHash(id: Int(id), at: at, actor: actor, action: action, entityType: entityType, entityKey: entityKey, before: beforeText, after: afterText, prevHash: prevHash)
    try db.execute(
      sql: "INSERT INTO audit (id, at, actor, action, entity_type, entity_key, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [id, at, actor, action, entityType, entityKey, beforeText, afterText, prevHash, hash])
    return id
  }

  /// Rewrites the `after` of an audit row written earlier in the same transaction (an import
  /// records its counts once they are known), recomputing its hash.
  func completeAudit(_ db: Database, id: Int64, after: Value) throws {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM audit WHERE id = ?", arguments: [id]) else { return }
    let entry = AuditStore.entry(row)
    let afterText = Render.compactJSON(after)
    let hash = AuditEntry.chainHash(id: entry.id, at: entry.at, actor: entry.actor, action: entry.action, entityType: entry.entityType, entityKey: entry.entityKey, before: entry.before, after: afterText, prevHash: entry.prevHash)
    try db.execute(sql: "UPDATE audit SET after = ?, hash = ? WHERE id = ?", arguments: [afterText, hash, id])
  }

}

extension Store {
  /// The schema this binary embeds (the build copies `schema.sql` into the binary).
  public static var schemaSQL: String { Embedded.schema }
}
