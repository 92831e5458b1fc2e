import Foundation
import Testing

let sofficePath = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}
/// CI installs LibreOffice (`.ci/run`), so there the read-back always runs and a missing soffice fails it.
let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

/// A registry with the sample firms and ledger, items moved through their states by the CLI.
func ledgerScratch() throws -> Scratch {
  let scratch = try Scratch()
  try scratch.run("init")
  try scratch.run(["enterprise", "import", sample("enterprises.csv")])
  #expect(try scratch.run(["ledger", "import", sample("ledger.csv")]).status == 0)
  for arguments in [
    ["ledger", "close", "1", "--note", "现场整改完毕", "--on", "2026-02-10"],
    ["ledger", "progress", "2", "--note", "已制定整改方案", "--to", "整改中", "--on", "2026-04-10"],
    ["ledger", "progress", "2", "--note", "排放口变更已报审", "--to", "待验收", "--on", "2026-06-30"],
    ["ledger", "close", "2", "--note", "验收合格", "--on", "2026-07-20"],
    ["ledger", "progress", "3", "--note", "施工中", "--to", "in-progress", "--on", "2026-06-01"],
    ["ledger", "reopen", "1", "--reason", "复查发现问题反弹", "--on", "2026-09-01"],
  ] {
    let run = try scratch.run(arguments)
    #expect(run.status == 0, "\(arguments): \(run.stderr)")
  }
  return scratch
}

@Suite("The assistance ledger through the binary", .serialized)
struct LedgerCLITests {
  @Test("Illegal transitions are refused naming the allowed ones; the report as golden CSV and Markdown")
  func reportGoldens() throws {
    let scratch = try ledgerScratch()
    let illegal = try scratch.run(["ledger", "close", "3", "--on", "2026-10-01"])
    #expect(illegal.status == 1 && illegal.stderr.contains("may move to 待验收 (awaiting-acceptance), not 已销号"))
    let csv = try scratch.run([
      "ledger", "report", "--from", "2026-01-01", "--to", "2026-11-29", "--as-of", "2026-11-29",
    ])
    #expect(csv.status == 0)
    try assertSnapshot(csv.stdout, named: "ledger-report.csv")
    let md = try scratch.run([
      "ledger", "report", "--region", "12", "--format", "md", "--lang", "en", "--as-of", "2026-11-29",
    ])
    try assertSnapshot(md.stdout, named: "ledger-report-tianjin-en.md")
    let overdue = try scratch.run("ledger list --overdue --as-of 2026-11-29 --format json")
    let items = try #require(try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]])
    #expect(
      !items.isEmpty && items.allSatisfy { ($0["days_overdue"] as? Int ?? 0) > 0 && $0["state"] as? String != "已销号" })
  }

  @Test("The xlsx opens in LibreOffice and reads back as the CSV report", .enabled(if: sofficePath != nil || inCI))
  func xlsxReadBackByLibreOffice() throws {
    let soffice = try #require(
      sofficePath, "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
    let scratch = try ledgerScratch()
    let xlsx = scratch.path + "/ledger.xlsx"
    #expect(
      try scratch.run(["ledger", "report", "--format", "xlsx", "--output", xlsx, "--as-of", "2026-11-29"]).status == 0)
    let csv = try scratch.run(["ledger", "report", "--as-of", "2026-11-29"]).stdout
    let convert = Process()
    convert.executableURL = URL(fileURLWithPath: soffice)
    convert.arguments = [
      "--headless", "-env:UserInstallation=file://\(scratch.path)/lo-profile", "--convert-to",
      "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", scratch.path, xlsx,
    ]
    convert.standardOutput = FileHandle.nullDevice
    convert.standardError = FileHandle.nullDevice
    try convert.run()
    convert.waitUntilExit()
    let sheet = try String(contentsOfFile: scratch.path + "/ledger-台账.csv", encoding: .utf8)
    // LibreOffice writes LF line ends and quotes only where needed: compare row by row, as cells.
    // The sheet has the title and subtitle above the table and the sign-off block under it.
    let ours = csv.components(separatedBy: "\r\n\r\n")[0].split(separator: "\r\n").map(String.init)
    let lines = sheet.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first?.hasPrefix("企业环境治理问题台账") == true && lines[1].hasPrefix("地区："))
    #expect(sheet.contains("填报单位：") && sheet.contains("报送日期："))
    let theirs = Array(lines.dropFirst(2).prefix(ours.count))
    #expect(theirs.count == ours.count)
    for (mine, read) in zip(ours, theirs) { #expect(mine == read) }
  }

  @Test(
    """
    Printed: the ledger workbook (LibreOffice) and the HTML report (Chromium) to PDF are A4 landscape, every page \
    with rows carries every column's header (none cut off), at least 8 items a page, the summary as region × state, \
    the sign-off block and page numbers
    """, .enabled(if: (sofficePath != nil && chromiumPath != nil && pdftotextPath != nil) || inCI))
  func printedPages() throws {
    let soffice = try #require(sofficePath, "LibreOffice is not installed; .ci/setup-tests installs it")
    let chromium = try #require(chromiumPath, "chromium is not installed; .ci/setup-tests installs it")
    _ = try #require(pdftotextPath, "pdftotext is not installed; .ci/setup-tests installs poppler-utils")
    let scratch = try ledgerScratch()
    let signOff = ["--filing-unit", "湖北省生态环境厅", "--preparer", "张敏", "--filed-on", "2026-11-30"]
    for format in ["xlsx", "html"] {
      let run = try scratch.run(
        ["ledger", "report", "--format", format, "--output", scratch.path + "/r.\(format)", "--as-of", "2026-11-29"]
          + signOff)
      #expect(run.status == 0, "\(run.stderr)")
    }
    let listed = try scratch.run(["ledger", "list", "--format", "csv", "--as-of", "2026-11-29"]).stdout
      .split(whereSeparator: \.isNewline).dropFirst()
    let items = listed.count
    let codes = Set(listed.compactMap { $0.split(separator: ",").dropFirst().first.map(String.init) })
    try tool(
      soffice,
      [
        "--headless", "-env:UserInstallation=file://\(scratch.path)/lo-profile", "--convert-to", "pdf", "--outdir",
        scratch.path, scratch.path + "/r.xlsx",
      ])
    try tool(
      chromium,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        "--user-data-dir=\(scratch.path)/chrome",
        "--print-to-pdf=\(scratch.path)/r-html.pdf", "file://\(scratch.path)/r.html",
      ])
    for pdf in ["r.pdf", "r-html.pdf"] {
      let pages = try PrintedPages(scratch.path + "/" + pdf)
      #expect(pages.count >= 1, "\(pdf)")
      #expect(pages.sizes.allSatisfy { $0.width > $0.height }, "\(pdf) is not landscape: \(pages.sizes)")
      let withRows = pages.texts.filter { text in codes.contains { text.contains($0) } }
      #expect(withRows.count <= (items + 7) / 8, "\(pdf): \(withRows.count) pages for \(items) items")
      for (number, text) in withRows.enumerated() {
        for header in ["序号", "企业名称", "统一社会信用代码", "问题描述", "整改时限", "整改进展", "状态", "备注"] {
          #expect(PrintedPages.holds(text, header), "\(pdf) page \(number + 1) lacks \(header)")
        }
      }
      let all = pages.texts.joined()
      for word in ["地区", "待整改", "整改中", "待验收", "已销号", "合计", "超期", "填报单位", "湖北省生态环境厅", "张敏", "2026-11-30"] {
        #expect(PrintedPages.holds(all, word), "\(pdf) lacks \(word)")
      }
      #expect(pages.texts.first.map { PrintedPages.holds($0, "第1页共") } == true, "\(pdf): no page number")
    }
  }
}

let pdftotextPath = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// Runs a program to its end (output discarded); fails the test on a non-zero exit.
@discardableResult
func tool(_ path: String, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0, "\(path) \(arguments) exited \(process.terminationStatus)")
  return String(decoding: data, as: UTF8.self)
}

/// A PDF's pages as poppler reads them: each page's size (pdfinfo) and text (pdftotext).
struct PrintedPages {
  var sizes: [(width: Double, height: Double)] = []
  var texts: [String] = []
  var count: Int { texts.count }

  init(_ pdf: String) throws {
    let folder = URL(fileURLWithPath: try #require(pdftotextPath)).deletingLastPathComponent().path
    let info = try tool(folder + "/pdfinfo", ["-f", "1", "-l", "999", pdf])
    for line in info.split(separator: "\n") where line.hasPrefix("Page") && line.contains("size:") {
      let numbers = line.split(separator: " ").compactMap { Double($0) }
      if numbers.count >= 3 { sizes.append((numbers[1], numbers[2])) }
    }
    for page in 1...max(1, sizes.count) {
      texts.append(try tool(folder + "/pdftotext", ["-f", "\(page)", "-l", "\(page)", pdf, "-"]))
    }
  }

  /// Whether a page's text holds `word`, allowing the line breaks of a wrapped cell: the word's
  /// characters in order, each within a few lines of the one before, whitespace ignored.
  static func holds(_ text: String, _ word: String) -> Bool {
    let compact = Array(text.filter { !$0.isWhitespace })
    let letters = Array(word.filter { !$0.isWhitespace })
    guard let first = letters.first else { return true }
    for start in compact.indices where compact[start] == first {
      var at = start
      var found = true
      for letter in letters.dropFirst() {
        guard let next = compact[(at + 1)...].prefix(200).firstIndex(of: letter) else {
          found = false
          break
        }
        at = next
      }
      if found { return true }
    }
    return false
  }
}
