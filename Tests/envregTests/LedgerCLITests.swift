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
    let ours = csv.components(separatedBy: "\r\n\r\n")[0].split(separator: "\r\n").map(String.init)
    let theirs = sheet.split(separator: "\n").map(String.init)
    #expect(theirs.count == ours.count)
    for (mine, read) in zip(ours, theirs) { #expect(mine == read) }
  }
}
