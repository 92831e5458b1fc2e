import Foundation
import GRDB
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

/// A fresh registry in a temporary file, removed when the test ends.
final class TempRegistry {
  let directory: String
  let path: String
  let store: Store

  init(actor: String = "tester") throws {
    directory = NSTemporaryDirectory() + "envreg-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    path = directory + "/registry.sqlite"
    store = try Store(path: path, create: true, actor: actor)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Writes a file next to the database and returns its path.
  func file(_ name: String, _ text: String) throws -> String {
    let file = directory + "/" + name
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    return file
  }

  func file(_ name: String, bytes: [UInt8]) throws -> String {
    let file = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  /// Raw SQL on the file, for assertions and for tampering tests.
  func sql<T: DatabaseValueConvertible>(_ query: String) throws -> T? {
    try DatabaseQueue(path: path).read { try T.fetchOne($0, sql: query) }
  }

  /// Runs SQL as a tamperer with the sqlite3 shell would: foreign keys off unless `enforce`.
  func execute(_ statement: String, enforceForeignKeys: Bool = false) throws {
    var config = Configuration()
    config.foreignKeysEnabled = enforceForeignKeys
    try DatabaseQueue(path: path, configuration: config).write { try $0.execute(sql: statement) }
  }
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

func sample(_ name: String) -> String { repositoryRoot.appendingPathComponent("samples/" + name).path }

let testDay = Day("2026-11-29") ?? Day(ordinal: 0)

func options(reject: String? = nil, encoding: TextEncoding = .auto) -> ImportOptions {
  var options = ImportOptions(effectiveOn: testDay, asOf: testDay)
  options.rejectFile = reject
  options.encoding = encoding
  return options
}

func firm(
  _ code: String = "91350100M000100Y43", name: String = "福州闽江电子材料有限公司", region: String = "350102",
  industry: String = "3985"
) -> EnterpriseInput {
  EnterpriseInput([.creditCode: code, .name: name, .regionCode: region, .industryCode: industry])
}

/// A valid credit code for a division, made from a counter.
func makeCode(_ n: Int, division: String = "420102") -> String {
  let digits = String(n)
  let body = "91" + division + String(repeating: "0", count: 9 - digits.count) + digits
  return body + String(CreditCode.checkCharacter(for: body) ?? "0")
}

/// The storage's imports from a CSV file, as the CLI runs them (the file read at the edge).
extension Store {
  func importFile(_ path: String, _ options: ImportOptions, as kind: ImportKind) throws -> ImportReport {
    try CSVImport.run(path, options: options, protected: protectedPaths) {
      try importRecords(kind, $0, rejects: $1, options: options)
    }
  }
}
