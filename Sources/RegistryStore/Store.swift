import Foundation
import GRDB
import RegistryCore
import RegistryFiles
import RegistryService

/// The registry database: one SQLite file in WAL mode.
///
/// Every mutating method runs in one `BEGIN IMMEDIATE` transaction and writes its audit row inside
/// it, so a change is either whole and audited or absent. No GRDB type appears in the public API.
public final class Store: Sendable {
  /// The schema version this build writes (`PRAGMA user_version`).
  public static let schemaVersion = 7

  /// One connection (the CLI), or a pool of readers beside the writer (`concurrentReads`).
  let queue: any DatabaseWriter
  public let path: String
  let clock: @Sendable () -> String
  /// Who is acting: recorded on every audit row.
  public let actor: String
  /// The audit key (`ENVREG_AUDIT_KEY` names an owner-only file): audit hashes are then HMACs.
  let auditKey: [UInt8]?
  /// Name-search counts remembered while the registry is unchanged (EnterpriseStore.nameMatches).
  let nameCounts: RememberedCounts
  /// The policy book parsed from the rows last read (PolicyStore.swift).
  let parsedPolicy: ParsedPolicy

  /// The operating-system user running envreg, recorded beside the self-declared actor.
  static var osUser: String { AuditIdentity.osUser }

  /// `$ENVREG_ACTOR`, else the login name.
  public static var defaultActor: String { AuditIdentity.defaultActor }

  /// Opens an existing registry (upgrading an older schema in place), or creates one when
  /// `create` is true (only the schema when `empty` is also true: `envreg copy` fills it). `statementObserver`
  /// sees every SQL statement run, its values bound.
  ///
  /// - Throws: `RegistryError.input` when the file does not exist and `create` is false, or when it
  ///   was written by a newer envreg.
  public init(
    path: String, create: Bool = false, empty: Bool = false, actor: String = Store.defaultActor,
    clock: @escaping @Sendable () -> String = Store.utcNow,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    statementObserver: (@Sendable (String) -> Void)? = nil
  ) throws {
    self.path = path
    self.clock = clock
    nameCounts = RememberedCounts()
    parsedPolicy = ParsedPolicy()
    self.actor = try AuditIdentity.checkedActor(actor)
    auditKey = try AuditIdentity.key(environment: environment)
    if path != ":memory:" { try Store.checkFile(path, create: create) }
    var config = Configuration()
    // Waiting for another writer: retry every 5 ms for up to 15 s. SQLite's own timeout sleeps up
    // to 100 ms between tries, which would make an import's pauses between its transactions
    // (StagedImport.swift) cost 100 ms each.
    config.busyMode = .callback { tries in
      usleep(Store.busyRetryMicroseconds)
      return tries < 15_000_000 / Int(Store.busyRetryMicroseconds)
    }
    config.foreignKeysEnabled = true
    let key = auditKey
    config.prepareDatabase { db in
      Seals.register(db, key: key)
      NameIndex.register(db)
      // Every statement with its values, for diagnostics and the query-plan tests.
      if let statementObserver {
        db.trace(options: .statement) { event in
          if case .statement(let statement) = event { statementObserver(statement.expandedSQL) }
        }
      }
      // Before changing anything (WAL is a change to the file): is this an envreg registry?
      try Store.checkIdentity(db, path: path)
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
    try bootstrap(create: create, empty: empty)
  }

  /// The same registry and connection, writing its audit rows under another actor (the server's
  /// signed-in user). Nothing is opened or checked again.
  private init(sharing other: Store, actor: String, queue: (any DatabaseWriter)? = nil) {
    self.queue = queue ?? other.queue
    path = other.path
    clock = other.clock
    self.actor = actor
    auditKey = other.auditKey
    nameCounts = other.nameCounts
    parsedPolicy = other.parsedPolicy
  }

  public func acting(as actor: String) -> any RegistryStorage { Store(sharing: self, actor: actor) }

  /// The same registry read through a pool of `readers` connections beside its one writer (WAL
  /// lets them read while it writes): for a server, whose requests would otherwise wait for each
  /// other's reads. The registry was opened (checked, upgraded) by this store's own connection first.
  public func concurrentReads(_ readers: Int) throws -> Store {
    guard path != ":memory:" else { return self }
    var config = Configuration()
    config.busyMode = .callback { tries in
      usleep(Store.busyRetryMicroseconds)
      return tries < 15_000_000 / Int(Store.busyRetryMicroseconds)
    }
    config.foreignKeysEnabled = true
    config.maximumReaderCount = max(1, readers)
    let key = auditKey
    config.prepareDatabase { db in
      Seals.register(db, key: key)
      NameIndex.register(db)
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    do {
      return Store(sharing: self, actor: actor, queue: try DatabasePool(path: path, configuration: config))
    } catch {
      throw RegistryError.input("Cannot open \(path.quoted) for concurrent reads: \(Store.describe(error))")
    }
  }

  static let busyRetryMicroseconds: UInt32 = 5_000

  /// envreg's connection-local triggers: row seals and the name index.
  static func installTriggers(_ db: Database) throws {
    try Seals.installTriggers(db)
    try NameIndex.installTriggers(db)
  }

  /// Installs the triggers before the connection's first write (a read-only command never needs
  /// them, and creating some forty triggers is a noticeable part of a short listing's time).
  static func ensureTriggers(_ db: Database) throws {
    if try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_temp_schema WHERE name = 'envreg_name_delete'") == true {
      return
    }
    try installTriggers(db)
  }

  /// Gathers the query planner's statistics (`sqlite_stat1`) of every table, so that listings pick
  /// the index that narrows most (`init` and upgrade; an import uses `refreshStatistics`). A full pass
  /// (about a second per million firms): sampled statistics (`analysis_limit`) misjudge the
  /// columns with a few values (status, class, grade), the very ones listings combine.
  static func analyze(_ db: Database) throws {
    try db.execute(sql: "ANALYZE")
  }

  /// `ANALYZE table` without holding the write lock while it reads: the statistics of the table's
  /// (full) indexes are counted under a read snapshot, as ANALYZE counts them (rows, then rows per
  /// distinct prefix, rounded up), and written to `sqlite_stat1` in one short transaction. After an
  /// import of 3.4 million firms ANALYZE itself kept other writers waiting 3.4 s.
  func refreshStatistics(table: String) throws {
    let stats: [(index: String, stat: String)] = try read { db in
      let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
      guard rows > 0 else { return [] }
      var stats: [(String, String)] = []
      for index in try Row.fetchAll(
        db, sql: "SELECT name, \"unique\", partial FROM pragma_index_list(?) ORDER BY name", arguments: [table])
      where (index[2] as Int) == 0 {
        let name: String = index[0]
        let columns = try String.fetchAll(
          db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [name])
        var stat = [rows]
        for length in 1...max(columns.count, 1) where length <= columns.count {
          let distinct =
            (index[1] as Int) == 1 && length == columns.count
            ? rows
            : try Int.fetchOne(
              db,
              sql:
                "SELECT count(*) FROM (SELECT DISTINCT \(columns.prefix(length).joined(separator: ", ")) FROM \(table))"
            ) ?? 1
          // ANALYZE's rounding: up, and a column nearly unique (over 10/11 distinct) counts as unique.
          let average = (rows + distinct - 1) / max(distinct, 1)
          stat.append(average == 2 && rows * 10 <= distinct * 11 ? 1 : average)
        }
        stats.append((name, stat.map(String.init).joined(separator: " ")))
      }
      return stats
    }
    guard !stats.isEmpty else { return }
    _ = try mutate(triggers: false) { db in
      try db.execute(sql: "DELETE FROM sqlite_stat1 WHERE tbl = ?", arguments: [table])
      for (index, stat) in stats {
        try db.execute(
          sql: "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", arguments: [table, index, stat])
      }
    }
    try queue.writeWithoutTransaction { db in try db.execute(sql: "ANALYZE sqlite_schema") }
  }

  /// `PRAGMA application_id` of an envreg registry ("EnRg"), set by `init` and by the upgrade to 2.
  public static let applicationID: Int32 = 0x456E_5267

  /// Only `init` creates a registry, owner-only (0600 whatever the umask; SQLite gives -wal and
  /// -shm the same mode). An existing path must be a regular, non-empty file.
  static func checkFile(_ path: String, create: Bool) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      guard create else {
        throw RegistryError.input(
          """
          No registry database at \(path.quoted). Run 'envreg init --db \(path)' to create one, or pass --db PATH \
          (or set ENVREG_DB).
          """
        )
      }
      let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      guard descriptor >= 0 else {
        throw RegistryError.input("Cannot create \(path.quoted): \(String(cString: strerror(errno))).")
      }
      close(descriptor)
      return
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw RegistryError.input("\(path.quoted) is not a regular file; a registry is one SQLite file.")
    }
    guard info.st_size > 0 || create else {
      throw RegistryError.input(
        """
        \(path.quoted) is empty (0 bytes), not a registry: it may have been truncated. Restore it from a backup \
        ('envreg backup'); to start a new registry, run 'envreg init' on it.
        """
      )
    }
  }

  /// Refuses a file that is not an envreg registry before anything in it changes: the application
  /// id is envreg's, or (a registry from before ids, or a new file) 0 with no tables or envreg's own.
  static func checkIdentity(_ db: Database, path: String) throws {
    let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    if id == Store.applicationID { return }
    let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'"))
    guard id == 0, tables.isEmpty || tables.isSuperset(of: ["audit", "enterprise", "policy_parameter"]) else {
      throw RegistryError.input(
        "\(path.quoted) is an SQLite file but not an envreg registry (application id \(id)); it was left unchanged.")
    }
  }

  public static let utcNow: @Sendable () -> String = AuditIdentity.utcNow

  /// Applies `schema.sql` to an empty file, or the migrations after the file's version.
  private func bootstrap(create: Bool, empty: Bool) throws {
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
    defer {
      try? queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA legacy_alter_table = OFF; PRAGMA foreign_keys = ON")
      }
    }
    try mutate(triggers: false) { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      if version > Store.schemaVersion {
        throw RegistryError.input(
          """
          \(self.path.quoted) has schema version \(version), newer than this envreg (\(Store.schemaVersion)). Use a \
          newer envreg.
          """
        )
      }
      if version == 0 {
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'table'") ?? 0
        guard tables == 0 else {
          throw RegistryError.input(
            "\(self.path.quoted) is an SQLite file but not an envreg registry (it has tables and no schema version).")
        }
        guard create || self.path == ":memory:" else {
          throw RegistryError.input("\(self.path.quoted) holds no registry. Only 'envreg init' creates one.")
        }
        try db.execute(sql: Embedded.schema)
        // `envreg copy` fills an empty registry with another's rows, its audit trail included.
        if empty { return }
        try ReferenceData.load(into: db)
        try Seals.sealAll(db)
        try Store.installTriggers(db)
        try Store.analyze(db)
        _ = try self.audit(
          db, action: "registry.init", entityType: "registry", entityKey: "schema", before: nil,
          after: .record(Fields([("schema_version", .int(Store.schemaVersion))] + ReferenceData.counts)))
        return
      }
      for target in (version + 1)...max(version + 1, Store.schemaVersion) where target <= Store.schemaVersion {
        guard let step = Migrations.steps[target] else { continue }
        try step(db)
        if let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
          throw RegistryError.database(
            "upgrading to schema \(target) left a broken reference in \(broken[0] as String? ?? "?"); nothing was changed"
          )
        }
        try db.execute(sql: "PRAGMA user_version = \(target)")
        _ = try self.audit(
          db, action: "registry.migrate", entityType: "registry", entityKey: "schema",
          before: .record(Fields([("schema_version", .int(target - 1))])),
          after: .record(Fields([("schema_version", .int(target))])))
      }
    }
  }

  /// Runs `body` in one immediate transaction; any thrown error rolls everything back.
  /// The triggers are installed first unless `triggers` is false (creating and upgrading the schema).
  func mutate<T>(triggers: Bool = true, _ body: @escaping (Database) throws -> T) throws -> T {
    do {
      return try queue.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          if triggers { try Store.ensureTriggers(db) }
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

  /// Runs a read in a snapshot: the enclosing one's when this thread is already reading this
  /// registry (`snapshot`, or a listing whose rows' handling reads more: `permit list` reads the
  /// policy book for each permit), else a new read transaction bound to the thread while `body` runs.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    if let db = boundDatabase { return try body(db) }
    do {
      return try queue.read { db in
        let key = snapshotKey
        Thread.current.threadDictionary[key] = db
        defer { Thread.current.threadDictionary.removeObject(forKey: key) }
        return try body(db)
      }
    } catch let error as RegistryError {
      throw error
    } catch {
      throw RegistryError.database(Store.describe(error))
    }
  }

  /// Runs `body` with every read of this registry on this thread in one snapshot (one read
  /// transaction): a profile's ten reads agree with each other and cost one transaction. Reads only.
  public func snapshot<T>(_ body: () throws -> T) throws -> T { try read { _ in try body() } }

  /// This thread's snapshot of this registry's connections, if it is inside `snapshot`.
  private var boundDatabase: Database? { Thread.current.threadDictionary[snapshotKey] as? Database }

  private var snapshotKey: String { "envreg.snapshot.\(ObjectIdentifier(queue as AnyObject).hashValue)" }

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
  func audit(_ db: Database, action: String, entityType: String, entityKey: String, before: Value?, after: Value?)
    throws -> Int64
  {
    // Every mutation passes here with its after-image: no stored text can carry a control
    // character (a line break only in multi-line fields) or exceed the longest field.
    if let problem = AuditText.problem(
      .record(Fields([("key", .text(entityKey))] + (after.map { [("after", $0)] } ?? []))), key: entityType)
    {
      throw RegistryError.invalid([problem])
    }
    let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    let id = (last?["id"] as Int64? ?? 0) + 1
    let prevHash = last?["hash"] as String? ?? AuditEntry.genesis
    let at = clock()
    let beforeText = before.map(Render.compactJSON)
    let afterText = after.map(Render.compactJSON)
    let hash = AuditEntry.chainHash(
      id: Int(id), at: at, actor: actor, action: action, entityType: entityType, entityKey: entityKey,
      before: beforeText, after: afterText,
      prevHash: prevHash, osUser: Store.osUser, key: auditKey)
    try db.execute(
      sql:
        """
        INSERT INTO audit (id, at, actor, action, entity_type, entity_key, before, after, prev_hash, hash, os_user,
        keyed)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, at, actor, action, entityType, entityKey, beforeText, afterText, prevHash, hash, Store.osUser,
        auditKey == nil ? 0 : 1,
      ])
    return id
  }

  /// Rewrites the `after` of an audit row written earlier in the same transaction (an import
  /// records its counts once they are known), recomputing its hash.
  func completeAudit(_ db: Database, id: Int64, after: Value) throws {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM audit WHERE id = ?", arguments: [id]) else { return }
    let entry = AuditStore.entry(row)
    let afterText = Render.compactJSON(after)
    var completed = entry
    completed.after = afterText
    let hash = completed.expectedHash(key: auditKey)
    try db.execute(sql: "UPDATE audit SET after = ?, hash = ? WHERE id = ?", arguments: [afterText, hash, id])
  }

}

extension Store {
  /// The schema this binary embeds (the build copies `schema.sql` into the binary).
  public static var schemaSQL: String { Embedded.schema }
}

extension Store {
  /// The registry and its companions: no output may be written over them.
  public var protectedPaths: [String] {
    path == ":memory:" ? [] : [path, path + "-wal", path + "-shm", path + "-journal"]
  }
}

/// A few counts remembered with the registry state they were read in; a different state forgets them.
final class RememberedCounts: @unchecked Sendable {
  private let lock = NSLock()
  private var state: [Int64] = []
  private var counts: [String: Int] = [:]

  func value(for key: String, state: [Int64]) -> Int? {
    lock.withLock { self.state == state ? counts[key] : nil }
  }

  func remember(_ count: Int, for key: String, state: [Int64]) {
    lock.withLock {
      if self.state != state {
        self.state = state
        counts.removeAll()
      }
      if counts.count < 64 { counts[key] = count }
    }
  }
}
