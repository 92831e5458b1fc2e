import Foundation
import GRDB
import RegistryCore
import RegistryService

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
  /// The one import driver for every kind but enterprises: streams the file, hands each row to the
  /// handler inside one write transaction, collects or writes rejects, and commits only when every
  /// row was good (or bad rows go to the reject file). The import's audit row records its counts.
  func runImport<Handler: RowHandler>(
    _ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions, action: String,
    makeHandler: @escaping (Database, Int64) throws -> Handler
  ) throws -> ImportReport {
    let fileName = source.name
    do {
      return try mutate { db in
        // 32 MiB of page cache for the import (the default 2 MiB re-reads index pages).
        try db.execute(sql: "PRAGMA cache_size = -32768")
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
        var report = ImportReport()
        report.encoding = source.encodingName
        let auditID = try self.audit(
          db, action: action, entityType: "import", entityKey: fileName, before: nil,
          after: .record(Fields([("status", .text("running"))])))
        report.auditID = Int(auditID)
        var handler = try makeHandler(db, auditID)
        try Store.readRows(
          source, fileName: fileName, handler: &handler, rejects: rejects, options: options, into: &report)
        try self.completeAudit(db, id: auditID, after: .record(report.record))
        // The reject file is whole before the import commits; on any error it never appears.
        try rejects?.commit()
        return report
      }
    } catch {
      rejects?.abandon()
      throw error
    }
  }

  /// Streams `source` through `handler`: the header, then each row, rejected rows to `rejects` (or,
  /// without a reject file, an error listing them once the whole file has been read).
  static func readRows<Handler: RowHandler>(
    _ source: any RecordSource, fileName: String, handler: inout Handler, rejects: (any RejectSink)?,
    options: ImportOptions,
    into report: inout ImportReport
  ) throws {
    var sawHeader = false
    var details: [String] = []
    var rows = report
    let handle: (CSVParser.Record) throws -> Void = { record in
      guard sawHeader else {
        sawHeader = true
        try handler.header(record)
        return
      }
      rows.rows += 1
      var problems: [String]?
      if let malformed = record.malformed {
        problems = ["the row is not valid CSV: \(malformed)"]
      } else {
        problems = try handler.row(record, report: &rows)
      }
      if let problems {
        rows.rejected += 1
        if let rejects {
          try rejects.write(line: record.line, problems: problems, fields: record.fields)
        } else if details.count < 1000 {
          details += problems.map { "line \(record.line): \($0)" }
        }
      }
      if rows.rows % 10_000 == 0 { options.progress?(rows.rows) }
    }
    try source.forEach(handle)
    guard sawHeader else { throw RegistryError.input("\(fileName.quoted) is empty: it has no header row.") }
    if rows.rejected > 0, rejects == nil {
      throw RegistryError.rejectedRows(count: rows.rejected, details: details)
    }
    rows.warningCount = handler.warningCount
    rows.warnings = handler.warnings
    report = rows
  }
}
