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

  public init(asOf: Day, from: Day?, to: Day?, region: String, english: Bool, rows: [[Value]], summary: [Fields]) {
    self.asOf = asOf
    self.from = from
    self.to = to
    self.region = region
    self.english = english
    self.rows = rows
    self.summary = summary
    headers = english ? LedgerRules.englishHeaders : LedgerRules.chineseHeaders
    title = english ? "Enterprise environmental-governance problem ledger" : "企业环境治理问题台账"
  }

  public var subtitle: String {
    let period = from.map { "\($0) – \(to?.description ?? asOf.description)" } ?? (english ? "all" : "全部")
    return english ? "Region: \(region)   Period: \(period)   As of: \(asOf)" : "地区：\(region)　统计期间：\(period)　截至：\(asOf)"
  }

  var summaryHeaders: [String] { english ? ["group", "item", "value"] : ["分组", "项目", "数值"] }

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
  }

  // MARK: HTML (printable: A4 landscape, the header row repeated on every page)

  public var html: String {
    let esc = Render.markupEscape
    var out = """
      <!DOCTYPE html>
      <html lang="\(english ? "en" : "zh-CN")">
      <head>
      <meta charset="utf-8">
      <title>\(esc(title))</title>
      <style>
      @page { size: A4 landscape; margin: 12mm 10mm; }
      body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif; font-size: 9pt; margin: 0; }
      h1 { font-size: 15pt; text-align: center; margin: 0 0 4pt; }
      h2 { font-size: 11pt; margin: 12pt 0 4pt; }
      p.meta { text-align: center; margin: 0 0 8pt; }
      table { border-collapse: collapse; width: 100%; }
      thead { display: table-header-group; }
      tr { page-break-inside: avoid; }
      th, td { border: 0.5pt solid #444; padding: 2pt 3pt; vertical-align: top; }
      th { background: #e8e8e8; font-weight: bold; }
      td.n { text-align: right; white-space: nowrap; }
      td.d { white-space: nowrap; }
      tr.overdue td { background: #fdecea; }
      table.summary { width: auto; }
      </style>
      </head>
      <body>
      <h1>\(esc(title))</h1>
      <p class="meta">\(esc(subtitle))</p>
      <table class="ledger">
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
        // Short codes (source, class, person, state) stay on one line instead of one character per line.
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
      + summaryHeaders.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for line in summary {
      out +=
        "<tr>"
        + line.fields.map { field in
          field.key == "value"
            ? "<td class=\"n\">\(esc(Render.plain(field.value)))</td>" : "<td>\(esc(Render.plain(field.value)))</td>"
        }.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table>\n</body>\n</html>\n"
  }

  /// Columns kept on one line in the printed page: 问题来源, 问题分类, 责任人, 状态.
  static let unbroken: Set<Int> = [5, 9, 12, 15]

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
    var zip = ZipArchive()
    zip.add(
      "[Content_Types].xml",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """.utf8))
    zip.add(
      "_rels/.rels",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """.utf8))
    zip.add(
      "xl/workbook.xml",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\(english ? "Ledger" : "台账")" sheetId="1" r:id="rId1"/><sheet name="\(english ? "Summary" : "汇总")" sheetId="2" r:id="rId2"/></sheets></workbook>
        """.utf8))
    zip.add(
      "xl/_rels/workbook.xml.rels",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """.utf8))
    // Styles: 0 default, 1 bold header with fill, 2 date yyyy-mm-dd, 3 wrapped text.
    zip.add(
      "xl/styles.xml",
      Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE8E8E8"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """.utf8))
    zip.add("xl/worksheets/sheet1.xml", Array(XLSXSheet.xml(headers: headers, rows: rows, frozenHeader: true).utf8))
    zip.add(
      "xl/worksheets/sheet2.xml",
      Array(
        XLSXSheet.xml(
          headers: summaryHeaders,
          rows: [[.text(title)], [.text(subtitle)], []].map { $0 } + summary.map { $0.fields.map(\.value) },
          frozenHeader: false
        ).utf8))
    return zip.bytes
  }
}

/// SpreadsheetML for one worksheet with inline strings.
enum XLSXSheet {
  static func xml(headers: [String], rows: [[Value]], frozenHeader: Bool) -> String {
    // Column widths in characters: CJK counts double, capped so descriptions wrap instead.
    var widths = headers.map { displayWidth($0) + 2 }
    for row in rows {
      for (index, value) in row.enumerated() where index < widths.count {
        let width = value.isDay ? 12 : displayWidth(Render.plain(value)) + 2
        widths[index] = min(60, max(widths[index], width))
      }
    }
    var out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    if frozenHeader {
      out +=
        "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
    }
    out +=
      "<cols>"
      + widths.enumerated().map {
        "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>"
      }.joined() + "</cols><sheetData>"
    out += row(1, headers.map(Value.text), style: 1)
    for (index, values) in rows.enumerated() { out += row(index + 2, values, style: nil) }
    return out + "</sheetData></worksheet>"
  }

  static func row(_ number: Int, _ values: [Value], style: Int?) -> String {
    var out = "<row r=\"\(number)\">"
    for (index, value) in values.enumerated() {
      let ref = column(index) + String(number)
      switch value {
      case .null: continue
      case .int(let n): out += "<c r=\"\(ref)\"\(style.map { " s=\"\($0)\"" } ?? "")><v>\(n)</v></c>"
      case .decimal(let d, let places): out += "<c r=\"\(ref)\"><v>\(Render.formatDecimal(d, places: places))</v></c>"
      case .money(let fen): out += "<c r=\"\(ref)\"><v>\(fen.yuan)</v></c>"
      // Excel serial: days since 1899-12-30
      case .day(let day): out += "<c r=\"\(ref)\" s=\"2\"><v>\(day.ordinal + 25_569)</v></c>"
      default:
        let text = Render.plain(value)
        let s = style ?? (text.count > 30 ? 3 : 0)
        out +=
          "<c r=\"\(ref)\" t=\"inlineStr\"\(s == 0 ? "" : " s=\"\(s)\"")><is><t xml:space=\"preserve\">\(Render.markupEscape(text))</t></is></c>"
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
