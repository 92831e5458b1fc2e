import Foundation
import Testing

@testable import RegistryCore

@Suite("Renderers: table, JSON, CSV")
struct RenderTests {
  let rows: Value = .list([
    .record(
      Fields([
        ("code", .text("91350100M000100Y43")), ("name", .text("福州闽江电子材料有限公司")), ("amount", .money(Fen(10_000_000))),
        ("on", .day(Day("2021-08-17") ?? Day(ordinal: 0))),
      ])),
    .record(Fields([("code", .text("X1")), ("name", .text("ab")), ("amount", .money(Fen(5))), ("on", .null)])),
  ])

  @Test("Display width counts CJK as two columns")
  func width() {
    #expect(displayWidth("某某化工") == 8)
    #expect(displayWidth("ab某") == 4)
    #expect(displayWidth("（）") == 4)
    #expect(displayWidth("e\u{301}") == 1)
  }

  /// Cuts a rendered line at display columns; `nil` when a wide character straddles a boundary.
  func slice(_ line: String, _ range: Range<Int>) -> String? {
    var out = ""
    var column = 0
    for character in line {
      let width = displayWidth(String(character))
      if column < range.lowerBound && column + width > range.lowerBound { return nil }
      if column < range.upperBound && column + width > range.upperBound { return nil }
      if column >= range.lowerBound && column + width <= range.upperBound { out.append(character) }
      column += width
    }
    return out
  }

  @Test("Table columns line up by display width with CJK text")
  func tableAlignment() throws {
    let lines = Render.render(rows, as: .table).split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    // The dashes under the header give each column's display range.
    var ranges: [Range<Int>] = []
    var start: Int?
    for (offset, character) in (lines[1] + " ").enumerated() {
      if character == "-", start == nil { start = offset }
      if character == " ", let begin = start {
        ranges.append(begin..<offset)
        start = nil
      }
    }
    #expect(ranges.count == 4)
    let expected = [["91350100M000100Y43", "福州闽江电子材料有限公司", "100000.00", "2021-08-17"], ["X1", "ab", "0.05", ""]]
    for (line, cells) in zip(lines.dropFirst(2), expected) {
      for (range, cell) in zip(ranges, cells) {
        let text = try #require(slice(line, range), "a wide character straddles a column edge in \(line)")
        #expect(text.trimmingSpaces() == cell, "\(line)")
      }
    }
    // Money is right-aligned: the short amount ends where the long one does.
    #expect(slice(lines[3], ranges[2])?.hasSuffix("0.05") == true)
  }

  @Test("JSON: snake_case keys in order, money as yuan string and fen, dates, null, UTF-8 text")
  func json() {
    let text = Render.render(rows, as: .json)
    #expect(text.contains("\"amount_yuan\": \"100000.00\""))
    #expect(text.contains("\"amount_fen\": 10000000"))
    #expect(text.contains("\"on\": \"2021-08-17\""))
    #expect(text.contains("\"on\": null"))
    #expect(text.contains("福州闽江"))
    #expect(Render.jsonString("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
  }

  @Test("CSV: header, money in two columns, RFC 4180 quoting")
  func csv() {
    let text = Render.render(rows, as: .csv)
    #expect(text.hasPrefix("code,name,amount_yuan,amount_fen,on\r\n"))
    #expect(text.contains("X1,ab,0.05,5,\r\n"))
  }

  @Test("Streaming writer gives the same JSON and CSV as the whole renderer")
  func streaming() {
    for format in [OutputFormat.json, .csv, .table] {
      var writer = ListWriter(format: format)
      var out = ""
      if case .list(let items) = rows {
        for case .record(let record) in items { out += writer.write(record) }
      }
      out += writer.finish()
      #expect(out == Render.render(rows, as: format), "\(format)")
    }
  }

  @Test("SHA-256 test vectors (FIPS 180-4)")
  func sha256() {
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }
}

@Suite("Sorted listings")
struct SortedListWriterTests {
  @Test("Rows come out in key order (ties as added) in every format, equal to rendering the sorted list")
  func sortedWriter() throws {
    let rows = [(3, "c"), (1, "a"), (2, "b1"), (2, "b2")].map {
      (key: $0.0, fields: Fields([("k", .int($0.0)), ("name", .text($0.1))]))
    }
    let sorted = rows.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map {
      Value.record($0.element.fields)
    }
    for format in OutputFormat.allCases {
      var writer = SortedListWriter(format: format)
      for row in rows { try writer.add(row.fields, key: row.key) }
      var out = ""
      try writer.finish { out += $0 }
      #expect(out == Render.render(.list(sorted), as: format), "\(format)")
    }
    var empty = SortedListWriter(format: .json)
    var out = ""
    try empty.finish { out += $0 }
    #expect(out == "[]\n")
  }
}
