import GRDB
import RegistryCore
import RegistryService

/// A CSV column an import reads: its English key, its Chinese header, whether it is required.
struct Column {
  let key: String
  let chinese: String
  var required = false
}

/// Maps a header row to columns (English or Chinese names, case and spaces ignored), and reads
/// cells by key. Shared by every import except the enterprise one, which has its own fast path.
struct ColumnMap {
  let columns: [Column]
  private var index: [String: Int] = [:]
  private(set) var width = 0
  private(set) var ignored: [String] = []

  init(_ columns: [Column]) { self.columns = columns }

  mutating func read(_ record: CSVParser.Record) throws {
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
  func value(_ key: String, in record: CSVParser.Record) -> String? {
    guard let position = index[key], position < record.fields.count else { return nil }
    let text = record.fields[position].trimmingSpaces()
    return text.isEmpty ? nil : text
  }
}

/// Reads typed cells of one row, collecting a problem per bad cell (field, value, reason).
struct CellReader {
  let map: ColumnMap
  let record: CSVParser.Record
  var problems: [String] = []
  /// The ID-1 reason for a code whose check character fails, until `enterpriseID` finds an override.
  var pendingCodeProblem: String?

  init(_ map: ColumnMap, _ record: CSVParser.Record) {
    self.map = map
    self.record = record
    if record.fields.count != map.width {
      problems.append("the row has \(record.fields.count) fields, the header has \(map.width)")
    }
  }

  mutating func problem(_ key: String, _ value: String, _ reason: String) {
    problems.append(FieldProblem(field: key, value: value, reason: reason).description)
  }

  mutating func text(_ key: String, required: Bool = false) -> String? {
    let value = map.value(key, in: record)
    if value == nil, required { problem(key, "", "is required") }
    if let value, let refusal = FreeText.refusal(value, field: key) {
      problem(key, value, refusal)
      return nil
    }
    return value
  }

  mutating func day(_ key: String, required: Bool = false) -> Day? {
    guard let raw = text(key, required: required) else { return nil }
    guard let day = Day(normaliseWidth(raw)) else {
      problem(key, raw, Day.refusal(normaliseWidth(raw)))
      return nil
    }
    return day
  }

  mutating func vocabulary<V: Vocabulary>(_ key: String, required: Bool = false) -> V? {
    guard let raw = text(key, required: required) else { return nil }
    guard let value = V.parse(raw) else {
      problem(key, raw, "is not one of: \(V.allowedValues)")
      return nil
    }
    return value
  }

  mutating func creditCode(_ key: String = "credit_code") -> CreditCode? {
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

  mutating func money(_ key: String, required: Bool = false) -> Fen? {
    guard let raw = text(key, required: required) else { return nil }
    guard let fen = Fen(yuan: raw), fen.value > 0 else {
      problem(key, raw, "is not an amount in yuan with at most two decimals, greater than zero")
      return nil
    }
    return fen
  }

  mutating func number(_ key: String, required: Bool = false) -> Double? {
    guard let raw = text(key, required: required) else { return nil }
    guard let value = Double(normaliseWidth(raw)), value.isFinite, value >= 0 else {
      problem(key, raw, "is not a non-negative number")
      return nil
    }
    return value
  }
}

extension Store {
  /// The row id of a registered enterprise, or a problem naming the code.
  static func enterpriseID(_ db: Database, _ code: CreditCode, reader: inout CellReader) throws -> Int64? {
    if let reason = reader.pendingCodeProblem {
      // A code whose check character fails names a firm only if that firm was registered by override.
      reader.pendingCodeProblem = nil
      guard
        let id = try Int64.fetchOne(
          db, sql: "SELECT id FROM enterprise WHERE credit_code = ? AND code_override IS NOT NULL AND \(Store.visible)",
          arguments: [code.value])
      else {
        reader.problem("credit_code", code.value, reason)
        return nil
      }
      return id
    }
    guard
      let id = try Int64.fetchOne(
        db, sql: "SELECT id FROM enterprise WHERE credit_code = ? AND \(Store.visible)", arguments: [code.value])
    else {
      reader.problem(
        "credit_code", code.value, "no enterprise with this credit code is registered; import the enterprise first")
      return nil
    }
    return id
  }
}
