import Testing

@testable import RegistryCore

func item(
  _ id: Int, _ itemClass: LedgerClass, found: String = "2026-03-01", due: String = "2026-06-30",
  entries: [LedgerEntry] = [], type: String = "治污设施", unit: String = "甲局"
) -> LedgerItem {
  LedgerItem(
    id: id, source: .assistance, problemType: type, description: "问题", foundOn: day(found), itemClass: itemClass,
    measures: "送技术",
    responsibleUnit: unit, responsiblePerson: "张三", dueOn: day(due),
    entries: [LedgerEntry(on: day(found), kind: .transition, to: .pending, note: "登记入账")] + entries)
}

func move(_ on: String, _ from: LedgerState, _ to: LedgerState, _ note: String = "n") -> LedgerEntry {
  LedgerEntry(on: day(on), kind: .transition, from: from, to: to, note: note)
}

@Suite("Assistance ledger (RULES §8)")
struct LedgerTests {
  @Test(
    "AL-2: every legal and illegal transition for both classes",
    arguments: [
      (LedgerClass.tracked, LedgerState.pending, LedgerState.inProgress, true),
      (.tracked, .pending, .awaitingAcceptance, false),
      (.tracked, .pending, .closed, false),
      (.tracked, .inProgress, .awaitingAcceptance, true),
      (.tracked, .inProgress, .closed, false),
      (.tracked, .inProgress, .pending, false),
      (.tracked, .awaitingAcceptance, .closed, true),
      (.tracked, .awaitingAcceptance, .inProgress, false),
      (.immediate, .pending, .closed, true),
      (.immediate, .pending, .inProgress, true),
      (.immediate, .inProgress, .closed, true),
      (.immediate, .inProgress, .awaitingAcceptance, true),
      (.immediate, .awaitingAcceptance, .closed, true),
      (.immediate, .pending, .awaitingAcceptance, false),
      (.tracked, .closed, .pending, false),
      (.immediate, .closed, .inProgress, false),
    ])
  func al2Transitions(_ itemClass: LedgerClass, _ from: LedgerState, _ to: LedgerState, _ allowed: Bool) {
    var entries: [LedgerEntry] = []
    let path: [LedgerState] = [.pending, .inProgress, .awaitingAcceptance, .closed]
    // Walk the item to `from` along the legal path.
    if let target = path.firstIndex(of: from), target > 0 {
      for step in 1...target { entries.append(move("2026-04-0\(step)", path[step - 1], path[step])) }
    }
    let subject = item(1, itemClass, entries: entries)
    #expect(subject.state(asOf: day("2026-05-01")) == from)
    let refusal = LedgerRules.transitionRefusal(subject, to: to, on: day("2026-05-01"), note: "现场整改完毕")
    #expect((refusal == nil) == allowed, "\(refusal ?? "")")
    if !allowed, from != .closed { #expect(refusal?.contains("may move to") == true) }
    if from == .closed { #expect(refusal?.contains("reopen") == true) }
  }

  @Test(
    "AL-2 / AL-4: the entry a request makes, or its refusal (progress, transition, reopen)",
    arguments: [
      // (walked to, on, target, note, reopen, expected kind or the refusal's words)
      ("open", "2026-05-01", nil, "进展", false, "progress"),
      ("open", "2026-05-01", nil, " ", false, "needs a note"),
      ("open", "2026-02-01", nil, "进展", false, "before the item's last entry"),
      ("open", "2026-05-01", LedgerState?.some(.inProgress), "开始整改", false, "transition"),
      ("open", "2026-05-01", .some(.closed), "n", false, "may move to"),
      ("open", "2026-05-01", nil, "重启原因", true, "not 已销号"),
      ("closed", "2026-06-01", nil, "复查", false, "reopen it before recording progress"),
      ("closed", "2026-06-01", nil, "复查发现问题", true, "reopen"),
      ("closed", "2026-06-01", nil, "", true, "needs a reason"),
      ("closed", "2026-04-01", nil, "复查发现问题", true, "before the item's last entry"),
    ])
  func al2EntryDecision(
    _ walked: String, _ on: String, _ target: LedgerState?, _ note: String, _ reopen: Bool, _ expected: String
  ) {
    let entries =
      walked == "closed"
      ? [
        move("2026-04-02", .pending, .inProgress), move("2026-04-03", .inProgress, .awaitingAcceptance),
        move("2026-05-10", .awaitingAcceptance, .closed),
      ] : []
    let subject = item(7, .tracked, entries: entries)
    do {
      let entry = try LedgerRules.entry(for: subject, on: day(on), to: target, note: note, reopen: reopen)
      #expect(entry.kind.rawValue == expected)
      #expect(entry.on == day(on))
      if reopen { #expect(entry.from == .closed && entry.to == .pending) }
      if let target { #expect(entry.to == target && entry.from == .pending) }
    } catch {
      #expect("\(error)".contains(expected), "\(error)")
    }
  }

  @Test("AL-2: closing a 立行立改 item directly needs a note")
  func immediateCloseNeedsNote() {
    #expect(
      LedgerRules.transitionRefusal(item(1, .immediate), to: .closed, on: day("2026-03-02"), note: " ")?.contains(
        "needs a note") == true)
  }

  @Test(
    "AL-3: overdue counts from the day after the due date; closing stops it",
    arguments: [("2026-06-30", 0), ("2026-07-01", 1), ("2026-07-31", 31)])
  func al3OverdueBoundary(_ on: String, _ days: Int) {
    #expect(item(1, .tracked).daysOverdue(asOf: day(on)) == days)
    let closed = item(2, .immediate, entries: [move("2026-06-15", .pending, .closed)])
    #expect(closed.daysOverdue(asOf: day(on)) == 0)
  }

  @Test("AL-4: the state on any date comes from the dated entries; a reopen is kept")
  func al4History() {
    let reopened = item(
      1, .immediate,
      entries: [
        move("2026-03-05", .pending, .closed),
        LedgerEntry(on: day("2026-04-01"), kind: .reopen, from: .closed, to: .pending, note: "反弹"),
      ])
    #expect(reopened.state(asOf: day("2026-03-04")) == .pending)
    #expect(reopened.state(asOf: day("2026-03-20")) == .closed)
    #expect(reopened.closedOn(asOf: day("2026-03-20"))?.description == "2026-03-05")
    #expect(reopened.state(asOf: day("2026-04-01")) == .pending)
    #expect(reopened.closedOn(asOf: day("2026-05-01")) == nil)
  }

  @Test("Report summary against hand-computed values")
  func summaryFigures() {
    // 4 items as of 2026-07-15, period 2026-07-01 … 2026-07-15:
    //  1 tracked, closed 2026-07-05 (found 03-01: 126 days); 2 immediate, closed 2026-03-11 (10 days);
    //  3 tracked, in progress, due 06-30: overdue; 4 tracked, pending, due 08-31: not overdue.
    let items = [
      item(
        1, .tracked,
        entries: [
          move("2026-04-01", .pending, .inProgress), move("2026-06-01", .inProgress, .awaitingAcceptance),
          move("2026-07-05", .awaitingAcceptance, .closed),
        ]),
      item(2, .immediate, entries: [move("2026-03-11", .pending, .closed)], type: "固废危废", unit: "乙局"),
      item(3, .tracked, entries: [move("2026-04-01", .pending, .inProgress)]),
      item(4, .tracked, found: "2026-07-01", due: "2026-08-31", type: "固废危废"),
    ]
    var summary = LedgerSummary(asOf: day("2026-07-15"), from: day("2026-07-01"), to: day("2026-07-15"))
    items.forEach { summary.add($0) }
    #expect(summary.total == 4)
    #expect(summary.byState == ["已销号": 2, "整改中": 1, "待整改": 1])
    #expect(summary.byClass == ["跟踪督办": 3, "立行立改": 1])
    #expect(summary.byType == ["治污设施": 2, "固废危废": 2])
    #expect(summary.byUnit == ["甲局": 3, "乙局": 1])
    #expect(summary.closedInPeriod == 1)
    #expect(summary.overdue == 1)
    #expect(summary.closureRate == 50)
    #expect(summary.medianDaysToClose == 68)  // (10 + 126) / 2
  }

  @Test("The summary as filed: region × state one level below the report's region, with totals and overdue")
  func crosstab() {
    let closed = [move("2026-03-11", .pending, .closed)]
    let lines: [(LedgerItem, String)] = [
      (item(1, .immediate, entries: closed), "420102"), (item(2, .tracked), "420104"),
      (item(3, .tracked, due: "2026-12-31"), "420503"), (item(4, .tracked), "420102"),
    ]
    var province = LedgerSummary(asOf: day("2026-07-15"), from: nil, to: nil, regionPrefix: "42")
    var city = LedgerSummary(asOf: day("2026-07-15"), from: nil, to: nil, regionPrefix: "4201")
    for (item, region) in lines {
      province.add(item, region: region)
      city.add(item, region: region)
    }
    let byCity = province.crosstab(english: false)
    #expect(byCity.headers == ["地区", "待整改", "整改中", "待验收", "已销号", "合计", "超期"])
    // 武汉 (4201): 2 pending (both overdue), 1 closed; 宜昌 (4205): 1 pending, not yet due.
    #expect(
      byCity.rows == [
        [.text("湖北省 武汉市"), .int(2), .int(0), .int(0), .int(1), .int(3), .int(2)],
        [.text("湖北省 宜昌市"), .int(1), .int(0), .int(0), .int(0), .int(1), .int(0)],
        [.text("合计"), .int(3), .int(0), .int(0), .int(1), .int(4), .int(2)],
      ])
    // A city's report groups by county.
    #expect(city.crosstab(english: true).rows.map { $0[0] }.first == .text("湖北省 武汉市 江岸区"))
    #expect(city.groupLength == 6 && LedgerSummary(asOf: day("2026-07-15"), from: nil, to: nil).groupLength == 2)
  }

  @Test("Report rows carry the 18 columns in order, dates as dates, remarks for overdue")
  func reportRow() {
    let line = LedgerLine(
      item: item(3, .tracked), creditCode: "91350100M000100Y43", name: "福州闽江电子材料有限公司", regionCode: "350102",
      industryCode: "3985")
    let cells = line.cells(number: 7, asOf: day("2026-07-03"), english: false)
    #expect(cells.count == LedgerRules.chineseHeaders.count)
    #expect(cells[0] == .int(7) && cells[3] == .text("福建省 福州市 鼓楼区") && cells[8] == .day(day("2026-03-01")))
    #expect(cells[15] == .text("待整改") && cells[17] == .text("超期3天"))
    #expect(line.cells(number: 7, asOf: day("2026-07-03"), english: true)[17] == .text("overdue 3 days"))
  }

  @Test(
    """
    XLSX: a valid ZIP (CRC-32 checked) with two sheets, title over the frozen header, dates as serial numbers, \
    printed A4 landscape fitted to one page width with the header repeated, borders and page numbers
    """)
  func xlsxPackage() {
    let rows = [
      LedgerLine(
        item: item(3, .tracked), creditCode: "91350100M000100Y43", name: "福州<闽江>&", regionCode: "350102",
        industryCode: "3985"
      ).cells(number: 1, asOf: day("2026-07-03"), english: false)
    ]
    let report = LedgerReport(
      asOf: day("2026-07-03"), from: nil, to: nil, region: "全部", english: false, rows: rows, summary: [])
    let files = unzip(report.xlsx)
    #expect(
      Set(files.keys) == [
        "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
      ])
    let sheet = files["xl/worksheets/sheet1.xml"] ?? ""
    #expect(sheet.contains("ySplit=\"3\"") && sheet.contains("<t xml:space=\"preserve\">福州&lt;闽江&gt;&amp;</t>"))
    #expect(sheet.contains("<c r=\"I4\" s=\"8\"><v>46082</v></c>"))  // 2026-03-01 as an Excel serial date
    #expect(sheet.contains("<c r=\"A1\" t=\"inlineStr\" s=\"4\"><is><t xml:space=\"preserve\">企业环境治理问题台账</t>"))
    #expect(sheet.contains("<mergeCell ref=\"A1:R1\"/>") && sheet.contains("填报单位："))
    #expect(sheet.contains("<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"))
    #expect(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>") && sheet.contains("&amp;C第 &amp;P 页 共 &amp;N 页"))
    #expect(
      files["xl/workbook.xml"]?.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'台账'!$3:$3")
        == true)
    #expect(files["xl/styles.xml"]?.contains("<left style=\"thin\">") == true)
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  }
}

/// Reads back a ZIP of stored entries, checking each entry's CRC-32.
func unzip(_ bytes: [UInt8]) -> [String: String] {
  var files: [String: String] = [:]
  var offset = 0
  func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
  func u32(_ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
  }
  while offset + 30 <= bytes.count, u32(offset) == 0x0403_4B50 {
    let crc = u32(offset + 14), size = Int(u32(offset + 18)), nameLength = u16(offset + 26), extra = u16(offset + 28)
    let name = String(decoding: bytes[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
    let start = offset + 30 + nameLength + extra
    let data = Array(bytes[start..<(start + size)])
    if CRC32.checksum(data) == crc { files[name] = String(decoding: data, as: UTF8.self) }
    offset = start + size
  }
  return files
}

@Suite("Markup escaping (HTML page and workbook)")
struct MarkupEscapeTests {
  @Test("The five markup characters are escaped and XML-forbidden control characters dropped")
  func markupEscape() {
    #expect(Render.markupEscape("<a href=\"x\">&'</a>\u{1}\t") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\t")
    let report = LedgerReport(
      asOf: day("2026-07-03"), from: nil, to: nil, region: "<全部>", english: false, rows: [], summary: [])
    #expect(report.html.contains("地区：&lt;全部&gt;"))
  }
}
