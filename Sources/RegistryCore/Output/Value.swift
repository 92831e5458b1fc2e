/// What every read command produces, before it is rendered: an ordered tree of records, lists and
/// typed scalars. One renderer per format turns it into text (`Render`), so every command gets
/// table, JSON and CSV output from the same value, and the JSON contract is uniform: snake_case keys,
/// dates as `YYYY-MM-DD`, money as yuan strings with two decimals and as integer fen.
public indirect enum Value: Sendable, Equatable {
  case null
  case text(String)
  case int(Int)
  case bool(Bool)
  case day(Day)
  /// Money: JSON and CSV write `<key>_yuan` ("100000.00") and `<key>_fen` (10000000).
  case money(Fen)
  /// A measured quantity shown with a fixed number of decimals.
  case decimal(Double, places: Int)
  case list([Value])
  case record(Fields)

  public static func optional(_ day: Day?) -> Value { day.map(Value.day) ?? .null }
  public static func optional(_ text: String?) -> Value { text.map(Value.text) ?? .null }

  var isScalar: Bool {
    switch self {
    case .list, .record: false
    default: true
    }
  }
}

/// An ordered set of fields (JSON keys keep this order).
public struct Fields: Sendable, Equatable {
  public var fields: [(key: String, value: Value)]

  public init(_ fields: [(String, Value)] = []) { self.fields = fields.map { (key: $0.0, value: $0.1) } }

  public subscript(key: String) -> Value? { fields.first { $0.key == key }?.value }

  public mutating func append(_ key: String, _ value: Value) { fields.append((key: key, value: value)) }

  public static func == (lhs: Fields, rhs: Fields) -> Bool {
    lhs.fields.count == rhs.fields.count
      && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}

/// `--format`: `table` is for people (not a stable contract); `json` is a stable, documented
/// contract; `csv` is RFC 4180, UTF-8.
public enum OutputFormat: String, CaseIterable, Sendable, Codable {
  case table, json, csv
}
