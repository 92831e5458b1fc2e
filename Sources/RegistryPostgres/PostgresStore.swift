import Foundation
import RegistryCore
import RegistryFiles
import RegistryService

/// The registry in a PostgreSQL database: the same protocol, schema and audit chain as the SQLite
/// file, for a province's bureaus writing over a network at once.
///
/// Reads run in one `REPEATABLE READ READ ONLY` transaction (a snapshot, as SQLite's read
/// transactions are); writes in one transaction that first takes the registry's advisory lock
/// (`pg_advisory_xact_lock`), the one serialisation point that keeps the audit chain from forking
/// however many processes on however many machines write at once.
public final class PostgresStore: Sendable {
  /// The schema version this build writes (`envreg_schema.version`), as `Store.schemaVersion`.
  public static let schemaVersion = 7
  /// `envreg_schema.application_id` and the advisory lock's key: "EnRg", as the SQLite file's id.
  static let applicationID: Int64 = 0x456E_5267

  public let location: PostgresLocation
  let pool: SessionPool
  let clock: @Sendable () -> String
  /// Who is acting: recorded on every audit row.
  public let actor: String
  let auditKey: [UInt8]?
  /// The policy book parsed from the rows last read, with the rows' text it came from.
  let parsedPolicy: PolicyMemo

  /// Connects to the registry at `url` (checking that it is one, and its version), or creates it
  /// when `create` is true and the database holds no tables (a current registry is left as it is;
  /// `empty`: the schema only, for `envreg copy` to fill). `connections` bounds the sessions a
  /// server's concurrent requests use (one for a command).
  public init(
    url: String, create: Bool = false, empty: Bool = false, actor: String = AuditIdentity.defaultActor,
    clock: @escaping @Sendable () -> String = AuditIdentity.utcNow,
    environment: [String: String] = ProcessInfo.processInfo.environment, connections: Int = 1
  ) throws {
    location = try PostgresLocation(url: url, environment: environment)
    self.clock = clock
    self.actor = try AuditIdentity.checkedActor(actor)
    auditKey = try AuditIdentity.key(environment: environment)
    pool = SessionPool(location: location, limit: max(1, connections))
    parsedPolicy = PolicyMemo()
    try bootstrap(create: create, empty: empty)
  }

  private init(sharing other: PostgresStore, actor: String, pool: SessionPool? = nil) {
    location = other.location
    self.pool = pool ?? other.pool
    clock = other.clock
    self.actor = actor
    auditKey = other.auditKey
    parsedPolicy = other.parsedPolicy
  }

  /// The same registry, its writes audited under `actor` (the server's signed-in user).
  public func acting(as actor: String) -> any RegistryStorage { PostgresStore(sharing: self, actor: actor) }

  /// The same registry through up to `sessions` connections (a server's concurrent requests).
  public func concurrentReads(_ sessions: Int) -> PostgresStore {
    PostgresStore(
      sharing: self, actor: actor, pool: SessionPool(location: location, limit: max(1, sessions)))
  }

  /// Closes the store's connections (a command's end; a server's shutdown).
  public func close() { pool.close() }

  // MARK: Transactions

  /// Runs a read in a snapshot: the enclosing one's when this thread is already reading this
  /// registry (`snapshot`, or a listing whose rows' handling reads more), else a new one on a
  /// session of the pool, bound to the thread while `body` runs.
  func read<T>(_ body: (SQLSession) throws -> T) throws -> T {
    if let session = boundSession { return try body(session) }
    return try pool.with { session in
      try session.script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
      let key = snapshotKey
      Thread.current.threadDictionary[key] = session
      defer { Thread.current.threadDictionary.removeObject(forKey: key) }
      do {
        let result = try body(session)
        try session.script("COMMIT")
        return result
      } catch {
        try? session.script("ROLLBACK")
        throw error
      }
    }
  }

  /// Runs `body` in one write transaction holding the registry's advisory lock: every writer of
  /// the registry, on any machine, waits here for the one before it, so the audit chain is read and
  /// extended by one transaction at a time. Any thrown error rolls everything back.
  func mutate<T>(_ body: (SQLSession) throws -> T) throws -> T {
    guard boundSession == nil else {
      throw RegistryError.database("a write was started inside a read snapshot; nothing was written")
    }
    return try pool.with { session in try mutate(on: session, body) }
  }

  /// `mutate` on a session the caller holds (an import's, whose TEMP staging tables live on it).
  func mutate<T>(on session: SQLSession, _ body: (SQLSession) throws -> T) throws -> T {
    try session.script("BEGIN ISOLATION LEVEL READ COMMITTED")
    do {
      try session.execute("SELECT pg_advisory_xact_lock($1)", [PostgresStore.applicationID])
      let result = try body(session)
      try session.script("COMMIT")
      return result
    } catch {
      try? session.script("ROLLBACK")
      throw error
    }
  }

  /// Runs `body` with every read of this registry on this thread in one snapshot. Reads only.
  public func snapshot<T>(_ body: () throws -> T) throws -> T { try read { _ in try body() } }

  private var boundSession: SQLSession? { Thread.current.threadDictionary[snapshotKey] as? SQLSession }

  private var snapshotKey: String { "envreg.pg.snapshot.\(ObjectIdentifier(pool).hashValue)" }

  /// PostgreSQL keeps its own files: no output path is the registry's.
  public var protectedPaths: [String] { [] }

  // MARK: Creating and opening

  /// Checks the database is an envreg registry of a version this build reads, or creates one.
  private func bootstrap(create: Bool, empty: Bool) throws {
    let exists = try pool.with { session -> Bool in
      let hasSchema = try session.one("SELECT to_regclass('public.envreg_schema') IS NOT NULL")?.bool(0) ?? false
      if hasSchema {
        guard let row = try session.one("SELECT version, application_id FROM envreg_schema"),
          try row.int64(1) == PostgresStore.applicationID
        else {
          throw RegistryError.input("\(location) has a table envreg_schema but is not an envreg registry.")
        }
        let version = try row.int(0)
        if version > PostgresStore.schemaVersion {
          throw RegistryError.input(
            "\(location) has schema version \(version), newer than this envreg (\(PostgresStore.schemaVersion)).")
        }
        return true
      }
      guard create else {
        throw RegistryError.input(
          "\(location) holds no registry. Run 'envreg init --db \(location)' to create one in that database.")
      }
      let tables =
        try session.one(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")?.int(0) ?? 0
      guard tables == 0 else {
        throw RegistryError.input(
          "\(location) already holds \(tables) table(s) and no registry; envreg creates one only in an empty database.")
      }
      return false
    }
    if exists {
      guard !empty else {
        throw RegistryError.input("\(location) already holds a registry; a copy goes into an empty database.")
      }
      try upgrade()
      return
    }
    try mutate { session in
      try session.script(PostgresStore.schemaSQL)
      // `envreg copy` fills an empty registry with another's rows, its audit trail included.
      if empty { return }
      try PostgresStore.loadReferenceData(session)
      _ = try audit(
        session, action: "registry.init", entityType: "registry", entityKey: "schema", before: nil,
        after: .record(
          Fields([("schema_version", .int(PostgresStore.schemaVersion))] + ReferenceTables.counts)))
    }
  }

  /// Brings an older registry to this build's schema, one version at a time, each step in the write
  /// transaction that takes the advisory lock (two processes opening it at once upgrade it once).
  private func upgrade() throws {
    try mutate { session in
      let version = try session.one("SELECT version FROM envreg_schema")?.int(0) ?? PostgresStore.schemaVersion
      guard version < PostgresStore.schemaVersion else { return }
      if version < 6 { try PostgresStore.toVersion6(session) }
      if version < 7 { try PostgresStore.toVersion7(session) }
      _ = try session.execute("UPDATE envreg_schema SET version = $1", [PostgresStore.schemaVersion])
    }
  }

  /// Version 6 (RULES §9, §10), as on SQLite: the draft draw tables (never written) replaced, results
  /// and weather alerts added, the 保障类 designation kind allowed, the new national parameters.
  static func toVersion6(_ session: SQLSession) throws {
    for table in ["draw_pick", "inspection_draw", "inspector_conflict", "inspector"] {
      let rows = try session.one("SELECT count(*) FROM \(table)")?.int(0) ?? 0
      guard rows == 0 else {
        throw RegistryError.database(
          "\(table) holds \(rows) row(s) no envreg command wrote; nothing was changed (upgrade to schema 6)")
      }
      _ = try session.execute("DROP TABLE \(table)")
    }
    for table in [
      "inspector", "inspector_conflict", "inspection_draw", "draw_pick", "inspection_result", "emission_baseline",
      "weather_alert",
    ] {
      try session.script(try statements(creating: table))
    }
    let kinds = DesignationKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    try session.script(
      """
      ALTER TABLE designation DROP CONSTRAINT designation_kind_check;
      ALTER TABLE designation ADD CONSTRAINT designation_kind_check CHECK (kind IN (\(kinds)));
      """)
    try insertNationalParameters(session, prefixes: ["rd.", "hw."])
  }

  /// Version 7 (RULES §11), as on SQLite: projects, their versions, ledger entries and approval
  /// events, and the approval clock's national parameters.
  static func toVersion7(_ session: SQLSession) throws {
    for table in ["project", "project_version", "project_listing", "approval_event"] {
      try session.script(try statements(creating: table))
    }
    try insertNationalParameters(session, prefixes: ["ea."])
  }

  /// The national parameters whose keys start with one of `prefixes`, where the registry lacks them.
  static func insertNationalParameters(_ session: SQLSession, prefixes: [String]) throws {
    for parameter in PolicyBook.national.parameters where prefixes.contains(where: parameter.key.hasPrefix) {
      if try session.one(
        "SELECT 1 FROM policy_parameter WHERE key = $1 AND jurisdiction = 'national' AND effective_from = $2",
        [parameter.key, parameter.effectiveFrom.description]) == nil
      {
        try insertPolicy(session, parameter, auditID: nil)
      }
    }
  }

  /// A table's `CREATE TABLE` and its `CREATE INDEX` statements from the embedded schema.
  static func statements(creating table: String) throws -> String {
    let schema = schemaSQL
    guard let start = schema.range(of: "CREATE TABLE \(table) ("),
      let end = schema[start.upperBound...].range(of: "\n);\n")
    else { throw RegistryError.database("schema-postgres.sql has no table \(table)") }
    var text = String(schema[start.lowerBound..<end.upperBound])
    for line in schema.split(separator: "\n") where line.hasPrefix("CREATE INDEX") && line.contains(" ON \(table) (") {
      text += line + "\n"
    }
    return text
  }

  /// The PostgreSQL schema this binary embeds (`schema-postgres.sql`).
  public static var schemaSQL: String { Embedded.schemaPostgres }

  // MARK: Audit

  /// Appends an audit row chained to the previous one, and returns its id. The caller holds the
  /// advisory lock (`mutate`), so no other writer reads the same head.
  func audit(
    _ session: SQLSession, action: String, entityType: String, entityKey: String, before: Value?, after: Value?
  ) throws -> Int64 {
    if let problem = AuditText.problem(
      .record(Fields([("key", .text(entityKey))] + (after.map { [("after", $0)] } ?? []))), key: entityType)
    {
      throw RegistryError.invalid([problem])
    }
    let last = try session.one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    let id = (try last?.int64(0) ?? 0) + 1
    let prevHash = try last?.string(1) ?? AuditEntry.genesis
    let at = clock()
    let beforeText = before.map(Render.compactJSON)
    let afterText = after.map(Render.compactJSON)
    let hash = AuditEntry.chainHash(
      id: Int(id), at: at, actor: actor, action: action, entityType: entityType, entityKey: entityKey,
      before: beforeText, after: afterText, prevHash: prevHash, osUser: AuditIdentity.osUser, key: auditKey)
    try session.execute(
      """
      INSERT INTO audit (id, at, actor, action, entity_type, entity_key, before, after, prev_hash, hash, os_user, keyed)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      """,
      [
        id, at, actor, action, entityType, entityKey, beforeText, afterText, prevHash, hash, AuditIdentity.osUser,
        auditKey == nil ? 0 : 1,
      ])
    return id
  }
}

/// Up to `limit` connections, opened when first needed and handed to one caller at a time.
final class SessionPool: @unchecked Sendable {
  let location: PostgresLocation
  let limit: Int
  private let condition = NSCondition()
  private var idle: [SQLSession] = []
  private var open = 0

  init(location: PostgresLocation, limit: Int) {
    self.location = location
    self.limit = limit
  }

  func with<T>(_ body: (SQLSession) throws -> T) throws -> T {
    let session = try take()
    do {
      let result = try body(session)
      give(session)
      return result
    } catch {
      give(session)
      throw error
    }
  }

  private func take() throws -> SQLSession {
    condition.lock()
    while idle.isEmpty && open >= limit { condition.wait() }
    if let session = idle.popLast() {
      condition.unlock()
      return session
    }
    open += 1
    condition.unlock()
    do {
      return try SQLSession.connect(location)
    } catch {
      condition.lock()
      open -= 1
      condition.signal()
      condition.unlock()
      throw error
    }
  }

  /// Back to the pool, or closed and forgotten when its connection broke.
  private func give(_ session: SQLSession) {
    condition.lock()
    if session.isClosed {
      open -= 1
    } else {
      idle.append(session)
    }
    condition.signal()
    condition.unlock()
  }

  func close() {
    condition.lock()
    let sessions = idle
    idle.removeAll()
    open -= sessions.count
    condition.unlock()
    for session in sessions { session.close() }
  }
}
