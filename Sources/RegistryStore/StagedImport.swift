import Foundation
import GRDB
import RegistryCore
import RegistryService

/// `enterprise import` without holding the write lock for the whole file (issue 10 item 10).
///
/// 1. **Read and stage**, under a read snapshot only: every row is parsed and validated, looked up in
///    the registry, and staged in TEMP tables (new firms with their final values; changes to known
///    firms as the cells given). Other writers are not blocked at all. A bad row without a reject
///    file ends the import here, with the registry untouched.
/// 2. **Copy new firms** into `enterprise` in short transactions of `chunkRows` rows, each row naming
///    the import run in `pending`: invisible to every read until step 3. Between two transactions
///    the import pauses longer than SQLite's busy-retry interval, so a waiting writer gets in.
/// 3. **Complete** in one short transaction: changes to known firms are applied (re-validated against
///    the firm as it is now) with their history rows, the run is marked done (its firms appear, all
///    at once), and the import's audit row records the counts.
///
/// If anything fails after step 1 the run is abandoned: its rows are deleted (they were never
/// visible) and an audit row says so. If the process dies, its rows stay invisible and the next
/// import abandons the run.
extension Store {
  /// Rows per transaction in step 2: about 0.3 s of work on a 2-core machine.
  static let chunkRows = 20_000
  /// The WAL size past which the copy checkpoints before its next chunk. Another writer's commit runs
  /// SQLite's automatic checkpoint over whatever the WAL holds, so this bounds its wait too (with a
  /// checkpoint every ten chunks the WAL reached 550 MB at 3.4 million firms and a one-row write
  /// took 4.7 s).
  static let checkpointBytes: Int64 = 64 << 20

  /// The size of a file, 0 when it does not exist.
  static func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
  }
  /// The pause between two transactions of step 2: three of envreg's busy retries (5 ms), so a
  /// writer waiting for the lock finds a gap. (A tool using SQLite's own busy timeout retries every
  /// 100 ms and may wait through several transactions.)
  static let chunkPause: UInt32 = 3 * busyRetryMicroseconds

  /// Imports enterprises from a CSV file: new credit codes are registered, known ones updated (each
  /// changed fact a dated history row), identical rows left alone, so a second import of the same file
  /// changes nothing. All or nothing: the file's new firms appear together when the import completes.
  ///
  /// Columns are mapped by header (English or Chinese names, see `EnterpriseField`); an empty cell
  /// leaves the current value. The file is streamed: memory does not grow with its size.
  ///
  /// - Throws: `RegistryError.rejectedRows` listing every bad row (line, field, value, reason) when a
  ///   row is invalid and no reject file was given; the database is then unchanged.
  public func importEnterprises(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    try abandonDeadImports()
    let fileName = source.name
    defer { try? queue.writeWithoutTransaction { db in try db.execute(sql: StagingHandler.dropSQL) } }
    do {
      var (report, rows) = try stage(source, fileName: fileName, rejects: rejects, options: options)
      let run = report.inserted > 0 ? try beginRun(fileName: fileName, report: report) : nil
      do {
        if let run { try copyStaged(run) }
        report = try complete(
          run, fileName: fileName, report: report, rows: rows, rejects: rejects, options: options)
      } catch {
        if let run { try? abandon(run, reason: "the import failed: \(error)") }
        throw error
      }
      // The planner's statistics for the grown table. Best effort: the import is committed, and
      // stale statistics cost speed only, never an answer.
      if report.inserted > 0 { try? refreshStatistics(table: "enterprise") }
      return report
    } catch {
      rejects?.abandon()
      throw error
    }
  }

  /// Step 1: read, validate and stage in TEMP tables under a read snapshot.
  private func stage(
    _ source: any RecordSource, fileName: String, rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> (ImportReport, EnterpriseRows) {
    var report = ImportReport()
    report.encoding = source.encodingName
    var rows = EnterpriseRows(options: options)
    do {
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: StagingHandler.dropSQL + StagingHandler.createSQL)
        var handler = try StagingHandler(db: db, options: options)
        // A deferred transaction that writes only TEMP tables takes no lock on the registry.
        try db.inTransaction(.deferred) {
          try ImportRows.read(source, handler: &handler, rejects: rejects, options: options, into: &report)
          return .commit
        }
        rows = handler.rows
      }
    } catch let error as RegistryError {
      throw error
    } catch {
      throw RegistryError.database(Store.describe(error))
    }
    return (report, rows)
  }

  /// Opens an import run: its row and the audit row its firms will name as their creation.
  private func beginRun(fileName: String, report: ImportReport) throws -> ImportRun {
    try mutate { db in
      let runID = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM import_run")) ?? 1
      let auditID = try self.audit(
        db, action: "enterprise.import.stage", entityType: "import", entityKey: fileName, before: nil,
        after: .record(Fields([("run", .int(Int(runID))), ("new_firms", .int(report.inserted))])))
      try db.execute(
        sql: "INSERT INTO import_run (id, state, pid, file, staged_audit_id) VALUES (?, 'staging', ?, ?, ?)",
        arguments: [runID, Int64(getpid()), fileName, auditID])
      return ImportRun(id: runID, auditID: auditID)
    }
  }

  /// Step 2: the staged new firms into `enterprise`, `chunkRows` per transaction, invisible. In
  /// credit-code order, ids given in that order, so the table and its unique index are appended to
  /// rather than split at random. The WAL is checkpointed whenever it passes `checkpointBytes`, not
  /// after each chunk (unbounded, it reached 2 GB for a million firms, and its shared-memory index
  /// grew the process with it).
  private func copyStaged(_ run: ImportRun) throws {
    try queue.writeWithoutTransaction { db in
      // 32 MiB of page cache: the copy maintains seven enterprise indexes (the default 2 MiB re-reads them).
      try db.execute(sql: "PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768")
    }
    defer {
      try? queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000")
        _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
      }
    }
    var after = ""
    while true {
      if Store.fileSize(path + "-wal") > Store.checkpointBytes {
        try queue.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
      }
      let last: String? = try mutate { db in
        let base = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM enterprise") ?? 0
        let values =
          [("id", "?1 + row_number() OVER (ORDER BY s.credit_code)")]
          + Store.enterpriseFactColumns.map { ($0, "s." + $0) }
          + [("created_audit_id", "?2"), ("updated_audit_id", "?2"), ("pending", "?3")]
        let sql = try Seals.insertSQL(
          db, table: "enterprise", values: values,
          from:
            """
            (SELECT * FROM temp.stage_new WHERE credit_code > ?4 ORDER BY credit_code LIMIT \(Store.chunkRows)) AS \
            s ORDER BY s.credit_code
            """
        )
        try db.execute(sql: sql, arguments: [base, run.auditID, run.id, after])
        try NameIndex.indexFirms(after: base, db)
        return try String.fetchOne(
          db,
          sql:
            """
            SELECT max(credit_code)
            FROM (SELECT credit_code
            FROM temp.stage_new
            WHERE credit_code > ?
            ORDER BY credit_code LIMIT \(Store.chunkRows))
            """,
          arguments: [after])
      }
      guard let last else { break }
      after = last
      usleep(Store.chunkPause)
    }
  }

  /// Step 3: changes to known firms, the run done, the counts audited; one transaction.
  private func complete(
    _ run: ImportRun?, fileName: String, report staged: ImportReport, rows: EnterpriseRows,
    rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> ImportReport {
    try mutate { db in
      var report = staged
      let auditID = try self.audit(
        db, action: "enterprise.import", entityType: "import", entityKey: fileName, before: nil,
        after: .record(Fields([("status", .text("completing"))])))
      report.auditID = Int(auditID)
      var details: [String] = []
      try StagingHandler.forEachStagedChange(db) { change in
        guard let current = try self.fetchEnterprise(db, change.code) else { return }
        var problems: [String] = []
        switch rows.completion(change.fields, onto: current.firm) {
        case .failure(let refused): problems = refused.problems
        case .success(nil):
          report.updated -= 1
          report.unchanged += 1
        case .success(let firm?):
          try db.execute(sql: Store.updateEnterpriseSQL, arguments: Store.updateArguments(for: firm, auditID: auditID))
          try Store.recordChanges(
            db, enterpriseID: current.id, from: current.firm, to: firm, effectiveOn: options.effectiveOn,
            auditID: auditID)
        }
        guard !problems.isEmpty else { return }
        report.updated -= 1
        report.rejected += 1
        if let rejects {
          try rejects.write(line: change.line, problems: problems, fields: change.fields)
        } else {
          details += problems.map { "line \(change.line): \($0)" }
        }
      }
      if !details.isEmpty { throw RegistryError.rejectedRows(count: details.count, details: details) }
      if let run {
        try db.execute(
          sql: "UPDATE import_run SET state = 'done', ended_audit_id = ? WHERE id = ? AND state = 'staging'",
          arguments: [auditID, run.id])
        guard db.changesCount == 1 else {
          throw RegistryError.database("import run \(run.id) was abandoned by another process; nothing was imported")
        }
      }
      var record = report.record
      if let run { record = Fields(record.fields + [("run", .int(Int(run.id)))]) }
      try self.completeAudit(db, id: auditID, after: .record(record))
      try rejects?.commit()
      return report
    }
  }

  /// Deletes an unfinished run's rows (never visible) in short transactions, then marks it abandoned
  /// with an audit row giving the reason.
  func abandon(_ run: ImportRun, reason: String) throws {
    var removed = 0
    while true {
      let deleted = try mutate { db in
        try db.execute(
          sql:
            """
            DELETE
            FROM enterprise
            WHERE rowid IN (SELECT rowid
            FROM enterprise
            WHERE pending = ? LIMIT \(Store.chunkRows))
            """,
          arguments: [run.id])
        return db.changesCount
      }
      removed += deleted
      if deleted == 0 { break }
      usleep(Store.chunkPause)
    }
    try mutate { db in
      let auditID = try self.audit(
        db, action: "enterprise.import.abandon", entityType: "import", entityKey: "run \(run.id)", before: nil,
        after: .record(
          Fields([("run", .int(Int(run.id))), ("removed_staged_firms", .int(removed)), ("reason", .text(reason))])))
      try db.execute(
        sql: "UPDATE import_run SET state = 'abandoned', ended_audit_id = ? WHERE id = ?", arguments: [auditID, run.id])
    }
  }

  /// Abandons runs left `staging` by a process that no longer exists (killed, or the machine
  /// stopped); their rows were never visible.
  func abandonDeadImports() throws {
    let runs = try read { db in
      try Row.fetchAll(db, sql: "SELECT id, pid, staged_audit_id FROM import_run WHERE state = 'staging'")
    }
    for row in runs {
      let pid = pid_t(truncatingIfNeeded: row[1] as Int64)
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }
      try abandon(
        ImportRun(id: row[0], auditID: row[2]),
        reason: "its process (pid \(pid)) ended before the import completed")
    }
  }

  /// SQL true for an enterprise row any read may see: not staged by an import still running.
  static let visible = "(pending IS NULL OR pending IN (SELECT id FROM import_run WHERE state = 'done'))"
}

/// An import run of step 2 and 3: its id and the audit row its firms were created under.
struct ImportRun {
  var id: Int64
  var auditID: Int64
}

/// Step 1's per-row work: validate, look up, stage.
private struct StagingHandler: RowHandler {
  static let dropSQL =
    "DROP TABLE IF EXISTS temp.stage_new; DROP TABLE IF EXISTS temp.stage_change;"
  static let createSQL = """
    CREATE TEMP TABLE stage_new (\(Store.enterpriseFactColumns.map { $0 == "credit_code" ? "credit_code UNIQUE" : $0 }.joined(separator: ", ")));
    CREATE TEMP TABLE stage_change (credit_code TEXT PRIMARY KEY, line INTEGER NOT NULL, fields TEXT NOT NULL);
    """

  let db: Database
  let select: Statement
  let insertNew: FastInsert
  let insertChange: Statement
  /// The header and each row judged as every storage judges them.
  var rows: EnterpriseRows
  var warnings: [String] { rows.warnings }
  var warningCount: Int { rows.warningCount }

  init(db: Database, options: ImportOptions) throws {
    self.db = db
    rows = EnterpriseRows(options: options)
    select = try db.makeStatement(
      sql: """
        SELECT id, NOT \(Store.visible), \(Store.enterpriseColumns) FROM main.enterprise WHERE credit_code = ?
        """)
    let placeholders = Store.enterpriseFactColumns.map { _ in "?" }.joined(separator: ", ")
    insertNew = FastInsert(
      try db.makeStatement(
        sql:
          """
          INSERT INTO temp.stage_new (\(Store.enterpriseFactColumns.joined(separator: ", ")))
          VALUES (\(placeholders))
          ON CONFLICT (credit_code) DO NOTHING
          """
      ), in: db)
    insertChange = try db.makeStatement(
      sql: "INSERT INTO temp.stage_change (credit_code, line, fields) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
  }

  /// The staged changes to known firms, one at a time in file order (a cursor: memory stays flat
  /// whatever the number of changes). The cells are the row's own, read again through the header's
  /// columns.
  static func forEachStagedChange(
    _ db: Database, _ body: ((code: CreditCode, line: Int, fields: [String])) throws -> Void
  ) throws {
    let cursor = try Row.fetchCursor(db, sql: "SELECT credit_code, line, fields FROM temp.stage_change ORDER BY line")
    while let row = try cursor.next() {
      guard let code = CreditCode(stored: row[0]) else { continue }
      try body((code, row[1], try CSVFormat.fields(row[2])))
    }
  }

  mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]? {
    let code: CreditCode
    switch rows.code(of: record) {
    case .failure(let refused): return refused.problems
    case .success(let found): code = found
    }
    let row = try Row.fetchOne(select, arguments: [code.value])
    let staged = row.map { $0[1] as Bool } ?? false
    let existing = try row.flatMap { staged ? nil : try Store.enterprise($0, offset: 2) }
    switch rows.judge(record, existing: existing, staged: staged) {
    case .refused(let problems): return problems
    case .unchanged:
      report.unchanged += 1
      return nil
    case .new(let firm):
      guard try insertNew.run(Store.fastArguments(for: firm)) == 1 else { return EnterpriseRows.duplicate(code) }
      report.inserted += 1
      return nil
    case .change:
      try insertChange.execute(arguments: [code.value, record.line, CSVFormat.line(record.fields)])
      guard db.changesCount == 1 else { return EnterpriseRows.duplicate(code) }
      report.updated += 1
      return nil
    }
  }

  mutating func header(_ record: CSVParser.Record) throws { try rows.header(record) }
}
