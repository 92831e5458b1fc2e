import RegistryCore
import RegistryService

/// The rows of a bureau's spreadsheet as an importer wants them (issue 15): the header found among
/// the first ten rows (title rows above it are skipped and reported), fully blank rows skipped, and
/// the summary and sign-off rows a filed table ends with (合计, 总计, 填报单位, 填表人, 制表 ...)
/// skipped with a warning naming each. A summary-looking row followed by data is passed on as data
/// (the importer then says what is wrong with it): only the trailing ones are dropped.
public final class TolerantRecords: RecordSource {
  let source: any RecordSource
  /// What was skipped, one warning per row (the import report lists them).
  public private(set) var notes: [String] = []

  public init(_ source: any RecordSource) { self.source = source }

  public var name: String { source.name }
  public var encodingName: String { source.encodingName }

  static let summaryWords = ["合计", "总计", "小计", "填报单位", "填表人", "填报人", "制表", "审核人", "审核", "填报日期", "联系电话", "负责人"]

  static func cells(_ record: CSVParser.Record) -> [String] {
    record.fields.map { normaliseWidth($0).trimmingSpaces() }.filter { !$0.isEmpty }
  }

  /// Whether the row is blank: checked byte by byte, as it is asked of every row of every import.
  static func isBlank(_ record: CSVParser.Record) -> Bool {
    record.fields.allSatisfy { field in
      field.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } || normaliseWidth(field).trimmingSpaces().isEmpty
    }
  }

  static func isSummary(_ record: CSVParser.Record) -> Bool {
    // A data row's first cell is a code or a number: only a row starting with a non-ASCII byte can
    // be a summary row, and only those are looked at closely.
    guard let firstField = record.fields.first(where: { !$0.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }),
      let lead = firstField.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }), lead >= 0x80,
      let first = cells(record).first
    else { return false }
    return summaryWords.contains { first.hasPrefix($0) }
  }

  public func forEach(_ body: (CSVParser.Record) throws -> Void) throws {
    notes = []
    var head: [CSVParser.Record] = []
    var headerFound = false
    var held: [CSVParser.Record] = []
    func data(_ record: CSVParser.Record) throws {
      if TolerantRecords.isSummary(record) {
        held.append(record)
        return
      }
      for earlier in held { try body(earlier) }
      held = []
      try body(record)
    }
    func chooseHeader() throws {
      headerFound = true
      // The header: the first row with at least 60% of the widest of these rows' filled cells
      // (and two); a title row above it has one or two.
      let widest = head.map { TolerantRecords.cells($0).count }.max() ?? 0
      let needed = max(2, (widest * 6 + 9) / 10)
      let index = head.firstIndex { $0.malformed != nil || TolerantRecords.cells($0).count >= needed } ?? 0
      for title in head[..<index] {
        notes.append(
          "line \(title.line) skipped above the header: \(TolerantRecords.cells(title).joined(separator: " ").quoted)")
      }
      for record in head[index...] {
        if record.line == head[index].line { try body(record) } else { try data(record) }
      }
      head = []
    }
    try source.forEach { record in
      if record.malformed == nil && TolerantRecords.isBlank(record) { return }
      if headerFound {
        try data(record)
      } else {
        head.append(record)
        if head.count == 10 { try chooseHeader() }
      }
    }
    if !headerFound, !head.isEmpty { try chooseHeader() }
    for record in held {
      notes.append(
        "line \(record.line) skipped after the data: \(TolerantRecords.cells(record).joined(separator: " ").quoted)")
    }
  }
}
