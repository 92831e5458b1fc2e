import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

extension EnvReg {
  struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "demo",
      abstract: Messages.say(
        "Build a demo registry from the bundled samples and walk through the main jobs.", zh: "用内置样例建立演示登记库，并演示主要工作。"),
      discussion: """
        Writes the sample files and a fresh registry into --dir (default ./envreg-demo), then runs, and
        prints, what a new user would do first. Every step uses the same code as the commands shown.
        Example: envreg demo --as-of 2026-11-29
        """)

    @OptionGroup var global: GlobalOptions
    @Option(
      help:
        """
        Folder for the demo database and sample files (recreated when an earlier demo made it; any other existing \
        folder is refused).
        """
    ) var dir: String = "envreg-demo"

    func run() throws {
      var tour = DemoTour(dir: dir, asOf: global.asOf, actor: global.actor ?? "demo")
      try tour.run()
    }
  }
}

/// The steps of the demo, printed as a transcript.
struct DemoTour {
  let dir: String
  let asOf: Day
  let actor: String
  /// The demo registry, for the demo's own look-ups (which firm to show); opened after `init`.
  var registry: Registry? { try? Registry(storage: Store(path: database, actor: actor)) }

  init(dir: String, asOf: Day, actor: String) {
    self.dir = dir
    self.asOf = asOf
    self.actor = actor
  }

  func writeSample(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path = dir + "/samples/" + name
    let file = try OutputFile(path: path, force: false, protected: [])
    try file.write(bytes)
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
        + ["csv", "md", "html", "xlsx", "json"].map { "台账.\($0)" }
        + ["提醒公告.html", "提醒公告.xlsx", "正面清单名录.html", "催告书.html"])
    guard !entries.isEmpty, entries.allSatisfy(demoFiles.contains) else { return false }
    let samples = (try? fm.contentsOfDirectory(atPath: dir + "/samples")) ?? []
    return samples.allSatisfy { $0.hasSuffix(".csv") || $0.hasSuffix(".xlsx") }
  }

  mutating func run() throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: dir) {
      guard DemoTour.madeByDemo(dir) else {
        throw RegistryError.input(
          """
          \(dir.quoted) exists and was not made by 'envreg demo'; envreg deletes nothing it did not create. Choose \
          another --dir.
          """
        )
      }
      try fm.removeItem(atPath: dir)
    }
    try fm.createDirectory(
      atPath: dir + "/samples", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = fm.createFile(
      atPath: dir + "/" + DemoTour.marker, contents: Data("made by envreg demo\n".utf8),
      attributes: [.posixPermissions: 0o600])
    let samples: [(String, String)] = [
      ("enterprises.csv", Embedded.enterprises), ("enterprises-bad.csv", Embedded.enterprisesBad),
      ("designations.csv", Embedded.designations), ("incidents.csv", Embedded.incidents),
      ("permits.csv", Embedded.permits), ("fines.csv", Embedded.fines), ("retrofits.csv", Embedded.retrofits),
      ("measurements.csv", Embedded.measurements), ("ledger.csv", Embedded.ledger),
    ]
    for (name, text) in samples { _ = try writeSample(name, Array(text.utf8)) }
    _ = try writeSample("enterprises-hubei.xlsx", Embedded.enterprisesHubei)
    emit("envreg demo: a registry built from samples/ in \(dir)/, evaluated as of \(asOf).\n")
    emit("Every step below is the real command, run as shown (with --db \(database)).\n")
    try firms()
    try positiveLists()
    try permitsAndFines()
    try retrofitsAndLedger()
    step("22. Notices to publish and serve: the permit expiry reminder, the positive-list directory, demand notices")
    try command(
      "permit", "expiring", "--within", "120", "--notice", "--issuer", "湖北省生态环境厅", "--output", "\(dir)/提醒公告.html")
    try command(
      "permit", "expiring", "--within", "120", "--notice", "--issuer", "湖北省生态环境厅", "--output", "\(dir)/提醒公告.xlsx")
    try command("lists", "members", "--list", "inspection-exemption", "--notice", "--output", "\(dir)/正面清单名录.html")
    try command("fine", "overdue", "--notice", "--output", "\(dir)/催告书.html")
    step("23. Accounts for the served registry: one per role (passwords generated, printed once, kept as bcrypt)")
    try command("user", "add", "hubei-admin", "--role", "admin")
    try command("user", "add", "wuhan-officer", "--role", "officer", "--region", "4201")
    try command("user", "add", "hubei-viewer", "--role", "viewer", "--region", "42")
    try command("user", "list")
    step("24. The audit trail is a hash chain; verify it")
    try command("audit", "verify")
    emit(
      """

      Done. Explore further with: envreg --db \(database) <command> --help
      Serve it to the bureau's staff: envreg serve --db \(database)   (then open http://127.0.0.1:8080/ and sign
      in with an account above: wuhan-officer changes firms in Wuhan only, hubei-viewer reads Hubei).

      """)
  }

  var database: String { dir + "/demo.sqlite" }
  func sample(_ name: String) -> String { dir + "/samples/" + name }

  func step(_ title: String) { emit("\n== \(title) ==\n") }

  /// Runs one real command through the root command's parser, on the demo registry, as of the
  /// demo's date, printing it first. A negative answer (exit 3) is output like any other; an
  /// error is printed as the command would print it.
  func command(_ arguments: String...) throws { try command(arguments) }

  func command(_ arguments: [String]) throws {
    emit("$ envreg \(arguments.map { $0.contains(" ") ? $0.quoted : $0 }.joined(separator: " "))\n")
    var full = arguments + ["--db", database, "--actor", actor]
    if !arguments.contains("--as-of") { full += ["--as-of", asOf.description] }
    do {
      var parsed = try EnvReg.parseAsRoot(full)
      try parsed.run()
    } catch let code as ExitCode where code == negativeResult {
      // "Ran fine, the answer is negative": the output is the answer.
    } catch {
      emit("\(EnvReg.message(for: error).hasPrefix("Error") ? "" : "Error: ")\(EnvReg.message(for: error))\n")
    }
    standardOutput.flush()
  }

  /// Steps 1-8: the registry, imports, listings, a dated change, a profile.
  func firms() throws {
    step("1. Create a registry (schema.sql + GB/T 2260, GB/T 4754-2017, key-region sets)")
    try command("init")
    step("2. Import the bureau's spreadsheet (all or nothing, validated row by row)")
    try command("enterprise", "import", sample("enterprises.csv"))
    step("3. Import it again: idempotent, nothing changes")
    try command("enterprise", "import", sample("enterprises.csv"))
    step("4. A file with bad rows is refused whole; the registry is untouched")
    try command("enterprise", "import", sample("enterprises-bad.csv"))
    step(
      """
      4a. A workbook as a bureau saves it (LibreOffice): title rows, 序号, a blank row, 合计 and 填表人 rows, Excel \
      dates, places and industries by name
      """)
    try command("enterprise", "import", sample("enterprises-hubei.xlsx"))
    step("5. Key-region steel firms (京津冀及周边 as of the demo date)")
    try command("enterprise", "list", "--key-region", "jjj", "--industry", "31", "--limit", "5")
    step("6. Name search in Chinese, across provinces")
    try command("enterprise", "list", "--name", "化工", "--region", "42")
    step("7. A change of legal representative is a dated history row, not an overwrite")
    try command("enterprise", "update", DemoTour.fuzhou, "--legal-rep", "陈海峰", "--effective", "2026-10-08")
    try command("enterprise", "history", DemoTour.fuzhou)
    step("8. The firm's profile")
    try command("enterprise", "show", DemoTour.fuzhou)
  }

  static let fuzhou = "91350100M000100Y43"

  /// A sample firm's credit code by name (the demo's scaffolding; the commands do the work).
  func code(named name: String) throws -> String? {
    guard let registry else { return nil }
    var filter = EnterpriseFilter(asOf: asOf)
    filter.nameContains = name
    var found: String?
    try registry.forEachEnterprise(filter) { found = $0.creditCode.value }
    return found
  }

  /// Steps 9-13: facts, an eligible and an ineligible trace, admissions, the review sweep.
  func positiveLists() throws {
    step("9. Load the other registers: designations, incidents, permits, fines")
    try command("designation", "import", sample("designations.csv"))
    try command("incident", "import", sample("incidents.csv"))
    try command("permit", "import", sample("permits.csv"))
    try command("fine", "import", sample("fines.csv"))
    step("10. May this firm be exempted from on-site inspection? Every condition, fact, threshold and clause")
    try command("eligibility", DemoTour.fuzhou, "--list", "inspection-exemption")
    if let riverside = try code(named: "宜昌长江化工有限公司") {
      step("11. An ineligible firm: the conditions that fail and the exclusion that applies")
      try command("eligibility", riverside, "--list", "inspection-exemption")
    }
    step("12. Admit members (the trace is stored with each); list them with what membership means")
    try command("lists", "admit", DemoTour.fuzhou, "--list", "inspection-exemption")
    if let chip = try code(named: "苏州芯源微电子有限公司") {
      try command("lists", "admit", chip, "--list", "inspection-exemption", "--as-of", "2025-06-01")
    }
    try command("lists", "members", "--list", "inspection-exemption", "--consequences")
    step("13. Review sweep: members that no longer qualify (one pass over the registry)")
    try command("lists", "review", "--list", "inspection-exemption")
  }

  /// Steps 14-16: the expiry notice, an overdue fine with its surcharge trace, the calendar.
  func permitsAndFines() throws {
    step("14. Expiry notice: permits expiring in the next 30 days, most urgent first")
    try command("permit", "expiring", "--within", "30")
    step("15. An overdue fine: amounts kept apart, and the surcharge trace (which days counted and why)")
    try command("fine", "show", "宜环罚〔2026〕88号")
    step("16. One calendar of every deadline in the next 7 days")
    try command("due", "--within", "7")
  }

  /// Steps 17-21: retrofits, one project's check, the assistance ledger and its report.
  func retrofitsAndLedger() throws {
    step("17. Ultra-low-emission retrofits: projects and measurements, progress per key region and sector")
    try command("retrofit", "import", sample("retrofits.csv"))
    try command("retrofit", "import", sample("measurements.csv"), "--measurements")
    try command("retrofit", "progress")
    var tangshan: Int?
    try registry?.forEachRetrofit { found in
      if found.owner.value == "91130200699229617X" && found.retrofit.facility == "1号烧结机" {
        tangshan = found.retrofit.id
      }
    }
    if let tangshan {
      step("18. One project's check: limits at the reference O2 (with the conversion), mandate, deadline")
      try command("retrofit", "check", String(tangshan))
    }
    step("19. The assistance ledger: a survey imported, items moved through 整改中 / 待验收 / 已销号, one reopened")
    try command("ledger", "import", sample("ledger.csv"))
    // 立行立改 item 1 closes directly with a note; tracked items go step by step.
    try command("ledger", "close", "1", "--on", "2026-02-10", "--note", "现场整改完毕，补齐运行记录")
    try command("ledger", "progress", "2", "--on", "2026-04-10", "--to", "整改中", "--note", "已制定整改方案")
    try command("ledger", "progress", "2", "--on", "2026-06-30", "--to", "待验收", "--note", "排放口变更已报审")
    try command("ledger", "close", "2", "--on", "2026-07-20", "--note", "验收合格，予以销号")
    try command("ledger", "progress", "3", "--on", "2026-06-01", "--to", "整改中", "--note", "脱硝设施施工中")
    try command("ledger", "close", "4", "--on", "2026-07-12", "--note", "当场补齐危废标识")
    try command("ledger", "progress", "5", "--on", "2026-09-10", "--to", "整改中", "--note", "数采仪更换中")
    try command("ledger", "progress", "5", "--on", "2026-10-20", "--to", "待验收", "--note", "数据传输已恢复，待验收")
    try command("ledger", "reopen", "1", "--on", "2026-09-01", "--reason", "复查发现运行记录再次缺失")
    try command("ledger", "close", "3", "--on", "2026-10-01")
    step("20. The ledger report (Markdown)")
    try command("ledger", "report", "--from", "2026-01-01", "--format", "md")
    step("21. The same report in every format, as files to send up the chain")
    let signOff = [
      "--filing-unit", "湖北省生态环境厅执法局", "--preparer", "张敏", "--reviewer", "李强", "--phone", "027-87167000",
      "--filed-on", "2026-11-30",
    ]
    for format in ["csv", "md", "html", "xlsx", "json"] {
      try command(
        ["ledger", "report", "--from", "2026-01-01", "--format", format, "--output", "\(dir)/台账.\(format)"]
          + (["md", "html", "xlsx"].contains(format) ? signOff : []))
    }
  }
}
