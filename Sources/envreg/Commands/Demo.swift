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
      discussion: Messages.say(
        """
        Writes the sample files and a fresh registry into --dir (default ./envreg-demo), then runs, and
        prints, what a new user would do first. Every step uses the same code as the commands shown.
        """,
        zh: """
          把样例文件和一个新登记库写入 --dir（默认 ./envreg-demo），然后执行并打印新用户首先会做的事情。
          每一步使用的代码与所示命令相同。
          """)
        + "\n" + """
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
      tour.language = global.language
      // The commands the tour runs choose their tables' language from the locale.
      if tour.language == .zh { setenv("LC_ALL", "zh_CN.UTF-8", 1) }
      try tour.run()
    }
  }
}

/// The steps of the demo, printed as a transcript.
struct DemoTour {
  let dir: String
  let asOf: Day
  let actor: String
  /// The transcript's language (the commands it runs follow it through the locale).
  var language: Language = .en
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
      ("projects.csv", Embedded.projects), ("approval-events.csv", Embedded.approvalEvents),
    ]
    for (name, text) in samples { _ = try writeSample(name, Array(text.utf8)) }
    _ = try writeSample("enterprises-hubei.xlsx", Embedded.enterprisesHubei)
    emit(
      language == .zh
        ? "envreg demo：用 samples/ 在 \(dir)/ 中建立登记库，评估日期 \(asOf)。\n以下每一步都是实际运行的命令（均带 --db \(database)）。\n"
        : """
        envreg demo: a registry built from samples/ in \(dir)/, evaluated as of \(asOf).
        Every step below is the real command, run as shown (with --db \(database)).

        """)
    try firms()
    try positiveLists()
    try permitsAndFines()
    try retrofitsAndLedger()
    step(
      "22. Notices to publish and serve: the permit expiry reminder, the positive-list directory, demand notices",
      zh: "22. 公告和文书：排污许可证到期提醒公告、正面清单企业名录、催告书")
    try command(
      "permit", "expiring", "--within", "120", "--notice", "--issuer", "湖北省生态环境厅", "--output", "\(dir)/提醒公告.html")
    try command(
      "permit", "expiring", "--within", "120", "--notice", "--issuer", "湖北省生态环境厅", "--output", "\(dir)/提醒公告.xlsx")
    try command("lists", "members", "--list", "inspection-exemption", "--notice", "--output", "\(dir)/正面清单名录.html")
    try command("fine", "overdue", "--notice", "--output", "\(dir)/催告书.html")
    try enforcementPlanning()
    try approvalService()
    step(
      "23. Accounts for the served registry: one per role (passwords generated, printed once, kept as bcrypt)",
      zh: "23. 网页服务的账户：每种角色一个（密码自动生成，仅显示一次，以 bcrypt 保存）")
    try command("user", "add", "hubei-admin", "--role", "admin")
    try command("user", "add", "wuhan-officer", "--role", "officer", "--region", "4201")
    try command("user", "add", "hubei-viewer", "--role", "viewer", "--region", "42")
    try command("user", "list")
    step("24. The audit trail is a hash chain; verify it", zh: "24. 审计记录是一条哈希链；核验它")
    try command("audit", "verify")
    if language == .zh {
      return emit(
        """

        完成。更多用法：envreg --db \(database) <命令> --help
        为工作人员提供网页服务：envreg serve --db \(database)（然后打开 http://127.0.0.1:8080/，用上面的账户登录：\
        wuhan-officer 只能变更武汉的企业，hubei-viewer 可查阅湖北）。

        """)
    }
    emit(
      """

      Done. Explore further with: envreg --db \(database) <command> --help
      Serve it to the bureau's staff: envreg serve --db \(database)   (then open http://127.0.0.1:8080/ and sign
      in with an account above: wuhan-officer changes firms in Wuhan only, hubei-viewer reads Hubei).

      """)
  }

  /// Steps 22a-22b: the 双随机 draw for Wuhan (RD-1..RD-4) and its weather list (HW-*).
  func enforcementPlanning() throws {
    step(
      "22a. The 双随机 draw: a roster, a conflict, a draw for Wuhan in 2026Q4, its replay, a finding, the public notice",
      zh: "22a. “双随机”抽查：执法人员名录、回避申报、武汉2026年第四季度抽取、重放复核、检查结果、公示")
    for (staff, name) in [("HB-0001", "王强"), ("HB-0002", "刘洋"), ("HB-0003", "陈静")] {
      try command(
        "inspector", "add", staff, "--name", name, "--unit", "湖北省生态环境保护综合执法局", "--region", "420000",
        "--certificate", "鄂环执" + staff.suffix(4))
    }
    try command(
      "inspector", "add", "WH-0001", "--name", "张伟", "--unit", "武汉市生态环境局", "--region", "420100", "--certificate",
      "鄂环执1001")
    try command("inspector", "conflict", "HB-0001", "91420107MAWP6XM6X4", "--reason", "近亲属在该企业任职")
    try command("inspect", "draw", "--region", "4201", "--period", "2026Q4", "--seed", "20261201")
    try command("inspect", "replay", "1")
    if let draw = try? registry?.draw(1), let first = draw.picks.first {
      try command(
        "inspect", "record", "1", first.code, "--found", "violation", "--note", "废气收集设施未正常运行",
        "--ledger-due", asOf.adding(days: 60).description, "--unit", "湖北省生态环境保护综合执法局", "--person", "王强")
    }
    try command("inspect", "show", "1", "--notice", "--issuer", "武汉市生态环境局", "--output", "\(dir)/抽查公示.html")
    step(
      "22b. The heavy-pollution-weather list for Wuhan, an orange alert, and the firms with measures on a day under it",
      zh: "22b. 武汉重污染天气应急减排清单、橙色预警、预警期间某日须采取措施的企业")
    try command("weather", "plan", "--region", "4201", "--year", String(asOf.year))
    try command(
      "weather", "plan", "--region", "4201", "--year", String(asOf.year), "--notice", "--issuer", "武汉市生态环境局",
      "--output", "\(dir)/减排清单.xlsx")
    try command(
      "weather", "alert", "add", "--region", "4201", "--level", "orange", "--from", asOf.adding(days: 10).description,
      "--to",
      asOf.adding(days: 13).description, "--issuer", "武汉市重污染天气应急指挥部", "--reference", "武重污应急〔2026〕5号")
    try command("weather", "today", "--region", "4201", "--as-of", asOf.adding(days: 11).description)
  }

  /// Step 22c: the EIA approval service (RULES §11): a dozen projects on the three ledgers in every
  /// stage, the province's promised limits, one overdue approval, one 告知承诺 approval with its check.
  func approvalService() throws {
    step(
      "22c. EIA approval service: projects on the three ledgers, their clocks, an overdue approval, a 告知承诺 check",
      zh: "22c. 环评审批服务：“三本台账”上的项目、审批时限、超期审批、告知承诺制事后核查")
    for (key, value, what) in [
      ("ea.promised_working_days.report", "15", "绿色通道报告书承诺时限"), ("ea.promised_working_days.form", "10", "绿色通道报告表承诺时限"),
      ("ea.commitment.industries", "13 14 15", "告知承诺制试点行业"), ("ea.commitment.decision_working_days", "5", "告知承诺制办结时限"),
      ("ea.commitment.check_days", "30", "告知承诺制事后核查期限"),
    ] {
      try command(
        "policy", "set", key, value, "--jurisdiction", "42", "--from", "2026-01-01", "--reference", "演示值：湖北省\(what)")
    }
    try command("project", "import", sample("projects.csv"))
    try command("project", "import-events", sample("approval-events.csv"))
    try command("project", "ledger", "--ledger", "national", "--region", "42")
    try command("project", "show", "HB-2026-002", "--trace")
    try command("project", "list", "--overdue")
    try command(
      "project", "ledger", "--ledger", "national", "--region", "42", "--notice", "--issuer", "湖北省生态环境厅", "--output",
      "\(dir)/国家重大项目台账.xlsx")
    try command("due", "--within", "14", "--region", "4201")
  }

  var database: String { dir + "/demo.sqlite" }
  func sample(_ name: String) -> String { dir + "/samples/" + name }

  func step(_ title: String, zh: String) { emit("\n== \(language == .zh ? zh : title) ==\n") }

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
      if language == .zh, let error = error as? RegistryError {
        emit("错误：\(error.description(in: .zh))\n")
      } else {
        emit("\(EnvReg.message(for: error).hasPrefix("Error") ? "" : "Error: ")\(EnvReg.message(for: error))\n")
      }
    }
    standardOutput.flush()
  }

  /// Steps 1-8: the registry, imports, listings, a dated change, a profile.
  func firms() throws {
    step(
      "1. Create a registry (schema.sql + GB/T 2260, GB/T 4754-2017, key-region sets)",
      zh: "1. 新建登记库（schema.sql + GB/T 2260、GB/T 4754-2017、重点区域）")
    try command("init")
    step(
      "2. Import the bureau's spreadsheet (all or nothing, validated row by row)", zh: "2. 导入本局的企业表（逐行校验，全部成功或全部不导入）")
    try command("enterprise", "import", sample("enterprises.csv"))
    step("3. Import it again: idempotent, nothing changes", zh: "3. 再次导入：结果不变")
    try command("enterprise", "import", sample("enterprises.csv"))
    step("4. A file with bad rows is refused whole; the registry is untouched", zh: "4. 含错误行的文件整体拒绝导入，登记库不受影响")
    try command("enterprise", "import", sample("enterprises-bad.csv"))
    step(
      """
      4a. A workbook as a bureau saves it (LibreOffice): title rows, 序号, a blank row, 合计 and 填表人 rows, Excel \
      dates, places and industries by name
      """, zh: "4a. 按各局实际保存方式制作的 Excel 工作簿（LibreOffice）：标题行、序号、空行、合计和填表人行、Excel 日期、按名称填写的地区和行业")
    try command("enterprise", "import", sample("enterprises-hubei.xlsx"))
    step("5. Key-region steel firms (京津冀及周边 as of the demo date)", zh: "5. 重点区域钢铁企业（演示日期的京津冀及周边）")
    try command("enterprise", "list", "--key-region", "jjj", "--industry", "31", "--limit", "5")
    step("6. Name search in Chinese, across provinces", zh: "6. 按中文名称跨省查询")
    try command("enterprise", "list", "--name", "化工", "--region", "42")
    step(
      "7. A change of legal representative is a dated history row, not an overwrite", zh: "7. 法定代表人变更留存为带日期的历史记录，不覆盖")
    try command("enterprise", "update", DemoTour.fuzhou, "--legal-rep", "陈海峰", "--effective", "2026-10-08")
    try command("enterprise", "history", DemoTour.fuzhou)
    step("8. The firm's profile", zh: "8. 企业档案")
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
    step("9. Load the other registers: designations, incidents, permits, fines", zh: "9. 导入其他登记：认定、事件、排污许可证、罚款")
    try command("designation", "import", sample("designations.csv"))
    try command("incident", "import", sample("incidents.csv"))
    try command("permit", "import", sample("permits.csv"))
    try command("fine", "import", sample("fines.csv"))
    step(
      "10. May this firm be exempted from on-site inspection? Every condition, fact, threshold and clause",
      zh: "10. 该企业能否免除现场执法检查？逐条列出条件、事实、标准和依据")
    try command("eligibility", DemoTour.fuzhou, "--list", "inspection-exemption")
    if let riverside = try code(named: "宜昌长江化工有限公司") {
      step(
        "11. An ineligible firm: the conditions that fail and the exclusion that applies",
        zh: "11. 不符合的企业：未通过的条件和适用的排除情形")
      try command("eligibility", riverside, "--list", "inspection-exemption")
    }
    step(
      "12. Admit members (the trace is stored with each); list them with what membership means",
      zh: "12. 纳入名录（留存判定依据），列出名录及纳入后果")
    try command("lists", "admit", DemoTour.fuzhou, "--list", "inspection-exemption")
    if let chip = try code(named: "苏州芯源微电子有限公司") {
      try command("lists", "admit", chip, "--list", "inspection-exemption", "--as-of", "2025-06-01")
    }
    try command("lists", "members", "--list", "inspection-exemption", "--consequences")
    step("13. Review sweep: members that no longer qualify (one pass over the registry)", zh: "13. 全库复核：不再符合条件的名录企业")
    try command("lists", "review", "--list", "inspection-exemption")
  }

  /// Steps 14-16: the expiry notice, an overdue fine with its surcharge trace, the calendar.
  func permitsAndFines() throws {
    step("14. Expiry notice: permits expiring in the next 30 days, most urgent first", zh: "14. 到期提醒：30日内到期的许可证，最紧急的在前")
    try command("permit", "expiring", "--within", "30")
    step(
      "15. An overdue fine: amounts kept apart, and the surcharge trace (which days counted and why)",
      zh: "15. 逾期罚款：各项金额分列，加处罚款明细（哪些天计入及原因）")
    try command("fine", "show", "宜环罚〔2026〕88号")
    step("16. One calendar of every deadline in the next 7 days", zh: "16. 7日内全部期限的日历")
    try command("due", "--within", "7")
  }

  /// Steps 17-21: retrofits, one project's check, the assistance ledger and its report.
  func retrofitsAndLedger() throws {
    step(
      "17. Ultra-low-emission retrofits: projects and measurements, progress per key region and sector",
      zh: "17. 超低排放改造：项目和监测，按重点区域和行业的进度")
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
      step(
        "18. One project's check: limits at the reference O2 (with the conversion), mandate, deadline",
        zh: "18. 单个项目核查：基准含氧量下的限值（含折算）、强制要求、期限")
      try command("retrofit", "check", String(tangshan))
    }
    step(
      "19. The assistance ledger: a survey imported, items moved through 整改中 / 待验收 / 已销号, one reopened",
      zh: "19. 问题台账：导入调查结果，问题推进至整改中 / 待验收 / 已销号，一项重启")
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
    step("20. The ledger report (Markdown)", zh: "20. 台账报表（Markdown）")
    try command("ledger", "report", "--from", "2026-01-01", "--format", "md")
    step("21. The same report in every format, as files to send up the chain", zh: "21. 同一报表的各种格式，作为上报文件")
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
