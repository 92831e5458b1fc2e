import Foundation
import Testing

/// A scratch registry with every sample register imported.
func loadedScratch() throws -> Scratch {
  let scratch = try Scratch()
  try scratch.run("init")
  for (command, file) in [
    ("enterprise", "enterprises"), ("designation", "designations"), ("incident", "incidents"), ("permit", "permits"),
    ("fine", "fines"),
  ] {
    let run = try scratch.run([command, "import", sample(file + ".csv"), "--as-of", "2026-11-29"])
    #expect(run.status == 0, "\(command) import: \(run.stderr)")
  }
  return scratch
}

func sampleCode(_ name: String) throws -> String {
  let text = try String(contentsOfFile: sample("enterprises.csv"), encoding: .utf8)
  let line = try #require(text.split(separator: "\r\n").first { $0.contains(name) })
  return String(line.prefix(18))
}

@Suite("Positive lists, permits, fines and the calendar through the binary", .serialized)
struct ListsPermitsFinesCLITests {
  @Test("eligibility: exit 0 eligible, 3 ineligible; the JSON contract carries every trace line")
  func eligibilityExitCodesAndJSON() throws {
    let scratch = try loadedScratch()
    let eligible = try scratch.run(
      "eligibility 91350100M000100Y43 --list inspection-exemption --as-of 2026-11-29 --format json")
    #expect(eligible.status == 0)
    let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(eligible.stdout.utf8)) as? [[String: Any]])
    let verdict = try #require(verdicts.first)
    #expect(verdict["status"] as? String == "eligible" && verdict["as_of"] as? String == "2026-11-29")
    #expect(verdict["categories"] as? [String] == ["EX-C6", "EX-C8"])
    let trace = try #require(verdict["trace"] as? [[String: Any]])
    #expect(trace.count == 18)
    for line in trace {
      for key in ["rule", "kind", "description", "fact", "threshold", "outcome", "reading", "clause"] {
        #expect(line[key] is String, "\(key)")
      }
    }
    let river = try sampleCode("宜昌长江化工")
    let ineligible = try scratch.run(["eligibility", river, "--list", "inspection-exemption", "--as-of", "2026-11-29"])
    #expect(ineligible.status == 3)
    #expect(ineligible.stdout.contains("EX-X2   EXCLUDED"))
    // Before the 27号 extension, the chip maker's EX-C8 category did not exist.
    let early = try scratch.run(
      "eligibility 91350100M000100Y43 --list eia-green-channel --as-of 2020-06-02 --format csv")
    #expect(early.status == 3 && early.stdout.contains("EIA-C4,category") && early.stdout.contains("not-in-force"))
  }

  @Test("lists admit refuses an ineligible firm with its failing conditions; members and review")
  func listsCommands() throws {
    let scratch = try loadedScratch()
    let river = try sampleCode("宜昌长江化工")
    let refused = try scratch.run(["lists", "admit", river, "--list", "inspection-exemption", "--as-of", "2026-11-29"])
    #expect(
      refused.status == 1 && refused.stderr.contains("is ineligible for inspection-exemption")
        && refused.stderr.contains("--override"))
    #expect(try scratch.run(["lists", "admit", river, "--list", "inspection-exemption", "--override"]).status == 64)
    let chip = try sampleCode("苏州芯源微电子")
    #expect(
      try scratch.run(["lists", "admit", chip, "--list", "inspection-exemption", "--on", "2025-06-01"]).status == 0)
    let members = try scratch.run(
      "lists members --list inspection-exemption --as-of 2026-11-29 --consequences --format csv")
    #expect(members.stdout.contains(chip) && members.stdout.contains("双随机"))
    let review = try scratch.run("lists review --list inspection-exemption --as-of 2026-11-29 --format csv")
    #expect(review.status == 3)
    #expect(
      review.stdout.contains("no-longer-qualifies,\(chip)")
        && review.stdout.contains("EX-K1 FAIL: 1 in window, latest 2026-03-15"))
  }

  @Test("The expiry notice for the next 90 days (golden CSV) and the overdue list citing art. 33")
  func expiryNotice() throws {
    let scratch = try loadedScratch()
    let notice = try scratch.run("permit expiring --within 90 --as-of 2026-11-29 --format csv")
    #expect(notice.status == 0)
    try assertSnapshot(notice.stdout, named: "permit-expiring-90.csv")
    let overdue = try scratch.run("permit expiring --overdue --as-of 2026-11-29 --format csv")
    #expect(overdue.status == 3 && overdue.stdout.contains("art. 33"))
  }

  @Test("An overdue fine with its surcharge trace (golden), the worked example capped, and payment refusal")
  func fines() throws {
    let scratch = try loadedScratch()
    let show = try scratch.run(["fine", "show", "宜环罚〔2026〕88号", "--as-of", "2026-11-29"])
    try assertSnapshot(show.stdout, named: "fine-show-overdue.txt")
    let capped = try scratch.run(["fine", "show", "冀唐环罚〔2021〕12号", "--as-of", "2021-08-27", "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(capped.stdout.utf8)) as? [String: Any])
    #expect(json["surcharge_yuan"] as? String == "30000.00" && json["surcharge_fen"] as? Int == 3_000_000)
    let overdue = try scratch.run("fine overdue --as-of 2026-11-29 --format csv")
    #expect(overdue.status == 3 && overdue.stdout.contains("宜环罚〔2026〕88号,fine"))
    let over = try scratch.run(["fine", "pay", "宜环罚〔2026〕88号", "--amount", "272000.01", "--on", "2026-11-29"])
    #expect(over.status == 1 && over.stderr.contains("exceeds what is owed on 2026-11-29, 272000.00"))
    #expect(try scratch.run(["fine", "pay", "宜环罚〔2026〕88号", "--amount", "12.345"]).status == 64)
  }

  @Test("due lists every clock in date order, naming its rule")
  func dueCalendar() throws {
    let scratch = try loadedScratch()
    let due = try scratch.run("due --within 14 --as-of 2026-11-29 --format json")
    let items = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [[String: Any]])
    let dates = items.compactMap { $0["date"] as? String }
    #expect(dates == dates.sorted())
    #expect(Set(items.compactMap { $0["rule"] as? String }).isSuperset(of: ["PM-2", "PM-4", "FN-1"]))
    #expect(items.allSatisfy { ($0["date"] as? String ?? "") <= "2026-12-13" })
  }
}

@Suite("Retrofits through the binary", .serialized)
struct RetrofitCLITests {
  @Test("import, check with the O2 conversion in the trace, progress as JSON, refusal of a skipped stage")
  func retrofitCommands() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    try scratch.run(["enterprise", "import", sample("enterprises.csv")])
    #expect(try scratch.run(["retrofit", "import", sample("retrofits.csv")]).status == 0)
    #expect(try scratch.run(["retrofit", "import", sample("measurements.csv"), "--measurements"]).status == 0)
    let check = try scratch.run("retrofit check 1 --as-of 2026-11-29 --format json")
    #expect(check.status == 0, "\(check.stderr)")
    let verdict = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
    #expect(verdict["stage"] as? String == "verified" && verdict["meets_limits"] as? String == "pass")
    let trace = try #require(verdict["trace"] as? [[String: Any]])
    #expect(trace.contains { ($0["fact"] as? String)?.contains("converted to 16.0% O2") == true })
    let progress = try scratch.run("retrofit progress --as-of 2026-11-29 --format json")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
    #expect((report["steel_in_key_regions"] as? [[String: Any]])?.count == 3)
    #expect(((report["overdue_mandated"] as? [[String: Any]])?.count ?? 0) > 0)
    let skip = try scratch.run(["retrofit", "advance", "2", "--to", "verified", "--on", "2026-11-29"])
    #expect(skip.status == 1 && skip.stderr.contains("cannot be skipped"))
    let due = try scratch.run("due --within 30 --as-of 2025-12-15 --format csv")
    #expect(due.stdout.contains("mandated ultra-low retrofit verified by,UL-O3"))
  }
}

@Suite("PM-6 through the binary", .serialized)
struct ChangeFilingCLITests {
  @Test("A change of legal representative without a permit change filing within 30 days is flagged; a filing clears it")
  func pm6Flag() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    try scratch.run(["enterprise", "import", sample("enterprises.csv")])
    try scratch.run(["permit", "import", sample("permits.csv")])
    #expect(
      try scratch.run(["enterprise", "update", "91130200699229617X", "--legal-rep", "钱新", "--effective", "2026-09-01"])
        .status == 0)
    let flagged = try scratch.run("permit changes --overdue --as-of 2026-11-29 --format csv")
    #expect(
      flagged.status == 3
        && flagged.stdout.contains("91130200699229617X,唐山冀东钢铁有限公司,legal_rep,2026-09-01,2026-10-01,,yes,PM-6"))
    let notYet = try scratch.run("permit changes --overdue --as-of 2026-10-01 --format csv")
    #expect(notYet.status == 0 && notYet.stdout.isEmpty)
    #expect(
      try scratch.run(["permit", "file-change", "91130200699229617X001P", "--on", "2026-09-20", "--note", "法定代表人变更"])
        .status == 0)
    let filed = try scratch.run("permit changes --as-of 2026-11-29 --format csv")
    #expect(filed.stdout.contains("legal_rep,2026-09-01,2026-10-01,2026-09-20,no,PM-6"))
  }
}
