import Foundation
import RegistryCore
import RegistryService

/// `enterprise import` on PostgreSQL, in the SQLite storage's three steps:
/// 1. **Read and stage**, holding no lock: the file's rows judged in Swift (EnterpriseRows, as on
///    SQLite) in batches of one look-up each, new firms streamed with `COPY` into a TEMP staging
///    table, changes kept apart. A bad row without a reject file ends the import here: nothing written.
/// 2. **Copy new firms** into `enterprise` in short transactions of `chunkRows` (one `INSERT … SELECT`
///    each, the registry's advisory lock held only for that), each row naming the import run in
///    `pending`: invisible to every read until step 3, so other writers wait seconds, not the file.
/// 3. **Complete** in one short transaction: the changes with their history, the run marked done
///    (its firms appear at once), the counts audited.
/// The importing session holds a session-level advisory lock on its run (`runLock`): a run whose
/// lock is free was left by a session that ended (on any machine), and the next import abandons it.
extension PostgresStore {
  /// Rows judged per look-up: one query finds the registered firms of a whole batch.
  static let importBatch = 5_000
  /// New firms per transaction of step 2 (about a second of the writers' wait at 1M firms).
  static let chunkRows = 20_000
  /// The two-key advisory lock an import run's session holds while it runs.
  static func runLock(_ run: Int64) -> String { "pg_advisory_lock(\(applicationID), \(run))" }

  /// The staging table's columns: the line and cells (for a late duplicate's reject row), then the facts.
  static var stageColumns: [String] { ["line", "fields"] + enterpriseFactColumns }

  func importEnterprises(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    do {
      try abandonEndedImports()
      return try pool.with { session in
        try session.execute("DROP TABLE IF EXISTS pg_temp.stage_new")
        try session.execute("DROP TABLE IF EXISTS pg_temp.stage_change")
        try session.execute(
          "CREATE TEMP TABLE stage_new (line bigint NOT NULL, fields text NOT NULL, "
            + PostgresStore.enterpriseFactColumns.map {
              $0 + (["key_discharge_unit", "near_yangtze"].contains($0) ? " bigint" : " text COLLATE \"C\"")
            }.joined(separator: ", ") + ")")
        try session.execute(
          "CREATE TEMP TABLE stage_change (credit_code text PRIMARY KEY, line bigint NOT NULL, fields text NOT NULL)")
        defer {
          _ = try? session.execute("DROP TABLE IF EXISTS pg_temp.stage_new")
          _ = try? session.execute("DROP TABLE IF EXISTS pg_temp.stage_change")
        }
        var stager = Stager(session: session, rows: EnterpriseRows(options: options), rejects: rejects)
        stager.report.encoding = source.encodingName
        try stager.read(source)
        try stager.rejectDuplicates()
        if stager.report.rejected > 0, rejects == nil {
          throw RegistryError.rejectedRows(count: stager.report.rejected, details: stager.details)
        }
        let report = try complete(session, stager: stager, fileName: source.name)
        try rejects?.commit()
        return report
      }
    } catch {
      rejects?.abandon()
      throw error
    }
  }

  /// Steps 2 and 3 (see above); a failure after step 1 abandons the run.
  private func complete(_ session: SQLSession, stager: Stager, fileName: String) throws -> ImportReport {
    var run: (id: Int64, auditID: Int64)?
    if stager.report.inserted > 0 {
      run = try mutate(on: session) { session in
        let runID = try session.one("SELECT coalesce(max(id), 0) + 1 FROM import_run")?.int64(0) ?? 1
        let auditID = try audit(
          session, action: "enterprise.import.stage", entityType: "import", entityKey: fileName, before: nil,
          after: .record(Fields([("run", .int(Int(runID))), ("new_firms", .int(stager.report.inserted))])))
        try session.execute(
          "INSERT INTO import_run (id, state, pid, file, staged_audit_id) VALUES (?, 'staging', ?, ?, ?)",
          [runID, Int64(getpid()), fileName, auditID])
        return (runID, auditID)
      }
    }
    if let run { try session.execute("SELECT \(PostgresStore.runLock(run.id))") }
    defer {
      if let run { _ = try? session.execute("SELECT pg_advisory_unlock(\(PostgresStore.applicationID), \(run.id))") }
    }
    do {
      if let run { try copyStaged(session, run: run) }
      return try finish(session, run: run, stager: stager, fileName: fileName)
    } catch {
      if let run { try? abandon(session, run: run.id, reason: "the import failed: \(error)") }
      throw error
    }
  }

  /// Step 2: the staged firms in credit-code order, `chunkRows` per transaction, invisible. (The
  /// staging table is indexed by code first: each chunk is then a range, not a sort of the table.)
  private func copyStaged(_ session: SQLSession, run: (id: Int64, auditID: Int64)) throws {
    try session.execute("CREATE INDEX ON stage_new (credit_code)")
    try session.execute("ANALYZE stage_new")
    let facts = PostgresStore.enterpriseFactColumns.joined(separator: ", ")
    var after = ""
    while true {
      let last = try mutate(on: session) { session -> String? in
        let chunk =
          "SELECT * FROM stage_new WHERE credit_code > ? ORDER BY credit_code LIMIT \(PostgresStore.chunkRows)"
        try session.execute(
          """
          INSERT INTO enterprise (\(facts), created_audit_id, updated_audit_id, pending)
          SELECT \(facts), ?, ?, ? FROM (\(chunk)) s ORDER BY credit_code
          """, [run.auditID, run.auditID, run.id, after])
        return try session.one("SELECT max(credit_code) FROM (\(chunk)) s", [after])?.text(0)
      }
      guard let last else { return }
      after = last
    }
  }

  /// Step 3: changes with their history, the run done, the counts audited; one transaction.
  private func finish(
    _ session: SQLSession, run: (id: Int64, auditID: Int64)?, stager: Stager, fileName: String
  ) throws -> ImportReport {
    var report = stager.report
    var details: [String] = []
    try mutate(on: session) { session in
      let auditID = try audit(
        session, action: "enterprise.import", entityType: "import", entityKey: fileName, before: nil,
        after: .record(Fields([("status", .text("completing"))])))
      report.auditID = Int(auditID)
      let changes = try session.rows("SELECT credit_code, line, fields FROM stage_change ORDER BY line")
      for change in changes {
        guard let code = CreditCode(stored: try change.string(0)),
          let current = try fetchEnterprise(session, code)
        else { continue }
        let fields = try CSVFormat.fields(try change.string(2))
        switch stager.rows.completion(fields, onto: current.firm) {
        case .success(nil):
          report.updated -= 1
          report.unchanged += 1
        case .success(let firm?):
          try PostgresTransaction(store: self, session: session).updateEnterprise(
            from: current.firm, to: firm, effectiveOn: stager.rows.options.effectiveOn, auditID: auditID)
        case .failure(let refused):
          report.updated -= 1
          report.rejected += 1
          if let rejects = stager.rejects {
            try rejects.write(line: try change.int(1), problems: refused.problems, fields: fields)
          } else {
            details += refused.problems.map { "line \((try? change.int(1)) ?? 0): \($0)" }
          }
        }
      }
      if !details.isEmpty { throw RegistryError.rejectedRows(count: details.count, details: details) }
      var record = report.record
      if let run {
        let done = try session.execute(
          "UPDATE import_run SET state = 'done', ended_audit_id = ? WHERE id = ? AND state = 'staging'",
          [auditID, run.id])
        guard done == 1 else {
          throw RegistryError.database("import run \(run.id) was abandoned by another process; nothing was imported")
        }
        record = Fields(record.fields + [("run", .int(Int(run.id)))])
      }
      try completeAudit(session, id: auditID, after: .record(record))
    }
    return report
  }

  /// Deletes an unfinished run's firms (never visible) in short transactions, then marks it
  /// abandoned with an audit row giving the reason.
  func abandon(_ session: SQLSession, run: Int64, reason: String) throws {
    var removed = 0
    while true {
      let deleted = try mutate(on: session) { session in
        try session.execute(
          "DELETE FROM enterprise WHERE id IN "
            + "(SELECT id FROM enterprise WHERE pending = ? LIMIT \(PostgresStore.chunkRows))",
          [run])
      }
      removed += deleted
      if deleted == 0 { break }
    }
    try mutate(on: session) { session in
      let auditID = try audit(
        session, action: "enterprise.import.abandon", entityType: "import", entityKey: "run \(run)", before: nil,
        after: .record(
          Fields([("run", .int(Int(run))), ("removed_staged_firms", .int(removed)), ("reason", .text(reason))])))
      try session.execute(
        "UPDATE import_run SET state = 'abandoned', ended_audit_id = ? WHERE id = ?", [auditID, run])
    }
  }

  /// Abandons runs left `staging` by a session that has ended (its run lock is free), on whichever
  /// machine it ran.
  func abandonEndedImports() throws {
    try pool.with { session in
      for row in try session.rows("SELECT id FROM import_run WHERE state = 'staging'") {
        let run = try row.int64(0)
        guard try session.one("SELECT pg_try_advisory_lock(\(PostgresStore.applicationID), \(run))")?.bool(0) == true
        else { continue }
        defer { _ = try? session.execute("SELECT pg_advisory_unlock(\(PostgresStore.applicationID), \(run))") }
        try abandon(session, run: run, reason: "its session ended before the import completed")
      }
    }
  }

  /// Rewrites the `after` of an audit row written earlier in the same transaction (the import's
  /// counts, once known), recomputing its hash.
  func completeAudit(_ session: SQLSession, id: Int64, after: Value) throws {
    guard let row = try session.one("SELECT \(PostgresStore.auditColumns) FROM audit WHERE id = ?", [id]) else {
      return
    }
    var entry = try PostgresStore.auditEntry(row)
    entry.after = Render.compactJSON(after)
    try session.execute(
      "UPDATE audit SET after = ?, hash = ? WHERE id = ?", [entry.after, entry.expectedHash(key: auditKey), id])
  }
}

/// Step 1: the file's rows judged in batches and staged.
private struct Stager {
  let session: SQLSession
  var rows: EnterpriseRows
  let rejects: (any RejectSink)?
  var report = ImportReport()
  var details: [String] = []
  /// Rows waiting for their batch's look-up, with the code each names or why it names none: judged
  /// in file order, so messages and reject rows come in the file's order.
  private var batch: [(record: CSVParser.Record, code: Result<CreditCode, RowProblems>)] = []
  /// The new firms' codes of the current batch (a later batch's duplicates are found in staging).
  private var batchCodes: Set<String> = []
  private var changed: Set<String> = []

  init(session: SQLSession, rows: EnterpriseRows, rejects: (any RejectSink)?) {
    self.session = session
    self.rows = rows
    self.rejects = rejects
  }

  mutating func read(_ source: any RecordSource) throws {
    var sawHeader = false
    try source.forEach { record in
      guard sawHeader else {
        sawHeader = true
        try rows.header(record)
        return
      }
      report.rows += 1
      if let malformed = record.malformed {
        batch.append((record, .failure(RowProblems(["the row is not valid CSV: \(malformed)"]))))
      } else {
        batch.append((record, rows.code(of: record)))
      }
      if batch.count >= PostgresStore.importBatch { try flush() }
      if report.rows % 10_000 == 0 { rows.options.progress?(report.rows) }
    }
    guard sawHeader else { throw RegistryError.input("\(source.name.quoted) is empty: it has no header row.") }
    try flush()
    report.warnings = rows.warnings
    report.warningCount = rows.warningCount
  }

  private mutating func refuse(_ record: CSVParser.Record, _ problems: [String]) throws {
    report.rejected += 1
    if let rejects {
      try rejects.write(line: record.line, problems: problems, fields: record.fields)
    } else if details.count < 1000 {
      details += problems.map { "line \(record.line): \($0)" }
    }
  }

  /// Looks up a batch's codes in one query, judges each row, and copies the new firms to staging.
  private mutating func flush() throws {
    guard !batch.isEmpty else { return }
    var found: [String: (firm: Enterprise?, staged: Bool)] = [:]
    let codes = batch.compactMap { try? $0.code.get().value }
    for row in try session.rows(
      "SELECT NOT \(PostgresStore.visible), \(PostgresStore.enterpriseColumns) FROM enterprise "
        + "WHERE credit_code = ANY (?)",
      [codes])
    {
      let staged = try row.bool(0)
      let firm = try PostgresStore.enterprise(row, offset: 1)
      found[firm.creditCode.value] = (staged ? nil : firm, staged)
    }
    var copy = ""
    var changes: [[any SQLBindable]] = []
    batchCodes.removeAll(keepingCapacity: true)
    for (record, looked) in batch {
      let code: CreditCode
      switch looked {
      case .failure(let refused):
        try refuse(record, refused.problems)
        continue
      case .success(let named): code = named
      }
      let known = found[code.value]
      switch rows.judge(record, existing: known?.firm, staged: known?.staged ?? false) {
      case .refused(let problems): try refuse(record, problems)
      case .unchanged: report.unchanged += 1
      case .new(let firm):
        guard batchCodes.insert(code.value).inserted else {
          try refuse(record, EnterpriseRows.duplicate(code))
          continue
        }
        let fields = [String(record.line), CSVFormat.line(record.fields)] + PostgresStore.copyFields(firm)
        copy += fields.map(SQLSession.copyField).joined(separator: "\t") + "\n"
        report.inserted += 1
      case .change:
        guard changed.insert(code.value).inserted else {
          try refuse(record, EnterpriseRows.duplicate(code))
          continue
        }
        changes.append([code.value, record.line, CSVFormat.line(record.fields)])
        report.updated += 1
      }
    }
    try session.copy(into: "stage_new", columns: PostgresStore.stageColumns, text: copy)
    try session.insert(into: "stage_change", columns: ["credit_code", "line", "fields"], rows: changes)
    batch.removeAll(keepingCapacity: true)
  }

  /// A code on more than one new row: the first row stands, every later one is refused (as SQLite's
  /// staging keeps the first).
  mutating func rejectDuplicates() throws {
    // One sort of the staged codes (a correlated look-up per row would be quadratic here: the
    // staging table has no index).
    let later = """
      SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY credit_code ORDER BY line) AS n FROM stage_new) r
      WHERE n > 1
      """
    let duplicates = try session.rows(
      "SELECT s.line, s.fields, s.credit_code FROM stage_new s WHERE s.line IN (\(later)) ORDER BY s.line")
    guard !duplicates.isEmpty else { return }
    for row in duplicates {
      guard let code = CreditCode(stored: try row.string(2)) else { continue }
      let fields = try CSVFormat.fields(try row.string(1))
      let record = CSVParser.Record(fields: fields, line: try row.int(0))
      try refuse(record, EnterpriseRows.duplicate(code))
      report.inserted -= 1
    }
    try session.execute("DELETE FROM stage_new WHERE line IN (\(later))")
  }
}

extension PostgresStore {
  /// A firm's facts as COPY text fields, in `enterpriseFactColumns` order.
  static func copyFields(_ firm: Enterprise) -> [String?] {
    [
      firm.creditCode.value, firm.name, firm.regionCode, firm.industryCode, firm.process.rawValue, firm.fuel.rawValue,
      firm.address, firm.legalRep, firm.contact, firm.keyDischargeUnit.map { $0 ? "1" : "0" },
      firm.permitClass?.rawValue, firm.onlineMonitoring?.rawValue, firm.grade.rawValue, firm.creditRating.rawValue,
      firm.facilityType.rawValue, firm.nearYangtze.map { $0 ? "1" : "0" }, firm.registeredOn.description,
      firm.codeOverride,
    ]
  }
}
