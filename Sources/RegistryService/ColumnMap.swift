import RegistryCore

/// A CSV column an import reads: its English key, its Chinese header, whether it is required.
public struct ImportColumn: Sendable {
  public let key: String
  public let chinese: String
  public var required = false
  public init(key: String, chinese: String, required: Bool = false) {
    self.key = key
    self.chinese = chinese
    self.required = required
  }
}

/// Maps a header row to columns (English or Chinese names, case and spaces ignored), and reads
/// cells by key. Shared by every import except the enterprise one, which has its own fast path, and by every storage
/// engine: the cells are read and checked the same way whatever stores them.
public struct ColumnMap: Sendable {
  public let columns: [ImportColumn]
  private var index: [String: Int] = [:]
  public private(set) var width = 0
  public private(set) var ignored: [String] = []

  public init(_ columns: [ImportColumn]) { self.columns = columns }

  public mutating func read(_ record: CSVParser.Record) throws {
    width = record.fields.count
    for (position, header) in record.fields.enumerated() {
      let name = normaliseWidth(header).trimmingSpaces().lowercased().replacingOccurrences(" ", with: "_")
      guard let column = columns.first(where: { $0.key == name || $0.chinese == name }) else {
        if !name.isEmpty { ignored.append(header) }
        continue
      }
      guard index[column.key] == nil else {
        throw RegistryError.input(
          "Line \(record.line): the header names \(column.key) twice; keep one column per field.")
      }
      index[column.key] = position
    }
    let missing = columns.filter { $0.required && index[$0.key] == nil }
    guard missing.isEmpty else {
      throw RegistryError.input(
        "Line \(record.line): the header lacks \(missing.map { "\($0.key) (\($0.chinese))" }.joined(separator: ", ")). Columns: \(columns.map { "\($0.key)/\($0.chinese)\($0.required ? " (required)" : "")" }.joined(separator: ", "))."
      )
    }
  }

  /// The trimmed cell for `key`, or `nil` when the column is absent or the cell empty.
  public func value(_ key: String, in record: CSVParser.Record) -> String? {
    guard let position = index[key], position < record.fields.count else { return nil }
    let text = record.fields[position].trimmingSpaces()
    return text.isEmpty ? nil : text
  }
}

/// Reads typed cells of one row, collecting a problem per bad cell (field, value, reason).
public struct CellReader {
  public let map: ColumnMap
  public let record: CSVParser.Record
  public var problems: [String] = []
  /// The ID-1 reason for a code whose check character fails, until `enterpriseID` finds an override.
  public var pendingCodeProblem: String?

  public init(_ map: ColumnMap, _ record: CSVParser.Record) {
    self.map = map
    self.record = record
    if record.fields.count != map.width {
      problems.append("the row has \(record.fields.count) fields, the header has \(map.width)")
    }
  }

  public mutating func problem(_ key: String, _ value: String, _ reason: String) {
    problems.append(FieldProblem(field: key, value: value, reason: reason).description)
  }

  public mutating func text(_ key: String, required: Bool = false) -> String? {
    let value = map.value(key, in: record)
    if value == nil, required { problem(key, "", "is required") }
    if let value, let refusal = FreeText.refusal(value, field: key) {
      problem(key, value, refusal)
      return nil
    }
    return value
  }

  public mutating func day(_ key: String, required: Bool = false) -> Day? {
    guard let raw = text(key, required: required) else { return nil }
    // Dates as spreadsheets hold them (2020/3/5, 2020年3月5日 ...); an ambiguous one is refused.
    guard let day = Day.spreadsheet(raw) else {
      problem(key, raw, Day.spreadsheetRefusal(raw))
      return nil
    }
    return day
  }

  public mutating func vocabulary<V: Vocabulary>(_ key: String, required: Bool = false) -> V? {
    guard let raw = text(key, required: required) else { return nil }
    guard let value = V.parse(raw) else {
      problem(key, raw, "is not one of: \(V.allowedValues)")
      return nil
    }
    return value
  }

  public mutating func creditCode(_ key: String = "credit_code") -> CreditCode? {
    guard let raw = text(key, required: true) else { return nil }
    switch CreditCode.parse(raw) {
    case .success(let code): return code
    case .failure(.checkCharacter(let text, let expected)):
      // Perhaps a firm registered by an ID-7 override: `enterpriseID` decides, with this reason.
      pendingCodeProblem = CodeError.checkCharacter(text, expected: expected).reason
      return CreditCode(stored: text)
    case .failure(let error):
      problem(key, raw, error.reason)
      return nil
    }
  }

  public mutating func money(_ key: String, required: Bool = false) -> Fen? {
    guard let raw = text(key, required: required) else { return nil }
    guard let fen = Fen(yuan: raw), fen.value > 0 else {
      problem(key, raw, "is not an amount in yuan with at most two decimals, greater than zero")
      return nil
    }
    return fen
  }

  public mutating func number(_ key: String, required: Bool = false) -> Double? {
    guard let raw = text(key, required: required) else { return nil }
    guard let value = Double(normaliseWidth(raw)), value.isFinite, value >= 0 else {
      problem(key, raw, "is not a non-negative number")
      return nil
    }
    return value
  }
}
