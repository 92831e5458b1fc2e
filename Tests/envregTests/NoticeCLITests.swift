import Foundation
import Testing

/// The notices a bureau publishes or serves, from the demo's registry (golden HTML).
@Suite("Notices: permit expiry reminder, positive-list directory, demand notices", .serialized)
struct NoticeCLITests {
  /// The demo's registry as of 2026-11-29.
  static func demoRegistry() throws -> Scratch {
    let scratch = try Scratch()
    let run = try scratch.run(["demo", "--as-of", "2026-11-29", "--actor", "demo"])
    #expect(run.status == 0, "\(run.stderr)")
    return scratch
  }

  @Test("Each notice as golden HTML: the letters, the legal bases, the 附件 list; the workbook is a workbook")
  func goldens() throws {
    let scratch = try NoticeCLITests.demoRegistry()
    let db = ["--db", scratch.path + "/envreg-demo/demo.sqlite", "--as-of", "2026-11-29"]
    let cases: [([String], String)] = [
      (
        ["permit", "expiring", "--within", "120", "--region", "42", "--notice", "--issuer", "湖北省生态环境厅"],
        "notice-permit-expiry.html"
      ),
      (["lists", "members", "--list", "inspection-exemption", "--notice"], "notice-directory.html"),
      (["fine", "overdue", "--notice", "--issuer", "唐山市生态环境局"], "notice-demand.html"),
      // Issue 16: the draw's 一公开 notice (RD-3) and the city's reduction list (HW output (a)).
      (["inspect", "show", "1", "--notice", "--issuer", "武汉市生态环境局"], "notice-draw.html"),
      (
        ["weather", "plan", "--region", "4201", "--year", "2026", "--notice", "--issuer", "武汉市生态环境局"],
        "notice-weather-plan.html"
      ),
      // Issue 17: the national major-project ledger as a bureau keeps it (EA-2, the report of §11).
      (
        ["project", "ledger", "--ledger", "national", "--region", "42", "--notice", "--issuer", "湖北省生态环境厅"],
        "notice-project-ledger.html"
      ),
    ]
    for (arguments, golden) in cases {
      let run = try scratch.run(arguments + db)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      try assertSnapshot(run.stdout, named: golden)
    }
    let demand = try scratch.run(["fine", "overdue", "--notice"] + db).stdout
    #expect(demand.contains("行政强制法》第三十五条") && demand.contains("每日按罚款数额的百分之三加处罚款"))
    #expect(demand.components(separatedBy: "<section class=\"letter\">").count - 1 == 2)
    // Options that belong to --notice are refused without it; the reminder does not take --overdue.
    #expect(try scratch.run(["permit", "expiring", "--issuer", "x"] + db).status != 0)
    #expect(try scratch.run(["permit", "expiring", "--notice", "--overdue"] + db).status != 0)
    let workbook = scratch.path + "/提醒公告.xlsx"
    let written = try scratch.run(
      ["permit", "expiring", "--within", "120", "--notice", "--output", workbook] + db)
    #expect(written.status == 0, "\(written.stderr)")
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: workbook)))
    #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    let mode = try FileManager.default.attributesOfItem(atPath: workbook)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
