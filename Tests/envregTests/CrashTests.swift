import Foundation
import Testing

/// Issue 10: kill -9 an import at several points; the registry is then unchanged or complete, and
/// the audit chain and SQLite's checks pass.
@Suite("Crash safety: kill -9 during an import", .serialized)
struct CrashTests {
  @Test("An import killed at six points leaves the registry unchanged or complete, and verify passes")
  func killDuringImport() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let firms = scratch.path + "/firms.csv"
    let generate = Process()
    generate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    generate.arguments = ["python3", repositoryRoot.appendingPathComponent("bench/gen_enterprises.py").path, "20000"]
    FileManager.default.createFile(atPath: firms, contents: nil)
    generate.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: firms))
    try generate.run()
    generate.waitUntilExit()
    #expect(generate.terminationStatus == 0)
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
      if count == 20_000 { break }
    }
    #expect(unchanged >= 1)  // at least one kill landed inside the import
  }
}
