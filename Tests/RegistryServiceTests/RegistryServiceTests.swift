import Foundation
import RegistryCore
import RegistryFiles
import RegistryPostgres
import RegistryStore
import Testing

@testable import RegistryService

/// The storage engines the service runs on.
enum Engine: String, CaseIterable, Sendable {
  case sqlite, postgres
}

/// The PostgreSQL cluster `.ci/run` starts (`.ci/postgres start`); CI fails without it.
let postgresServer = ProcessInfo.processInfo.environment["ENVREG_TEST_POSTGRES"]
let engines: [Engine] =
  postgresServer != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? Engine.allCases : [.sqlite]

/// The service's use cases on either storage: the samples imported into a SQLite file, and for
/// PostgreSQL copied into a new database (as `envreg copy` does).
final class ServiceFixture {
  let directory: String
  let store: any RegistryStorage
  let registry: Registry
  private var database: (server: String, name: String)?
  static let asOf = Day("2026-11-29") ?? Day(ordinal: 0)

  /// A new registry with the sample firms, permits, fines, retrofits and ledger items.
  init(_ engine: Engine = .sqlite) throws {
    directory = NSTemporaryDirectory() + "envreg-service-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let sqlite = try Store(path: directory + "/registry.sqlite", create: true, actor: "service-test")
    let registry = Registry(storage: sqlite)
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("samples")
    let options = ImportOptions(effectiveOn: ServiceFixture.asOf, asOf: ServiceFixture.asOf)
    let imports: [(String, ImportKind)] = [
      ("enterprises.csv", .enterprises), ("permits.csv", .permits), ("fines.csv", .fines),
      ("retrofits.csv", .retrofits), ("ledger.csv", .ledger),
    ]
    for (name, kind) in imports {
      let path = samples.appendingPathComponent(name).path
      _ = try CSVImport.run(path, options: options, protected: sqlite.protectedPaths) {
        try registry.importRecords(kind, $0, rejects: $1, options: options)
      }
    }
    guard engine == .postgres else {
      store = sqlite
      self.registry = registry
      return
    }
    guard let server = postgresServer, let slash = server.lastIndex(of: "/") else {
      throw RegistryError.input("ENVREG_TEST_POSTGRES is not set: start a cluster with 'bash .ci/postgres start'")
    }
    let name = "envreg_s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    try ServiceFixture.admin(server, "CREATE DATABASE \(name)")
    database = (server, String(name))
    let postgres = try PostgresStore(
      url: String(server[..<slash]) + "/" + name, create: true, empty: true, actor: "service-test")
    _ = try RegistryCopy.copy(from: sqlite, to: postgres, describing: "service fixture")
    store = postgres
    self.registry = Registry(storage: postgres)
  }

  /// Runs one statement with psql on the cluster's maintenance database.
  static func admin(_ server: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw RegistryError.input("psql failed: \(sql)") }
  }

  deinit {
    try? FileManager.default.removeItem(atPath: directory)
    (store as? PostgresStore)?.close()
    if let database { try? ServiceFixture.admin(database.server, "DROP DATABASE \(database.name) WITH (FORCE)") }
  }
}

@Suite("Registry service over both storages (SQLite and PostgreSQL)")
struct RegistryServiceTests {
  @Test(
    "AL-2 / AL-4 through the service: each entry one transaction with its audit row; refusals change nothing",
    arguments: engines)
  func ledgerEntries(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let registry = fixture.registry
    let day = { (text: String) in Day(text) ?? ServiceFixture.asOf }
    let before = try fixture.store.auditHead()
    var line = try registry.ledgerEntry(2, on: day("2026-04-10"), to: .inProgress, note: "已制定整改方案")
    #expect(line.item.state(asOf: ServiceFixture.asOf) == .inProgress)
    line = try registry.ledgerEntry(2, on: day("2026-06-30"), to: .awaitingAcceptance, note: "待验收")
    line = try registry.ledgerEntry(2, on: day("2026-07-20"), to: .closed, note: "验收合格")
    #expect(line.item.state(asOf: ServiceFixture.asOf) == .closed)
    #expect(try fixture.store.auditHead().rows == before.rows + 3)
    // Refused: progress on a closed item (AL-2), a reopen dated before the last entry (AL-4).
    let head = try fixture.store.auditHead()
    #expect { try registry.ledgerEntry(2, on: day("2026-08-01"), to: nil, note: "复查") } throws: {
      "\($0)".contains("AL-2")
    }
    #expect { try registry.ledgerEntry(2, on: day("2026-07-01"), to: nil, note: "复查", reopen: true) } throws: {
      "\($0)".contains("AL-4")
    }
    #expect(try fixture.store.auditHead() == head)
    line = try registry.ledgerEntry(2, on: day("2026-09-01"), to: nil, note: "复查发现问题", reopen: true)
    #expect(line.item.state(asOf: ServiceFixture.asOf) == .pending)
    #expect(try fixture.store.auditLog(entityKey: nil, since: nil, limit: nil).last?.action == "ledger.reopen")
    #expect(try fixture.store.verifyAudit(anchor: nil).isIntact)
  }

  @Test(
    "due: every module's clocks in one calendar, in date order, within the window or still open", arguments: engines)
  func dueCalendar(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let asOf = ServiceFixture.asOf
    let items = try fixture.registry.due(asOf: asOf, within: 30, regionPrefix: nil)
    #expect(!items.isEmpty)
    #expect(items.map(\.date) == items.map(\.date).sorted())
    #expect(items.allSatisfy { $0.date <= asOf.adding(days: 30) })
    let rules = Set(items.map(\.rule))
    #expect(rules.isSuperset(of: ["PM-4", "AL-3"]), "\(rules)")
    // A region prefix keeps that region's clocks only.
    let hubei = try fixture.registry.due(asOf: asOf, within: 30, regionPrefix: "42")
    #expect(!hubei.isEmpty && hubei.allSatisfy { $0.regionCode.hasPrefix("42") })
    #expect(hubei.count < items.count)
  }
}

@Suite("The sweep pipeline (issue 12): rules on a second thread, results in reading order")
struct PipelineTests {
  @Test("Outputs come in input order across batches, every input once; a delivery error stops the sweep")
  func orderAcrossBatches() throws {
    for batchSize in [1, 3, 1_024] {
      let rules = Pipeline<Int, String>(batchSize: batchSize) { n in
        (0..<(n % 3)).map { "\(n).\($0)" }
      }
      var delivered: [String] = []
      for n in 0..<2_000 { try rules.add(n) { delivered.append($0) } }
      try rules.finish { delivered.append($0) }
      #expect(delivered == (0..<2_000).flatMap { n in (0..<(n % 3)).map { "\(n).\($0)" } }, "batch \(batchSize)")
    }
    struct Stop: Error {}
    let rules = Pipeline<Int, Int>(batchSize: 2) { [$0] }
    var seen: [Int] = []
    #expect(throws: Stop.self) {
      for n in 0..<100 {
        try rules.add(n) { output in
          if output == 5 { throw Stop() }
          seen.append(output)
        }
      }
    }
    #expect(seen == [0, 1, 2, 3, 4])
  }
}
