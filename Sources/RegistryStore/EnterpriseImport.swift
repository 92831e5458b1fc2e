import Foundation
import GRDB
import RegistryCore

/// How `enterprise import` reads and what it does with bad rows.
public struct ImportOptions: Sendable {
  public var encoding: TextEncoding = .auto
  /// `--skip-invalid FILE`: load the good rows and write each rejected row, with its reason, here.
  /// When `nil`, any bad row aborts the whole import and nothing is written.
  public var rejectFile: String?
  /// `--force`: the reject file may replace an existing file (never the registry or the input).
  public var force = false
  /// The date the history rows of changed facts carry.
  public var effectiveOn: Day
  /// The default `registered_on` of new enterprises.
  public var today: Day
  /// Called every 10,000 rows with the number of rows read so far.
  public var progress: (@Sendable (Int) -> Void)?

  public init(effectiveOn: Day, today: Day) {
    self.effectiveOn = effectiveOn
    self.today = today
  }
}

/// What an import did.
public struct ImportReport: Sendable, Equatable {
  public var rows = 0
  public var inserted = 0
  public var updated = 0
  public var unchanged = 0
  public var rejected = 0
  public var warningCount = 0
  /// The first warnings (ID-2, ID-3, ignored columns); `warningCount` has the total.
  public var warnings: [String] = []
  public var encoding: String = ""
  public var auditID: Int = 0

  public var record: Fields {
    Fields([
      ("rows", .int(rows)), ("inserted", .int(inserted)), ("updated", .int(updated)), ("unchanged", .int(unchanged)),
      ("rejected", .int(rejected)), ("warnings", .int(warningCount)), ("encoding", .text(encoding)),
      ("audit_id", .int(auditID)),
    ])
  }
}

/// The per-row work of one kind of import, plugged into `Store.runImport`.
protocol RowHandler {
  /// Maps the header row; throws `RegistryError.input` for a missing or repeated column.
  mutating func header(_ record: CSVParser.Record) throws
  /// Validates and stores one row: `nil` when stored, else the reasons it was rejected.
  mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]?
  /// Warnings collected while importing (shown after the import).
  var warnings: [String] { get }
  var warningCount: Int { get }
}

extension Store {
  /// Imports enterprises from a CSV file in one transaction: new credit codes are registered,
  /// known ones updated (each changed fact a dated history row), identical rows left alone, so a
  /// second import of the same file changes nothing.
  ///
  /// Columns are mapped by header (English or Chinese names, see `EnterpriseField`); an empty
  /// cell leaves the current value. The file is streamed: memory does not grow with its size.
  ///
  /// - Throws: `RegistryError.rejectedRows` listing every bad row (line, field, value, reason)
  ///   when a row is invalid and no reject file was given; the database is then unchanged.
  public func importEnterprises(from path: String, options: ImportOptions) throws -> ImportReport {
    try runImport(from: path, options: options, action: "enterprise.import") { db, auditID in
      try RowImporter(db: db, auditID: auditID, options: options)
    }
  }

  /// The one import driver: streams the file, hands each row to the handler, collects or writes
  /// rejects, and commits only when every row was good (or bad rows go to the reject file). The
  /// import's audit row records its counts.
  func runImport<Handler: RowHandler>(
    from path: String, options: ImportOptions, action: String,
    makeHandler: @escaping (Database, Int64) throws -> Handler
  ) throws -> ImportReport {
    let source = try ByteSource(path: path, encoding: options.encoding)
    let rejects = try options.rejectFile.map {
      try RejectWriter(path: $0, force: options.force, protected: protectedPaths + [path])
    }
    var report = ImportReport()
    report.encoding = source.encoding.rawValue
    let fileName = URL(fileURLWithPath: path).lastPathComponent
    do {
      report = try mutate { db in
        // 32 MiB of page cache for the import: it maintains six enterprise indexes, and the default
        // 2 MiB makes it re-read their pages. Reads keep the default (a bigger cache only costs
        // page faults when pages are read once).
        try db.execute(sql: "PRAGMA cache_size = -32768")
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
        var report = report
        let auditID = try self.audit(
          db, action: action, entityType: "import", entityKey: fileName, before: nil,
          after: .record(Fields([("status", .text("running"))])))
        report.auditID = Int(auditID)
        var handler = try makeHandler(db, auditID)
        var sawHeader = false
        var details: [String] = []
        var parser = CSVParser()
        let handle: (CSVParser.Record) throws -> Void = { record in
          guard sawHeader else {
            sawHeader = true
            try handler.header(record)
            return
          }
          report.rows += 1
          var problems: [String]?
          if let malformed = record.malformed {
            problems = ["the row is not valid CSV: \(malformed)"]
          } else {
            problems = try handler.row(record, report: &report)
          }
          if let problems {
            report.rejected += 1
            if let rejects {
              try rejects.write(line: record.line, problems: problems, fields: record.fields)
            } else if details.count < 1000 {
              details += problems.map { "line \(record.line): \($0)" }
            }
          }
          if report.rows % 10_000 == 0 { options.progress?(report.rows) }
        }
        while let chunk = try source.next() { try parser.feed(chunk, handle) }
        try parser.finish(handle)
        guard sawHeader else { throw RegistryError.input("\(fileName.quoted) is empty: it has no header row.") }
        if report.rejected > 0, rejects == nil {
          throw RegistryError.rejectedRows(count: report.rejected, details: details)
        }
        report.warningCount = handler.warningCount
        report.warnings = handler.warnings
        try self.completeAudit(db, id: auditID, after: .record(report.record))
        // The reject file is whole before the import commits; on any error it never appears.
        try rejects?.commit()
        return report
      }
    } catch {
      rejects?.abandon()
      throw error
    }
    return report
  }
}

/// Writes rejected rows: `line,reason` then the row's own fields, through an `OutputFile`.
final class RejectWriter {
  let file: OutputFile
  private var buffer: [UInt8] = []

  init(path: String, force: Bool, protected: [String]) throws {
    file = try OutputFile(path: path, force: force, protected: protected)
    buffer.append(contentsOf: CSVFormat.line(["line", "reason", "fields..."]).utf8)
  }

  func write(line: Int, problems: [String], fields: [String]) throws {
    buffer.append(contentsOf: CSVFormat.line([String(line), problems.joined(separator: "; ")] + fields).utf8)
    if buffer.count >= 1 << 16 { try flush() }
  }

  private func flush() throws {
    try file.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  func commit() throws {
    try flush()
    try file.commit()
  }

  func abandon() { file.abandon() }
}

/// The per-row work of an import, with its prepared statements.
private struct RowImporter: RowHandler {
  enum Outcome { case inserted, updated, unchanged, rejected([String]) }

  let db: Database
  let auditID: Int64
  let options: ImportOptions
  let select: Statement
  let insert: FastInsert
  let update: Statement
  var columns: [EnterpriseField?] = []
  var nextID: Int64
  var headerCount = 0
  var warnings: [String] = []
  var warningCount = 0

  init(db: Database, auditID: Int64, options: ImportOptions) throws {
    self.db = db
    self.auditID = auditID
    self.options = options
    select = try db.makeStatement(
      sql:
        "SELECT id, created_audit_id, updated_audit_id, \(Store.enterpriseColumns) FROM enterprise WHERE credit_code = ?"
    )
    // The row and its seal in one statement, with the id assigned here (the seal covers it).
    let columns = ["id"] + Store.enterpriseInsertColumns
    insert = FastInsert(
      try db.makeStatement(
        sql: try Seals.insertSQL(db, table: "enterprise", columns: columns) + " ON CONFLICT (credit_code) DO NOTHING"),
      in: db)
    nextID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM enterprise") ?? 1
    update = try db.makeStatement(sql: Store.updateEnterpriseSQL)
  }

  mutating func warn(_ text: String) {
    warningCount += 1
    if warnings.count < 100 { warnings.append(text) }
  }

  mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]? {
    if case .rejected(let problems) = try handle(record, report: &report) { return problems }
    return nil
  }

  mutating func handle(_ record: CSVParser.Record, report: inout ImportReport) throws -> Outcome {
    guard record.fields.count == headerCount else {
      return .rejected(["the row has \(record.fields.count) fields, the header has \(headerCount)"])
    }
    var input = EnterpriseInput()
    for (index, field) in columns.enumerated() {
      if let field { input[field] = record.fields[index] }
    }
    // Fast path: a complete, valid row for a code not yet registered is inserted directly; the
    // unique credit code turns a known firm into a no-op insert, handled below as an update.
    let asNew = input.resolve(onto: nil, today: options.today, blankKeepsValue: true)
    if case .valid(let firm, let rowWarnings) = asNew {
      if try insert.run([.int(nextID)] + Store.fastArguments(for: firm, auditID: auditID)) == 1 {
        nextID += 1
        for warning in rowWarnings { warn("line \(record.line): \(warning)") }
        report.inserted += 1
        return .inserted
      }
    }
    guard let raw = input[.creditCode], case .success(let code) = CreditCode.parse(raw),
      let row = try Row.fetchOne(select, arguments: [code.value])
    else {
      if case .invalid(let problems) = asNew { return .rejected(problems.map(\.description)) }
      return .rejected(["the row could not be stored"])
    }
    let created: Int64 = row["created_audit_id"], updated: Int64 = row["updated_audit_id"]
    if created == auditID || updated == auditID {
      return .rejected([
        "credit_code \(code.value.quoted): appears more than once in this file; keep one row per enterprise"
      ])
    }
    let id: Int64 = row["id"]
    let old = try Store.enterprise(row, offset: 3)
    switch input.resolve(onto: old, today: options.today, blankKeepsValue: true) {
    case .invalid(let problems):
      return .rejected(problems.map(\.description))
    case .valid(let firm, _):
      let changed = firm.changedFields(from: old)
      if changed.isEmpty {
        report.unchanged += 1
        return .unchanged
      }
      guard old.status == .active else {
        return .rejected([
          "credit_code \(old.creditCode.value.quoted): the enterprise was deregistered on \(old.closedOn?.description ?? "?"); its facts are frozen"
        ])
      }
      try update.execute(arguments: Store.updateArguments(for: firm, auditID: auditID))
      try Store.recordChanges(
        db, enterpriseID: id, from: old, to: firm, effectiveOn: options.effectiveOn, auditID: auditID)
      report.updated += 1
      return .updated
    }
  }

  mutating func header(_ record: CSVParser.Record) throws {
    headerCount = record.fields.count
    var seen: Set<EnterpriseField> = []
    var ignored: [String] = []
    for header in record.fields {
      let field = EnterpriseField.forHeader(header)
      if let field {
        guard seen.insert(field).inserted else {
          throw RegistryError.input(
            "Line \(record.line): the header names \(field.rawValue) twice (\(header.quoted)); keep one column per field."
          )
        }
      } else if !header.trimmingSpaces().isEmpty {
        ignored.append(header)
      }
      columns.append(field)
    }
    let missing = EnterpriseField.allCases.filter { $0.isRequired && !seen.contains($0) }
    guard missing.isEmpty else {
      let accepted = EnterpriseField.allCases.map { "\($0.rawValue)/\($0.chineseHeader)" }.joined(separator: ", ")
      throw RegistryError.input(
        "Line \(record.line): the header lacks \(missing.map { "\($0.rawValue) (\($0.chineseHeader))" }.joined(separator: ", ")). Accepted columns: \(accepted)."
      )
    }
    if !ignored.isEmpty {
      warn("line \(record.line): ignored columns \(ignored.map(\.quoted).joined(separator: ", "))")
    }
  }
}
