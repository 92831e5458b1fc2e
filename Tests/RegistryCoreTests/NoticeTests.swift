import RegistryCore
import Testing

@Suite("Notices as printed documents (one HTML and one workbook renderer)")
struct NoticeTests {
  let notice = Notice(
    title: "行政处罚决定履行催告书",
    letters: [
      Notice.Letter(title: "行政处罚决定履行催告书", addressee: "甲<公司>", paragraphs: ["第一段 & 说明", "第二段"]),
      Notice.Letter(title: "行政处罚决定履行催告书", addressee: "乙公司", paragraphs: ["第一段"]),
    ],
    issuer: "", issuedOn: Day("2026-11-29")!, tableTitle: "催告书送达登记表",
    headers: ["序号", "当事人", "罚款金额", "缴纳期限"],
    rows: [[.int(1), .text("甲<公司>"), .money(Fen(10_000_000)), .day(Day("2021-08-17")!)]])

  @Test("HTML: a page per letter, addressee and signature with the Chinese date, a blank issuer as a line, escaped")
  func html() {
    let html = notice.html
    #expect(html.components(separatedBy: "<section class=\"letter\">").count == 3)
    #expect(html.contains("<p class=\"to\">甲&lt;公司&gt;：</p>") && html.contains("第一段 &amp; 说明"))
    #expect(html.contains("________________<br>2026年11月29日"))
    #expect(html.contains("page-break-after: always") && html.contains("counter(pages)"))
    #expect(html.contains("<td class=\"n\">100000.00</td>") && html.contains("<td class=\"d\">2021-08-17</td>"))
  }

  @Test("Workbook: the letters (portrait, a page break between letters), the table (landscape, header repeated)")
  func workbook() {
    let files = unzip(notice.xlsx)
    let letters = files["xl/worksheets/sheet1.xml"] ?? ""
    let table = files["xl/worksheets/sheet2.xml"] ?? ""
    #expect(letters.contains("orientation=\"portrait\"") && letters.contains("<rowBreaks count=\"1\""))
    #expect(letters.contains("甲&lt;公司&gt;：") && letters.contains("2026年11月29日"))
    #expect(table.contains("orientation=\"landscape\"") && table.contains("催告书送达登记表"))
    #expect(files["xl/workbook.xml"]?.contains("localSheetId=\"1\">'附件'!$3:$3") == true)
    #expect(files["[Content_Types].xml"]?.contains("/xl/worksheets/sheet2.xml") == true)
  }
}

@Suite("Bar charts (SVG) and the months they count")
struct BarChartTests {
  @Test("Stacked bars with their totals, a whole-number scale, a legend for several series, text escaped")
  func svg() {
    let chart = BarChart(
      title: "到期<许可证>", categories: ["26年1月", "26年2月", "26年3月"],
      series: [("重点管理", [3, 0, 7]), ("简化管理", [1, 0, 6])])
    let svg = chart.svg
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
    #expect(svg.contains("<title>到期&lt;许可证&gt;</title>"))
    // Four bars (no bar for a zero), totals 4 and 13 above the stacks; the scale 0, 5, 10, 15.
    #expect(svg.components(separatedBy: "<rect x=").count - 1 == 4 + 2)  // bars and two legend swatches
    #expect(svg.contains(">4</text>") && svg.contains(">13</text>"))
    #expect(["0", "5", "10", "15"].allSatisfy { svg.contains("text-anchor=\"end\" fill=\"#555\">\($0)</text>") })
    #expect(svg.contains(">重点管理</text>") && svg.contains(">简化管理</text>"))
  }

  @Test("Months: twelve from a date's month across a new year, twelve ending with one, labels")
  func months() {
    let from = Charts.months(from: Day("2026-11-29")!, count: 12)
    #expect(from.first == Day("2026-11-01") && from.last == Day("2027-10-01") && from.count == 12)
    let ending = Charts.months(endingWith: Day("2026-02-10")!, count: 12)
    #expect(ending.first == Day("2025-03-01") && ending.last == Day("2026-02-01"))
    #expect(Charts.label(Day("2027-01-01")!) == "27年1月")
    #expect(Charts.monthStart(after: Day("2026-12-01")!) == Day("2027-01-01"))
  }
}

@Suite("Labels: the Chinese names of keys and vocabulary codes")
struct LabelsTests {
  @Test("The locale chooses the language as POSIX reads it: LC_ALL, then LC_MESSAGES, then LANG")
  func locale() {
    #expect(Language.fromLocale(["LANG": "zh_CN.UTF-8"]) == .zh)
    #expect(Language.fromLocale(["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]) == .en)
    #expect(Language.fromLocale(["LC_MESSAGES": "zh_TW", "LANG": "C"]) == .zh)
    #expect(Language.fromLocale(["LANG": "", "LC_ALL": ""]) == .en && Language.fromLocale([:]) == .en)
  }

  @Test("Keys and codes of a value in Chinese; a code of no vocabulary, and English, left as they are")
  func localize() {
    let value = Value.record(
      Fields([
        ("credit_code", .text("91420104MA7N15AM3G")), ("permit_class", .text("key")),
        ("status", .text("renewal-overdue")),
        ("grade", .text("unknown")), ("name", .text("key")), ("overdue", .bool(true)),
      ]))
    #expect(
      Labels.localize(value, .zh)
        == .record(
          Fields([
            ("统一社会信用代码", .text("91420104MA7N15AM3G")), ("排污许可管理类别", .text("重点管理")), ("状态", .text("逾期未申请延续")),
            ("绩效分级", .text("未知")), ("名称", .text("key")), ("逾期", .text("是")),
          ])))
    #expect(Labels.localize(value, .en) == value)
    if case .record(let kept) = Labels.localize(value, .zh, keys: false) {
      #expect(kept.fields.map(\.key).first == "credit_code" && kept.fields[1].value == .text("重点管理"))
    }
  }
}
