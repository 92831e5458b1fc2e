import Foundation
import Testing

@Suite("envreg binary end to end", .serialized)
struct EnterpriseCLITests {
  @Test("The demo builds a registry from samples/ and prints the tour (golden)")
  func demoGolden() throws {
    let scratch = try Scratch()
    let run = try scratch.run(["demo", "--as-of", "2026-11-29", "--actor", "demo"])
    #expect(run.status == 0, "\(run.stderr)")
    try assertSnapshot(run.stdout, named: "demo.txt")
  }

  @Test("init, import, list (golden CJK table), show as JSON contract")
  func importListShow() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let imported = try scratch.run([
      "enterprise", "import", sample("enterprises.csv"), "--format", "json", "--as-of", "2026-11-29",
    ])
    #expect(imported.status == 0, "\(imported.stderr)")
    let report = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any]
    #expect(report?["inserted"] as? Int == 240)

    let list = try scratch.run("enterprise list --region 42 --sort name --as-of 2026-11-29")
    #expect(list.status == 0)
    try assertSnapshot(list.stdout, named: "list-hubei.txt")
    #expect(list.stderr.contains("enterprise(s)"))

    let show = try scratch.run("enterprise show 91130200699229617X --format json --as-of 2026-11-29")
    #expect(show.status == 0)
    let profile = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
    #expect(profile["credit_code"] as? String == "91130200699229617X")
    #expect(profile["key_regions"] as? String == "京津冀及周边 (2+36)")
    #expect(profile["key_discharge_unit"] as? Bool == true)
    #expect(profile["registered_on"] as? String == "2018-03-12")
    for section in [
      "history", "designations", "incidents", "list_memberships", "permits", "fines", "retrofits", "ledger_items",
    ] {
      #expect(profile[section] is [Any], "section \(section)")
    }
  }

  @Test("A bad file: exit 1, every bad row on stderr, nothing written, stdout clean")
  func badImport() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    let run = try scratch.run(["enterprise", "import", sample("enterprises-bad.csv")])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("7 rows rejected; nothing was imported"))
    #expect(run.stderr.contains("line 6: credit_code \"1'; DROP TABLE enterprise; --\""))
    let list = try scratch.run("enterprise list --format json")
    #expect(list.stdout == "[]\n")
  }

  @Test("Exit codes: 64 usage, 1 error, 3 negative result")
  func exitCodes() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    #expect(try scratch.run("enterprise list --no-such-option").status == 64)
    let badCode = try scratch.run("enterprise show 91350100M000100Y44")
    #expect(badCode.status == 64 && badCode.stderr.contains("expected 3"))
    let missing = try scratch.run("enterprise show 91350100M000100Y43")
    #expect(missing.status == 1 && missing.stderr.contains("No enterprise with credit code \"91350100M000100Y43\""))
    let noDB = try scratch.run(["enterprise", "list", "--db", scratch.path + "/none.sqlite"])
    #expect(noDB.status == 1 && noDB.stderr.contains("envreg init"))
    #expect(try scratch.run("audit verify").status == 0)
    try scratch.run([
      "enterprise", "add", "91350100M000100Y43", "--name", "福州闽江电子材料有限公司", "--region", "350102", "--industry", "3985",
    ])
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    sqlite.arguments = [scratch.db, "UPDATE audit SET actor = 'mallory' WHERE id = 1"]
    try sqlite.run()
    sqlite.waitUntilExit()
    let verify = try scratch.run("audit verify --format json")
    #expect(verify.status == 3 && verify.stdout.contains("\"intact\": false"))
  }

  @Test("add, update with --effective, history and audit log through the CLI")
  func addUpdateHistory() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    let add = try scratch.run([
      "enterprise", "add", "９１３５０１００ｍ０００１００ｙ４３", "--name", "福州闽江电子材料有限公司", "--region", "350102", "--industry", "3985",
      "--permit-class", "简化管理",
    ])
    #expect(add.status == 0, "\(add.stderr)")
    let badUpdate = try scratch.run(["enterprise", "update", "91350100M000100Y43", "--industry", "2699"])
    #expect(badUpdate.status == 1 && badUpdate.stderr.contains("nearest known"))
    let update = try scratch.run([
      "enterprise", "update", "91350100M000100Y43", "--name", "福州闽江新材料有限公司", "--effective", "2026-05-01", "--format",
      "csv",
    ])
    #expect(update.status == 0)
    #expect(update.stdout == "field,old_value,new_value\r\nname,福州闽江电子材料有限公司,福州闽江新材料有限公司\r\n")
    let history = try scratch.run("enterprise history 91350100M000100Y43 --format csv")
    #expect(history.stdout.contains("2026-05-01,name,福州闽江电子材料有限公司,福州闽江新材料有限公司,enterprise.update,cli-test"))
    let log = try scratch.run("audit log 91350100M000100Y43 --format json")
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
    #expect(entries.map { $0["action"] as? String } == ["enterprise.add", "enterprise.update"])
    #expect(entries.allSatisfy { $0["actor"] as? String == "cli-test" })
  }

  @Test("Export then import into a new registry gives the same export (round trip)")
  func exportRoundTrip() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    try scratch.run(["enterprise", "import", sample("enterprises.csv")])
    let export = try scratch.run(["enterprise", "export", "--output", scratch.path + "/out.csv"])
    #expect(export.status == 0 && export.stdout.isEmpty)
    let other = try Scratch()
    try other.run("init")
    let reimport = try other.run(["enterprise", "import", scratch.path + "/out.csv", "--format", "json"])
    #expect(reimport.status == 0 && reimport.stdout.contains("\"inserted\": 240"))
    let again = try other.run(["enterprise", "export"])
    let first = try String(contentsOfFile: scratch.path + "/out.csv", encoding: .utf8)
    #expect(again.stdout == first)
    let json = try other.run(["enterprise", "export", "--format", "json", "--region", "11"])
    let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(!items.isEmpty && items.allSatisfy { ($0["region_code"] as? String)?.hasPrefix("11") == true })
  }

  @Test("Two envreg processes importing at once both succeed")
  func concurrentProcesses() throws {
    let scratch = try Scratch()
    try scratch.run("init")
    let lines = try String(contentsOfFile: sample("enterprises.csv"), encoding: .utf8).split(separator: "\r\n")
    let header = String(lines[0])
    try (header + "\r\n" + lines[1...120].joined(separator: "\r\n") + "\r\n").write(
      toFile: scratch.path + "/a.csv", atomically: true, encoding: .utf8)
    try (header + "\r\n" + lines[121...].joined(separator: "\r\n") + "\r\n").write(
      toFile: scratch.path + "/b.csv", atomically: true, encoding: .utf8)
    // Both processes start before either is waited for, so their transactions overlap.
    let processes = try ["/a.csv", "/b.csv"].map { try scratch.start(["enterprise", "import", scratch.path + $0]) }
    processes.forEach { $0.waitUntilExit() }
    let results = processes.map(\.terminationStatus)
    #expect(results == [0, 0])
    let count = try scratch.run("enterprise list --limit 0 --format csv")
    #expect(count.stdout.split(separator: "\r\n").count == 241)
  }
}

@Suite("Help texts")
struct HelpTextTests {
  @Test("Every credit code and permit number quoted in any command's help is valid (ID-1, ID-4)")
  func examplesUseValidCodes() throws {
    let scratch = try Scratch()
    let dump = try scratch.run(["--experimental-dump-help"])
    #expect(dump.status == 0)
    let pattern = try NSRegularExpression(pattern: "\\b9[0-9A-Z]{17}(?:[0-9]{3}[A-Z])?\\b")
    let text = dump.stdout
    let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
      Range($0.range, in: text).map { String(text[$0]) }
    }
    #expect(matches.count >= 10)
    // The rule book's ID-7 example is quoted on purpose: its check character fails (expected R).
    for code in Set(matches) where !code.hasPrefix("91350211M0000XUF46") {
      let credit = String(code.prefix(18))
      // The check character of the credit-code part, computed independently of the binary.
      let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
      let values = credit.prefix(17).compactMap { alphabet.firstIndex(of: $0) }
      var weight = 1
      var sum = 0
      for value in values {
        sum += value * weight
        weight = weight * 3 % 31
      }
      #expect(values.count == 17 && alphabet[(31 - sum % 31) % 31] == credit.last, "\(code) in help text")
    }
  }
}

@Suite("The README's tour is the demo's output")
struct ReadmeTourTests {
  /// The fenced blocks of a README section.
  static func blocks(in readme: String, section: String) -> [[String]] {
    guard let start = readme.range(of: "\n## " + section) else { return [] }
    let rest = readme[start.upperBound...]
    let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
    let parts = rest[..<end].components(separatedBy: "```")
    return stride(from: 1, to: parts.count, by: 2).map { parts[$0].components(separatedBy: "\n") }
  }

  @Test("Every line of the README's tour excerpts is a line of the demo's golden transcript (issue 11)")
  func tourExcerptsMatchDemo() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let golden = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Tests/envregTests/Snapshots/demo.txt"), encoding: .utf8)
    let lines = Set(golden.components(separatedBy: "\n"))
    var checked = 0
    for section in ["A tour (real output", "More of the tour"] {
      let blocks = ReadmeTourTests.blocks(in: readme, section: section)
      #expect(!blocks.isEmpty, "README section \(section) has no excerpts")
      for line in blocks.joined() where !line.isEmpty && line != "…" {
        #expect(lines.contains(line), "README line not in the demo's output: \(line)")
        checked += 1
      }
    }
    #expect(checked > 50)
  }
}
