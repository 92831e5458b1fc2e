import Foundation

/// A streaming scanner for the XML that spreadsheets are made of (SpreadsheetML): start tags with
/// their attributes, end tags and text, entities decoded. Bytes are fed in chunks of any size; only
/// an unfinished tag or text is kept between chunks, so memory stays flat whatever the part's size.
/// Comments, processing instructions and CDATA sections are understood; a DTD is not (spreadsheets
/// have none, and refusing one keeps entity expansion out).
struct XMLScanner {
  enum Event {
    case start(name: Substring, attributes: [Substring: String], selfClosing: Bool)
    case end(name: Substring)
    case text(String)
  }

  struct Malformed: Error, CustomStringConvertible {
    let description: String
  }

  private var pending: [UInt8] = []

  /// Scans `bytes` after what earlier calls left unfinished, handing each complete event to `body`.
  mutating func feed<Bytes: Sequence>(_ bytes: Bytes, _ body: (Event) throws -> Void) throws
  where Bytes.Element == UInt8 {
    pending.append(contentsOf: bytes)
    var index = 0
    let count = pending.count
    while index < count {
      if pending[index] != UInt8(ascii: "<") {
        guard let next = pending[index...].firstIndex(of: UInt8(ascii: "<")) else { break }
        try body(.text(try XMLScanner.decode(pending[index..<next])))
        index = next
        continue
      }
      guard let end = try markupEnd(from: index) else { break }
      try markup(pending[index...end], body)
      index = end + 1
    }
    pending.removeFirst(index)
  }

  /// The end of input: anything left is an unfinished tag.
  func finish() throws {
    if pending.contains(where: { $0 == UInt8(ascii: "<") }) {
      throw Malformed(description: "the XML ends inside a tag")
    }
  }

  static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8)
  static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
  static let doctype = Array("<!DOCTYPE".utf8), instruction = Array("<?".utf8), endOpen = Array("</".utf8)

  /// The index of the `>` that ends the markup starting at `start`, or nil when it is not all here.
  private func markupEnd(from start: Int) throws -> Int? {
    let rest = pending[start...]
    if rest.starts(with: XMLScanner.commentOpen) { return find(XMLScanner.commentClose, after: start).map { $0 + 2 } }
    if rest.starts(with: XMLScanner.cdataOpen) { return find(XMLScanner.cdataClose, after: start).map { $0 + 2 } }
    if rest.starts(with: XMLScanner.doctype) { throw Malformed(description: "a DTD is not accepted") }
    // A '>' inside a quoted attribute value does not end the tag.
    var quote: UInt8?
    var index = start + 1
    while index < pending.count {
      let byte = pending[index]
      if let open = quote {
        if byte == open { quote = nil }
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        quote = byte
      } else if byte == UInt8(ascii: ">") {
        return index
      }
      index += 1
    }
    return nil
  }

  private func find(_ needle: [UInt8], after start: Int) -> Int? {
    var index = start
    while index + needle.count <= pending.count {
      if pending[index] == needle[0], pending[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

  static func text(_ bytes: ArraySlice<UInt8>) -> Substring { Substring(String(decoding: bytes, as: UTF8.self)) }

  /// One tag, read on its bytes (a cell's tag is read for every cell of a sheet: no grapheme work).
  private func markup(_ bytes: ArraySlice<UInt8>, _ body: (Event) throws -> Void) throws {
    if bytes.starts(with: XMLScanner.commentOpen) || bytes.starts(with: XMLScanner.instruction) { return }
    if bytes.starts(with: XMLScanner.cdataOpen) {
      try body(.text(String(decoding: bytes.dropFirst(9).dropLast(3), as: UTF8.self)))
      return
    }
    if bytes.starts(with: XMLScanner.endOpen) {
      let name = bytes.dropFirst(2).dropLast().prefix { !XMLScanner.isSpace($0) }
      try body(.end(name: XMLScanner.localName(XMLScanner.text(name))))
      return
    }
    let selfClosing = bytes.count >= 3 && bytes[bytes.endIndex - 2] == UInt8(ascii: "/")
    let inner = bytes.dropFirst().dropLast(selfClosing ? 2 : 1)
    let nameBytes = inner.prefix { !XMLScanner.isSpace($0) }
    let name = XMLScanner.text(nameBytes)
    var attributes: [Substring: String] = [:]
    var rest = inner.dropFirst(nameBytes.count)
    while let equals = rest.firstIndex(of: UInt8(ascii: "=")) {
      var key = rest[..<equals].drop { XMLScanner.isSpace($0) }
      while let last = key.last, XMLScanner.isSpace(last) { key = key.dropLast() }
      var after = rest[(equals + 1)...].drop { XMLScanner.isSpace($0) }
      guard let quote = after.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
        throw Malformed(description: "an attribute value without quotes in <\(name)>")
      }
      after = after.dropFirst()
      guard let close = after.firstIndex(of: quote) else {
        throw Malformed(description: "an unterminated attribute value in <\(name)>")
      }
      attributes[XMLScanner.localName(XMLScanner.text(key))] = try XMLScanner.decode(after[..<close])
      rest = after[(close + 1)...]
    }
    try body(.start(name: XMLScanner.localName(name), attributes: attributes, selfClosing: selfClosing))
    if selfClosing { try body(.end(name: XMLScanner.localName(name))) }
  }

  /// `x:row` → `row`: spreadsheets may prefix the main namespace.
  static func localName(_ name: Substring) -> Substring {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return name[name.index(after: colon)...]
  }

  /// Text with its entities decoded (the five predefined ones and numeric references).
  static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    let text = String(decoding: bytes, as: UTF8.self)
    var out = ""
    var rest = Substring(text)
    while let amp = rest.firstIndex(of: "&") {
      out += rest[..<amp]
      guard let semicolon = rest[amp...].firstIndex(of: ";") else {
        throw Malformed(description: "an unterminated entity in text")
      }
      let entity = rest[rest.index(after: amp)..<semicolon]
      switch entity {
      case "lt": out += "<"
      case "gt": out += ">"
      case "amp": out += "&"
      case "quot": out += "\""
      case "apos": out += "'"
      default:
        let number: UInt32? =
          entity.hasPrefix("#x")
          ? UInt32(entity.dropFirst(2), radix: 16)
          : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
        guard let number, let scalar = Unicode.Scalar(number) else {
          throw Malformed(description: "an unknown entity &\(entity);")
        }
        out.unicodeScalars.append(scalar)
      }
      rest = rest[rest.index(after: semicolon)...]
    }
    return out + rest
  }
}
