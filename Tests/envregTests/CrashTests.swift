import Foundation
import GRDB
import RegistryCore
import Testing

/// Issue 10: kill -9 an import at several points; the registry is then unchanged or complete, and
/// the audit chain and SQLite's checks pass.
@Suite("Crash safety: kill -9 during an import", .serialized)
struct CrashTests {
  /// `count` valid synthetic firms (bench/gen_enterprises.py) in the scratch folder.
  static func firms(_ count: Int, in scratch: Scratch) throws -> String {
    let firms = scratch.path + "/firms-\(count).csv"
    let generate = Process()
    generate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    generate.arguments = [
      "python3", repositoryRoot.appendingPathComponent("bench/gen_enterprises.py").path, "\(count)",
    ]
    _ = FileManager.default.createFile(atPath: firms, contents: nil)
    generate.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: firms))
    try generate.run()
    generate.waitUntilExit()
    #expect(generate.terminationStatus == 0)
    return firms
  }

  @Test(
    "An import killed at six points leaves the registry unchanged or complete, and verify passes; the next import abandons the dead run"
  )
  func killDuringImport() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let firms = try CrashTests.firms(20_000, in: scratch)
    var completed = 0, unchanged = 0
    for delay in [0.05, 0.2, 0.4, 0.7, 1.0, 1.5] {
      let importing = try scratch.start(["enterprise", "import", firms])
      Thread.sleep(forTimeInterval: delay)
      kill(importing.processIdentifier, SIGKILL)
      importing.waitUntilExit()
      let listed = try scratch.run(["enterprise", "list", "--format", "json", "--limit", "0"]).stdout
      let count = (try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [Any])?.count ?? -1
      #expect(count == 0 || count == 20_000, "after a kill at \(delay) s: \(count) firms")
      if count == 20_000 { completed += 1 } else { unchanged += 1 }
      let check = try scratch.run(["check"])
      #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
      let staged = try DatabaseQueue(path: scratch.db).read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM import_run WHERE state = 'staging'") ?? 0
      }
      // A run killed while staging is not damage, but check says so.
      #expect((staged > 0) == check.stderr.contains("has not completed"), "\(check.stderr)")
      if count == 20_000 { break }
    }
    #expect(unchanged >= 1)  // at least one kill landed inside the import
    // Whatever a killed run staged is removed by the next import, with an audit row saying why.
    #expect(try scratch.run(["enterprise", "import", sample("enterprises.csv")]).status == 0)
    try DatabaseQueue(path: scratch.db).read { db in
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM import_run WHERE state = 'staging'") == 0)
      #expect(
        try Int.fetchOne(
          db,
          sql: "SELECT count(*) FROM enterprise WHERE pending IN (SELECT id FROM import_run WHERE state <> 'done')")
          == 0)
      let abandoned = try Int.fetchOne(db, sql: "SELECT count(*) FROM import_run WHERE state = 'abandoned'") ?? 0
      let audited = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE action = 'enterprise.import.abandon'")
      #expect(audited == abandoned)
    }
    #expect(try scratch.run(["check"]).status == 0)
  }

  @Test(
    "Issue 10 item 10: while a 60,000-firm import runs, other writers get in and commit, and no read sees part of the file"
  )
  func writersGetInDuringImport() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let firms = try CrashTests.firms(60_000, in: scratch)
    let importing = try scratch.start(["enterprise", "import", firms])
    var writes = 0
    var partial: [Int] = []
    while importing.isRunning {
      writes += 1
      let set = try scratch.run([
        "policy", "set", "ex.k1.years", "2", "--jurisdiction", "42", "--from",
        (Day("2021-01-01") ?? Day(ordinal: 0)).adding(days: writes).description,
        "--reference", "并发写入测试",
      ])
      #expect(set.status == 0, "a writer failed during the import: \(set.stderr)")
      let listed = try scratch.run(["enterprise", "list", "--format", "json", "--limit", "0"]).stdout
      let count = (try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [Any])?.count ?? -1
      if count != 0 && count != 60_000 { partial.append(count) }
    }
    importing.waitUntilExit()
    #expect(importing.terminationStatus == 0)
    #expect(partial.isEmpty, "reads saw part of the import: \(partial)")
    // At least one write committed between the import's first and last transaction.
    try DatabaseQueue(path: scratch.db).read { db in
      let stage = try Int.fetchOne(db, sql: "SELECT id FROM audit WHERE action = 'enterprise.import.stage'") ?? 0
      let done = try Int.fetchOne(db, sql: "SELECT id FROM audit WHERE action = 'enterprise.import'") ?? 0
      let between = try Int.fetchOne(
        db, sql: "SELECT count(*) FROM audit WHERE action = 'policy.set' AND id > ? AND id < ?",
        arguments: [stage, done])
      #expect(stage > 0 && done > stage && (between ?? 0) >= 1, "stage \(stage), done \(done), between \(between ?? 0)")
    }
    #expect(try scratch.run(["check"]).status == 0)
  }
}
