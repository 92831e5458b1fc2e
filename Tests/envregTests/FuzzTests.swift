import ArgumentParser
import Foundation
import GRDB
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore
import Testing

@testable import envreg

/// Seeded (SplitMix64): a failing case is replayed from its seed.
typealias FuzzRandom = SeededGenerator

/// Issue 10: seeded malformed input through every importer and every option that takes a value,
/// run in this process by the thousand. Each run must end with an exit code in {0, 1, 3, 4, 64}
/// (a Swift trap would end the whole test run), and a refused one must leave the registry exactly as
/// it was: no commit (SQLite's `data_version` seen from another connection) and no audit row.
@Suite("Fuzz: malformed input never traps and a refusal never changes the registry", .serialized)
struct FuzzTests {
  static let allowedExitCodes: Set<Int32> = [0, 1, 3, 4, 64]

  /// Values that have broken parsers somewhere: signs, huge numbers, bad dates, control characters,
  /// SQL and shell text, full-width forms, Excel's scientific notation, very long text.
  static let hostile: [String] = [
    "", " ", "-1", "0", "-0", "+5", "0x10", "1e309", "NaN", "inf", "9223372036854775807", "-9223372036854775808",
    "99999999999999999999",
    "2021-02-30", "0000-00-00", "9999-12-31", "2021-13-01", "２０２１-０１-０１", "2021/01/01", "20210101", "1,0,0", ",100",
    "100,",
    "\u{1B}[2J", "a\u{07}b", "x\r\ny", "\t", "\u{0}", "' OR 1=1 --", "\"; DROP TABLE enterprise; --", "$(rm -rf /)",
    "`id`",
    "91350100M000100Y44", "91350100M000100Y43", "9.14102E+17", "91 110000 600037341L", "冀环罚[2021]", "x", "..", "/",
    "/dev/null",
    String(repeating: "长", count: 5_000), String(repeating: "9", count: 400), "９１１３０２００６９９２２９６１７Ｘ", "key", "none", "42",
    "99", "420102",
  ]

  /// A plausible value for an argument, by its name: every other argument of a fuzzed command gets one.
  static func plausible(_ name: String, scratch: Scratch, random: inout FuzzRandom) -> String {
    switch name {
    case "code", "owner", "holder", "debtor", "credit-code": return "91130200699229617X"
    case "number", "old": return "91130200699229617X001P"
    case "decision": return "冀唐环罚〔2021〕12号"
    case "id", "item": return String(Int.random(in: 1...3, using: &random))
    case "list": return "inspection-exemption"
    case "class", "permit-class": return "key"
    case "format": return "json"
    case "amount", "original", "capacity", "mg": return "100"
    case "o2": return "6"
    case "within": return "30"
    case "region", "jurisdiction": return "42"
    case "industry": return "26"
    case "key": return "ex.k1.years"
    case "value": return "2"
    case "output", "skip-invalid": return scratch.path + "/out-\(random.next() % 1_000_000).csv"
    case "file": return sample("enterprises.csv")
    case "pollutant": return "NOx"
    case "source": return "coal-boiler"
    case "unit": return "t/h"
    case "kind": return "major-project"
    case "to-state", "to": return "2027-01-01"
    case "instalments": return "2026-12-01:50,2027-01-01:50"
    default:
      if [
        "on", "from", "since", "issued", "decided", "received", "until", "served", "reinspected", "start", "completion",
        "found", "due",
        "applied", "approved", "effective", "valid-from", "valid-until", "occurred", "registered", "new-due", "as-of",
      ].contains(name) {
        return "2026-01-01"
      }
      return "测试"
    }
  }

  /// A malformed variant of a sample file: a few rows with bytes flipped, cells replaced by hostile
  /// values, quotes unbalanced, rows cut short or doubled, a GB18030 row in a UTF-8 file.
  static func mutatedFile(_ name: String, scratch: Scratch, random: inout FuzzRandom) throws -> String {
    let lines = try String(contentsOfFile: sample(name), encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).prefix(6).map(String.init)
    var rows = lines.map { Array($0.utf8) }
    for _ in 0..<Int.random(in: 1...3, using: &random) where rows.count > 1 {
      let index = Int.random(in: 1..<rows.count, using: &random)
      switch Int.random(in: 0..<7, using: &random) {
      case 0 where !rows[index].isEmpty:
        rows[index][Int.random(in: 0..<rows[index].count, using: &random)] = UInt8.random(in: 0...255, using: &random)
      case 1:
        var cells = String(decoding: rows[index], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
          .map(String.init)
        if !cells.isEmpty {
          cells[Int.random(in: 0..<cells.count, using: &random)] = hostile.randomElement(using: &random) ?? ""
        }
        rows[index] = Array(cells.joined(separator: ",").utf8)
      case 2: rows[index].insert(UInt8(ascii: "\""), at: Int.random(in: 0...rows[index].count, using: &random))
      case 3: rows[index] = Array(rows[index].prefix(Int.random(in: 0...rows[index].count, using: &random)))
      case 4: rows.append(rows[index])
      case 5: rows[index] += [0x2C, 0xB6, 0xAB, 0xCC, 0xC6]
      default: rows[0] = Array(rows[0].shuffled(using: &random))
      }
    }
    let path = scratch.path + "/fuzz-\(random.next() % 1_000_000)-\(name)"
    FileManager.default.createFile(atPath: path, contents: Data(rows.joined(separator: [0x0A])))
    return path
  }

  /// Leaf command types by their path ("fine add"), from the root's configuration (once).
  static let leaves: [String: any ParsableCommand.Type] = {
    var found: [String: any ParsableCommand.Type] = [:]
    func walk(_ type: any ParsableCommand.Type, _ path: [String]) {
      let subcommands = type.configuration.subcommands
      if subcommands.isEmpty { found[path.joined(separator: " ")] = type }
      for sub in subcommands { walk(sub, path + [sub._commandName]) }
    }
    walk(EnvReg.self, [])
    return found
  }()

  /// Runs one command line in this process and returns its exit code. The leaf command parses its
  /// own arguments (building the whole command tree for every line would dominate the run).
  static func run(_ path: [String], _ arguments: [String]) -> Int32 {
    guard let leaf = leaves[path.joined(separator: " ")] else { return 127 }
    do {
      var command = try leaf.parseAsRoot(arguments)
      try command.run()
      return 0
    } catch let exit as ExitCode {
      return exit.rawValue
    } catch is ValidationError {
      return 64
    } catch {
      // argument-parser's own parse errors are usage errors (64); anything else is an error (1).
      return String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") ? 64 : 1
    }
  }

  /// Every leaf command and the arguments that take a value, from argument-parser's own description.
  static func commands(_ scratch: Scratch) throws -> [(path: [String], values: [(name: String, flag: String?)])] {
    let dump = try scratch.run(["--experimental-dump-help"])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
    var found: [(path: [String], values: [(name: String, flag: String?)])] = []
    func walk(_ command: [String: Any], _ path: [String]) {
      if let subcommands = command["subcommands"] as? [[String: Any]], !subcommands.isEmpty {
        for sub in subcommands { walk(sub, path + [sub["commandName"] as? String ?? ""]) }
        return
      }
      var values: [(name: String, flag: String?)] = []
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        let kind = argument["kind"] as? String
        let name =
          (argument["names"] as? [[String: Any]])?.first?["name"] as? String ?? argument["valueName"] as? String ?? ""
        guard kind == "option" || kind == "positional", !["db", "dir", "help", "version"].contains(name) else {
          continue
        }
        values.append((name, kind == "option" ? "--" + name : nil))
      }
      found.append((path, values))
    }
    walk(root["command"] as? [String: Any] ?? [:], [])
    return found.filter { !["demo", "init", "help"].contains($0.path.first ?? "") }
  }

  @Test("10,000 seeded malformed inputs across every importer and every option that takes a value")
  func fuzz() throws {
    let scratch = try Scratch()
    for arguments in [
      ["init"], ["enterprise", "import", sample("enterprises.csv")], ["permit", "import", sample("permits.csv")],
      ["fine", "import", sample("fines.csv")],
      ["retrofit", "import", sample("retrofits.csv")], ["ledger", "import", sample("ledger.csv")],
    ] {
      #expect(try scratch.run(arguments + ["--as-of", "2026-11-29"]).status == 0, "\(arguments)")
    }
    let commands = try FuzzTests.commands(scratch)
    #expect(commands.count >= 40)
    let importers = [
      "enterprise": "enterprises.csv", "permit": "permits.csv", "fine": "fines.csv", "retrofit": "retrofits.csv",
      "ledger": "ledger.csv",
      "designation": "designations.csv", "incident": "incidents.csv",
    ]
    let observer = try DatabaseQueue(path: scratch.db)
    func state() throws -> (version: Int, audits: Int) {
      try observer.read { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0,
          try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0
        )
      }
    }
    var random = FuzzRandom(seed: 20_261_130)
    standardOutput.muted = true
    defer { standardOutput.muted = false }
    var ran = 0, refused = 0
    let started = Date()
    // Every command and every argument that takes a value, three hostile values each (files for
    // the importers), the other arguments plausible.
    for (path, values) in commands {
      for target in values.indices {
        for _ in 0..<3 {
          var arguments: [String] = []
          for (index, value) in values.enumerated() {
            var text: String
            if index == target {
              text =
                path.last == "import" && value.name == "file"
                ? try FuzzTests.mutatedFile(importers[path[0]] ?? "enterprises.csv", scratch: scratch, random: &random)
                : FuzzTests.hostile.randomElement(using: &random) ?? ""
              // A file argument never points outside the scratch folder (relative paths would land in
              // the test's working directory).
              if ["output", "skip-invalid", "file"].contains(value.name), !text.hasPrefix("/") {
                text = scratch.path + "/" + text
              }
            } else {
              text = FuzzTests.plausible(value.name, scratch: scratch, random: &random)
            }
            if let flag = value.flag { arguments += [flag, text] } else { arguments.append(text) }
          }
          arguments += ["--db", scratch.db]
          let before = try state()
          let code = FuzzTests.run(path, arguments)
          ran += 1
          #expect(FuzzTests.allowedExitCodes.contains(code), "exit \(code): \(path) \(arguments)")
          if code != 0 {
            refused += 1
            let after = try state()
            #expect(
              after.version == before.version && after.audits == before.audits,
              "a refusal (exit \(code)) changed the registry: \(path) \(arguments)")
          }
        }
      }
    }
    let cliRuns = ran, cliSeconds = Date().timeIntervalSince(started)
    // Every importer again, through the store (no argument parsing): mutated files until 10,000 in all.
    let store = try Store(path: scratch.db, actor: "fuzz")
    let storeImporters: [(String, ImportKind)] = [
      ("enterprises.csv", .enterprises), ("permits.csv", .permits), ("fines.csv", .fines),
      ("retrofits.csv", .retrofits), ("ledger.csv", .ledger), ("designations.csv", .designations),
      ("incidents.csv", .incidents),
    ]
    var options = ImportOptions(
      effectiveOn: Day("2026-11-29") ?? Day(ordinal: 0), asOf: Day("2026-11-29") ?? Day(ordinal: 0))
    while ran < cliRuns + 1_500 {
      let (name, run) = storeImporters[Int.random(in: 0..<storeImporters.count, using: &random)]
      let file = try FuzzTests.mutatedFile(name, scratch: scratch, random: &random)
      options.encoding = [.auto, .utf8, .gb18030][Int.random(in: 0..<3, using: &random)]
      let before = try state()
      ran += 1
      do {
        _ = try CSVImport.run(file, options: options, protected: store.protectedPaths) {
          try store.importRecords(run, $0, rejects: $1, options: options)
        }
      } catch {
        refused += 1
        let after = try state()
        #expect(
          after.version == before.version && after.audits == before.audits,
          "a refused import changed the registry: \(name) \(file)")
      }
    }
    // The parsers every importer and option goes through, directly, until 10,000 inputs in all:
    // hostile values and random byte strings (no trap; a refusal is a reason, not a crash).
    let day = Day("2026-11-29") ?? Day(ordinal: 0)
    while ran < 10_000 {
      let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
      let text =
        Int.random(in: 0..<2, using: &random) == 0
        ? String(decoding: bytes, as: UTF8.self) : (FuzzTests.hostile.randomElement(using: &random) ?? "")
      ran += 1
      var parser = CSVParser()
      parser.feed(bytes) { _ in }
      parser.finish { _ in }
      _ = CreditCode.parse(text)
      _ = PermitNumber.parse(text)
      _ = Fen(yuan: text)
      if Day(text) == nil { _ = Day.refusal(text) }
      _ = DecisionNumber.parse(text, decidedOn: day)
      _ = Divisions.bundled.selection(text)
      _ = FreeText.refusal(text, field: "note")
      _ = text.quoted
      let input = EnterpriseInput([
        .creditCode: text, .name: text, .regionCode: text, .industryCode: text, .registeredOn: text, .permitClass: text,
        .nearYangtze: text,
      ])
      if case .invalid = input.resolve(onto: nil, asOf: day) { refused += 1 }
    }
    #expect(refused > 5_000)  // most inputs are refused: the generator really is hostile
    #expect(try scratch.run(["audit", "verify"]).status == 0)
    standardOutput.muted = false
    note(
      "fuzz: \(cliRuns) command lines in \(Int(cliSeconds)) s; \(ran) inputs, \(refused) refused, \(Int(Date().timeIntervalSince(started))) s"
    )
  }
}
