import ArgumentParser
import Foundation
import RegistryCore
import RegistryStore

extension EnvReg {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Build a demo registry from the bundled samples and walk through the main jobs.",
      discussion: """
        Writes the sample files and a fresh registry into --dir (default ./envreg-demo), then runs, and
        prints, what a new user would do first. Every step uses the same code as the commands shown.
        Example: envreg demo --as-of 2026-11-29
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Folder for the demo database and sample files (recreated).") var dir: String = "envreg-demo"

    func run() throws {
      var tour = DemoTour(dir: dir, today: global.today, actor: global.actor ?? "demo")
      try tour.run()
    }
  }
}

/// The steps of the demo, printed as a transcript.
struct DemoTour {
  let dir: String
  let today: Day
  let actor: String
  var store: Store?

  init(dir: String, today: Day, actor: String) {
    self.dir = dir
    self.today = today
    self.actor = actor
  }

  func step(_ title: String, _ command: String) {
    emit("\n== \(title) ==\n$ envreg \(command)\n")
  }

  func show(_ value: Value) { emit(Render.render(value, as: .table)) }

  func writeSample(_ name: String, _ text: String) throws -> String {
    let path = dir + "/samples/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  mutating func run() throws {
    let fm = FileManager.default
    try? fm.removeItem(atPath: dir)
    try fm.createDirectory(atPath: dir + "/samples", withIntermediateDirectories: true)
    let database = dir + "/demo.sqlite"
    let firms = try writeSample("enterprises.csv", Embedded.enterprises)
    let bad = try writeSample("enterprises-bad.csv", Embedded.enterprisesBad)
    emit("envreg demo: a registry built from samples/ in \(dir)/, evaluated as of \(today).\n")

    step("1. Create a registry (schema.sql + GB/T 2260, GB/T 4754-2017, key-region sets)", "init --db \(database)")
    let store = try Store(path: database, create: true, actor: actor)
    self.store = store
    let counts = try store.referenceCounts()
    show(.record(Fields(counts.keys.sorted().map { ($0, Value.int(counts[$0] ?? 0)) })))

    step("2. Import the bureau's spreadsheet (one transaction, validated row by row)", "enterprise import \(firms)")
    let options = ImportOptions(effectiveOn: today, today: today)
    let first = try store.importEnterprises(from: firms, options: options)
    show(.record(importSummary(first)))

    step("3. Import it again: idempotent, nothing changes", "enterprise import \(firms)")
    show(.record(importSummary(try store.importEnterprises(from: firms, options: options))))

    step("4. A file with bad rows is refused whole; the registry is untouched", "enterprise import \(bad)")
    do {
      _ = try store.importEnterprises(from: bad, options: options)
    } catch {
      emit("Error: \(error)\n")
    }
    emit("enterprises still registered: \(try store.countEnterprises(EnterpriseFilter(asOf: today)))\n")

    step("5. Key-region chemical and steel firms (京津冀及周边 as of today)", "enterprise list --key-region jjj --industry 31 --limit 5")
    var filter = EnterpriseFilter(asOf: today)
    filter.keyRegion = .set(.jjj)
    filter.industryPrefix = "31"
    filter.limit = 5
    var rows: [Value] = []
    try store.forEachEnterprise(filter) { rows.append(.record(Report.listRow($0))) }
    show(.list(rows))

    step("6. Name search in Chinese, across provinces", "enterprise list --name 化工 --region 42")
    filter = EnterpriseFilter(asOf: today)
    filter.nameContains = "化工"
    filter.regionPrefix = "42"
    rows = []
    try store.forEachEnterprise(filter) { rows.append(.record(Report.listRow($0))) }
    show(.list(rows))

    let code = CreditCode("91350100M000100Y43")
    guard let code else { return }
    step("7. A change of legal representative is a dated history row, not an overwrite", "enterprise update \(code) --legal-rep 陈海峰 --effective 2026-10-08")
    var input = EnterpriseInput()
    input[.legalRep] = "陈海峰"
    _ = try store.updateEnterprise(code, input, effectiveOn: Day("2026-10-08") ?? today, today: today)
    show(.list(try store.enterpriseHistory(code).map { change in
      .record(Fields([("effective_on", .day(change.effectiveOn)), ("field", .text(change.field)), ("old_value", .optional(change.oldValue)), ("new_value", .optional(change.newValue)), ("actor", .text(change.actor))]))
    }))

    step("8. The firm's profile", "enterprise show \(code)")
    if let firm = try store.enterprise(code) { show(.record(Report.profileFacts(firm, asOf: today))) }

    step("9. The audit trail is a hash chain; verify it", "audit verify")
    let verification = try store.verifyAudit()
    show(.record(Fields([("rows_checked", .int(verification.rowsChecked)), ("intact", .bool(verification.isIntact))])))
    emit("\nDone. Explore further with: envreg enterprise list --db \(database) --help\n")
  }

  func importSummary(_ report: ImportReport) -> Fields {
    Fields([("rows", .int(report.rows)), ("inserted", .int(report.inserted)), ("updated", .int(report.updated)), ("unchanged", .int(report.unchanged)), ("rejected", .int(report.rejected)), ("encoding", .text(report.encoding))])
  }
}
