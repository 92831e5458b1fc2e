import Foundation
import Testing

/// The outcome of running the built `envreg` binary.
struct Run {
  var stdout: String
  var stderr: String
  var status: Int32
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The `envreg` binary that `swift test` built next to the test bundle.
var envregBinary: URL {
  let beside = Bundle.main.bundleURL.appendingPathComponent("envreg")
  if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
  return repositoryRoot.appendingPathComponent(".build/debug/envreg")
}

/// A scratch folder per test, removed at the end.
final class Scratch {
  let path: String
  init() throws {
    path = NSTemporaryDirectory() + "envreg-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  var db: String { path + "/reg.sqlite" }

  /// Runs envreg in this folder with a fixed actor; `ENVREG_DB` points at this folder's registry.
  /// envreg set up to run in this folder, on this folder's registry, as actor `cli-test`.
  /// The locale is pinned (`LANG=C.UTF-8`, no LC_ALL or LC_MESSAGES): the table language defaults
  /// from it, and the goldens are English unless a test says otherwise (`locale`).
  func process(_ arguments: [String], locale: String = "C.UTF-8", environment extra: [String: String] = [:])
    -> Process
  {
    let process = Process()
    process.executableURL = envregBinary
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: path)
    var environment = ProcessInfo.processInfo.environment
    environment["ENVREG_DB"] = db
    environment["ENVREG_ACTOR"] = "cli-test"
    environment["LC_ALL"] = nil
    environment["LC_MESSAGES"] = nil
    environment["LANG"] = locale
    process.environment = environment.merging(extra) { $1 }
    return process
  }

  @discardableResult
  func run(_ arguments: [String], locale: String = "C.UTF-8", environment: [String: String] = [:]) throws -> Run {
    let process = process(arguments, locale: locale, environment: environment)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
      status: process.terminationStatus)
  }

  /// Starts envreg without waiting (output discarded).
  func start(_ arguments: [String]) throws -> Process {
    let process = process(arguments)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  func run(_ line: String) throws -> Run { try run(line.split(separator: " ").map(String.init)) }
}

extension Scratch {
  /// A scratch registry holding the sample enterprises, imported as of 2026-11-29.
  static func withSampleFirms() throws -> Scratch {
    let scratch = try Scratch()
    #expect(try scratch.run("init").status == 0)
    #expect(try scratch.run(["enterprise", "import", sample("enterprises.csv"), "--as-of", "2026-11-29"]).status == 0)
    return scratch
  }
}

func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("samples/" + name).path }

/// Compares `actual` with `Tests/envregTests/Snapshots/<name>`; records it when the file is missing
/// or `RECORD_SNAPSHOTS=1`, and then fails on purpose so that a recording is never a pass.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  // Audit hashes and recording times depend on the time of writing: goldens hold placeholders
  // (of the same width, so tables keep their alignment).
  let actual = actual.replacing(/[0-9a-f]{64}/, with: "<sha256>").replacing(
    /\t[A-Za-z2-9]{16}\n/, with: "\t<password>\n"
  )
  .replacing(
    /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z/, with: "<recorded-at-timestamp->")
  let url = repositoryRoot.appendingPathComponent("Tests/envregTests/Snapshots/" + name)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    Issue.record("Recorded snapshot \(name); run the tests again.", sourceLocation: sourceLocation)
    return
  }
  // A differing output is left beside the temporary files, to compare with the golden.
  let kept = NSTemporaryDirectory() + "envreg-actual-" + name
  if actual != expected { try? actual.write(toFile: kept, atomically: true, encoding: .utf8) }
  #expect(
    actual == expected, "output differs from Snapshots/\(name) (RECORD_SNAPSHOTS=1 to re-record; actual: \(kept))",
    sourceLocation: sourceLocation)
}
