import Foundation
import Testing

@Suite("--lang: tables for people in Chinese or English; JSON and CSV keep the contract", .serialized)
struct LanguageCLITests {
  static func registry() throws -> Scratch {
    let scratch = try Scratch()
    try scratch.run("init")
    #expect(try scratch.run(["enterprise", "import", sample("enterprises.csv"), "--as-of", "2026-11-29"]).status == 0)
    #expect(try scratch.run(["permit", "import", sample("permits.csv"), "--as-of", "2026-11-29"]).status == 0)
    return scratch
  }

  @Test("--lang zh: a listing and a profile in Chinese (golden); the locale chooses when --lang is not given")
  func chineseTables() throws {
    let scratch = try LanguageCLITests.registry()
    let list = try scratch.run([
      "enterprise", "list", "--region", "42", "--limit", "5", "--lang", "zh", "--as-of", "2026-11-29",
    ])
    #expect(list.status == 0, "\(list.stderr)")
    try assertSnapshot(list.stdout, named: "lang-zh-enterprise-list.txt")
    #expect(list.stdout.hasPrefix("统一社会信用代码") && list.stdout.contains("重点管理") && !list.stdout.contains(" key "))
    let code = "91420107MAWP6XM6X4"
    let show = try scratch.run(["enterprise", "show", code, "--lang", "zh", "--as-of", "2026-11-29"])
    try assertSnapshot(show.stdout, named: "lang-zh-enterprise-show.txt")
    // The locale's language when --lang is not given; --lang wins over it.
    let byLocale = try scratch.run(["enterprise", "show", code, "--as-of", "2026-11-29"], locale: "zh_CN.UTF-8")
    #expect(byLocale.stdout == show.stdout)
    let english = try scratch.run(
      ["enterprise", "show", code, "--lang", "en", "--as-of", "2026-11-29"], locale: "zh_CN.UTF-8")
    #expect(english.stdout.hasPrefix("credit_code"))
    let verdict = try scratch.run(["eligibility", code, "--lang", "zh", "--as-of", "2026-11-29"])
    #expect(verdict.stdout.contains("评估日期 2026-11-29：") && verdict.stdout.contains("事实："))
  }

  @Test("JSON and CSV are contracts: the same bytes whatever --lang says")
  func contractsUnchanged() throws {
    let scratch = try LanguageCLITests.registry()
    for format in ["json", "csv"] {
      let arguments = ["permit", "expiring", "--within", "365", "--format", format, "--as-of", "2026-11-29"]
      let zh = try scratch.run(arguments + ["--lang", "zh"])
      let en = try scratch.run(arguments + ["--lang", "en"])
      #expect(zh.stdout == en.stdout && !zh.stdout.isEmpty, "\(format)")
    }
  }

  @Test("Messages on stderr follow --lang (or the locale): notes and the error's frame; exit codes unchanged")
  func messages() throws {
    let scratch = try LanguageCLITests.registry()
    let list = try scratch.run(["enterprise", "list", "--region", "42", "--limit", "2", "--lang", "zh"])
    #expect(list.stderr.hasPrefix("显示第1-2家，共") && list.stderr.contains("翻页"))
    let missing = try scratch.run(["enterprise", "show", "91420104MA0000099X"], locale: "zh_CN.UTF-8")
    #expect(missing.status == 1 && missing.stderr.hasPrefix("错误：未找到"))
    let english = try scratch.run(["enterprise", "show", "91420104MA0000099X"])
    #expect(english.status == 1 && english.stderr.hasPrefix("Error: No enterprise"))
    let usage = try scratch.run(["permit", "expiring", "--issuer", "x", "--lang", "zh"])
    #expect(usage.status == 64 && usage.stderr.contains("--issuer"))
  }

  @Test("Errors in Chinese say everything in Chinese: refusals with their reasons, bad rows, usage errors")
  func errorsInChinese() throws {
    let scratch = try LanguageCLITests.registry()
    let bad = scratch.path + "/bad-permits.csv"
    try """
    number,credit_code,class,issued_on,valid_from,valid_to
    X001,91130200699229617X,key,2022-03-01,2022-03-01,2027-02-28
    91420102MA4K2NLX66002P,91420102MA4K2NLX66,bogus,2022-13-01,2022-03-01,2021-02-28
    """.write(toFile: bad, atomically: true, encoding: .utf8)
    let cases: [[String]] = [
      ["permit", "import", bad],
      ["enterprise", "add", "91420102MA4K2NLX6", "--name", "x", "--region", "420199", "--industry", "9999"],
      ["enterprise", "show", "123"],
      ["enterprise", "list", "--limit=-5"],
      ["lists", "admit", "91420107MAWP6XM6X4", "--list", "inspection-exemption", "--reason", "x"],
      ["permit", "add", "--bogus"],
      ["user", "add", "a", "--role", "officer"],
    ]
    for arguments in cases {
      let run = try scratch.run(arguments + ["--as-of", "2026-11-29"], locale: "zh_CN.UTF-8")
      #expect(run.status != 0 && run.stderr.hasPrefix("错误："), "\(arguments): \(run.stderr)")
      #expect(LanguageCLITests.englishSentences(run.stderr).isEmpty, "\(arguments): \(run.stderr)")
    }
  }

  @Test("--help in Chinese when chosen at start-up (--lang zh or a Chinese locale): overview and every command's line")
  func help() throws {
    let scratch = try Scratch()
    let zh = try scratch.run(["--help", "--lang", "zh"]).stdout
    #expect(zh.hasPrefix("概述：生态环境部门企业环境合规登记系统") && zh.contains("退出码：0 成功"))
    #expect(zh.contains("新建登记库") && zh.contains("排污许可证：延续"))
    let permit = try scratch.run(["permit", "--help"], locale: "zh_CN.UTF-8").stdout
    #expect(permit.contains("到期提醒：期限内到期的许可证"))
    #expect(try scratch.run(["--help"]).stdout.hasPrefix("OVERVIEW: Enterprise environmental-compliance registry"))
  }

  /// The English sentences left in a text meant to be Chinese: three English words in a row, outside
  /// command lines (`$ envreg …`, examples, usage) and quoted commands ('envreg audit verify').
  static func englishSentences(_ text: String) -> [String] {
    let commandLine = #/^\s*(\$ |envreg |printf |--|用法：|示例：)/#
    let quoted = #/'[^']*'|<[^>]*>|"[^"]*"/#
    let sentence = #/[A-Za-z][A-Za-z-]+ [A-Za-z][a-z-]+ [A-Za-z][a-z-]+/#
    return text.split(whereSeparator: \.isNewline).map(String.init).filter { line in
      guard line.firstMatch(of: commandLine) == nil else { return false }
      return line.replacing(quoted, with: "").firstMatch(of: sentence) != nil
    }
  }

  @Test("--help in Chinese is Chinese throughout: every command's options, arguments and discussion")
  func everyHelpInChinese() throws {
    let scratch = try Scratch()
    var paths: [[String]] = [[]]
    func subcommands(of path: [String]) throws -> [String] {
      let help = try scratch.run(path + ["--help"]).stdout
      guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
      return help[section.upperBound...].split(separator: "\n").compactMap { line in
        line.hasPrefix("  ") && !line.hasPrefix("   ") ? line.split(separator: " ").first.map(String.init) : nil
      }.filter { $0 != "See" }
    }
    var index = 0
    while index < paths.count {
      paths += try subcommands(of: paths[index]).map { paths[index] + [$0] }
      index += 1
    }
    #expect(paths.count > 80, "\(paths.count) commands")
    for path in paths {
      let help = try scratch.run(path + ["--help"], locale: "zh_CN.UTF-8")
      #expect(help.status == 0 && help.stdout.contains("概述：") && help.stdout.contains("选项："), "\(path)")
      #expect(
        LanguageCLITests.englishSentences(help.stdout).isEmpty,
        "\(path): \(LanguageCLITests.englishSentences(help.stdout))")
    }
  }

  @Test("envreg demo --lang zh: the tour in Chinese (golden): step titles, tables, notes, error frames")
  func demoInChinese() throws {
    let scratch = try Scratch()
    let run = try scratch.run(["demo", "--as-of", "2026-11-29", "--actor", "demo", "--lang", "zh"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("== 1. 新建登记库") && !run.stdout.contains("== 1. Create"))
    #expect(run.stdout.contains("错误：7 行有误，未导入任何数据"))
    // Fully Chinese: reasons inside errors, trace descriptions, facts and thresholds, clauses, flags.
    #expect(LanguageCLITests.englishSentences(run.stdout).isEmpty, "\(LanguageCLITests.englishSentences(run.stdout))")
    #expect(run.stdout.contains("校验位 3 错误，应为 L（ID-1）") && run.stdout.contains("回溯期内无环境行政处罚"))
    try assertSnapshot(run.stdout, named: "demo-zh.txt")
  }
}
