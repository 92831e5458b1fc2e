import ArgumentParser
import Foundation
import RegistryCore
import RegistryService
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
    @Option(
      help:
        "Folder for the demo database and sample files (recreated when an earlier demo made it; any other existing folder is refused)."
    ) var dir: String = "envreg-demo"

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
  var registry: Registry?

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
    let file = try OutputFile(path: path, force: false, protected: [])
    try file.write(Array(text.utf8))
    try file.commit()
    return path
  }

  /// Marks a folder as made by `envreg demo`: only such a folder is ever removed.
  static let marker = ".envreg-demo"

  /// A folder an earlier demo made: it has the marker, or (made before the marker existed) it holds
  /// nothing but what a demo writes (the database and its companions, samples/ of CSV files, the
  /// ledger reports).
  static func madeByDemo(_ dir: String) -> Bool {
    let fm = FileManager.default
    if fm.fileExists(atPath: dir + "/" + marker) { return true }
    guard let entries = try? fm.contentsOfDirectory(atPath: dir) else { return false }
    let demoFiles = Set(
      ["demo.sqlite", "demo.sqlite-wal", "demo.sqlite-shm", "samples"]
        + ["csv", "md", "html", "xlsx", "json"].map { "台账.\($0)" })
    guard !entries.isEmpty, entries.allSatisfy(demoFiles.contains) else { return false }
    let samples = (try? fm.contentsOfDirectory(atPath: dir + "/samples")) ?? []
    return samples.allSatisfy { $0.hasSuffix(".csv") }
  }

  mutating func run() throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: dir) {
      guard DemoTour.madeByDemo(dir) else {
        throw RegistryError.input(
          "\(dir.quoted) exists and was not made by 'envreg demo'; envreg deletes nothing it did not create. Choose another --dir."
        )
      }
      try fm.removeItem(atPath: dir)
    }
    try fm.createDirectory(
      atPath: dir + "/samples", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = fm.createFile(
      atPath: dir + "/" + DemoTour.marker, contents: Data("made by envreg demo\n".utf8),
      attributes: [.posixPermissions: 0o600])
    let database = dir + "/demo.sqlite"
    let firms = try writeSample("enterprises.csv", Embedded.enterprises)
    let bad = try writeSample("enterprises-bad.csv", Embedded.enterprisesBad)
    emit("envreg demo: a registry built from samples/ in \(dir)/, evaluated as of \(today).\n")

    step("1. Create a registry (schema.sql + GB/T 2260, GB/T 4754-2017, key-region sets)", "init --db \(database)")
    let registry = Registry(storage: try Store(path: database, create: true, actor: actor))
    self.registry = registry
    let counts = try registry.referenceCounts()
    show(.record(Fields(counts.keys.sorted().map { ($0, Value.int(counts[$0] ?? 0)) })))

    step("2. Import the bureau's spreadsheet (all or nothing, validated row by row)", "enterprise import \(firms)")
    let options = ImportOptions(effectiveOn: today, today: today)
    let first = try registry.importEnterprises(from: firms, options: options)
    show(.record(importSummary(first)))

    step("3. Import it again: idempotent, nothing changes", "enterprise import \(firms)")
    show(.record(importSummary(try registry.importEnterprises(from: firms, options: options))))

    step("4. A file with bad rows is refused whole; the registry is untouched", "enterprise import \(bad)")
    do {
      _ = try registry.importEnterprises(from: bad, options: options)
    } catch {
      emit("Error: \(error)\n")
    }
    emit("enterprises still registered: \(try registry.countEnterprises(EnterpriseFilter(asOf: today)))\n")

    step(
      "5. Key-region chemical and steel firms (京津冀及周边 as of today)",
      "enterprise list --key-region jjj --industry 31 --limit 5")
    var filter = EnterpriseFilter(asOf: today)
    filter.keyRegion = .set(.jjj)
    filter.industryPrefix = "31"
    filter.limit = 5
    var rows: [Value] = []
    try registry.forEachEnterprise(filter) { rows.append(.record(Report.listRow($0))) }
    show(.list(rows))

    step("6. Name search in Chinese, across provinces", "enterprise list --name 化工 --region 42")
    filter = EnterpriseFilter(asOf: today)
    filter.nameContains = "化工"
    filter.regionPrefix = "42"
    rows = []
    try registry.forEachEnterprise(filter) { rows.append(.record(Report.listRow($0))) }
    show(.list(rows))

    guard let code = CreditCode("91350100M000100Y43") else { return }
    step(
      "7. A change of legal representative is a dated history row, not an overwrite",
      "enterprise update \(code) --legal-rep 陈海峰 --effective 2026-10-08")
    var input = EnterpriseInput()
    input[.legalRep] = "陈海峰"
    _ = try registry.updateEnterprise(
      code, input, effectiveOn: Day("2026-10-08") ?? today, today: today)
    show(
      .list(
        try registry.enterpriseHistory(code).map { change in
          .record(
            Fields([
              ("effective_on", .day(change.effectiveOn)), ("field", .text(change.field)),
              ("old_value", .optional(change.oldValue)), ("new_value", .optional(change.newValue)),
              ("actor", .text(change.actor)),
            ]))
        }))

    step("8. The firm's profile", "enterprise show \(code)")
    if let firm = try registry.enterprise(code) { show(.record(Report.profileFacts(firm, asOf: today))) }

    try positiveLists(registry)
    try permitsAndFines(registry)
    try retrofits(registry)
    try ledger(registry)

    step("22. The audit trail is a hash chain; verify it", "audit verify")
    let verification = try registry.verifyAudit()
    show(.record(Fields([("rows_checked", .int(verification.rowsChecked)), ("intact", .bool(verification.isIntact))])))
    emit("\nDone. Explore further with: envreg --db \(database) <command> --help\n")
  }

  /// Steps 9-12: facts, an eligible and an ineligible trace, admissions, the review sweep.
  func positiveLists(_ registry: Registry) throws {
    step(
      "9. Load the other registers: designations, incidents, permits, fines",
      "designation import …; incident import …; permit import …; fine import …")
    let options = ImportOptions(effectiveOn: today, today: today)
    let loads: [(String, (String, ImportOptions) throws -> ImportReport)] = [
      ("designations.csv", registry.importDesignations), ("incidents.csv", registry.importIncidents),
      ("permits.csv", registry.importPermits), ("fines.csv", registry.importFines),
    ]
    var rows: [Value] = []
    for (file, load) in loads {
      let text =
        [
          ("designations.csv", Embedded.designations), ("incidents.csv", Embedded.incidents),
          ("permits.csv", Embedded.permits), ("fines.csv", Embedded.fines),
        ].first { $0.0 == file }?.1 ?? ""
      let report = try load(try writeSample(file, text), options)
      rows.append(.record(Fields([("file", .text(file))] + importSummary(report).fields.map { ($0.key, $0.value) })))
    }
    show(.list(rows))

    let policy = try registry.policyBook()
    guard let fuzhou = CreditCode("91350100M000100Y43") else { return }
    step(
      "10. May this firm be exempted from on-site inspection? Every condition, fact, threshold and clause",
      "eligibility \(fuzhou) --list inspection-exemption")
    let facts = try registry.facts(fuzhou)
    emit(
      VerdictOutput.render(
        [eligibility(facts, for: .inspectionExemption, policy: policy, asOf: today)], firm: facts.enterprise,
        format: .table))

    var riverside: Enterprise?
    try registry.forEachEnterprise(EnterpriseFilter(asOf: today)) { if $0.name == "宜昌长江化工有限公司" { riverside = $0 } }
    if let riverside {
      step(
        "11. An ineligible firm: the conditions that fail and the exclusion that applies",
        "eligibility \(riverside.creditCode) --list inspection-exemption")
      let verdict = eligibility(
        try registry.facts(riverside.creditCode), for: .inspectionExemption, policy: policy, asOf: today)
      emit("\(riverside.name): \(verdict.status.rawValue.uppercased())\n")
      show(
        .list(
          verdict.blocking.map {
            .record(
              Fields([
                ("rule", .text($0.rule)), ("outcome", .text($0.reading)), ("fact", .text($0.fact)),
                ("threshold", .text($0.threshold)),
              ]))
          }))
    }

    var chip: Enterprise?
    try registry.forEachEnterprise(EnterpriseFilter(asOf: today)) { if $0.name == "苏州芯源微电子有限公司" { chip = $0 } }
    step(
      "12. Admit members (the trace is stored with each); list them with what membership means",
      "lists admit … --list inspection-exemption; lists members --consequences")
    _ = try registry.admit(fuzhou, to: .inspectionExemption, on: today, overrideReason: nil)
    if let chip, let earlier = Day(year: 2025, month: 6, day: 1) {
      _ = try registry.admit(
        chip.creditCode, to: .inspectionExemption, on: earlier, overrideReason: nil)
    }
    show(
      .list(
        try registry.members(of: .inspectionExemption, on: today, regionPrefix: nil).map { m in
          .record(
            Fields([
              ("credit_code", .text(m.creditCode)), ("name", .text(m.name)), ("admitted_on", .day(m.admittedOn)),
              ("valid_until", .day(m.validUntil)), ("category", .text(m.category)),
            ]))
        }))
    emit("consequences: \(consequences(of: .inspectionExemption))\n")

    step(
      "13. Review sweep: members that no longer qualify (one pass over the registry)",
      "lists review --list inspection-exemption")
    var findings: [Value] = []
    try registry.review(lists: [.inspectionExemption], asOf: today) { finding in
      guard finding.kind == .noLongerQualifies else { return }
      findings.append(
        .record(
          Fields([
            ("credit_code", .text(finding.firm.creditCode.value)), ("name", .text(finding.firm.name)),
            ("status", .text(finding.verdict.status.rawValue)),
            ("failing", .text(finding.verdict.blocking.map { "\($0.rule): \($0.fact)" }.joined(separator: "; "))),
          ])))
    }
    show(.list(findings))
  }

  /// Steps 14-16: the expiry notice, an overdue fine with its surcharge trace, the calendar.
  func permitsAndFines(_ registry: Registry) throws {
    let policy = try registry.policyBook()
    step(
      "14. Expiry notice: permits expiring in the next 90 days, most urgent first (first 8)",
      "permit expiring --within 90")
    var filter = PermitFilter()
    filter.validToOnOrAfter = today
    filter.validToOnOrBefore = today.adding(days: 90)
    var expiring: [(Int, Value)] = []
    try registry.forEachPermit(filter) { held in
      let standing = PermitRules.standing(held.permit, region: held.regionCode, on: today, window: 90, policy: policy)
      guard PermitStatus.inExpiryNotice.contains(standing.status) else { return }
      let row = Fields([
        ("number", .text(held.permit.number.value)), ("name", .text(held.holderName)),
        ("valid_to", .day(held.permit.validTo)), ("renewal_due", .day(standing.renewalDue)),
        ("days_left", .int(standing.daysToExpiry)), ("status", .text(standing.status.rawValue)),
        ("renewal_applied", .optional(standing.renewalApplied)),
      ])
      expiring.append((standing.daysToExpiry, .record(row)))
    }
    show(.list(expiring.sorted { $0.0 < $1.0 }.prefix(8).map(\.1)))
    emit("\(expiring.count) permit(s) in the notice.\n")

    step(
      "15. An overdue fine: amounts kept apart, and the surcharge trace (which days counted and why)",
      "fine show 宜环罚〔2026〕88号")
    let owed = try registry.fine("宜环罚〔2026〕88号")
    let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: today, policy: policy)
    var fields = Report.fineStatement(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)
    fields.fields.removeAll {
      ["arrangements", "payments", "suspensions", "legal_basis", "received_on"].contains($0.key)
    }
    show(.record(fields))

    step("16. One calendar of every deadline in the next 14 days (the last 10 of the list)", "due --within 14")
    let items = try registry.due(asOf: today, within: 14, regionPrefix: nil)
    show(.list(items.suffix(10).map { .record($0.fields(asOf: today)) }))
    emit("\(items.count) deadline(s), \(items.filter { $0.date < today }.count) already overdue.\n")
  }

  /// Steps 17-18: retrofit progress and one project's trace.
  func retrofits(_ registry: Registry) throws {
    step(
      "17. Ultra-low-emission retrofits: steel capacity verified per key region, overdue mandated projects",
      "retrofit import …; retrofit progress")
    let options = ImportOptions(effectiveOn: today, today: today)
    _ = try registry.importRetrofits(from: try writeSample("retrofits.csv", Embedded.retrofits), options: options)
    _ = try registry.importMeasurements(
      from: try writeSample("measurements.csv", Embedded.measurements), options: options)
    let policy = try registry.policyBook()
    var projects: [(retrofit: Retrofit, owner: String, name: String, region: String)] = []
    var tangshan: FirmRetrofit?
    try registry.forEachRetrofit { found in
      projects.append((found.retrofit, found.owner.value, found.ownerName, found.regionCode))
      if found.owner.value == "91130200699229617X" && found.retrofit.facility == "1号烧结机" { tangshan = found }
    }
    let progress = RetrofitProgress.report(projects, policy: policy, asOf: today)
    show(.record(Fields(progress.fields.filter { $0.key != "by_stage" }.map { ($0.key, $0.value) })))
    if let tangshan {
      step(
        "18. One project's check: limits at the reference O2 (with the conversion), mandate, deadline",
        "retrofit check \(tangshan.retrofit.id)")
      let verdict = RetrofitRules.check(tangshan.retrofit, region: tangshan.regionCode, policy: policy, asOf: today)
      emit(Render.traceBlocks(verdict.trace))
    }
  }

  /// Steps 19-21: the assistance ledger in several states, and its report in every format.
  func ledger(_ registry: Registry) throws {
    step(
      "19. The assistance ledger: a survey imported, items moved through 整改中 / 待验收 / 已销号, one reopened",
      "ledger import …; ledger progress …; ledger close …; ledger reopen …")
    let report = try registry.importLedger(
      from: try writeSample("ledger.csv", Embedded.ledger), options: ImportOptions(effectiveOn: today, today: today))
    emit("imported \(report.inserted) item(s)\n")
    let day = { (text: String) in Day(text) ?? today }
    // 立行立改 item 1 closes directly with a note; tracked items go step by step.
    _ = try registry.ledgerEntry(1, on: day("2026-02-10"), to: .closed, note: "现场整改完毕，补齐运行记录")
    _ = try registry.ledgerEntry(2, on: day("2026-04-10"), to: .inProgress, note: "已制定整改方案")
    _ = try registry.ledgerEntry(2, on: day("2026-06-30"), to: .awaitingAcceptance, note: "排放口变更已报审")
    _ = try registry.ledgerEntry(2, on: day("2026-07-20"), to: .closed, note: "验收合格，予以销号")
    _ = try registry.ledgerEntry(3, on: day("2026-06-01"), to: .inProgress, note: "脱硝设施施工中")
    _ = try registry.ledgerEntry(4, on: day("2026-07-12"), to: .closed, note: "当场补齐危废标识")
    _ = try registry.ledgerEntry(5, on: day("2026-09-10"), to: .inProgress, note: "数采仪更换中")
    _ = try registry.ledgerEntry(5, on: day("2026-10-20"), to: .awaitingAcceptance, note: "数据传输已恢复，待验收")
    _ = try registry.ledgerEntry(1, on: day("2026-09-01"), to: nil, note: "复查发现运行记录再次缺失", reopen: true)
    do {
      _ = try registry.ledgerEntry(3, on: day("2026-10-01"), to: .closed, note: "")
    } catch {
      emit("refused as it should be: \(error)\n")
    }

    // The report files, written by the same writer as 'ledger report --format … --output …'.
    var filter = LedgerFilter(asOf: today)
    filter.activeFrom = day("2026-01-01")
    filter.activeTo = today
    var files: [Value] = []
    for format in [LedgerReport.Format.csv, .md, .html, .xlsx, .json] {
      let path = "\(dir)/台账.\(format.rawValue)"
      try LedgerReportWriter(
        format: format, english: false, asOf: today, from: day("2026-01-01"), to: today, region: "全部", output: path,
        quiet: true
      ).write(registry, filter)
      files.append(
        .record(
          Fields([
            ("file", .text(path)),
            ("bytes", .int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)),
          ])))
    }
    step("20. The ledger report (its first rows in Markdown)", "ledger report --from 2026-01-01 --format md")
    let markdown = try String(contentsOfFile: "\(dir)/台账.md", encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    emit(markdown.prefix(10).joined(separator: "\n") + "\n…\n")
    if let summary = markdown.firstIndex(where: { $0.hasPrefix("## ") }) {
      emit(markdown[summary...].joined(separator: "\n"))
    }
    step(
      "21. The same report in every format, as files to send up the chain",
      "ledger report --format csv|md|html|xlsx|json --output …")
    show(.list(files))
  }

  func importSummary(_ report: ImportReport) -> Fields {
    Fields([
      ("rows", .int(report.rows)), ("inserted", .int(report.inserted)), ("updated", .int(report.updated)),
      ("unchanged", .int(report.unchanged)), ("rejected", .int(report.rejected)), ("encoding", .text(report.encoding)),
    ])
  }
}
