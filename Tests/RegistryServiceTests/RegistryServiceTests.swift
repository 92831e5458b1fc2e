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
      ("retrofits.csv", .retrofits), ("ledger.csv", .ledger), ("projects.csv", .projects),
      ("approval-events.csv", .approvalEvents),
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

@Suite("Enforcement planning through the service (RULES §9, §10), on both storages")
struct EnforcementServiceTests {
  @Test(
    """
    RD-1..RD-4: a draw stored with its audit row and replayed identically; a violation opens a ledger item; \
    the next draw of the period leaves the drawn out; a changed firm makes the snapshot differ
    """,
    arguments: engines)
  func inspectionDraw(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let registry = fixture.registry
    let asOf = ServiceFixture.asOf
    for i in 1...4 {
      try registry.addInspector(
        Inspector(staffNo: "HB-\(i)", name: "执法员\(i)", unit: "湖北省生态环境厅", regionCode: "420000", certificate: "鄂\(i)"),
        asOf: asOf)
    }
    let period = try #require(DrawPeriod("2026Q4"))
    let before = try fixture.store.auditHead()
    let first = try registry.drawInspections(jurisdiction: "42", period: period, seed: 99, drawnOn: asOf)
    #expect(try fixture.store.auditHead().rows == before.rows + 1)
    #expect(!first.draw.picks.isEmpty && first.draw.picks.allSatisfy { $0.inspectors.count == 2 })
    let stored = try registry.draw(first.draw.id)
    #expect(Set(stored.picks) == Set(first.draw.picks))
    #expect(stored.snapshot == first.draw.snapshot)
    var replay = try registry.replayDraw(first.draw.id)
    #expect(replay.samePicks && replay.poolDifferences.isEmpty)

    // A violation opens a ledger item in the same transaction.
    let picked = try #require(CreditCode(stored: first.draw.picks[0].code))
    let item = LedgerItem(
      id: 0, source: .inspection, problemType: "现场检查发现问题", description: "废气收集设施未运行", foundOn: asOf,
      itemClass: .tracked, measures: "", responsibleUnit: "湖北省生态环境厅", responsiblePerson: "张伟",
      dueOn: asOf.adding(days: 60))
    let (result, line) = try registry.recordInspection(
      drawID: first.draw.id, firm: picked, InspectionResult(foundOn: asOf, finding: .violation, note: "废气收集设施未运行"),
      ledger: item, incident: nil)
    #expect(line != nil && result.ledgerItemID == line?.item.id)
    #expect(try registry.draw(first.draw.id).results[picked.value]?.ledgerItemID == line?.item.id)
    // Recorded once; a firm that was not drawn is refused.
    #expect(throws: RegistryError.self) {
      try registry.recordInspection(
        drawID: first.draw.id, firm: picked, InspectionResult(foundOn: asOf, finding: .none, note: ""), ledger: nil,
        incident: nil)
    }

    // The next draw of the period leaves the drawn and the inspected out of its pool (RD-1).
    let second = try registry.drawInspections(jurisdiction: "42", period: period, seed: 5, drawnOn: asOf)
    let firstCodes = Set(first.draw.picks.map(\.code))
    #expect(Set(second.draw.snapshot.pool.map(\.code)).isDisjoint(with: firstCodes))
    #expect(second.excluded[.inspected] == firstCodes.count)
    replay = try registry.replayDraw(first.draw.id)
    #expect(replay.samePicks && replay.poolDifferences.isEmpty, "\(replay.poolDifferences)")

    // One changed firm (deregistered before the draw date): the replay says the snapshot differs.
    let pooled = try #require(first.draw.snapshot.pool.first { !firstCodes.contains($0.code) })
    _ = try registry.deregisterEnterprise(
      try #require(CreditCode(stored: pooled.code)), on: asOf.adding(days: -1), reason: "企业注销")
    replay = try registry.replayDraw(first.draw.id)
    #expect(replay.samePicks && replay.poolDifferences.map(\.code) == [pooled.code])
    #expect(try fixture.store.verifyAudit(anchor: nil).isIntact)
  }

  @Test(
    "HW-1, HW-9: an alert over Wuhan puts its firms with a mandatory measure on the day's list, nobody else's",
    arguments: engines)
  func weatherToday(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let registry = fixture.registry
    let asOf = ServiceFixture.asOf
    let alert = try registry.addWeatherAlert(
      WeatherAlert(
        region: "4201", level: .orange, from: asOf, to: asOf.adding(days: 3), issuer: "武汉市重污染天气应急指挥部",
        reference: "武重污应急〔2026〕5号"))
    #expect(try registry.weatherAlerts(regionPrefix: "42").map(\.id) == [alert.id])
    let today = try registry.weatherToday(regionPrefix: "42", on: asOf.adding(days: 1))
    #expect(!today.isEmpty)
    #expect(
      today.allSatisfy { $0.firm.regionCode.hasPrefix("4201") && $0.alert.id == alert.id && $0.measure.isMandatory })
    #expect(try registry.weatherToday(regionPrefix: "42", on: asOf.adding(days: 4)).isEmpty)
    // due: the alert over each firm with a measure, dated from its start (HW-1); gone once lifted.
    let due = try registry.due(asOf: asOf, within: 30, regionPrefix: "42").filter { $0.rule == "HW-1" }
    #expect(Set(due.map(\.creditCode)) == Set(today.map(\.firm.creditCode.value)))
    #expect(due.allSatisfy { $0.date == asOf && $0.item == alert.reference })
    #expect(
      try registry.due(asOf: asOf.adding(days: 4), within: 30, regionPrefix: "42").allSatisfy { $0.rule != "HW-1" })
    // The profile shows the firm's measure at each level.
    let firm = try #require(today.first?.firm.creditCode)
    guard case .record(let measures)? = try registry.profile(firm, asOf: asOf)["weather_measures"] else {
      Issue.record("no weather_measures in the profile")
      return
    }
    #expect(measures["orange"] == .text(try #require(today.first).measure.text))
    // HW-6: no baseline recorded, no check; one firm's baseline recorded, the others' missing → unknown.
    var lines: [(code: String, line: WeatherLine)] = []
    try registry.weatherPlan(regionPrefix: "4201", on: asOf) { lines.append(($0.firm.creditCode.value, $0.line)) }
    #expect(try registry.weatherRegionCheck(regionPrefix: "4201", on: asOf, lines: lines).isEmpty)
    try registry.addEmissionBaseline(
      firm, EmissionBaseline(pollutant: .so2, year: 2025, kilograms: 125_500, reference: "2025年执行报告"))
    #expect(throws: RegistryError.self) {
      try registry.addEmissionBaseline(
        firm, EmissionBaseline(pollutant: .so2, year: 2025, kilograms: 1, reference: "重复"))
    }
    let check = try registry.weatherRegionCheck(regionPrefix: "4201", on: asOf, lines: lines)
    #expect(check.count == 12 && check.allSatisfy { $0.rule == "HW-6" && $0.outcome == .unknown })
    #expect(try fixture.store.verifyAudit(anchor: nil).isIntact)
    #expect(throws: RegistryError.self) {
      try registry.addWeatherAlert(
        WeatherAlert(region: "4201", level: .red, from: asOf, to: asOf.adding(days: -1), issuer: "x", reference: "y"))
    }
  }
}

@Suite("The EIA approval service through the service (RULES §11), on both storages")
struct ProjectServiceTests {
  @Test(
    "EA-2, EA-4, EA-8: the national ledger of the samples, its overdue approval and its summary", arguments: engines)
  func ledgerAndClocks(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let asOf = ServiceFixture.asOf
    let national = try fixture.registry.projects(regionPrefix: "42", ledger: .national, asOf: asOf)
    #expect(national.rows.map(\.project.number) == ["HB-2026-001", "HB-2026-002", "HB-2026-007", "HB-2026-010"])
    #expect(national.overdue == 1 && national.approved.count == 1 && national.approvedInTime == 1)
    let cement = try fixture.registry.project("HB-2026-002", asOf: asOf)
    #expect(cement.status.statutory?.used == 96 && cement.status.statutory?.overdue == 36)
    #expect(cement.builder?.name == "武汉中科水泥有限公司")
    #expect(cement.status.greenChannel == .eligible)
    // Before its technical review ended the statutory clock stood still.
    let earlier = try fixture.registry.project("HB-2026-002", asOf: Day("2026-08-20")!)
    #expect(earlier.status.stage == .clockStopped && earlier.status.statutory?.used == 6)
    // `due` lists the overdue approval (EA-4), dated on its last allowed day.
    let due = try fixture.registry.due(asOf: asOf, within: 14, regionPrefix: "4201")
    #expect(due.contains { $0.rule == "EA-4" && $0.item == "HB-2026-002" && $0.date == Day("2026-10-24") })
    // Every stage of the samples is there.
    let all = try fixture.registry.projects(regionPrefix: nil, ledger: nil, asOf: asOf)
    #expect(
      Set(all.rows.map(\.status.stage))
        == [
          .planned, .earlyService, .awaitingCorrection, .underReview, .clockStopped, .approved, .refused, .withdrawn,
          .filed,
        ])
  }

  @Test(
    "EA-7: the province's 告知承诺 parameters give the check's deadline, and the check is recorded once", arguments: engines
  )
  func commitmentCheck(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let asOf = ServiceFixture.asOf
    try fixture.registry.setPolicy(
      key: "ea.commitment.check_days", value: "30", jurisdiction: .region("42"), from: Day("2026-01-01")!, to: nil,
      reference: "测试")
    let view = try fixture.registry.project("HB-2026-006", asOf: asOf)
    #expect(view.status.check?.due == Day("2026-12-12") && view.status.check?.isOverdue == false)
    let checked = try fixture.registry.recordApprovalEvent(
      "HB-2026-006", ApprovalEvent(kind: .checked, on: asOf, note: "现场核查与承诺一致"), asOf: asOf)
    #expect(checked.status.check?.outcome?.kind == .checked)
    #expect(throws: RegistryError.self) {
      try fixture.registry.recordApprovalEvent(
        "HB-2026-006", ApprovalEvent(kind: .revoked, on: asOf, note: "x"), asOf: asOf)
    }
    // An ordinary approval has no check (EA-7).
    #expect(throws: RegistryError.self) {
      try fixture.registry.recordApprovalEvent("HB-2026-001", ApprovalEvent(kind: .checked, on: asOf), asOf: asOf)
    }
  }

  @Test(
    "Refusals leave the registry untouched; an update is a new version and the old answer stays", arguments: engines)
  func refusalsAndVersions(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let registry = fixture.registry, asOf = ServiceFixture.asOf
    let head = try fixture.store.auditHead()
    // A decision on a project never received, a second receipt, an event in the future.
    for (number, event) in [
      ("HB-2026-012", ApprovalEvent(kind: .approved, on: asOf)),
      ("HB-2026-002", ApprovalEvent(kind: .received, on: asOf)),
      ("HB-2026-002", ApprovalEvent(kind: .approved, on: asOf.adding(days: 1))),
      ("HB-2026-009", ApprovalEvent(kind: .received, on: asOf)),
    ] {
      #expect(throws: RegistryError.self, "\(number) \(event.kind)") {
        try registry.recordApprovalEvent(number, event, asOf: asOf)
      }
    }
    var input = ProjectInput()
    input.number = "HB-2026-001"
    input.name = "重复"
    input.builderCode = "91420114MAT55UDF95"
    input.region = "420115"
    input.industry = "3562"
    #expect(throws: RegistryError.self) { try registry.addProject(input, asOf: asOf) }
    #expect(try fixture.store.auditHead() == head)

    var change = ProjectInput()
    change.investment = "92000"
    change.effective = "2026-11-20"
    let updated = try registry.updateProject("HB-2026-001", change, asOf: asOf)
    #expect(updated.versions == 2 && updated.project.investmentFen == 92_000_000_000)
    #expect(try registry.project("HB-2026-001", asOf: Day("2026-11-19")!).project.investmentFen == 86_000_000_000)
    #expect(try registry.projectHistory("HB-2026-001").count == 2)
    #expect(try fixture.store.auditHead().rows == head.rows + 1)
    #expect(try fixture.store.verifyAudit(anchor: nil).isIntact)
  }

  @Test(
    "An officer of Wuhan records events on Wuhan's projects only; the audit row names the officer", arguments: engines)
  func officerScope(_ engine: Engine) throws {
    let fixture = try ServiceFixture(engine)
    let asOf = ServiceFixture.asOf
    let officer = fixture.registry.acting(
      as: Account(name: "wuhan-officer", role: .officer, regionPrefix: "4201", passwordHash: "$2b$x", createdAt: "now"))
    #expect(throws: RegistryError.self) {
      try officer.recordApprovalEvent(
        "HB-2026-010", ApprovalEvent(kind: .technicalReview, on: Day("2026-11-02")!, to: asOf), asOf: asOf)
    }
    let view = try officer.recordApprovalEvent(
      "HB-2026-003", ApprovalEvent(kind: .corrected, on: asOf, note: "补充区域削减方案"), asOf: asOf)
    #expect(view.status.accepted == asOf && view.status.stage == .underReview)
    let last = try #require(try fixture.store.auditLog(entityKey: "HB-2026-003", since: nil, limit: nil).last)
    #expect(last.actor.contains("wuhan-officer") && last.action == "project.event")
  }
}
