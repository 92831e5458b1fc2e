import ArgumentParser
import Foundation
import RegistryCore
import RegistryService

extension AlertLevel: ExpressibleByArgument {
  public init?(argument: String) {
    switch argument {
    case "yellow", "黄", "黄色", "III", "Ⅲ": self = .yellow
    case "orange", "橙", "橙色", "II", "Ⅱ": self = .orange
    case "red", "红", "红色", "I", "Ⅰ": self = .red
    default: return nil
    }
  }
}

extension InspectionFinding: ExpressibleByArgument {}

/// `--period 2026Q4`.
func periodArgument(_ text: String) throws -> DrawPeriod {
  guard let period = DrawPeriod(text) else { throw ValidationError("--period \(text.quoted) \(DrawPeriod.refusal).") }
  return period
}

extension EnvReg {
  struct InspectorGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspector",
      abstract: Messages.say(
        "The inspectors' roster for the 双随机 draw (RD-4): add, list, disable, enable, declare a conflict.",
        zh: "“双随机”执法人员名录（RD-4）：添加、列出、停用、启用、申报回避。"),
      subcommands: [Add.self, List.self, Disable.self, Enable.self, Conflict.self])
  }

  struct InspectGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect",
      abstract: Messages.say(
        "The 双随机 inspection draw (RULES §9): draw, show, replay, record what was found.",
        zh: "“双随机”抽查（规则第9节）：抽取、查看、复核重放、记录检查结果。"),
      subcommands: [Draw.self, List.self, Show.self, Replay.self, Record.self])
  }

  struct WeatherGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "weather",
      abstract: Messages.say(
        "Heavy-pollution-weather reduction list (RULES §10): the plan, alerts, the firms with measures on a day.",
        zh: "重污染天气应急减排清单（规则第10节）：减排清单、预警、某日须采取措施的企业。"),
      subcommands: [Plan.self, AlertGroup.self, Today.self, Baseline.self])
  }
}

extension EnvReg.InspectorGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: Messages.say("Add an inspector to the roster.", zh: "向名录添加一名执法人员。"),
      discussion:
        "Example: envreg inspector add HB-0001 --name 张伟 --unit 武汉市生态环境局 --region 420100 --certificate 鄂执法0001")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Staff number (unique).") var staffNo: String
    @Option(help: "Name.") var name: String
    @Option(help: "Unit (执法单位).") var unit: String
    @Option(help: "GB/T 2260 code of the unit's division, e.g. 420100.") var region: String
    @Option(help: "Enforcement certificate number (执法证号).") var certificate: String

    func run() throws {
      let inspector = Inspector(staffNo: staffNo, name: name, unit: unit, regionCode: region, certificate: certificate)
      try global.openRegistry().addInspector(inspector, asOf: global.asOf)
      emit(Render.render(.record(Report.inspector(inspector)), as: global.format, language: global.language))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: Messages.say("The roster, with declared conflicts.", zh: "执法人员名录及申报的回避。"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?

    func run() throws {
      let inspectors = try global.openRegistry().inspectors(regionPrefix: try region.map(regionPrefix))
      emit(
        Render.render(
          .list(inspectors.map { .record(Report.inspector($0)) }), as: global.format, language: global.language))
    }
  }

  struct Disable: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "disable",
      abstract: Messages.say(
        "Disable an inspector: never drawn again; draws keep naming them.", zh: "停用执法人员：不再被抽取；已有抽取仍保留其姓名。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Staff number.") var staffNo: String

    func run() throws {
      try global.openRegistry().setInspector(staffNo, active: false)
      note("Inspector \(staffNo) disabled.", zh: "已停用执法人员 \(staffNo)。")
    }
  }

  struct Enable: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enable", abstract: Messages.say("Enable a disabled inspector.", zh: "启用已停用的执法人员。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Staff number.") var staffNo: String

    func run() throws {
      try global.openRegistry().setInspector(staffNo, active: true)
      note("Inspector \(staffNo) enabled.", zh: "已启用执法人员 \(staffNo)。")
    }
  }

  struct Conflict: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "conflict",
      abstract: Messages.say(
        "Declare an inspector's conflict with a firm: never drawn for it (RD-4).",
        zh: "申报执法人员与企业的利害关系：不会被抽中检查该企业（RD-4）。"),
      discussion: "Example: envreg inspector conflict HB-0001 91420102MA4K2NLX66 --reason 亲属在该企业任职")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Staff number.") var staffNo: String
    @Argument(help: "The firm's credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "Why (required).") var reason: String
    @Option(help: "Date declared (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      let registry = try global.openRegistry()
      let firm = try code.resolve(in: registry)
      try registry.declareConflict(staffNo, firm: firm, reason: reason, on: on ?? global.asOf)
      note("Conflict of \(staffNo) with \(firm.value) recorded.", zh: "已记录 \(staffNo) 与 \(firm.value) 的回避。")
    }
  }
}

extension EnvReg.InspectGroup {
  struct Draw: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "draw",
      abstract: Messages.say(
        "Draw the firms to inspect in a quarter and their inspectors (RD-1 … RD-4); stored for replay.",
        zh: "抽取本季度的检查对象并匹配执法人员（RD-1 至 RD-4）；存档以便复核。"),
      discussion: Messages.say(
        """
        The pool is the active firms of --region, less current members of the inspection-exemption list and
        firms already drawn or inspected in the period. Each stratum (key, simplified, general) is drawn at
        its ratio, firms with no penalty in 2 years at half of it; each pick gets two inspectors without a
        declared conflict. The generator and seed are in the README: anyone can replay the draw.
        """,
        zh: """
          抽取范围是 --region 内在册的企业，减去抽取日为监督执法正面清单成员的企业，以及本期已被抽取或已检查的企业。
          各类别（重点、简化、一般）按其比例抽取，两年内无行政处罚的企业按一半比例抽取；每家匹配两名未申报回避的执法人员。
          随机数生成方法和种子见 README：任何人都能重放本次抽取。
          """)
        + "\n" + "Example: envreg inspect draw --region 4201 --period 2026Q4 --seed 20261201")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Jurisdiction: a GB/T 2260 code or its leading 2 or 4 digits.") var region: String
    @Option(help: "Quarter, e.g. 2026Q4.", transform: periodArgument) var period: DrawPeriod
    @Option(help: "Seed of the generator (default: a random one, stored).") var seed: UInt64?

    func run() throws {
      let registry = try global.openRegistry()
      let outcome = try registry.drawInspections(
        jurisdiction: try regionPrefix(region), period: period, seed: seed ?? UInt64.random(in: 0...UInt64.max),
        drawnOn: global.asOf)
      try EnvReg.InspectGroup.show(outcome.draw, registry: registry, global: global)
      let left = outcome.excluded
      note(
        """
        Draw \(outcome.draw.id): \(outcome.draw.picks.count) of \(outcome.draw.snapshot.pool.count) firms in the pool \
        (left out: \(left[.exempt] ?? 0) inspection-exempt, \(left[.inspected] ?? 0) already drawn or inspected, \
        \(left[.inactive] ?? 0) inactive).
        """,
        zh: """
          抽取编号 \(outcome.draw.id)：从 \(outcome.draw.snapshot.pool.count) 家中抽取 \(outcome.draw.picks.count) 家\
          （未纳入：正面清单 \(left[.exempt] ?? 0) 家，本期已抽取或已检查 \(left[.inspected] ?? 0) 家，不在册 \(left[.inactive] ?? 0) 家）。
          """)
    }
  }

  /// A draw as people read it: its head, its quotas, its picks (JSON: one object with all three).
  static func show(_ draw: StoredDraw, registry: Registry, global: GlobalOptions) throws {
    var picks: [Value] = []
    for pick in draw.picks {
      let firm = try CreditCode(stored: pick.code).flatMap { try registry.storage.enterprise($0) }
      picks.append(
        .record(Report.drawPick(pick, firm: firm, roster: draw.snapshot.roster, result: draw.results[pick.code])))
    }
    let quotas = Value.list(draw.snapshot.quotas.filter { $0.pool > 0 }.map { .record(Report.drawQuota($0)) })
    switch global.format {
    case .json:
      var fields = Report.drawSummary(draw)
      fields.append("quotas", quotas)
      fields.append("picks", .list(picks))
      emit(Render.render(.record(fields), as: .json))
    case .csv: emit(Render.render(.list(picks), as: .csv))
    case .table:
      emit(Render.render(.record(Report.drawSummary(draw)), as: .table, language: global.language) + "\n")
      emit(Render.render(quotas, as: .table, language: global.language) + "\n")
      emit(Render.render(.list(picks), as: .table, language: global.language))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: Messages.say("The draws, newest first.", zh: "历次抽取，最新的在前。"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?

    func run() throws {
      let draws = try global.openRegistry().draws(regionPrefix: try region.map(regionPrefix))
      emit(
        Render.render(
          .list(draws.map { .record(Report.drawSummary($0)) }), as: global.format, language: global.language))
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "A draw: how it was drawn, whom it drew, what was found; --notice for the public notice (一公开).",
        zh: "一次抽取：抽取方法、抽中对象、检查结果；--notice 输出公示（一公开）。"),
      discussion: "Example: envreg inspect show 1 --notice --issuer 武汉市生态环境局 --output 抽查公示.html")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var notice: NoticeOptions
    @Argument(help: "Draw id.") var id: Int

    func run() throws {
      let registry = try global.openRegistry()
      let draw = try registry.draw(id)
      if notice.notice {
        try notice.write(try registry.drawNotice(draw, issuer: notice.issuer), registry)
      } else {
        try EnvReg.InspectGroup.show(draw, registry: registry, global: global)
      }
    }
  }

  struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "replay",
      abstract: Messages.say(
        "Recompute a draw from what was stored (RD-3); exit 3 if the picks or the pool snapshot differ.",
        zh: "按存档重新计算一次抽取（RD-3）；抽取结果或抽取范围快照不一致时退出码为 3。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Draw id.") var id: Int

    func run() throws {
      let replay = try global.openRegistry().replayDraw(id)
      let differences = replay.poolDifferences.map { d in
        Value.record(
          Fields([("credit_code", .text(d.code)), ("stored", .text(d.stored)), ("now", .text(d.now))]))
      }
      var fields = Report.drawSummary(replay.draw)
      fields.append("same_picks", .bool(replay.samePicks))
      fields.append("pool_differences", .list(differences))
      emit(Render.render(.record(fields), as: global.format, language: global.language))
      if replay.samePicks && differences.isEmpty {
        note(
          "Replayed: the same \(replay.recomputed.count) picks and inspectors; the pool snapshot matches the registry.",
          zh: "重放结果一致：同样的 \(replay.recomputed.count) 家抽查对象和执法人员；抽取范围快照与登记库一致。")
        return
      }
      if !replay.samePicks {
        note("The recomputed picks differ from the stored ones.", zh: "重新计算的抽取结果与存档不一致。")
      }
      if !differences.isEmpty {
        note(
          "The snapshot differs from the registry for \(differences.count) firm(s) (listed above).",
          zh: "抽取范围快照与登记库现有数据有 \(differences.count) 家不一致（见上表）。")
      }
      throw ExitCode(3)
    }
  }

  struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "record",
      abstract: Messages.say(
        "Record what the inspection of a drawn firm found; a violation may open a ledger item and an incident.",
        zh: "记录抽中企业的检查结果；发现违法问题的可同时建立台账事项和事件记录。"),
      discussion:
        """
        Example: envreg inspect record 1 91420102MA4K2NLX66 --found violation --note 废气收集设施未运行 \\
          --ledger-due 2027-01-31 --ledger-type 治污设施 --unit 武汉市生态环境局 --person 张伟
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Draw id.") var id: Int
    @Argument(help: "The firm's credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "none or violation.") var found: InspectionFinding
    @Option(name: .customLong("note"), help: "What was found.") var finding = ""
    @Option(help: "Inspection date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Open a ledger item due on this date (a violation only).", transform: dayArgument)
    var ledgerDue: Day?
    @Option(help: "The ledger item's problem type.") var ledgerType = "现场检查发现问题"
    @Option(help: "Responsible unit (责任单位).") var unit = ""
    @Option(help: "Responsible person (责任人).") var person = ""
    @Option(help: "Record an incident of this kind as well (a violation only).") var incident: IncidentKind?
    @Option(help: "Document number of the incident (文号).") var reference = ""

    func run() throws {
      let registry = try global.openRegistry()
      let firm = try code.resolve(in: registry)
      let day = on ?? global.asOf
      let ledger = ledgerDue.map { due in
        LedgerItem(
          id: 0, source: .inspection, problemType: ledgerType, description: finding.isEmpty ? "双随机检查发现问题" : finding,
          foundOn: day, itemClass: .tracked, measures: "", responsibleUnit: unit, responsiblePerson: person, dueOn: due)
      }
      let (result, line) = try registry.recordInspection(
        drawID: id, firm: firm, InspectionResult(foundOn: day, finding: found, note: finding), ledger: ledger,
        incident: incident.map { IncidentFact(kind: $0, occurredOn: day, reference: reference) })
      emit(
        Render.render(
          .record(Report.inspectionResult(drawID: id, result)), as: global.format, language: global.language))
      if let line {
        note("Ledger item \(line.item.id) opened.", zh: "已建立台账事项 \(line.item.id)。")
      }
    }
  }
}

extension EnvReg.WeatherGroup {
  /// The day a year's list is read on: --as-of within that year, else its first day.
  static func day(year: Int, asOf: Day) -> Day {
    asOf.year == year ? asOf : (Day(year: year, month: 1, day: 1) ?? asOf)
  }

  struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plan",
      abstract: Messages.say(
        "The reduction list of a region for a year: each firm's class, grade and measure at yellow, orange, red.",
        zh: "某地区某年度的应急减排清单：每家企业的类别、绩效分级及黄、橙、红各级预警下的措施。"),
      discussion: """
        Examples: envreg weather plan --region 4201 --year 2026 --trace
                  envreg weather plan --region 4201 --year 2026 --notice --issuer 武汉市生态环境局 --output 减排清单.xlsx
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String
    @Option(help: "Year of the list (read on --as-of within it, else on its first day).") var year: Int
    @Flag(help: "Each line with its trace (which rule, which parameter version).") var trace = false
    @OptionGroup var notice: NoticeOptions

    func run() throws {
      let registry = try global.openRegistry()
      let day = EnvReg.WeatherGroup.day(year: year, asOf: global.asOf)
      if notice.notice {
        return try notice.write(
          try registry.weatherPlanNotice(regionPrefix: try regionPrefix(region), on: day, issuer: notice.issuer),
          registry)
      }
      var writer = ListWriter(format: global.format, language: global.language)
      var counts: [String: Int] = [:]
      var lines: [(code: String, line: WeatherLine)] = []
      let prefix = try regionPrefix(region)
      try registry.weatherPlan(regionPrefix: prefix, on: day) { row in
        counts[row.line.weatherClass == .key ? (row.line.grade?.rawValue ?? "-") : "general", default: 0] += 1
        lines.append((row.firm.creditCode.value, row.line))
        emit(writer.write(Report.weatherPlanRow(row.firm, row.line, withTrace: trace)))
        if trace && global.format == .table { emit(Render.traceBlocks(row.line.trace, language: global.language)) }
      }
      emit(writer.finish())
      // HW-6, the region's check, under the table (JSON and CSV keep one row per firm).
      if global.format == .table {
        let check = try registry.weatherRegionCheck(regionPrefix: prefix, on: day, lines: lines)
        if check.isEmpty {
          note(
            "HW-6 not checked: no emission baselines recorded in \(prefix) ('envreg weather baseline').",
            zh: "未核算 HW-6：\(prefix) 没有记录任何企业排放量（'envreg weather baseline'）。")
        }
        emit(Render.traceBlocks(check, language: global.language))
      }
      let summary = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      note("List of \(year) as of \(day): \(summary).", zh: "\(year)年清单（\(day)）：\(summary)。")
    }
  }

  struct AlertGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "alert",
      abstract: Messages.say("Heavy-pollution-weather alerts (HW-1): add, list.", zh: "重污染天气预警（HW-1）：添加、列出。"),
      subcommands: [AlertAdd.self, Alerts.self])
  }

  struct AlertAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Record a heavy-pollution-weather alert (HW-1).", zh: "记录重污染天气预警（HW-1）。"),
      discussion: """
        Example: envreg weather alert add --region 4201 --level orange --from 2026-12-10 --to 2026-12-13 \
        --issuer 武汉市重污染天气应急指挥部 --reference 武重污应急〔2026〕5号
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix the alert covers.") var region: String
    @Option(help: "yellow, orange or red (黄, 橙, 红).") var level: AlertLevel
    @Option(help: "First day.", transform: dayArgument) var from: Day
    @Option(help: "Last day in force (omit while open).", transform: dayArgument) var to: Day?
    @Option(help: "Who issued it.") var issuer: String
    @Option(help: "Document number.") var reference: String

    func run() throws {
      let alert = try global.openRegistry().addWeatherAlert(
        WeatherAlert(
          region: try regionPrefix(region), level: level, from: from, to: to, issuer: issuer, reference: reference))
      emit(Render.render(.record(Report.weatherAlert(alert)), as: global.format, language: global.language))
    }
  }

  struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "baseline",
      abstract: Messages.say(
        "Record a firm's annual emissions of a pollutant, the weight of the region's check (HW-6).",
        zh: "记录企业某污染物的年排放量，作为地区减排核算的权重（HW-6）。"),
      discussion: """
        Example: envreg weather baseline 91420104MA7N15AM3G --pollutant SO2 --tonnes 125.5 --year 2025 \
        --reference 2025年排污许可执行报告
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The firm's credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "SO2, NOx, PM or VOCs.") var pollutant: String
    @Option(help: "Annual emissions in tonnes (at most three decimals).") var tonnes: String
    @Option(help: "Year of the emissions.") var year: Int
    @Option(help: "Source of the figure (e.g. the permit's annual execution report).") var reference: String

    func run() throws {
      guard let kind = WeatherPollutant(rawValue: pollutant) else {
        throw ValidationError("--pollutant \(pollutant.quoted) must be SO2, NOx, PM or VOCs.")
      }
      guard let kilograms = EnvReg.WeatherGroup.kilograms(tonnes) else {
        throw ValidationError("--tonnes \(tonnes.quoted) must be a number of tonnes with at most three decimals.")
      }
      guard (1900...9999).contains(year) else { throw ValidationError("--year \(year) must be between 1900 and 9999.") }
      let registry = try global.openRegistry()
      let firm = try code.resolve(in: registry)
      try registry.addEmissionBaseline(
        firm, EmissionBaseline(pollutant: kind, year: year, kilograms: kilograms, reference: reference))
      note(
        "Baseline of \(firm.value): \(kind.rawValue) \(tonnes) t in \(year).",
        zh: "已记录 \(firm.value) 的 \(year) 年 \(kind.rawValue) 排放量 \(tonnes) 吨。")
    }
  }

  /// Tonnes with at most three decimals as kilograms (no floating point; nil for anything else).
  static func kilograms(_ text: String) -> Int? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII) else {
      return nil
    }
    let fraction = parts.count == 2 ? String(parts[1]) : ""
    guard fraction.count <= 3, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1000)
    guard !overflow else { return nil }
    let thousandths = Int(fraction + String(repeating: "0", count: 3 - fraction.count)) ?? 0
    let (total, overflow2) = scaled.addingReportingOverflow(thousandths)
    return overflow2 ? nil : total
  }

  struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: Messages.say("The recorded alerts.", zh: "已记录的预警。"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?

    func run() throws {
      let alerts = try global.openRegistry().weatherAlerts(regionPrefix: try region.map(regionPrefix))
      emit(
        Render.render(
          .list(alerts.map { .record(Report.weatherAlert($0)) }), as: global.format, language: global.language))
    }
  }

  struct Today: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "today",
      abstract: Messages.say(
        "The firms with a measure in force on --as-of under the alert covering their site.",
        zh: "评估日处于预警范围内、须采取减排措施的企业。"),
      discussion: "Example: envreg weather today --region 4201 --as-of 2026-12-11")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String

    func run() throws {
      let rows = try global.openRegistry().weatherToday(regionPrefix: try regionPrefix(region), on: global.asOf)
      emit(
        Render.render(
          .list(
            rows.map { .record(Report.weatherTodayRow($0.firm, alert: $0.alert, measure: $0.measure, on: global.asOf)) }
          ),
          as: global.format, language: global.language))
      note("\(rows.count) firm(s) with a measure on \(global.asOf).", zh: "\(global.asOf) 须采取减排措施的企业 \(rows.count) 家。")
    }
  }
}
