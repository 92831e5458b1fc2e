/// The ledger report (RULES §8) as a value, and its renderers: CSV, Markdown, printable HTML, XLSX,
/// JSON and table. Rows keep typed values so that dates are dates in the workbook.
public struct LedgerReport: Sendable {
  public enum Format: String, CaseIterable, Sendable { case table, csv, md, html, xlsx, json }

  public var title: String
  public var asOf: Day
  public var from: Day?
  public var to: Day?
  public var region: String
  public var english: Bool
  public var headers: [String]
  public var rows: [[Value]]
  public var summary: [Fields]
  /// The summary as filed: region × state (`LedgerSummary.crosstab`); the printed formats show it.
  public var crosstab: (headers: [String], rows: [[Value]])
  /// The block under the printed report: who files it, who checked it, a telephone, the date.
  public var signOff: SignOff
  /// Pictures under the HTML report's summary.
  public var charts: [BarChart] = []

  public init(
    asOf: Day, from: Day?, to: Day?, region: String, english: Bool, rows: [[Value]], summary: [Fields],
    crosstab: (headers: [String], rows: [[Value]]) = ([], []), signOff: SignOff = SignOff()
  ) {
    self.asOf = asOf
    self.from = from
    self.to = to
    self.region = region
    self.english = english
    self.rows = rows
    self.summary = summary
    self.crosstab = crosstab
    self.signOff = signOff
    headers = english ? LedgerRules.englishHeaders : LedgerRules.chineseHeaders
    title = english ? "Enterprise environmental-governance problem ledger" : "企业环境治理问题台账"
  }

  public var subtitle: String {
    let period = from.map { "\($0) – \(to?.description ?? asOf.description)" } ?? (english ? "all" : "全部")
    return english ? "Region: \(region)   Period: \(period)   As of: \(asOf)" : "地区：\(region)　统计期间：\(period)　截至：\(asOf)"
  }

  var summaryHeaders: [String] { english ? ["group", "item", "value"] : ["分组", "项目", "数值"] }

  /// The headline figures under the crosstab (the flat summary without its per-group counts).
  var headline: [(String, String)] {
    let perGroup: Set<String> = ["按状态", "按分类", "按问题类型", "按责任单位", "state", "class", "type", "responsible unit"]
    return summary.compactMap { line in
      guard case .text(let group)? = line.fields.first?.value, !perGroup.contains(group) else { return nil }
      let item = line.fields.count > 1 ? Render.plain(line.fields[1].value) : ""
      let value = line.fields.count > 2 ? Render.plain(line.fields[2].value) : ""
      return (item, value)
    }
  }

  /// Who files a printed report (blank fields print as lines to fill in by hand).
  public struct SignOff: Sendable, Equatable {
    public var unit: String
    public var preparer: String
    public var reviewer: String
    public var phone: String
    public var filedOn: Day?

    public init(
      unit: String = "", preparer: String = "", reviewer: String = "", phone: String = "", filedOn: Day? = nil
    ) {
      self.unit = unit
      self.preparer = preparer
      self.reviewer = reviewer
      self.phone = phone
      self.filedOn = filedOn
    }

    /// Label and value of each line: 填报单位, 填报人, 审核人, 联系电话, 报送日期.
    public func lines(english: Bool) -> [(label: String, value: String)] {
      let labels =
        english
        ? ["Filing unit", "Prepared by", "Reviewed by", "Telephone", "Filed on"]
        : ["填报单位", "填报人", "审核人", "联系电话", "报送日期"]
      let values = [unit, preparer, reviewer, phone, filedOn?.description ?? ""]
      return zip(labels, values).map { ($0, $1.isEmpty ? String(repeating: "_", count: 12) : $1) }
    }

    /// The block as one printed line.
    public func text(english: Bool) -> String {
      lines(english: english).map { "\($0.label)\(english ? ": " : "：")\($0.value)" }.joined(separator: "　　")
    }
  }

  // MARK: CSV (ledger rows, a blank line, then the summary with its own header)

  public static func csvHeader(english: Bool) -> String {
    CSVFormat.line(english ? LedgerRules.englishHeaders : LedgerRules.chineseHeaders)
  }
  public static func csvRow(_ cells: [Value]) -> String { CSVFormat.line(cells.map(Render.plain)) }
  public static func csvSummary(_ summary: [Fields], english: Bool) -> String {
    "\r\n" + CSVFormat.line(english ? ["group", "item", "value"] : ["分组", "项目", "数值"])
      + summary.map { CSVFormat.line($0.fields.map { Render.plain($0.value) }) }.joined()
  }

  public var csv: String {
    LedgerReport.csvHeader(english: english) + rows.map(LedgerReport.csvRow).joined()
      + LedgerReport.csvSummary(summary, english: english)
  }

  // MARK: Markdown

  public var markdown: String {
    func cell(_ text: String) -> String {
      text.replacingOccurrences("|", with: "\\|").replacingOccurrences("\r", with: " ").replacingOccurrences(
        "\n", with: "<br>")
    }
    func table(_ head: [String], _ body: [[String]]) -> String {
      "| " + head.map(cell).joined(separator: " | ") + " |\n|" + head.map { _ in " --- |" }.joined() + "\n"
        + body.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
    }
    return "# \(title)\n\n\(subtitle)\n\n" + table(headers, rows.map { $0.map(Render.plain) })
      + "\n## \(english ? "Summary" : "汇总")\n\n"
      + table(summaryHeaders, summary.map { $0.fields.map { Render.plain($0.value) } })
      + "\n" + signOff.text(english: english) + "\n"
  }

  // MARK: HTML (printable: A4 landscape, the header row repeated on every page, page numbers)

  /// Each column's width in display columns (a CJK character is two): the widest cell, at most the
  /// column's cap (then it wraps), and at least a short header (a long one wraps); the printed
  /// formats size their columns in proportion. `latin` is the width of a Latin letter or digit
  /// (1 in a spreadsheet's units; a proportional font's digits are wider than half a CJK character).
  static func columnWeights(_ headers: [String], _ rows: [[Value]], caps: [Int], latin: Double = 1) -> [Double] {
    func measure(_ text: String) -> Double {
      let wide = displayWidth(text) - text.unicodeScalars.count
      return Double(max(0, wide)) * 2 + Double(text.unicodeScalars.count - max(0, wide)) * latin
    }
    var widths = headers.map { max(4, min(8, measure($0))) }
    for row in rows {
      for (index, value) in row.enumerated() where index < widths.count {
        let cap = Double(index < caps.count ? caps[index] : 12)
        widths[index] = max(widths[index], min(cap * latin, value.isDay ? 10 * latin : measure(Render.plain(value))))
      }
    }
    return widths
  }

  /// The ledger's column caps: a firm's name on at most two lines, the long texts (description,
  /// measures, progress) a little wider, the credit code whole, the rest wrapped at six characters.
  static let columnCaps = [4, 20, 18, 12, 14, 8, 8, 14, 10, 8, 12, 12, 6, 10, 14, 8, 10, 10]

  public var html: String {
    let esc = Render.markupEscape
    var weights = LedgerReport.columnWeights(headers, rows, caps: LedgerReport.columnCaps, latin: 1.3).map { $0 + 1 }
    // The credit code is kept on one line and its capitals are wider than the digits measured.
    for column in LedgerReport.unbroken where column < weights.count { weights[column] += 3 }
    let total = max(1, weights.reduce(0, +))
    let pageNumbers =
      english
      ? "\"Page \" counter(page) \" of \" counter(pages)" : "\"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\""
    var out = """
      <!DOCTYPE html>
      <html lang="\(english ? "en" : "zh-CN")">
      <head>
      <meta charset="utf-8">
      <title>\(esc(title))</title>
      <style>
      @page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-center { content: \(pageNumbers); font-size: 8pt; } }
      body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif; \
      font-size: 7pt; margin: 0; }
      h1 { font-size: 15pt; text-align: center; margin: 0 0 4pt; }
      h2 { font-size: 11pt; margin: 12pt 0 4pt; }
      p.meta { text-align: center; margin: 0 0 8pt; }
      table { border-collapse: collapse; width: 100%; table-layout: fixed; }
      thead { display: table-header-group; }
      tr { page-break-inside: avoid; }
      th, td { border: 0.5pt solid #444; padding: 1pt 1pt; vertical-align: top; overflow-wrap: anywhere; }
      th { background: #e8e8e8; font-weight: bold; }
      td.n { text-align: right; white-space: nowrap; }
      td.d { white-space: nowrap; }
      tr.overdue td { background: #fdecea; }
      table.summary { width: auto; table-layout: auto; page-break-inside: avoid; }
      table.summary td, table.summary th { padding: 2pt 6pt; }
      ul.headline { list-style: none; padding: 0; margin: 6pt 0; }
      p.signoff { margin: 16pt 0 0; page-break-inside: avoid; }
      figure.chart { margin: 8pt 0; width: 150mm; page-break-inside: avoid; }
      </style>
      </head>
      <body>
      <h1>\(esc(title))</h1>
      <p class="meta">\(esc(subtitle))</p>
      <table class="ledger">
      <colgroup>\(weights.map { "<col style=\"width: \(Double(Int($0 * 1000 / total)) / 10)%\">" }.joined())</colgroup>
      <thead><tr>
      """
    out += headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows {
      let overdue: Bool
      if case .text(let remark)? = row.last {
        overdue = remark.contains("超期") || remark.contains("overdue")
      } else {
        overdue = false
      }
      out += overdue ? "<tr class=\"overdue\">" : "<tr>"
      for (column, value) in row.enumerated() {
        switch value {
        case .int, .decimal, .money: out += "<td class=\"n\">\(esc(Render.plain(value)))</td>"
        case .day: out += "<td class=\"d\">\(esc(Render.plain(value)))</td>"
        default:
          out +=
            LedgerReport.unbroken.contains(column)
            ? "<td class=\"d\">\(esc(Render.plain(value)))</td>" : "<td>\(esc(Render.plain(value)))</td>"
        }
      }
      out += "</tr>\n"
    }
    out +=
      "</tbody>\n</table>\n<h2>\(english ? "Summary" : "汇总")</h2>\n<table class=\"summary\">\n<thead><tr>"
      + crosstab.headers.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for line in crosstab.rows {
      out +=
        "<tr>"
        + line.map { value in
          if case .int = value { return "<td class=\"n\">\(esc(Render.plain(value)))</td>" }
          return "<td>\(esc(Render.plain(value)))</td>"
        }.joined() + "</tr>\n"
    }
    out += "</tbody>\n</table>\n<ul class=\"headline\">\n"
    out += headline.map { "<li>\(esc($0.0))\(english ? ": " : "：")\(esc($0.1))</li>\n" }.joined()
    out += "</ul>\n" + charts.map { "<figure class=\"chart\">\($0.svg)</figure>\n" }.joined()
    out += "<p class=\"signoff\">\(esc(signOff.text(english: english)))</p>\n"
    return out + "</body>\n</html>\n"
  }

  /// Columns kept on one line in the printed page: the credit code (a code broken over two lines is
  /// misread); dates and numbers are never broken.
  static let unbroken: Set<Int> = [2]

  // MARK: JSON

  public var json: String {
    let items: [Value] = rows.map { row in .record(Fields(zip(LedgerRules.englishHeaders, row).map { ($0.0, $0.1) })) }
    return Render.json(
      .record(
        Fields([
          ("title", .text(title)), ("as_of", .day(asOf)), ("from", .optional(from)), ("to", .optional(to)),
          ("region", .text(region)),
          ("items", .list(items)), ("summary", .list(summary.map { .record($0) })),
        ]))) + "\n"
  }

  public var table: String {
    "\(title)\n\(subtitle)\n\n"
      + Render.render(.list(rows.map { row in .record(Fields(zip(headers, row).map { ($0.0, $0.1) })) }), as: .table)
      + "\n" + Render.render(.list(summary.map { .record($0) }), as: .table)
  }

  // MARK: XLSX

  /// An Excel workbook: a ledger sheet (header row frozen, widths fit for Chinese text, dates as
  /// dates) and a summary sheet.
  public var xlsx: [UInt8] {
    let sheets = english ? ["Ledger", "Summary"] : ["台账", "汇总"]
    let pageFooter = english ? "Page &P of &N" : "第 &P 页 共 &N 页"
    let ledger = XLSXSheet.printed(
      title: title, subtitle: subtitle, headers: headers, rows: rows, caps: LedgerReport.columnCaps,
      trailing: [signOff.text(english: english)], footer: pageFooter)
    let figures = headline.map { "\($0.0)\(english ? ": " : "：")\($0.1)" }
    let summarySheet = XLSXSheet.printed(
      title: title + (english ? " — summary" : "（汇总）"), subtitle: subtitle, headers: crosstab.headers,
      rows: crosstab.rows, trailing: figures + [signOff.text(english: english)], footer: pageFooter)
    return XLSXSheet.workbook(sheets: [(sheets[0], ledger), (sheets[1], summarySheet)], printTitles: [0, 1])
  }
}

/// SpreadsheetML for one worksheet with inline strings.
enum XLSXSheet {
  /// A workbook of named sheets with the shared styles; `printTitles` lists the sheets whose row 3
  /// (a printed sheet's header) repeats on every printed page.
  static func workbook(sheets: [(name: String, xml: String)], printTitles: Set<Int>) -> [UInt8] {
    var zip = ZipArchive()
    let overrides = sheets.indices.map {
      "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    }.joined()
    zip.add(
      "[Content_Types].xml",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" \
        ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" \
        ContentType="application/xml"/><Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\(overrides)\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """.utf8))
    zip.add(
      "_rels/.rels",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship \
        Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """.utf8))
    let names = sheets.enumerated().map {
      "<sheet name=\"\(Render.markupEscape($0.element.name))\" sheetId=\"\($0.offset + 1)\" "
        + "r:id=\"rId\($0.offset + 1)\"/>"
    }.joined()
    let titles = sheets.enumerated().filter { printTitles.contains($0.offset) }.map {
      let quoted = Render.markupEscape($0.element.name.replacingOccurrences("'", with: "''"))
      return "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\($0.offset)\">'\(quoted)'!$3:$3</definedName>"
    }.joined()
    zip.add(
      "xl/workbook.xml",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets>\(names)</sheets>\(titles.isEmpty ? "" : "<definedNames>\(titles)</definedNames>")</workbook>
        """.utf8))
    let relations = sheets.indices.map {
      "<Relationship Id=\"rId\($0 + 1)\" "
        + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        + "Target=\"worksheets/sheet\($0 + 1).xml\"/>"
    }.joined()
    zip.add(
      "xl/_rels/workbook.xml.rels",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)\
        <Relationship Id="rId\(sheets.count + 1)" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/></Relationships>
        """.utf8))
    zip.add("xl/styles.xml", Array(styles.utf8))
    for (index, sheet) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(index + 1).xml", Array(sheet.xml.utf8)) }
    return zip.bytes
  }

  /// The workbook styles. 0 default, 1 bold header with fill, 2 date, 3 wrapped text; for printed
  /// sheets: 4 title, 5 subtitle (centred), 6 bordered header, 7 bordered wrapped text, 8 bordered
  /// date, 9 bordered number, 10 a trailing line; for letters: 11 a wrapped paragraph, 12 a
  /// signature (right-aligned).
  static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt \
    numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
    <fonts count="3"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font>\
    <font><b/><sz val="16"/><name val="等线"/></font></fonts>\
    <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>\
    </fill><fill><patternFill patternType="solid"><fgColor rgb="FFE8E8E8"/><bgColor indexed="64"/>\
    </patternFill></fill></fills>\
    <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
    <border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top \
    style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="13">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" \
    vertical="top"/></xf>\
    <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment \
    horizontal="center" vertical="center"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment \
    horizontal="center"/></xf>\
    <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
    applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment \
    wrapText="1" vertical="top"/></xf>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
    applyAlignment="1"><alignment vertical="top"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment \
    vertical="top"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="center"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" \
    vertical="top"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment \
    horizontal="right" vertical="center"/></xf>\
    </cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
    """

  /// A sheet as a bureau files it on paper: the title and a subtitle line centred over the table,
  /// the header (row 3, repeated on every printed page through the workbook's print titles), every
  /// cell bordered, columns as wide as their content (long text capped, then wrapped), lines under
  /// the table (a sign-off block), A4 landscape with all columns fitted to the page width, and
  /// `footer` (page numbers) at the foot of each page.
  static func printed(
    title: String, subtitle: String, headers: [String], rows: [[Value]], caps: [Int] = [], trailing: [String],
    footer: String
  ) -> String {
    let widths = LedgerReport.columnWeights(headers, rows, caps: caps).map { Int($0.rounded(.up)) + 2 }
    let last = column(max(0, headers.count - 1))
    var out =
      XLSXSheet.prologue + "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
      + "<sheetViews><sheetView workbookViewId=\"0\">"
      + "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
      + "<cols>"
      + widths.enumerated().map {
        "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>"
      }.joined() + "</cols><sheetData>"
    out += "<row r=\"1\" ht=\"28\" customHeight=\"1\">" + textCell("A1", title, style: 4) + "</row>"
    out += "<row r=\"2\">" + textCell("A2", subtitle, style: 5) + "</row>"
    out += row(3, headers.map(Value.text), style: 6)
    for (index, values) in rows.enumerated() {
      out += row(index + 4, values, style: nil, bordered: true, height: height(values, widths))
    }
    // One blank row, then each trailing line across the table's width.
    let firstTrailing = rows.count + 5
    for (index, line) in trailing.enumerated() {
      let number = firstTrailing + index
      out += "<row r=\"\(number)\" ht=\"20\" customHeight=\"1\">" + textCell("A\(number)", line, style: 10) + "</row>"
    }
    let merged =
      ["A1:\(last)1", "A2:\(last)2"] + trailing.indices.map { "A\(firstTrailing + $0):\(last)\(firstTrailing + $0)" }
    out += "</sheetData><mergeCells count=\"\(merged.count)\">" + merged.map { "<mergeCell ref=\"\($0)\"/>" }.joined()
    out +=
      "</mergeCells><printOptions horizontalCentered=\"1\"/>"
      + "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
      + "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
      + "<headerFooter><oddFooter>&amp;C\(Render.markupEscape(footer))</oddFooter></headerFooter>"
    return out + "</worksheet>"
  }

  /// A body row's height in points: enough lines for its longest wrapped cell (a spreadsheet does
  /// not grow a row for wrapped text it did not lay out itself).
  static func height(_ values: [Value], _ widths: [Int]) -> Double {
    var lines = 1
    for (index, value) in values.enumerated() where index < widths.count {
      guard case .text(let text) = value else { continue }
      let room = max(1, widths[index] - 1)
      lines = max(lines, (displayWidth(text) + room - 1) / room)
    }
    return Double(min(lines, 12)) * 14.5 + 2
  }

  /// The start of every worksheet part.
  static let prologue =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

  /// A text cell (an inline string) with its style (0: the default, not written).
  static func textCell(_ ref: String, _ text: String, style: Int) -> String {
    "<c r=\"\(ref)\" t=\"inlineStr\"\(style == 0 ? "" : " s=\"\(style)\"")>"
      + "<is><t xml:space=\"preserve\">\(Render.markupEscape(text))</t></is></c>"
  }

  /// A row of cells; `style` for every cell (a header), else by value: dates as dates, long text
  /// wrapped; `bordered` for the body of a printed sheet.
  static func row(_ number: Int, _ values: [Value], style: Int?, bordered: Bool = false, height: Double? = nil)
    -> String
  {
    var out = "<row r=\"\(number)\"" + (height.map { " ht=\"\($0)\" customHeight=\"1\"" } ?? "") + ">"
    let numberStyle = bordered ? " s=\"9\"" : (style.map { " s=\"\($0)\"" } ?? "")
    for (index, value) in values.enumerated() {
      let ref = column(index) + String(number)
      switch value {
      case .null: if bordered { out += "<c r=\"\(ref)\" s=\"7\"/>" }
      case .int(let n): out += "<c r=\"\(ref)\"\(numberStyle)><v>\(n)</v></c>"
      case .decimal(let d, let places):
        out += "<c r=\"\(ref)\"\(numberStyle)><v>\(Render.formatDecimal(d, places: places))</v></c>"
      case .money(let fen): out += "<c r=\"\(ref)\"\(numberStyle)><v>\(fen.yuan)</v></c>"
      // Excel serial: days since 1899-12-30
      case .day(let day): out += "<c r=\"\(ref)\" s=\"\(bordered ? 8 : 2)\"><v>\(day.ordinal + 25_569)</v></c>"
      default:
        let text = Render.plain(value)
        let s = style ?? (bordered ? 7 : text.count > 30 ? 3 : 0)
        out += textCell(ref, text, style: s)
      }
    }
    return out + "</row>"
  }

  static func column(_ index: Int) -> String {
    var n = index + 1
    var name = ""
    while n > 0 {
      let r = (n - 1) % 26
      name = String(UnicodeScalar(UInt8(65 + r))) + name
      n = (n - 1) / 26
    }
    return name
  }

}

extension Render {
  /// Text for XML and HTML content and attributes: the five markup characters escaped, and the
  /// control characters XML 1.0 forbids dropped (tab and line breaks kept).
  public static func markupEscape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

extension Value {
  var isDay: Bool {
    if case .day = self { return true }
    return false
  }
}

extension Report {
  public static func ledgerFacts(_ item: LedgerItem) -> Fields {
    Fields([
      ("source", .text(item.source.rawValue)), ("problem_type", .text(item.problemType)),
      ("description", .text(item.description)), ("found_on", .day(item.foundOn)),
      ("class", .text(item.itemClass.rawValue)), ("measures", .text(item.measures)),
      ("responsible_unit", .text(item.responsibleUnit)),
      ("responsible_person", .text(item.responsiblePerson)), ("due_on", .day(item.dueOn)),
    ])
  }

  public static func ledgerRow(_ line: LedgerLine, asOf: Day) -> Fields {
    Fields([
      ("id", .int(line.item.id)), ("credit_code", .text(line.creditCode)), ("name", .text(line.name)),
      ("region_code", .text(line.regionCode)),
      ("source", .text(line.item.source.rawValue)), ("problem_type", .text(line.item.problemType)),
      ("class", .text(line.item.itemClass.rawValue)),
      ("found_on", .day(line.item.foundOn)), ("due_on", .day(line.item.dueOn)),
      ("state", .text(line.item.state(asOf: asOf).rawValue)),
      ("days_overdue", .int(line.item.daysOverdue(asOf: asOf))), ("responsible_unit", .text(line.item.responsibleUnit)),
    ])
  }
}
