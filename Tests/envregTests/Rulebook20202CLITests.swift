import Foundation
import Testing

/// Issue 9 through the built binary: what the independent model and real data found.
@Suite("Rule book 2020.2 through the binary", .serialized)
struct Rulebook20202CLITests {
  func registry() throws -> Scratch { try Scratch.withSampleFirms() }

  @Test(
    "Conventions (PM-4): a permit renewed after D is still on the expiry notice as of D; show as of D has no superseded_by"
  )
  func expiryNoticeAsOf() throws {
    let scratch = try registry()
    #expect(
      try scratch.run([
        "permit", "add", "91130200699229617X001P", "--holder", "91130200699229617X", "--class", "key", "--issued",
        "2021-05-20", "--from", "2021-06-01", "--to", "2026-05-31",
      ]).status == 0)
    let before = try scratch.run(["permit", "expiring", "--as-of", "2026-03-10", "--format", "csv"])
    #expect(before.stdout.contains("91130200699229617X001P"))
    #expect(
      try scratch.run([
        "permit", "renew", "91130200699229617X001P", "--number", "91130200699229617X002P", "--issued", "2026-05-20",
        "--from", "2026-06-01",
      ]).status == 0)
    let after = try scratch.run(["permit", "expiring", "--as-of", "2026-03-10", "--format", "csv"])
    #expect(after.stdout == before.stdout)
    let show = try scratch.run([
      "permit", "show", "91130200699229617X001P", "--as-of", "2026-03-10", "--format", "json",
    ])
    // one record, one object
    let record = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
    #expect(record["superseded_by"] is NSNull)
    #expect((record["events"] as? [Any])?.isEmpty == true)
    let early = try scratch.run([
      "permit", "show", "91130200699229617X001P", "--as-of", "2021-05-01", "--format", "json",
    ])
    #expect(early.stdout.contains("\"status\":\"not-issued\"") || early.stdout.contains("\"status\": \"not-issued\""))
  }

  @Test("Conventions (FN-5): a fine paid after D is still overdue as of D")
  func fineOverdueAsOf() throws {
    let scratch = try registry()
    #expect(
      try scratch.run([
        "fine", "add", "冀环罚〔2021〕12号", "--debtor", "91130200699229617X", "--amount", "100000", "--decided",
        "2021-07-30", "--received", "2021-08-02",
      ]).status == 0)
    #expect(try scratch.run(["fine", "overdue", "--as-of", "2021-08-27"]).status == 3)
    #expect(try scratch.run(["fine", "pay", "冀环罚〔2021〕12号", "--amount", "172000", "--on", "2021-09-10"]).status == 0)
    let overdue = try scratch.run(["fine", "overdue", "--as-of", "2021-08-27", "--format", "csv"])
    #expect(overdue.status == 3)
    #expect(overdue.stdout.contains("冀环罚〔2021〕12号"))
    #expect(try scratch.run(["fine", "overdue", "--as-of", "2021-09-11"]).status == 0)
    // ID-8: two more spellings of the same decision are refused, naming it.
    let twin = try scratch.run([
      "fine", "add", "冀环罚[2021]12号", "--debtor", "91130200699229617X", "--amount", "100000", "--decided", "2021-07-30",
      "--received", "2021-08-02",
    ])
    #expect(twin.status != 0 && twin.stderr.contains("冀环罚〔2021〕12号"))
  }

  @Test("ID-6: credit codes as people type them; an Excel-mangled code gets a message saying how to keep it as text")
  func creditCodesAsTyped() throws {
    let scratch = try registry()
    let show = try scratch.run(["enterprise", "show", "91 130200-699229617X", "--as-of", "2026-11-29"])
    #expect(show.status == 0, "\(show.stderr)")
    let excel = try scratch.run(["enterprise", "show", "9.11302E+17"])
    #expect(excel.status != 0 && excel.stderr.contains("Text"))
  }

  @Test("enterprise list: json and csv return every row unless --limit; a table says how many were left out")
  func listPaging() throws {
    let scratch = try registry()
    let json = try scratch.run(["enterprise", "list", "--format", "json", "--as-of", "2026-11-29"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])
    #expect(rows.count == 240)
    let table = try scratch.run(["enterprise", "list", "--as-of", "2026-11-29"])
    #expect(table.stderr.contains("190 left out"))
  }

  @Test("PM-3 (27号 二(二)): a permit expiring 2020-01-20 may be deferred on 2020-03-01; one expiring 2023-01-08 never")
  func deferralByValidTo() throws {
    let scratch = try registry()
    #expect(
      try scratch.run([
        "permit", "add", "91130200699229617X001A", "--holder", "91130200699229617X", "--class", "key", "--issued",
        "2017-01-10", "--from", "2017-01-21", "--to", "2020-01-20",
      ]).status == 0)
    let early = try scratch.run([
      "permit", "defer", "91130200699229617X001A", "--until", "2020-12-31", "--basis", "27号", "--approver", "审批科",
      "--on", "2020-03-01", "--as-of", "2026-11-29",
    ])
    #expect(early.status == 0, "\(early.stderr)")
    #expect(
      try scratch.run([
        "permit", "add", "91130200699229617X002A", "--holder", "91130200699229617X", "--class", "key", "--issued",
        "2018-01-01", "--from", "2018-01-09", "--to", "2023-01-08",
      ]).status == 0)
    let late = try scratch.run([
      "permit", "defer", "91130200699229617X002A", "--until", "2023-06-30", "--basis", "27号", "--approver", "审批科",
      "--on", "2022-12-01", "--as-of", "2026-11-29",
    ])
    #expect(late.status != 0 && late.stderr.contains("outside the epidemic window"))
  }

  @Test(
    "EIA-X1 and vocabularies: help lists every value from the type (electroplating too); a bad value is a usage error of the subcommand naming the allowed ones"
  )
  func vocabularyFromTheType() throws {
    let scratch = try registry()
    let help = try scratch.run(["enterprise", "add", "--help"])
    #expect(help.stdout.contains("electroplating"))
    let bad = try scratch.run(["eligibility", "91130200699229617X", "--list", "green"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("inspection-exemption") && bad.stderr.contains("Usage: envreg eligibility"))
    #expect(
      try scratch.run(["eligibility", "91130200699229617X", "--list", "inspection-exemption", "--as-of", "2026-11-29"])
        .status != 64)
  }

  @Test(
    "ID-7: a pilot-era code whose only error is its check character is registered by an audited override, usable everywhere, listed for data quality"
  )
  func id7Override() throws {
    let scratch = try registry()
    let code = "91350211M0000XUF46"  // RULES ID-7: fails ID-1 (expected R), ID-2 holds
    let plain = try scratch.run([
      "enterprise", "add", code, "--name", "厦门测试有限公司", "--region", "350211", "--industry", "3985",
    ])
    #expect(plain.status != 0 && plain.stderr.contains("expected R"))
    let noReason = try scratch.run([
      "enterprise", "add", code, "--name", "厦门测试有限公司", "--region", "350211", "--industry", "3985",
      "--nonconforming-code",
    ])
    #expect(noReason.status == 64)
    let added = try scratch.run([
      "enterprise", "add", code, "--name", "厦门测试有限公司", "--region", "350211", "--industry", "3985",
      "--nonconforming-code",
      "--reason", "国家企业信用信息公示系统 checked 2026-11-30", "--as-of", "2026-11-29",
    ])
    #expect(added.status == 0 && added.stderr.contains("ID-7"), "\(added.stderr)")
    let profile = try scratch.run(["enterprise", "show", code, "--as-of", "2026-11-29"]).stdout
    #expect(profile.contains("国家企业信用信息公示系统"))
    // Conventions: facts never supplied read "unknown" on the profile (null in JSON).
    #expect(profile.contains("permit_class        unknown") && profile.contains("key_discharge_unit  unknown"))
    #expect(
      try scratch.run(["enterprise", "show", code, "--format", "json"]).stdout.contains("\"permit_class\": null"))
    #expect(
      try scratch.run([
        "permit", "add", code + "001P", "--holder", code, "--class", "simplified", "--issued", "2024-01-01", "--from",
        "2024-01-01",
      ]).status == 0)
    let trace = try scratch.run(["eligibility", code, "--list", "inspection-exemption", "--as-of", "2026-11-29"])
    #expect(trace.stdout.contains("ID-7"))
    let quality = try scratch.run([
      "enterprise", "list", "--nonconforming-code", "--format", "csv", "--as-of", "2026-11-29",
    ])
    #expect(
      quality.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2 && quality.stdout.contains(code))
    #expect(try scratch.run(["audit", "log", code, "--format", "json"]).stdout.contains("国家企业信用信息公示系统"))  // audited
    // Only the check character may be wrong: a code whose organisation code also fails is refused.
    let twoErrors = try scratch.run([
      "enterprise", "add", "91350211M0000XU946", "--name", "x", "--region", "350211", "--industry", "3985",
      "--nonconforming-code", "--reason", "r",
    ])
    #expect(twoErrors.status != 0 && twoErrors.stderr.contains("ID-7"))
    // A mistyped check character of a conforming firm is still an ID-1 usage error.
    #expect(try scratch.run(["enterprise", "show", "91130200699229617Y"]).status == 64)
  }

  @Test("PM-3 import: a deferral without its grant date is refused, never invented")
  func deferralGrantDate() throws {
    let scratch = try registry()
    let file = scratch.path + "/p.csv"
    try """
    number,credit_code,class,issued_on,valid_from,valid_to,deferred_until,deferral_basis,deferral_approver
    91130200699229617X001A,91130200699229617X,key,2017-12-20,2018-01-01,2022-12-31,2023-06-30,27号,审批科
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let run = try scratch.run(["permit", "import", file])
    #expect(run.status != 0 && run.stderr.contains("deferral_granted_on"))
  }
}
