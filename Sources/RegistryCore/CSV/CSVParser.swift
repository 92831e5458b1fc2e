/// A streaming RFC 4180 parser over UTF-8 bytes.
///
/// Feed it chunks of any size with `feed(_:_:)` and `finish(_:)`; it calls back once per record
/// with the fields and the line on which the record starts (1-based, counting physical lines, so a
/// quoted field that spans lines keeps later line numbers right). It holds at most one record in
/// memory. Quoted fields may contain commas, doubled quotes and line breaks; CRLF and LF both end
/// a record; a UTF-8 byte-order mark at the very start is skipped.
public struct CSVParser {
  public struct Record: Sendable {
    public var fields: [String]
    /// The physical line the record starts on.
    public var line: Int
    /// Set when the record breaks RFC 4180 (a quote inside an unquoted field, text after a
    /// closing quote, or an unterminated quoted field).
    public var malformed: String?

    public init(fields: [String], line: Int, malformed: String? = nil) {
      self.fields = fields
      self.line = line
      self.malformed = malformed
    }
  }

  private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

  private var state = State.fieldStart
  private var field: [UInt8] = []
  private var fields: [String] = []
  private var line = 1
  private var recordLine = 1
  private var malformed: String?
  private var atStart = true
  private var bomBytesSeen = 0
  private var pendingCR = false

  public init() { field.reserveCapacity(256) }

  /// Parses the next chunk; `emit` receives every record the chunk completes.
  public mutating func feed(_ bytes: [UInt8], _ emit: (Record) throws -> Void) rethrows {
    try bytes.withUnsafeBufferPointer { buffer in try feed(buffer, emit) }
  }

  /// Parses the next chunk from a buffer (the hot path: concrete, no generic iteration).
  public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (Record) throws -> Void) rethrows {
    for byte in bytes {
      if atStart {
        // Skip a UTF-8 BOM (EF BB BF) at the start of the input.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bomBytesSeen < 3, byte == bom[bomBytesSeen] {
          bomBytesSeen += 1
          if bomBytesSeen == 3 { atStart = false }
          continue
        }
        atStart = false
        if bomBytesSeen > 0 { field.append(contentsOf: bom[0..<bomBytesSeen]) }
      }
      try consume(byte, emit)
    }
  }

  /// Ends the input: emits the last record if the input did not end with a line break.
  public mutating func finish(_ emit: (Record) throws -> Void) rethrows {
    if state == .quoted {
      malformed = malformed ?? "a quoted field is not closed before the end of the file"
    }
    if state != .fieldStart || !fields.isEmpty || !field.isEmpty {
      try endRecord(emit)
    }
  }

  private mutating func consume(_ byte: UInt8, _ emit: (Record) throws -> Void) rethrows {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    if pendingCR {
      pendingCR = false
      if byte == lf { return }
    }
    switch state {
    case .fieldStart:
      switch byte {
      case quote: state = .quoted
      case comma: endField()
      case lf, cr:
        if byte == cr { pendingCR = true }
        try endRecord(emit)
      default:
        field.append(byte)
        state = .unquoted
      }
    case .unquoted:
      switch byte {
      case comma: endField()
      case lf, cr:
        if byte == cr { pendingCR = true }
        try endRecord(emit)
      case quote:
        malformed =
          malformed
          ?? "a quote inside an unquoted field (field \(fields.count + 1)); quote the whole field and double inner quotes"
        field.append(byte)
      default: field.append(byte)
      }
    case .quoted:
      if byte == quote {
        state = .quoteInQuoted
      } else {
        if byte == lf { line += 1 }
        field.append(byte)
      }
    case .quoteInQuoted:
      switch byte {
      case quote:
        field.append(quote)
        state = .quoted
      case comma: endField()
      case lf, cr:
        if byte == cr { pendingCR = true }
        try endRecord(emit)
      default:
        malformed = malformed ?? "text after a closing quote (field \(fields.count + 1))"
        field.append(byte)
        state = .unquoted
      }
    }
  }

  private mutating func endField() {
    if let text = String(validating: field, as: UTF8.self) {
      fields.append(text)
    } else {
      malformed =
        malformed
        ?? "field \(fields.count + 1) is not valid UTF-8; if the file was saved by Chinese Excel, import it with --encoding gb18030"
      fields.append(String(decoding: field, as: UTF8.self))
    }
    field.removeAll(keepingCapacity: true)
    state = .fieldStart
  }

  private mutating func endRecord(_ emit: (Record) throws -> Void) rethrows {
    endField()
    let record = Record(fields: fields, line: recordLine, malformed: malformed)
    fields.removeAll(keepingCapacity: true)
    malformed = nil
    line += 1
    recordLine = line
    // A blank line (one empty field) is not a record.
    if !(record.fields.count == 1 && record.fields[0].isEmpty && record.malformed == nil) {
      try emit(record)
    }
  }

  /// Parses a whole in-memory text (used for the bundled tables).
  public static func records(in text: String) -> [Record] {
    // The bundled tables quote nothing: split them directly (every listing parses them at start-up).
    if !text.utf8.contains(34) { return unquoted(text) }
    var parser = CSVParser()
    var out: [Record] = []
    parser.feed(Array(text.utf8)) { out.append($0) }
    parser.finish { out.append($0) }
    return out
  }

  /// A text without quotes: lines on LF (a CR before it dropped), fields on commas, blank lines
  /// skipped, as the full parser reads such a text. One pass over the bytes, no intermediate slices.
  static func unquoted(_ text: String) -> [Record] {
    func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Record] {
      var out: [Record] = []
      var fields: [String] = []
      var line = 1
      var fieldStart = 0
      var index = 0
      func field(_ end: Int) {
        fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<end]), as: UTF8.self))
      }
      while index <= bytes.count {
        let byte: UInt8 = index < bytes.count ? bytes[index] : 10
        if byte == 44 {
          field(index)
          fieldStart = index + 1
        } else if byte == 10 {
          let end = index > fieldStart && bytes[index - 1] == 13 ? index - 1 : index
          if !(fields.isEmpty && end == fieldStart) {
            field(end)
            out.append(Record(fields: fields, line: line, malformed: nil))
          }
          fields.removeAll(keepingCapacity: true)
          fieldStart = index + 1
          line += 1
        }
        index += 1
      }
      return out
    }
    if let records = text.utf8.withContiguousStorageIfAvailable(scan) { return records }
    return Array(text.utf8).withUnsafeBufferPointer(scan)
  }
}

/// Writes RFC 4180 fields: a field holding a comma, quote, CR or LF is quoted, inner quotes doubled.
public enum CSVFormat {
  public static func escape(_ field: String) -> String {
    guard anyByte(field, { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return field }
    return "\"" + field.replacingOccurrences("\"", with: "\"\"") + "\""
  }

  /// One CSV line ending in CRLF, assembled as bytes (listings write one per row).
  public static func line(_ fields: [String]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(fields.reduce(4) { $0 + $1.utf8.count + 3 })
    for (index, field) in fields.enumerated() {
      if index > 0 { bytes.append(44) }
      if anyByte(field, { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
        bytes.append(34)
        for byte in field.utf8 {
          if byte == 34 { bytes.append(34) }
          bytes.append(byte)
        }
        bytes.append(34)
      } else {
        bytes.append(contentsOf: field.utf8)
      }
    }
    bytes.append(13)
    bytes.append(10)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The fields of one line that `line` wrote (a staged row read back).
  public static func fields(_ line: String) throws -> [String] {
    var parser = CSVParser()
    var fields: [String] = []
    try parser.feed(Array(line.utf8)) { fields = $0.fields }
    try parser.finish { fields = $0.fields }
    return fields
  }
}
