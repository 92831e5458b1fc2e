/// A document a bureau publishes or serves: a 公告 with its 附件 list, a 名录, a batch of 催告书.
/// Letters of paragraphs, each signed by the issuing authority and dated, and one table (the 附件,
/// or the register of the letters served). One HTML renderer and one workbook renderer print every
/// kind: A4, each letter on its own page, the table's header on every page, page numbers.
public struct Notice: Sendable {
  public struct Letter: Sendable {
    public var title: String
    /// Whom a served letter is addressed to (`XX有限公司：`), or nil for a public notice.
    public var addressee: String?
    public var paragraphs: [String]

    public init(title: String, addressee: String? = nil, paragraphs: [String]) {
      self.title = title
      self.addressee = addressee
      self.paragraphs = paragraphs
    }
  }

  /// The document's name (the browser's title and the workbook's first sheet).
  public var title: String
  public var letters: [Letter]
  /// The issuing authority that signs each letter; blank prints a line to fill in by hand.
  public var issuer: String
  public var issuedOn: Day
  /// The table: its title (附件：…), header and rows.
  public var tableTitle: String
  public var headers: [String]
  public var rows: [[Value]]

  public init(
    title: String, letters: [Letter], issuer: String, issuedOn: Day, tableTitle: String, headers: [String],
    rows: [[Value]]
  ) {
    self.title = title
    self.letters = letters
    self.issuer = issuer
    self.issuedOn = issuedOn
    self.tableTitle = tableTitle
    self.headers = headers
    self.rows = rows
  }

  var signature: String { issuer.isEmpty ? String(repeating: "_", count: 16) : issuer }
  var dateLine: String { issuedOn.chinese }

  // MARK: HTML

  public var html: String {
    let esc = Render.markupEscape
    let weights = LedgerReport.columnWeights(headers, rows, caps: headers.map { _ in 16 }, latin: 1.3).map { $0 + 1 }
    let total = max(1, weights.reduce(0, +))
    var out = """
      <!DOCTYPE html>
      <html lang="zh-CN">
      <head>
      <meta charset="utf-8">
      <title>\(esc(title))</title>
      <style>
      @page { size: A4; margin: 20mm 18mm 18mm; @bottom-center { content: "第 " counter(page) " 页 共 " \
      counter(pages) " 页"; font-size: 9pt; } }
      @page table { size: A4 landscape; margin: 12mm 10mm 14mm; }
      body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", "Songti SC", serif; font-size: \
      12pt; line-height: 1.8; margin: 0; }
      section.letter { page-break-after: always; }
      h1 { font-size: 18pt; text-align: center; margin: 0 0 16pt; }
      p { text-indent: 2em; margin: 0 0 6pt; }
      p.to { text-indent: 0; }
      p.sign { text-align: right; text-indent: 0; margin-top: 24pt; }
      section.table { page: table; font-size: 8pt; line-height: 1.3; }
      section.table h2 { font-size: 12pt; margin: 0 0 6pt; }
      table { border-collapse: collapse; width: 100%; table-layout: fixed; }
      thead { display: table-header-group; }
      tr { page-break-inside: avoid; }
      th, td { border: 0.5pt solid #444; padding: 1.5pt 2pt; vertical-align: top; overflow-wrap: anywhere; }
      th { background: #e8e8e8; }
      td.n { text-align: right; white-space: nowrap; }
      td.d { white-space: nowrap; }
      </style>
      </head>
      <body>

      """
    for letter in letters {
      out += "<section class=\"letter\">\n<h1>\(esc(letter.title))</h1>\n"
      if let to = letter.addressee { out += "<p class=\"to\">\(esc(to))：</p>\n" }
      out += letter.paragraphs.map { "<p>\(esc($0))</p>\n" }.joined()
      out += "<p class=\"sign\">\(esc(signature))<br>\(esc(dateLine))</p>\n</section>\n"
    }
    out += "<section class=\"table\">\n<h2>\(esc(tableTitle))</h2>\n<table>\n<colgroup>"
    out += weights.map { "<col style=\"width: \(Double(Int($0 * 1000 / total)) / 10)%\">" }.joined()
    out += "</colgroup>\n<thead><tr>" + headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows {
      out +=
        "<tr>"
        + row.map { value in
          switch value {
          case .int, .decimal, .money: return "<td class=\"n\">\(esc(Render.plain(value)))</td>"
          case .day: return "<td class=\"d\">\(esc(Render.plain(value)))</td>"
          default: return "<td>\(esc(Render.plain(value)))</td>"
          }
        }.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table>\n</section>\n</body>\n</html>\n"
  }

  // MARK: CSV

  /// The table alone as CSV with its Chinese header (the writer adds the BOM Excel needs).
  public var csv: String {
    ([headers] + rows.map { $0.map(Render.plain) }).map(CSVFormat.line).joined()
  }

  // MARK: XLSX

  /// The workbook: the letters on the first sheet (portrait, one page each), the table on the second
  /// (landscape, fitted to the page width, its header on every page).
  public var xlsx: [UInt8] {
    let sheets = [String(title.prefix(31)), "附件"]
    var rows: [String] = []
    var merged: [String] = []
    var breaks: [Int] = []
    var number = 0
    func line(_ text: String, style: Int, height: Double) {
      number += 1
      rows.append(
        "<row r=\"\(number)\" ht=\"\(height)\" customHeight=\"1\">"
          + XLSXSheet.textCell("A\(number)", text, style: style) + "</row>")
      merged.append("A\(number):H\(number)")
    }
    for (index, letter) in letters.enumerated() {
      if index > 0 { breaks.append(number) }
      line(letter.title, style: 4, height: 36)
      if let to = letter.addressee { line(to + "：", style: 11, height: 22) }
      for paragraph in letter.paragraphs {
        // About 36 CJK characters to a line across the eight merged columns.
        let lines = max(1, (displayWidth(paragraph) + 4 + 71) / 72)
        line("　　" + paragraph, style: 11, height: Double(lines) * 18 + 4)
      }
      line(signature, style: 12, height: 40)
      line(dateLine, style: 12, height: 20)
    }
    let letterSheet =
      XLSXSheet.prologue
      + "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><cols><col min=\"1\" max=\"8\" width=\"11\" "
      + "customWidth=\"1\"/></cols>"
      + "<sheetData>" + rows.joined() + "</sheetData>"
      + "<mergeCells count=\"\(merged.count)\">" + merged.map { "<mergeCell ref=\"\($0)\"/>" }.joined()
      + "</mergeCells>"
      + "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.8\" bottom=\"0.8\" header=\"0.3\" footer=\"0.3\"/>"
      + "<pageSetup paperSize=\"9\" orientation=\"portrait\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
      + "<headerFooter><oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter></headerFooter>"
      + (breaks.isEmpty
        ? ""
        : "<rowBreaks count=\"\(breaks.count)\" manualBreakCount=\"\(breaks.count)\">"
          + breaks.map { "<brk id=\"\($0)\" max=\"16383\" man=\"1\"/>" }.joined() + "</rowBreaks>")
      + "</worksheet>"
    let tableSheet = XLSXSheet.printed(
      title: tableTitle, subtitle: "\(signature)　\(dateLine)", headers: headers, rows: self.rows,
      caps: headers.map { _ in 20 }, trailing: [], footer: "第 &P 页 共 &N 页")
    return XLSXSheet.workbook(sheets: zip(sheets, [letterSheet, tableSheet]).map { ($0, $1) }, printTitles: [1])
  }
}
