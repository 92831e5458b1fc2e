import GRDB
import RegistryCore
import RegistryService

extension Store {
  // MARK: Designations and incidents (facts the eligibility rules read)

  static func insertDesignation(
    _ db: Database, enterpriseID: Int64, _ d: DesignationFact, reference: String, auditID: Int64
  ) throws {
    try db.execute(
      sql:
        """
        INSERT INTO designation (enterprise_id, kind, granted_by, valid_from, valid_until, reference, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        enterpriseID, d.kind.rawValue, d.grantedBy, d.validFrom.description, d.validUntil?.description, reference,
        auditID,
      ])
  }

  /// Imports designations: credit_code, kind, granted_by, valid_from, valid_until, reference.
  /// A row identical to a recorded designation (firm, kind, start) is left alone.
  public func importDesignations(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    try runImport(source, rejects: rejects, options: options, action: "designation.import") { db, auditID in
      SimpleRowHandler(columns: [
        ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
        ImportColumn(key: "kind", chinese: "认定类别", required: true),
        ImportColumn(key: "granted_by", chinese: "认定单位", required: true),
        ImportColumn(key: "valid_from", chinese: "起始日期", required: true),
        ImportColumn(key: "valid_until", chinese: "截止日期"), ImportColumn(key: "reference", chinese: "文号"),
      ]) { cells, report in
        let code = cells.creditCode()
        let kind: DesignationKind? = cells.vocabulary("kind", required: true)
        let grantedBy = cells.text("granted_by", required: true)
        let from = cells.day("valid_from", required: true)
        let until = cells.day("valid_until")
        guard cells.problems.isEmpty, let code, let kind, let grantedBy, let from else { return }
        let designation = DesignationFact(kind: kind, grantedBy: grantedBy, validFrom: from, validUntil: until)
        if let problem = designation.periodProblem(field: "valid_until") {
          cells.problems.append(problem.description)
          return
        }
        guard let id = try Store.enterpriseID(db, code, reader: &cells, options: options) else { return }
        if try Bool.fetchOne(
          db, sql: "SELECT 1 FROM designation WHERE enterprise_id = ? AND kind = ? AND valid_from = ?",
          arguments: [id, kind.rawValue, from.description]) == true
        {
          report.unchanged += 1
          return
        }
        try Store.insertDesignation(
          db, enterpriseID: id, designation, reference: cells.text("reference") ?? "", auditID: auditID)
        report.inserted += 1
      }
    }
  }

  /// Imports incidents: credit_code, kind, occurred_on, reference, note. Identical rows are left alone.
  public func importIncidents(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    try runImport(source, rejects: rejects, options: options, action: "incident.import") { db, auditID in
      SimpleRowHandler(columns: [
        ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
        ImportColumn(key: "kind", chinese: "类型", required: true),
        ImportColumn(key: "occurred_on", chinese: "发生日期", required: true),
        ImportColumn(key: "reference", chinese: "文号"),
        ImportColumn(key: "note", chinese: "备注"),
      ]) { cells, report in
        let code = cells.creditCode()
        let kind: IncidentKind? = cells.vocabulary("kind", required: true)
        let on = cells.day("occurred_on", required: true)
        guard cells.problems.isEmpty, let code, let kind, let on,
          let id = try Store.enterpriseID(db, code, reader: &cells, options: options)
        else { return }
        let reference = cells.text("reference") ?? ""
        if try Bool.fetchOne(
          db, sql: "SELECT 1 FROM incident WHERE enterprise_id = ? AND kind = ? AND occurred_on = ? AND reference = ?",
          arguments: [id, kind.rawValue, on.description, reference]) == true
        {
          report.unchanged += 1
          return
        }
        try Store.insertIncident(
          db, enterpriseID: id, IncidentFact(kind: kind, occurredOn: on, reference: reference),
          note: cells.text("note") ?? "", auditID: auditID)
        report.inserted += 1
      }
    }
  }
}

/// A row handler made of a column list and a closure that validates and stores one row.
struct SimpleRowHandler: RowHandler {
  var map: ColumnMap
  let store: (inout CellReader, inout ImportReport) throws -> Void
  var warnings: [String] = []
  var warningCount = 0

  init(columns: [ImportColumn], store: @escaping (inout CellReader, inout ImportReport) throws -> Void) {
    map = ColumnMap(columns)
    self.store = store
  }

  mutating func header(_ record: CSVParser.Record) throws {
    try map.read(record)
    if !map.ignored.isEmpty {
      warningCount += 1
      warnings.append("line \(record.line): ignored columns \(map.ignored.map(\.quoted).joined(separator: ", "))")
    }
  }

  mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]? {
    var cells = CellReader(map, record)
    guard cells.problems.isEmpty else { return cells.problems }
    try store(&cells, &report)
    return cells.problems.isEmpty ? nil : cells.problems
  }
}
