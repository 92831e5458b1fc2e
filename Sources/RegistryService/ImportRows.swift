import RegistryCore

/// The per-row work of one kind of import, driven by `ImportRows.read`.
public protocol RowHandler {
  /// Maps the header row; throws `RegistryError.input` for a missing or repeated column.
  mutating func header(_ record: CSVParser.Record) throws
  /// Validates and stores one row: `nil` when stored, else the reasons it was rejected.
  mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]?
  /// Warnings collected while importing (shown after the import).
  var warnings: [String] { get }
  /// How many warnings there were (only the first are kept).
  var warningCount: Int { get }
}

/// Reads an import's records through a row handler: the header first, then every row; a bad row
/// goes to the reject file when there is one, else the import is refused with every bad row listed.
public enum ImportRows {

  /// Streams `source` through `handler`: the header, then each row, rejected rows to `rejects` (or,
  /// without a reject file, an error listing them once the whole file has been read).
  public static func read<Handler: RowHandler>(
    _ source: any RecordSource, handler: inout Handler, rejects: (any RejectSink)?,
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
    guard sawHeader else { throw RegistryError.input("\(source.name.quoted) is empty: it has no header row.") }
    if rows.rejected > 0, rejects == nil {
      throw RegistryError.rejectedRows(count: rows.rejected, details: details)
    }
    rows.warningCount = handler.warningCount
    rows.warnings = handler.warnings
    report = rows
  }
}

/// A row handler made of a column list and a closure that validates and stores one row.
public struct SimpleRowHandler: RowHandler {
  public var map: ColumnMap
  let store: (inout CellReader, inout ImportReport) throws -> Void
  public var warnings: [String] = []
  public var warningCount = 0

  public init(columns: [ImportColumn], store: @escaping (inout CellReader, inout ImportReport) throws -> Void) {
    map = ColumnMap(columns)
    self.store = store
  }

  public mutating func header(_ record: CSVParser.Record) throws {
    try map.read(record)
    if !map.ignored.isEmpty {
      warningCount += 1
      warnings.append("line \(record.line): ignored columns \(map.ignored.map(\.quoted).joined(separator: ", "))")
    }
  }

  public mutating func row(_ record: CSVParser.Record, report: inout ImportReport) throws -> [String]? {
    var cells = CellReader(map, record)
    guard cells.problems.isEmpty else { return cells.problems }
    try store(&cells, &report)
    return cells.problems.isEmpty ? nil : cells.problems
  }
}
