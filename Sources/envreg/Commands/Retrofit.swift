import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct RetrofitGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "retrofit",
      abstract: Messages.say(
        "Ultra-low-emission retrofits: projects, stages, measurements, limits, deadlines, progress (RULES §7).",
        zh: "超低排放改造：项目、阶段、监测、限值、期限、进度（规则第7节）。"),
      subcommands: [Add.self, Show.self, List.self, Advance.self, Measure.self, Check.self, Progress.self, Import.self])
  }
}

extension EnvReg.RetrofitGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Register a retrofit project for one facility of a firm.", zh: "为企业的一套设施登记改造项目。"),
      discussion: Messages.say(
        """
        Source types: \(SourceType.allowedValues).
        """,
        zh: """
          排放源类型：\(SourceType.allowedValues)。
          """)
        + "\n" + """
          Example: envreg retrofit add 91130200699229617X --facility 1号烧结机 --source steel-sintering \
          --capacity 4000000 --unit t/a --start 2019-06-01 --completion 2020-10-31
          """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The firm's credit code.", transform: creditCodeArgument) var owner: CreditCodeArgument
    @Option(help: "Facility name (unique per firm).") var facility: String
    @Option(help: "Source type.") var source: SourceType
    @Option(help: "Capacity (t/h for boilers, t/a for steel and cement, or MW).") var capacity: Double
    @Option(help: "t/h, t/a or MW.") var unit: String
    @Option(help: "Planned start.", transform: dayArgument) var start: Day
    @Option(help: "Planned completion.", transform: dayArgument) var completion: Day
    @Flag(help: "A newly installed gas boiler (stricter Beijing limit).") var new = false
    @Option(help: "Assessing body.") var assessor: String = ""

    func run() throws {
      let registry = try global.openRegistry()
      let retrofit = Retrofit(
        id: 0, facility: facility, sourceType: source, capacity: capacity, capacityUnit: unit,
        newInstallation: new, plannedStart: start, plannedCompletion: completion, assessingBody: assessor)
      try showRetrofit(
        try registry.addRetrofit(retrofit, owner: try owner.resolve(in: registry)), registry, global)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "A retrofit: facts, stages, measurements, and its check on --as-of.", zh: "改造项目：基本信息、阶段、监测数据及评估日的核查结论。"),
      discussion: "Example: envreg retrofit show 3")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Retrofit id.") var id: Int

    func run() throws {
      let registry = try global.openRegistry()
      try showRetrofit(try registry.retrofit(id), registry, global)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say("Retrofits with stage and verdict on --as-of.", zh: "改造项目及其在评估日的阶段和结论。"),
      discussion: "Example: envreg retrofit list --region 13 --overdue")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Only this firm.", transform: creditCodeArgument) var owner: CreditCodeArgument?
    @Flag(help: "Only mandated projects past their deadline and not verified.") var overdue = false

    func run() throws {
      let registry = try global.openRegistry()
      var writer = ListWriter(format: global.format, language: global.language)
      try registry.forEachRetrofitVerdict(
        regionPrefix: try region.map(regionPrefix), owner: try owner.map { try $0.resolve(in: registry) },
        asOf: global.asOf
      ) { found, verdict in
        guard !overdue || verdict.overdue else { return }
        emit(
          writer.write(
            Report.retrofitRow(
              found.retrofit, owner: found.owner.value, name: found.ownerName, region: found.regionCode,
              verdict: verdict, asOf: global.asOf)))
      }
      emit(writer.finish())
    }
  }

  struct Advance: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "advance",
      abstract: Messages.say(
        "Move a retrofit to its next stage (no skipping; a month of stable operation before assessment).",
        zh: "将改造项目推进到下一阶段（不得跳过；评估前须稳定运行一个月）。"),
      discussion:
        "Stages: \(RetrofitStage.allCases.map(\.rawValue).joined(separator: " -> ")).\n"
        + "Example: envreg retrofit advance 3 --to stable-operation --on 2020-11-15"
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Retrofit id.") var id: Int
    @Option(help: "The next stage.") var to: RetrofitStage
    @Option(help: "Date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Note.") var note: String = ""

    func run() throws {
      let registry = try global.openRegistry()
      try showRetrofit(
        try registry.advanceRetrofit(id, to: to, on: on ?? global.asOf, note: note), registry, global)
    }
  }

  struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "measure",
      abstract: Messages.say(
        """
        Record a measurement (mg/m³ at the O2 it was measured at; converted to the limit's reference O2 when \
        checked).
        """, zh: "记录一次监测（按实测含氧量的 mg/m³；核查时折算到限值的基准含氧量）。"),
      discussion:
        "Example: envreg retrofit measure 3 --pollutant NOx --mg 42.5 --o2 15.2 --on 2020-12-10 --by 河北省环境监测中心")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Retrofit id.") var id: Int
    @Option(help: "Pollutant.") var pollutant: Pollutant
    @Option(help: "Concentration in mg/m³.") var mg: Double
    @Option(help: "Measured O2 in %.") var o2: Double
    @Option(help: "Measurement date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Measuring body.") var by: String

    func run() throws {
      let registry = try global.openRegistry()
      let measurement = Measurement(
        pollutant: pollutant, concentration: mg, oxygen: o2, measuredOn: on ?? global.asOf, measuredBy: by)
      try showRetrofit(try registry.addMeasurement(id, measurement), registry, global)
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: Messages.say(
        "The verdict with its trace: limits met, mandated, deadline, overdue. Exit 3 if limits fail or it is overdue.",
        zh: "核查结论及依据：是否达限值、是否强制、期限、是否逾期。不达标或逾期时退出码为3。"),
      discussion: "Example: envreg retrofit check 3 --as-of 2021-01-01")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Retrofit id.") var id: Int

    func run() throws {
      let registry = try global.openRegistry()
      let (found, verdict) = try registry.retrofitCheck(id, asOf: global.asOf)
      var fields = Report.retrofitRow(
        found.retrofit, owner: found.owner.value, name: found.ownerName, region: found.regionCode, verdict: verdict,
        asOf: global.asOf)
      if global.format == .table {
        emit(
          Render.render(.record(fields), as: .table, language: global.language)
            + Render.traceBlocks(verdict.trace, language: global.language))
      } else {
        fields.append("trace", .list(verdict.trace.map { .record($0.fields) }))
        emit(Render.render(.record(fields), as: global.format, language: global.language))
      }
      if verdict.meetsLimits == .fail || verdict.overdue { throw negativeResult }
    }
  }

  struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "progress",
      abstract: Messages.say(
        """
        Progress by region and sector; verified steel capacity per key region against the 60% (2020) and 100% \
        (2025) targets; overdue mandated projects.
        """, zh: "按地区和行业的改造进度；各重点区域已验收钢铁产能对照60%（2020年）和100%（2025年）目标；逾期的强制改造项目。"),
      discussion: "Example: envreg retrofit progress --as-of 2026-11-29 --format json")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Only one sector: steel, boiler, cement or ceramics.") var sector: String?

    func run() throws {
      let registry = try global.openRegistry()
      let progress = try registry.retrofitProgress(
        regionPrefix: try region.map(regionPrefix), sector: sector, asOf: global.asOf)
      emit(Render.render(.record(progress), as: global.format, language: global.language))
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        "Import retrofits (with the stage dates reached), or with --measurements, measurements.",
        zh: "导入改造项目（含已到达阶段的日期），或用 --measurements 导入监测数据。"),
      discussion: Messages.say(
        """
        Retrofits: credit_code, facility, source_type, capacity, capacity_unit, planned_start, planned_completion
        [, new_installation, assessing_body, under_construction_on, completed_on, stable_operation_on, assessed_on, \
        verified_on].
        Measurements: credit_code, facility, pollutant, concentration, o2_percent, measured_on, measured_by.
        """,
        zh: """
          改造项目：credit_code、facility、source_type、capacity、capacity_unit、planned_start、planned_completion
          [、new_installation、assessing_body、under_construction_on、completed_on、stable_operation_on、
          assessed_on、verified_on]。
          监测数据：credit_code、facility、pollutant、concentration、o2_percent、measured_on、measured_by。
          """)
        + "\n" + """
          Examples: envreg retrofit import samples/retrofits.csv
                    envreg retrofit import samples/measurements.csv --measurements
          """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup
    @Flag(help: "The file holds measurements.") var measurements = false

    func run() throws {
      try source.run(global, measurements ? .measurements : .retrofits)
    }
  }
}

private func showRetrofit(_ found: FirmRetrofit, _ registry: Registry, _ global: GlobalOptions) throws {
  let verdict = try registry.verdict(found, asOf: global.asOf)
  var fields = Report.retrofitRow(
    found.retrofit, owner: found.owner.value, name: found.ownerName, region: found.regionCode, verdict: verdict,
    asOf: global.asOf)
  fields.append("planned_start", .day(found.retrofit.plannedStart))
  fields.append("planned_completion", .day(found.retrofit.plannedCompletion))
  fields.append(
    "stages",
    .list(
      found.retrofit.stages.map {
        .record(Fields([("stage", .text($0.stage.rawValue)), ("on", .day($0.on)), ("note", .text($0.note))]))
      }))
  fields.append(
    "measurements",
    .list(
      found.retrofit.measurements.map { m in
        .record(
          Fields([
            ("pollutant", .text(m.pollutant.rawValue)), ("mg_m3", .decimal(m.concentration, places: 2)),
            ("o2_percent", .decimal(m.oxygen, places: 1)), ("measured_on", .day(m.measuredOn)),
            ("measured_by", .text(m.measuredBy)),
          ]))
      }))
  fields.append("trace", .list(verdict.trace.map { .record($0.fields) }))
  emit(Render.render(.record(fields), as: global.format, language: global.language))
}
