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
