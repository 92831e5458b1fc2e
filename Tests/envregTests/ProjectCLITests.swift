import Foundation
import Testing

/// The EIA approval service through the binary (RULES §11): on the demo's registry as of 2026-11-29.
@Suite("The EIA approval service through the binary: projects, events, the ledgers")
struct ProjectCLITests {
  @Test("EA-1..EA-8 end to end: add, enter, events, show with the trace, refusals leave the registry untouched")
  func lifecycle() throws {
    let scratch = try Scratch()
    let db = ["--db", scratch.path + "/r.sqlite"]
    #expect(try scratch.run(["init"] + db).status == 0)
    func run(_ arguments: [String], asOf: String = "2026-11-29", lang: String = "en") throws -> Run {
      try scratch.run(arguments + db + ["--as-of", asOf, "--lang", lang])
    }
    let added = try run(
      [
        "project", "add", "WH-2026-01", "--name", "江岸区热电联产项目", "--builder", "91420102MA4KX0A83G",
        "--builder-name", "武汉江岸热电有限公司", "--region", "武汉市江岸区", "--industry", "D4411", "--investment", "52000.5",
        "--item", "2021:41-4411:report", "--sensitive", "no", "--urgent", "否", "--effective", "2026-10-01",
      ])
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout.contains("investment_wan        52000.5") && added.stdout.contains("420102"))
    // §4 for the project: no category holds until it is on a major ledger (EIA-C2); exit 3, then 0.
    #expect(try run(["project", "eligibility", "WH-2026-01"]).status == 3)
    #expect(
      try run(["project", "enter", "WH-2026-01", "--ledger", "local", "--reference", "省重点项目", "--from", "2026-10-01"])
        .status == 0)
    let eligible = try run(["project", "eligibility", "WH-2026-01", "--format", "json"])
    #expect(eligible.status == 0 && eligible.stdout.contains("\"status\": \"eligible\""), "\(eligible.stdout)")
    #expect(try run(["project", "event", "WH-2026-01", "received", "--on", "2026-10-08"]).status == 0)
    // 2026-10-09 to 10-23 stop the clock; decided 11-20: 43 days less 15 = 28 of 60.
    #expect(
      try run(["project", "event", "WH-2026-01", "expert-review", "--on", "2026-10-09", "--to", "2026-10-23"]).status
        == 0)
    let head = try run(["audit", "log", "--format", "json"]).stdout
    // Refused: a second receipt, a check of an ordinary approval, an interval ending before it starts.
    for (arguments, field) in [
      (["received", "--on", "2026-11-02"], "kind"), (["checked", "--on", "2026-11-02"], "kind"),
      (["technical-review", "--on", "2026-11-02", "--to", "2026-11-01"], "to"),
    ] {
      let refused = try run(["project", "event", "WH-2026-01"] + arguments)
      #expect(refused.status != 0 && refused.stderr.contains(field), "\(arguments): \(refused.stderr)")
    }
    let chinese = try run(["project", "event", "WH-2026-01", "received", "--on", "2026-11-02"], lang: "zh")
    #expect(chinese.stderr.contains("已于 2026-10-08 收件"), "\(chinese.stderr)")
    #expect(try run(["audit", "log", "--format", "json"]).stdout == head)
    #expect(
      try run(["project", "event", "WH-2026-01", "approved", "--on", "2026-11-20", "--reference", "鄂环审〔2026〕90号"])
        .status == 0)
    let shown = try run(["project", "show", "WH-2026-01", "--format", "json"])
    #expect(shown.stdout.contains("\"days_used\": 28") && shown.stdout.contains("\"approval_stage\": \"approved\""))
    #expect(shown.stdout.contains("\"rule\": \"EA-8\""))
    // As of a day inside the review the clock stood still from the day after 受理 (10-09..10-15 stopped).
    let earlier = try run(["project", "show", "WH-2026-01", "--format", "json"], asOf: "2026-10-15")
    #expect(
      earlier.stdout.contains("\"approval_stage\": \"clock-stopped\"") && earlier.stdout.contains("\"days_used\": 0"))
    // Before its first version the project is not there.
    #expect(try run(["project", "show", "WH-2026-01"], asOf: "2026-09-30").status != 0)
    // The ledger's table as CSV for Excel: BOM, Chinese header, owner-only.
    let csv = scratch.path + "/地方台账.csv"
    #expect(try run(["project", "ledger", "--ledger", "local", "--notice", "--output", csv]).status == 0)
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: csv)))
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self).hasPrefix("序号,项目名称,建设单位"))
    #expect(try FileManager.default.attributesOfItem(atPath: csv)[.posixPermissions] as? Int == 0o600)
    #expect(try run(["audit", "verify"]).status == 0)
  }

  @Test("project import refuses a file with a bad row whole, naming row, field, value and reason")
  func importRefusal() throws {
    let scratch = try Scratch()
    let db = ["--db", scratch.path + "/r.sqlite", "--as-of", "2026-11-29"]
    #expect(try scratch.run(["init"] + db).status == 0)
    let file = scratch.path + "/projects.csv"
    try """
    项目编号,项目名称,建设单位统一社会信用代码,建设单位,所在地,行业,名录条目
    P-1,好项目,91420102MA4KX0A83G,某公司,420102,3011,2021:30:report
    P-2,坏项目,91420102MA4KX0A83L,某公司,420102,3011,2021:30:书
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let run = try scratch.run(["project", "import", file] + db)
    #expect(run.status != 0)
    #expect(run.stderr.contains("line 3") || run.stderr.contains("row 3"), "\(run.stderr)")
    #expect(run.stderr.contains("builder") && run.stderr.contains("item"), "\(run.stderr)")
    let listed = try scratch.run(["project", "list", "--format", "json"] + db)
    #expect(listed.status == 0 && !listed.stdout.contains("P-1"), "\(listed.stdout)")
  }
}
