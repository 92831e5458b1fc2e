import Foundation
import RegistryCore
import RegistryService
import RegistryStore
import Testing

@testable import RegistryFiles

@Suite("Excel workbooks in (issue 15): the sheet as records, dates as days, an import as from CSV")
struct XLSXTests {
  static let fixture = repositoryRoot.appendingPathComponent("Tests/RegistryStoreTests/Fixtures/firms-libreoffice.xlsx")
    .path

  @Test(
    "A LibreOffice workbook: shared strings with markup, numbers as text, date cells as days, blank rows skipped"
  )
  func records() throws {
    #expect(XLSXFile.isWorkbook(XLSXTests.fixture))
    let file = try XLSXFile(path: XLSXTests.fixture)
    #expect(file.sheetName == "firms")
    var records: [CSVParser.Record] = []
    try file.forEach { records.append($0) }
    #expect(records.map(\.line) == [1, 2, 4])
    #expect(
      records[0].fields == [
        "credit_code", "name", "region_code", "industry_code", "registered_on", "key_discharge_unit",
      ])
    #expect(records[1].fields == ["91420102MA4KX3XR5R", "武汉\"引号\"&<测试>有限公司", "420102", "2614", "2020-03-05", "yes"])
    #expect(records[2].fields[4] == "2020-04-03")  // a date cell (LibreOffice typed the ISO text as a date)
    #expect(throws: RegistryError.self) { _ = try XLSXFile(path: XLSXTests.fixture, sheet: "Sheet9") }
  }

  @Test("Excel's date serials: the 1900 system (its false 1900-02-29 refused) and the 1904 system")
  func serials() {
    #expect(XLSXFile.day(serial: 43895, date1904: false) == Day("2020-03-05"))
    #expect(XLSXFile.day(serial: 43895.75, date1904: false) == Day("2020-03-05"))  // a time of day is dropped
    #expect(XLSXFile.day(serial: 1, date1904: false) == Day("1900-01-01"))
    #expect(XLSXFile.day(serial: 59, date1904: false) == Day("1900-02-28"))
    #expect(XLSXFile.day(serial: 60, date1904: false) == nil)
    #expect(XLSXFile.day(serial: 61, date1904: false) == Day("1900-03-01"))
    #expect(XLSXFile.day(serial: 0, date1904: true) == Day("1904-01-01"))
    #expect(XLSXFile.day(serial: 42433, date1904: true) == Day("2020-03-05"))
  }

  @Test("Which number formats are dates: built-in ids (Chinese ones too) and custom codes outside quotes")
  func dateFormats() {
    #expect(XLSXFile.isDateFormat(14, nil))
    #expect(XLSXFile.isDateFormat(31, nil))  // yyyy"年"m"月"d"日" in a Chinese Excel
    #expect(!XLSXFile.isDateFormat(0, nil))
    #expect(!XLSXFile.isDateFormat(49, nil))  // text
    #expect(XLSXFile.isDateFormat(164, "yyyy/m/d"))
    #expect(XLSXFile.isDateFormat(165, "yyyy\"年\"m\"月\"d\"日\""))
    #expect(!XLSXFile.isDateFormat(166, "0.00\"days\""))
    #expect(!XLSXFile.isDateFormat(167, "[Red]0.00"))
    #expect(!XLSXFile.isDateFormat(168, "h:mm"))
  }

  @Test("enterprise import of the workbook registers its firms as from the CSV")
  func importWorkbook() throws {
    let registry = try TempRegistry()
    let options = ImportOptions(effectiveOn: testDay, asOf: testDay)
    let report = try CSVImport.run(XLSXTests.fixture, options: options, protected: []) { source, rejects in
      try registry.store.importRecords(.enterprises, source, rejects: rejects, options: options)
    }
    #expect(report.inserted == 2, "\(report)")
    #expect(report.encoding == "xlsx")
    let firm = try #require(try registry.store.enterprise(CreditCode.parse("91420102MA4KX3XR5R").get()))
    #expect(firm.name == "武汉\"引号\"&<测试>有限公司")
    #expect(firm.registeredOn == Day("2020-03-05"))
    #expect(firm.keyDischargeUnit == true)
  }

  @Test("The XML scanner: events are the same whatever the chunk size")
  func chunks() throws {
    let text =
      #"<?xml version="1.0"?><a x="1&amp;2" y='>'><!-- c --><b/>t&lt;&#x4E2D;<![CDATA[<raw>]]>"#
      + #"<m:c r = 'A1' m:t="s"/></a>"#
    let xml = Array(text.utf8)
    func events(chunk: Int) throws -> [String] {
      var scanner = XMLScanner()
      var out: [String] = []
      var index = 0
      while index < xml.count {
        try scanner.feed(xml[index..<min(index + chunk, xml.count)]) { event in
          switch event {
          case .start(let name, let attributes, _):
            out.append("<\(name) \(attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
          case .end(let name): out.append("</\(name)")
          case .text(let text): out.append("'\(text)'")
          }
        }
        index += chunk
      }
      try scanner.finish()
      return out
    }
    let whole = try events(chunk: xml.count)
    #expect(
      whole == ["<a [\"x=1&2\", \"y=>\"]", "<b []", "</b", "'t<中'", "'<raw>'", "<c [\"r=A1\", \"t=s\"]", "</c", "</a"])
    for chunk in [1, 2, 3, 7] { #expect(try events(chunk: chunk).joined() == whole.joined(), "chunk \(chunk)") }
  }
}

@Suite("Shared strings past the memory limit go to a mapped file and read back the same")
struct SharedStringsTests {
  @Test("Spilled and in-memory tables give the same strings: CJK, empty, long; an index out of range is nil")
  func spill() throws {
    let texts = ["", "武汉宝丰钢铁有限公司", "a", String(repeating: "长", count: 300), "91420104MA7N15AM3G", ""]
    let small = SharedStrings(limit: 16)
    let large = SharedStrings()
    for text in texts {
      try small.append(text)
      try large.append(text)
    }
    try small.finish()
    try large.finish()
    #expect(small.isSpilled && !large.isSpilled)
    #expect(small.count == texts.count && large.count == texts.count)
    for (index, text) in texts.enumerated() { #expect(small[index] == text && large[index] == text) }
    #expect(small[texts.count] == nil && small[-1] == nil)
  }

  @Test("A LibreOffice workbook read with its shared strings spilled gives the same records")
  func workbook() throws {
    func records(_ limit: Int) throws -> [[String]] {
      var out: [[String]] = []
      try XLSXFile(path: XLSXTests.fixture, sheet: nil, stringLimit: limit).forEach { out.append($0.fields) }
      return out
    }
    let kept = try records(8 << 20)
    let spilled = try records(8)
    #expect(kept.count > 2 && spilled == kept)
  }
}

@Suite("A bureau's table around its data (issue 15): title rows, blank rows, summary and sign-off rows")
struct TolerantRecordsTests {
  final class Rows: RecordSource {
    let rows: [[String]]
    init(_ rows: [[String]]) { self.rows = rows }
    var name: String { "rows" }
    var encodingName: String { "test" }
    func forEach(_ body: (CSVParser.Record) throws -> Void) throws {
      for (index, fields) in rows.enumerated() { try body(CSVParser.Record(fields: fields, line: index + 1)) }
    }
  }

  func read(_ rows: [[String]]) throws -> (lines: [Int], notes: [String]) {
    let source = TolerantRecords(Rows(rows))
    var lines: [Int] = []
    try source.forEach { lines.append($0.line) }
    return (lines, source.notes)
  }

  @Test("Title rows above the header are skipped and named; blank rows skipped; trailing 合计 and 填表人 rows dropped")
  func layout() throws {
    let (lines, notes) = try read([
      ["2026年重点排污单位名录", "", "", ""], ["填报单位：某局", "", "", ""], ["credit_code", "name", "region_code", "industry_code"],
      ["A", "甲", "420102", "2614"], ["", " ", "", ""], ["B", "乙", "420104", "3120"], ["合计", "2", "", ""],
      ["填表人：张伟", "审核人：李明", "", ""],
    ])
    #expect(lines == [3, 4, 6])
    #expect(notes.count == 4)
    #expect(notes[0].contains("line 1 skipped above the header"))
    #expect(notes[3].contains("line 8 skipped after the data"))
  }

  @Test("A header on the first line skips nothing; a 合计 row followed by data is passed on as data")
  func plain() throws {
    let (lines, notes) = try read([
      ["credit_code", "name"], ["A", "甲"], ["合计", "1"], ["B", "乙"],
    ])
    #expect(lines == [1, 2, 3, 4])
    #expect(notes.isEmpty)
    #expect(try read([["credit_code", "name"]]).lines == [1])
    #expect(try read([]).lines.isEmpty)
  }
}
