import Foundation
import Testing

/// Issue 10 through the built binary: no file clobbered, no trap, owner-only files, clear refusals.
@Suite("Trust under faults and bad input", .serialized)
struct TrustCLITests {
  func registry() throws -> Scratch { try Scratch.withSampleFirms() }

  func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
  func mode(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
  }

  @Test(
    "No output path can destroy the registry, its companions or the input; an existing file needs --force; a failing import keeps an old file"
  )
  func outputPaths() throws {
    let scratch = try registry()
    let bad = scratch.path + "/bad.csv"  // a copy: the test must never risk the repository's samples
    try FileManager.default.copyItem(atPath: sample("enterprises-bad.csv"), toPath: bad)
    for target in [scratch.db, scratch.db + "-wal", scratch.db + "-shm", bad] {
      let before = bytes(target)
      let run = try scratch.run(["enterprise", "import", bad, "--skip-invalid", target, "--force"])
      #expect(run.status != 0 && run.stderr.contains("Refusing to write"), "\(target): \(run.stderr)")
      #expect(bytes(target) == before)
      guard target != bad else { continue }  // (not an input of export or report)
      let export = try scratch.run(["enterprise", "export", "--output", target, "--force"])
      #expect(export.status != 0 && bytes(target) == before)
      let report = try scratch.run(["ledger", "report", "--output", target, "--force"])
      #expect(report.status != 0 && bytes(target) == before)
    }
    // Through another spelling of the same path (a relative one, a symbolic link to its folder).
    try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link", withDestinationPath: scratch.path)
    #expect(try scratch.run(["enterprise", "export", "--output", "link/reg.sqlite", "--force"]).status != 0)
    #expect(try scratch.run(["enterprise", "export", "--output", "reg.sqlite", "--force"]).status != 0)
    #expect(try scratch.run(["audit", "verify"]).status == 0)

    let existing = scratch.path + "/rejects.csv"
    try "keep me\n".write(toFile: existing, atomically: true, encoding: .utf8)
    let refused = try scratch.run(["enterprise", "import", bad, "--skip-invalid", existing])
    #expect(refused.status != 0 && refused.stderr.contains("--force") && bytes(existing) == Data("keep me\n".utf8))
    // A failing import (header without a required column) leaves the old file as it was.
    let headerless = scratch.path + "/headerless.csv"
    try "name\n某公司\n".write(toFile: headerless, atomically: true, encoding: .utf8)
    #expect(try scratch.run(["enterprise", "import", headerless, "--skip-invalid", existing, "--force"]).status != 0)
    #expect(bytes(existing) == Data("keep me\n".utf8))
    #expect(try scratch.run(["enterprise", "import", bad, "--skip-invalid", existing, "--force"]).status == 0)
    // The reject file starts with a byte-order mark (for Excel), then its header.
    #expect(String(decoding: bytes(existing) ?? Data(), as: UTF8.self).hasPrefix("\u{FEFF}line,reason"))
    // Nothing but the named files: no temporary file left behind.
    let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".tmp") }
    #expect(left.isEmpty)
  }

  @Test(
    "A write that fails (a file-size limit standing in for a full disk) is a message and exit 1, and leaves no partial file"
  )
  func writeFailure() throws {
    let scratch = try registry()
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/bash")
    // 40 KiB: the registry's 32 KiB -shm fits, the 46 KB export does not.
    shell.arguments = [
      "-c", "ulimit -f 40; exec \"$0\" enterprise export --output out.csv --db reg.sqlite", envregBinary.path,
    ]
    shell.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
    let err = Pipe()
    shell.standardError = err
    try shell.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    shell.waitUntilExit()
    #expect(shell.terminationStatus == 1, "\(message)")
    #expect(message.contains("Cannot write") && message.contains("nothing was written"))
    let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
      $0.hasPrefix("out.csv") || $0.hasSuffix(".tmp")
    }
    #expect(left.isEmpty, "\(left)")
  }

  @Test("The registry, -wal, -shm, exports, reports and reject files are owner-only (0600) whatever the umask")
  func fileModes() throws {
    let scratch = try registry()
    #expect(try scratch.run(["enterprise", "export", "--output", "out.csv"]).status == 0)
    #expect(try scratch.run(["ledger", "report", "--output", "report.html", "--format", "html"]).status == 0)
    let run = try scratch.run(["enterprise", "import", sample("enterprises-bad.csv"), "--skip-invalid", "rejects.csv"])
    #expect(run.status == 0, "\(run.stderr)")
    // (-wal and -shm exist while a connection is open: RegistryStoreTests checks them.)
    for name in ["reg.sqlite", "out.csv", "report.html", "rejects.csv"] {
      #expect(mode(scratch.path + "/" + name) == 0o600, "\(name)")
    }
  }

  @Test(
    "Only init creates a registry: an empty file, a device and a foreign SQLite file are refused and left as they were")
  func registryFiles() throws {
    let scratch = try Scratch()
    FileManager.default.createFile(atPath: scratch.db, contents: Data())
    let empty = try scratch.run(["enterprise", "list"])
    #expect(empty.status != 0 && empty.stderr.contains("empty (0 bytes)"))
    #expect(bytes(scratch.db) == Data())
    #expect(try scratch.run(["audit", "verify"]).status != 0)
    let device = try scratch.run(["enterprise", "list", "--db", "/dev/null"])
    #expect(device.status != 0 && device.stderr.contains("not a regular file"))
    #expect(
      !FileManager.default.fileExists(atPath: "/dev/null-journal")
        && !FileManager.default.fileExists(atPath: "/dev/null-wal"))
    let foreign = scratch.path + "/other.sqlite"
    let make = Process()
    make.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    make.arguments = [foreign, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x');"]
    try make.run()
    make.waitUntilExit()
    let before = bytes(foreign)
    let refused = try scratch.run(["enterprise", "list", "--db", foreign])
    #expect(refused.status != 0 && refused.stderr.contains("not an envreg registry"))
    #expect(bytes(foreign) == before)  // not switched to WAL
    #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
  }

  @Test("No trap on large numbers: amounts, the daily penalty and windows are bounded with a message")
  func largeNumbers() throws {
    let scratch = try registry()
    for arguments in [
      [
        "fine", "daily-penalty", "--original", "9999999999999", "--served", "2026-01-01", "--reinspected", "2026-02-01",
      ],
      ["fine", "daily-penalty", "--original", "10000000000", "--served", "2000-01-01", "--reinspected", "2026-02-01"],
      [
        "fine", "add", "冀环罚〔2026〕1号", "--debtor", "91130200699229617X", "--amount", "100000000000", "--decided",
        "2026-01-01", "--received", "2026-01-02",
      ],
      [
        "fine", "add", "冀环罚〔2026〕2号", "--debtor", "91130200699229617X", "--amount", "-5", "--decided", "2026-01-01",
        "--received", "2026-01-02",
      ],
      [
        "fine", "add", "冀环罚〔2026〕3号", "--debtor", "91130200699229617X", "--amount", "1,0,0", "--decided", "2026-01-01",
        "--received", "2026-01-02",
      ],
      ["due", "--within", "9223372036854775807"], ["permit", "expiring", "--within", "-1"],
      [
        "permit", "add", "91130200699229617X009P", "--holder", "91130200699229617X", "--class", "key", "--issued",
        "9999-12-31", "--from", "9999-12-31",
      ],
    ] {
      let run = try scratch.run(arguments)
      #expect([1, 64].contains(run.status), "\(arguments): \(run.status) \(run.stderr)")
      #expect(run.stderr.hasPrefix("Error:"), "\(arguments): \(run.stderr)")
    }
    // The largest amount is accepted, and every listing still reads it.
    #expect(
      try scratch.run([
        "fine", "add", "冀环罚〔2026〕9号", "--debtor", "91130200699229617X", "--amount", "10000000000", "--decided",
        "2026-01-01", "--received", "2026-01-02",
      ]).status == 0)
    for arguments in [
      ["fine", "list"], ["fine", "overdue", "--as-of", "2030-01-01"], ["due", "--within", "36500"],
      ["enterprise", "show", "91130200699229617X", "--as-of", "2040-01-01"],
    ] {
      #expect([0, 3].contains(try scratch.run(arguments).status), "\(arguments)")
    }
  }

  @Test("Refusals name the value and the reason: dates, regions, jurisdictions, control characters (escaped)")
  func refusalsNameValueAndReason() throws {
    let scratch = try registry()
    let date = try scratch.run([
      "permit", "add", "91130200699229617X009P", "--holder", "91130200699229617X", "--class", "key", "--issued",
      "2021-02-30", "--from", "2021-03-01",
    ])
    #expect(date.status == 64 && date.stderr.contains("2021-02 has 28 days"))
    let region = try scratch.run(["fine", "overdue", "--region", "' OR 1=1"])
    #expect(region.status == 64 && region.stderr.contains("must be a GB/T 2260 code"))
    #expect(try scratch.run(["enterprise", "list", "--region", "99"]).status == 64)
    let jurisdiction = try scratch.run([
      "policy", "set", "ex.k1.years", "2", "--jurisdiction", "99", "--from", "2021-01-01", "--reference", "x",
    ])
    #expect(jurisdiction.status == 64 && jurisdiction.stderr.contains("names no GB/T 2260 division"))
    let escape = try scratch.run([
      "fine", "add", "X\u{1B}[2J", "--debtor", "91130200699229617X", "--amount", "100", "--decided", "2026-01-01",
      "--received", "2026-01-02",
    ])
    #expect(escape.status != 0 && !escape.stderr.contains("\u{1B}"))
    let note = try scratch.run([
      "fine", "add", "冀环罚〔2026〕7号", "--debtor", "91130200699229617X", "--amount", "100", "--decided", "2026-01-01",
      "--received", "2026-01-02", "--basis", "依据\u{07}\r",
    ])
    #expect(note.status != 0 && note.stderr.contains("control character") && !note.stderr.contains("\u{07}"))
    let actor = try scratch.run(["enterprise", "update", "91130200699229617X", "--contact", "x", "--actor", "a\u{08}b"])
    #expect(actor.status != 0 && actor.stderr.contains("actor"))
    let long = try scratch.run([
      "enterprise", "update", "91130200699229617X", "--address", String(repeating: "长", count: 1_000),
    ])
    #expect(long.status != 0 && long.stderr.contains("at most"))
    #expect(try scratch.run(["audit", "verify"]).status == 0)
  }

  @Test("demo --dir never deletes a folder it did not make")
  func demoFolder() throws {
    let scratch = try Scratch()
    let folder = scratch.path + "/mine"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try "keep".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
    let run = try scratch.run(["demo", "--dir", folder])
    #expect(run.status == 1 && run.stderr.contains("was not made by 'envreg demo'"))
    #expect(FileManager.default.fileExists(atPath: folder + "/notes.txt"))
  }

  @Test("A wrong check character prints the subcommand's usage with the reason, exit 64")
  func subcommandUsage() throws {
    let scratch = try registry()
    let run = try scratch.run(["enterprise", "show", "91350100M000100Y44"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("expected 3") && run.stderr.contains("Usage: envreg enterprise show"))
  }
}
