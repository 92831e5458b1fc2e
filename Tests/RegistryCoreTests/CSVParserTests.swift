import Testing

@testable import RegistryCore

@Suite("CSV reading and writing (RFC 4180)")
struct CSVParserTests {
  func parse(_ text: String, chunk: Int? = nil) -> [CSVParser.Record] {
    var parser = CSVParser()
    var out: [CSVParser.Record] = []
    let bytes = Array(text.utf8)
    let size = chunk ?? max(bytes.count, 1)
    var start = 0
    while start < bytes.count {
      parser.feed(Array(bytes[start..<min(start + size, bytes.count)])) { out.append($0) }
      start += size
    }
    parser.finish { out.append($0) }
    return out
  }

  @Test("Quoted fields: commas, doubled quotes and line breaks; line numbers count physical lines")
  func quoting() {
    let records = parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3")
    #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "2", "3"]])
    #expect(records.map(\.line) == [1, 2, 4])
    #expect(records.allSatisfy { $0.malformed == nil })
  }

  @Test("Feeding one byte at a time gives the same records as one chunk")
  func chunkBoundaries() {
    let text = "\u{FEFF}代码,名称\r\n\"9135,01\",\"福州\"\"闽江\"\"\"\r\n9113,唐山钢铁\r\n"
    let whole = parse(text)
    let bytewise = parse(text, chunk: 1)
    #expect(whole.map(\.fields) == bytewise.map(\.fields))
    #expect(whole.first?.fields.first == "代码")  // the BOM is skipped
    #expect(whole.count == 3)
  }

  @Test("Broken rows are flagged, not silently repaired")
  func malformed() {
    let records = parse("a,b\n1,x\"y\n\"open,2\n")
    #expect(records[1].malformed?.contains("quote inside an unquoted field") == true)
    #expect(records.last?.malformed?.contains("not closed") == true)
  }

  @Test("Invalid UTF-8 is flagged (a GB18030 file read as UTF-8)")
  func invalidUTF8() {
    var parser = CSVParser()
    var out: [CSVParser.Record] = []
    parser.feed([0xD6, 0xD0, 0x2C, 0x41, 0x0A]) { out.append($0) }  // "中,A" in GB18030
    #expect(out.first?.malformed?.contains("UTF-8") == true)
  }

  @Test("Blank lines are skipped; a last line without a break is kept")
  func blankLines() {
    #expect(parse("a\n\n\nb").map(\.fields) == [["a"], ["b"]])
  }

  @Test("Writing quotes only the fields that need it")
  func writing() {
    #expect(
      CSVFormat.line(["plain", "a,b", "say \"x\"", "two\nlines", "中文"])
        == "plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",中文\r\n")
  }

  @Test("The bundled tables read by the quote-free fast path exactly as by the full parser")
  func fastPathEqualsParser() {
    for text in [
      Embedded.gbt2260Divisions, Embedded.gbt2260Historical, Embedded.gbt2260History, Embedded.gbt47542017Industries,
      "a,b\r\n\r\nc,,d\n,\n", "x",
    ] {
      var parser = CSVParser()
      var full: [[String]] = []
      parser.feed(Array(text.utf8)) { full.append($0.fields) }
      parser.finish { full.append($0.fields) }
      #expect(CSVParser.records(in: text).map(\.fields) == full)
      #expect(full.count > 0)
    }
  }
}
