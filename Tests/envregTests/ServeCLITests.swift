import Foundation
import Testing

@Suite("envreg serve, the built binary")
struct ServeCLITests {
  @Test("Serves /healthz on loopback, refuses a bad --listen, and stops on SIGTERM with exit 0")
  func serveAndStop() async throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let bad = try scratch.run(["serve", "--listen", "127.0.0.1"])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("host:port"))
    let port = Int.random(in: 40_000...49_000)
    let server = try scratch.start(["serve", "--listen", "127.0.0.1:\(port)"])
    var answered = false
    for _ in 0..<100 where !answered {
      if let (status, body) = try? WebDriver.http("http://127.0.0.1:\(port)/healthz", "GET") {
        answered = status == 200 && String(decoding: body, as: UTF8.self).hasPrefix("ok")
      }
      if !answered { try await Task.sleep(for: .milliseconds(100)) }
    }
    #expect(answered)
    let (status, _) = try WebDriver.http("http://127.0.0.1:\(port)/firms", "GET")
    #expect(status == 303)  // to the sign-in page
    server.terminate()  // SIGTERM
    for _ in 0..<100 where server.isRunning { try await Task.sleep(for: .milliseconds(50)) }
    #expect(!server.isRunning)
    #expect(server.terminationStatus == 0)
  }

  @Test("user add refuses a weak password and --actor cannot claim a signed-in account")
  func userCommands() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let weak = try scratch.process(["user", "add", "zhang", "--role", "viewer", "--password-stdin"])
    let input = Pipe(), err = Pipe()
    weak.standardInput = input
    weak.standardError = err
    weak.standardOutput = FileHandle.nullDevice
    try weak.run()
    input.fileHandleForWriting.write(Data("short\n".utf8))
    try input.fileHandleForWriting.close()
    weak.waitUntilExit()
    #expect(weak.terminationStatus == 1)
    #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("password"))
    let added = try scratch.run(["user", "add", "zhang", "--role", "officer", "--region", "4201"])
    #expect(added.status == 0)
    #expect(added.stdout.hasPrefix("zhang\t"))
    let claimed = try scratch.run(["enterprise", "list", "--actor", "user:zhang"])
    #expect(claimed.status != 0)
    let list = try scratch.run(["user", "list", "--format", "csv"])
    #expect(list.stdout.contains("zhang,officer,4201"))
    #expect(!list.stdout.contains("$2b$"))
  }
}

@Suite("Excel workbooks through the binary")
struct WorkbookCLITests {
  @Test("enterprise import reads an .xlsx (first sheet, or --sheet), and names a missing sheet")
  func importWorkbook() throws {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    let workbook = repositoryRoot.appendingPathComponent("Tests/RegistryStoreTests/Fixtures/firms-libreoffice.xlsx")
      .path
    let missing = try scratch.run(["enterprise", "import", workbook, "--sheet", "台账"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("its sheets: \"firms\""))
    let imported = try scratch.run(["enterprise", "import", workbook, "--sheet", "firms", "--format", "json"])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("\"inserted\": 2"))
    #expect(imported.stdout.contains("\"encoding\": \"xlsx\""))
    let show = try scratch.run(["enterprise", "show", "91420104MA7N15AM3G", "--format", "json"])
    #expect(show.stdout.contains("\"registered_on\": \"2020-04-03\""))
  }
}

@Suite("CSV files written for people (issue 15): a byte-order mark for Excel, --encoding, stdout plain")
struct OutputEncodingCLITests {
  @Test("export --output starts with a BOM; stdout does not; gb18030 is GB18030 and imports back unchanged")
  func encodings() throws {
    let scratch = try Scratch.withSampleFirms()
    #expect(try scratch.run(["enterprise", "export", "--region", "42", "--output", "bom.csv"]).status == 0)
    let bom = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/bom.csv"))
    #expect(Array(bom.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let stdout = try scratch.run(["enterprise", "export", "--region", "42"])
    #expect(stdout.stdout.hasPrefix("credit_code,"))
    #expect(
      try scratch.run(["enterprise", "export", "--region", "42", "--output", "plain.csv", "--encoding", "utf-8"]).status
        == 0)
    let plain = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/plain.csv"))
    #expect(Data(bom.dropFirst(3)) == plain)
    #expect(
      try scratch.run(["enterprise", "export", "--region", "42", "--output", "gb.csv", "--encoding", "gb18030"]).status
        == 0)
    let gb = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/gb.csv"))
    #expect(gb != plain)
    #expect(String(data: gb, encoding: .utf8) == nil)  // not UTF-8: the Chinese is in GB18030
    let reimport = try scratch.run(["enterprise", "import", "gb.csv", "--format", "json"])
    #expect(reimport.status == 0, "\(reimport.stderr)")
    #expect(reimport.stdout.contains("\"inserted\": 0") && reimport.stdout.contains("\"updated\": 0"))
    #expect(reimport.stdout.contains("\"encoding\": \"gb18030\""))
    #expect(try scratch.run(["ledger", "report", "--format", "csv", "--output", "台账.csv"]).status == 0)
    let report = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/台账.csv"))
    #expect(Array(report.prefix(3)) == [0xEF, 0xBB, 0xBF])
  }
}
