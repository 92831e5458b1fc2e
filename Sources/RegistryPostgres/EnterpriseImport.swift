import Foundation
import RegistryCore
import RegistryService

/// `enterprise import` on PostgreSQL: the file read and judged in Swift (EnterpriseRows, as on
/// SQLite), its new firms streamed with `COPY` into a TEMP staging table and its changes kept
/// apart; then one transaction (the registry's advisory lock held) writes the audit row, one
/// `INSERT … SELECT` of the staged firms and the changes with their history. A bad row without a
/// reject file ends the import before that transaction: nothing is written. MVCC keeps the new
/// firms invisible until the commit, so no import run or `pending` marker is needed here.
extension PostgresStore {
  /// Rows judged per look-up: one query finds the registered firms of a whole batch.
  static let importBatch = 5_000

  /// The staging table's columns: the line and cells (for a late duplicate's reject row), then the facts.
  static var stageColumns: [String] { ["line", "fields"] + enterpriseFactColumns }

  func importEnterprises(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    do {
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

  /// The one transaction: audit row, new firms, changes with their history, the counts audited.
  private func complete(_ session: SQLSession, stager: Stager, fileName: String) throws -> ImportReport {
    var report = stager.report
    var details: [String] = []
    try mutate(on: session) { session in
      let auditID = try audit(
        session, action: "enterprise.import", entityType: "import", entityKey: fileName, before: nil,
        after: .record(Fields([("status", .text("completing"))])))
      report.auditID = Int(auditID)
      let facts = PostgresStore.enterpriseFactColumns.joined(separator: ", ")
      try session.execute(
        """
        INSERT INTO enterprise (\(facts), created_audit_id, updated_audit_id)
        SELECT \(facts), ?, ? FROM stage_new ORDER BY credit_code
        """, [auditID, auditID])
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
      try completeAudit(session, id: auditID, after: .record(report.record))
    }
    return report
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
      "SELECT \(PostgresStore.enterpriseColumns) FROM enterprise WHERE credit_code = ANY (?)", [codes])
    {
      let firm = try PostgresStore.enterprise(row)
      found[firm.creditCode.value] = (firm, false)
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
