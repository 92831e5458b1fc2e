/// The renderers: one per format, each a pure function of a `Value` (or a stream of records).
public enum Render {
  /// Renders a whole value. Lists of records become a table / JSON array / CSV; a record becomes a
  /// profile (table), an object (JSON) or `field,value` rows (CSV).
  public static func render(_ value: Value, as format: OutputFormat, language: Language) -> String {
    // A table is for people: its keys and codes in their language. JSON and CSV are contracts.
    guard format == .table, language == .zh else { return render(value, as: format) }
    return table(Labels.localize(value, language), none: "（无）")
  }

  public static func render(_ value: Value, as format: OutputFormat) -> String {
    switch format {
    case .json: return json(value) + "\n"
    case .csv:
      switch value {
      case .list(let items):
        var writer = ListWriter(format: .csv)
        var out = ""
        for case .record(let record) in items { out += writer.write(record) }
        return out + writer.finish()
      case .record(let record):
        var out = CSVFormat.line(["field", "value"])
        for (key, value) in flatten(record) where value.isScalar { out += CSVFormat.line([key, plain(value)]) }
        return out
      default: return CSVFormat.line([plain(value)])
      }
    case .table: return table(value)
    }
  }

  // MARK: JSON

  public static func json(_ value: Value, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .null: return "null"
    case .text(let text): return jsonString(text)
    case .int(let number): return String(number)
    case .bool(let flag): return flag ? "true" : "false"
    case .day(let day): return jsonString(day.description)
    case .money(let fen): return "{\"yuan\": \(jsonString(fen.yuan)), \"fen\": \(fen.value)}"
    case .decimal(let number, let places): return formatDecimal(number, places: places)
    case .list(let items):
      guard !items.isEmpty else { return "[]" }
      return "[\n" + items.map { inner + json($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .record(let record):
      guard !record.fields.isEmpty else { return "{}" }
      var lines: [String] = []
      for (key, value) in record.fields {
        if case .money(let fen) = value {
          lines.append(inner + jsonString(key + "_yuan") + ": " + jsonString(fen.yuan))
          lines.append(inner + jsonString(key + "_fen") + ": " + String(fen.value))
        } else {
          lines.append(inner + jsonString(key) + ": " + json(value, indent: inner))
        }
      }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    }
  }

  /// JSON on one line (audit rows, stored traces).
  public static func compactJSON(_ value: Value) -> String {
    switch value {
    case .list(let items): return "[" + items.map(compactJSON).joined(separator: ",") + "]"
    case .record(let record):
      var parts: [String] = []
      for (key, value) in record.fields {
        if case .money(let fen) = value {
          parts.append(jsonString(key + "_yuan") + ":" + jsonString(fen.yuan))
          parts.append(jsonString(key + "_fen") + ":" + String(fen.value))
        } else {
          parts.append(jsonString(key) + ":" + compactJSON(value))
        }
      }
      return "{" + parts.joined(separator: ",") + "}"
    case .money(let fen): return "{\"yuan\":\(jsonString(fen.yuan)),\"fen\":\(fen.value)}"
    default: return json(value)
    }
  }

  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  public static func formatDecimal(_ number: Double, places: Int) -> String {
    guard number.isFinite else { return "null" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(number) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = number < 0 && scaled != 0 ? "-" : ""
    return places == 0 ? sign + String(whole) : sign + String(whole) + "." + pad(fraction, places)
  }

  // MARK: Plain text of a scalar (table and CSV cells)

  public static func plain(_ value: Value) -> String {
    switch value {
    case .null: return ""
    case .text(let text): return text
    case .int(let number): return String(number)
    case .bool(let flag): return flag ? "yes" : "no"
    case .day(let day): return day.description
    case .money(let fen): return fen.yuan
    case .decimal(let number, let places): return formatDecimal(number, places: places)
    case .list(let items): return items.map(plain).joined(separator: "; ")
    case .record(let record): return record.fields.map { "\($0.key)=\(plain($0.value))" }.joined(separator: " ")
    }
  }

  /// Money expands to two CSV columns, like the JSON keys.
  static func flatten(_ record: Fields) -> [(String, Value)] {
    var out: [(String, Value)] = []
    for (key, value) in record.fields {
      if case .money(let fen) = value {
        out.append((key + "_yuan", .text(fen.yuan)))
        out.append((key + "_fen", .int(Int(fen.value))))
      } else {
        out.append((key, value))
      }
    }
    return out
  }

  // MARK: Table

  static let maxCellWidth = 48

  public static func table(_ value: Value, none: String = "(none)") -> String {
    switch value {
    case .list(let items):
      let records = items.compactMap { item -> Fields? in
        if case .record(let record) = item { return record }
        return nil
      }
      if records.isEmpty { return items.isEmpty ? none + "\n" : items.map(plain).joined(separator: "\n") + "\n" }
      return grid(records)
    case .record(let record): return profile(record, title: nil, none: none)
    default: return plain(value) + "\n"
    }
  }

  /// A record as a key/value block, with each list field as a titled sub-table.
  static func profile(_ record: Fields, title: String?, none: String = "(none)") -> String {
    var out = title.map { "== \($0) ==\n" } ?? ""
    let scalars = record.fields.filter { $0.value.isScalar }
    let keyWidth = scalars.map { displayWidth($0.key) }.max() ?? 0
    for (key, value) in scalars {
      out += pad(key, toWidth: keyWidth) + "  " + plain(value) + "\n"
    }
    for (key, value) in record.fields where !value.isScalar {
      out += "\n"
      switch value {
      case .record(let nested): out += profile(nested, title: key, none: none)
      case .list(let items):
        out += "== \(key) (\(items.count)) ==\n"
        out += table(value, none: none)
      default: break
      }
    }
    return out
  }

  /// Lines up records in columns by display width; numbers and money right-aligned.
  static func grid(_ records: [Fields]) -> String {
    let keys = records[0].fields.map(\.key)
    var rows: [[String]] = []
    var numeric = Array(repeating: true, count: keys.count)
    for record in records {
      var row: [String] = []
      for (index, key) in keys.enumerated() {
        let value = record[key] ?? .null
        switch value {
        case .int, .money, .decimal, .null: break
        default: numeric[index] = false
        }
        row.append(truncate(plain(value).replacingOccurrences("\n", with: " "), toWidth: maxCellWidth))
      }
      rows.append(row)
    }
    var widths = keys.map(displayWidth)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], displayWidth(cell)) }
    }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for (index, cell) in cells.enumerated() {
        let last = index == cells.count - 1
        parts.append(last && !numeric[index] ? cell : pad(cell, toWidth: widths[index], right: numeric[index]))
      }
      return parts.joined(separator: "  ") + "\n"
    }
    var out = line(keys)
    out += line(widths.map { String(repeating: "-", count: $0) })
    for row in rows { out += line(row) }
    return out
  }
}

/// Streams a list of records in one format: CSV and JSON write as they go (constant memory); a
/// table needs every row to size its columns, so it collects them and writes at `finish()`.
public struct ListWriter {
  public let format: OutputFormat
  /// The language of a table's keys and codes (JSON and CSV keep the contract's).
  public let language: Language
  private var count = 0
  private var buffered: [Fields] = []
  private var keys: [String] = []

  public init(format: OutputFormat, language: Language = .en) {
    self.format = format
    self.language = language
  }

  /// Returns the text to write for this record.
  public mutating func write(_ record: Fields) -> String {
    defer { count += 1 }
    switch format {
    case .csv:
      let flat = Render.flatten(record)
      var out = ""
      if count == 0 {
        keys = flat.map(\.0)
        out = CSVFormat.line(keys)
      }
      return out + CSVFormat.line(flat.map { Render.plain($0.1) })
    case .json:
      return (count == 0 ? "[\n  " : ",\n  ") + Render.json(.record(record), indent: "  ")
    case .table:
      buffered.append(record)
      return ""
    }
  }

  /// Returns the closing text.
  public mutating func finish() -> String {
    switch format {
    case .csv: return ""
    case .json: return count == 0 ? "[]\n" : "\n]\n"
    case .table:
      guard !buffered.isEmpty else { return language == .zh ? "（无）\n" : "(none)\n" }
      return language == .en
        ? Render.grid(buffered) : Render.render(.list(buffered.map(Value.record)), as: .table, language: language)
    }
  }
}

/// Where a `SortedListWriter` keeps its rendered rows until they are written in key order. Rows
/// with equal keys come out in the order they were added (`sequence`).
public protocol SortedRows {
  mutating func add(key: Int, sequence: Int, text: String) throws
  /// Every row added, in (key, sequence) order; the rows are gone afterwards.
  mutating func drain(_ body: (String) throws -> Void) throws
}

/// Rows kept in memory: for lists that are short by nature, and tests.
public struct RowsInMemory: SortedRows {
  private var rows: [(Int, Int, String)] = []
  public init() {}
  public mutating func add(key: Int, sequence: Int, text: String) { rows.append((key, sequence, text)) }
  public mutating func drain(_ body: (String) throws -> Void) throws {
    rows.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    defer { rows.removeAll() }
    for row in rows { try body(row.2) }
  }
}

/// A list that must be sorted before it is written (urgency order computed per row): CSV and JSON
/// rows are rendered as they come and handed to `SortedRows` with their sort key, which may keep
/// them on disk (RegistryFiles' `SpillingRows`: memory stays flat at any size). A table needs the
/// values of every row to size its columns: it is for people, who page a long list as CSV.
///
/// The key is an `Int` (days, ordinals): a concrete type, so the sort is specialised here rather
/// than dispatched through `Comparable` from another module.
public struct SortedListWriter {
  public typealias Key = Int
  public let format: OutputFormat
  public let language: Language
  private var header: String?
  private var rows: any SortedRows
  private var records: [(Key, Int, Fields)] = []
  private var sequence = 0

  public init(format: OutputFormat, language: Language = .en, rows: any SortedRows = RowsInMemory()) {
    self.format = format
    self.language = language
    self.rows = rows
  }

  public var count: Int { sequence }

  public mutating func add(_ record: Fields, key: Key) throws {
    defer { sequence += 1 }
    switch format {
    case .csv:
      let flat = Render.flatten(record)
      if header == nil { header = CSVFormat.line(flat.map(\.0)) }
      try rows.add(key: key, sequence: sequence, text: CSVFormat.line(flat.map { Render.plain($0.1) }))
    case .json: try rows.add(key: key, sequence: sequence, text: Render.json(.record(record), indent: "  "))
    case .table: records.append((key, sequence, record))
    }
  }

  /// Writes the whole list in key order (ties in the order added), row by row.
  public mutating func finish(_ write: (String) -> Void) throws {
    switch format {
    case .csv:
      write(header ?? "")
      try rows.drain { write($0) }
    case .json:
      guard sequence > 0 else { return write("[]\n") }
      var first = true
      try rows.drain { row in
        write((first ? "[\n  " : ",\n  ") + row)
        first = false
      }
      write("\n]\n")
    case .table:
      write(
        Render.render(
          .list(records.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { .record($0.2) }), as: .table,
          language: language))
    }
    records.removeAll()
  }
}
