import ArgumentParser
import RegistryCore
import RegistryService

extension MajorLedger: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension ApprovalEventKind: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}

extension EnvReg {
  struct ProjectGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "project",
      abstract: Messages.say(
        "EIA approval service (RULES §11): projects, the three major-project ledgers, the approval clock.",
        zh: "环评审批服务（规则第11节）：建设项目、重大项目“三本台账”、审批时限。"),
      subcommands: [
        Add.self, Update.self, Show.self, Eligibility.self, List.self, History.self, Enter.self, Leave.self, Event.self,
        Ledger.self, Import.self, ImportEvents.self,
      ])
  }
}

/// The facts `project add`, `update` and `import` take (EA-1).
struct ProjectFactOptions: ParsableArguments {
  @Option(help: "项目名称.") var name: String?
  @Option(help: "The builder's credit code (建设单位; need not be registered).") var builder: String?
  @Option(help: "The builder's name (default: its registered name).") var builderName: String?
  @Option(help: "The site's division: a 6-digit GB/T 2260 code or its name (武汉市江岸区).") var region: String?
  @Option(help: "GB/T 4754 industry class (2614, C2614) or its name.") var industry: String?
  @Option(help: "总投资 in 万元, e.g. 125000 or 3.5.") var investment: String?
  @Option(
    name: .customLong("item"),
    help:
      "A directory item EDITION:ITEM:TYPE (repeat for several; the highest type applies, EA-1), e.g. 2021:30:report.")
  var items: [String] = []
  @Option(help: "In an environmentally sensitive area (EIA-X1): yes, no or unknown.") var sensitive: String?
  @Option(help: "Designated urgently needed for epidemic prevention (EIA-C1): yes, no or unknown.") var urgent: String?
  @Option(help: vocabularyHelp("Production process (EIA-C4, EIA-X1)", ProductionProcess.self)) var process: String?
  @Option(help: vocabularyHelp("Approval route (EA-7)", ApprovalRoute.self)) var route: String?
  @Option(help: "Contact (联系人及电话).") var contact: String?
  @Option(help: "The version's effective date (default: --as-of).") var effective: String?

  func input(number: String?) -> ProjectInput {
    var input = ProjectInput()
    input.number = number
    input.name = name
    input.builderCode = builder
    input.builderName = builderName
    input.region = region
    input.industry = industry
    input.investment = investment
    input.items = items.isEmpty ? nil : items
    input.sensitive = sensitive
    input.urgent = urgent
    input.process = process
    input.route = route
    input.contact = contact
    input.effective = effective
    return input
  }
}

extension EnvReg.ProjectGroup {
  /// A project as `show` prints it: the record, then (for a table) its trace.
  static func emitProject(_ view: ProjectView, global: GlobalOptions, trace: Bool) {
    let fields = Report.projectDetail(
      view.project, view.status, versions: view.versions, builderRegistered: view.builder != nil,
      registrations: view.registrations.map(\.number.value))
    if global.format == .table {
      var shown = fields
      shown.fields.removeAll { $0.key == "trace" }
      emit(Render.render(.record(shown), as: .table, language: global.language))
      if trace { emit(Render.traceBlocks(view.status.trace, language: global.language)) }
    } else {
      emit(Render.render(.record(fields), as: global.format, language: global.language))
    }
  }

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: Messages.say("Register a construction project (EA-1).", zh: "登记建设项目（EA-1）。"),
      discussion: """
        Example: envreg project add HB-2026-001 --name 年产120万吨水泥熟料技改项目 --builder 91420102MA4KX0A83G \\
                   --region 武汉市江岸区 --industry 3011 --investment 125000 --item 2021:30:report --sensitive no
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number (项目编号, unique).") var number: String
    @OptionGroup var facts: ProjectFactOptions

    func run() throws {
      let view = try global.openRegistry().addProject(facts.input(number: number), asOf: global.asOf)
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: false)
    }
  }

  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "update",
      abstract: Messages.say(
        "Change a project's facts from a date: a new version, the old ones kept.", zh: "自某日起变更项目信息：新增一个版本，旧版本保留。"),
      discussion: "Example: envreg project update HB-2026-001 --investment 131000 --effective 2026-11-20")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String
    @OptionGroup var facts: ProjectFactOptions

    func run() throws {
      let view = try global.openRegistry().updateProject(number, facts.input(number: nil), asOf: global.asOf)
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: false)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "A project as of a date: ledgers, stage, both clocks, the green channel, with --trace every rule.",
        zh: "某日的项目：所在台账、所处阶段、法定与承诺时限、绿色通道；加 --trace 列出每条规则。"),
      discussion: "Example: envreg project show HB-2026-001 --trace --as-of 2026-11-30")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String
    @Flag(help: "Each rule with its fact, threshold and clause (EA-*, EIA-*).") var trace = false

    func run() throws {
      let view = try global.openRegistry().project(number, asOf: global.asOf)
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: trace)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say("Projects as of a date, with their clocks.", zh: "某日的建设项目及其审批时限。"),
      discussion: "Example: envreg project list --region 42 --overdue")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Only projects on this ledger that day: national, local or foreign.") var ledger: MajorLedger?
    @Flag(help: "Only projects overdue (EA-8).") var overdue = false

    func run() throws {
      let book = try global.openRegistry().projects(
        regionPrefix: try region.map(regionPrefix), ledger: ledger, asOf: global.asOf)
      let rows = book.rows.filter { !overdue || $0.status.isOverdue == true }
      emit(
        Render.render(
          .list(rows.map { .record(Report.projectRow($0.project, $0.status)) }), as: global.format,
          language: global.language))
    }
  }

  struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "history", abstract: Messages.say("Every version of a project.", zh: "项目的全部版本。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String

    func run() throws {
      let versions = try global.openRegistry().projectHistory(number)
      emit(
        Render.render(
          .list(versions.map { .record(Report.projectVersion($0)) }), as: global.format, language: global.language))
    }
  }

  struct Enter: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enter",
      abstract: Messages.say(
        "Enter a project on a major-project ledger from a date (EA-2).", zh: "自某日起将项目列入重大项目台账（EA-2）。"),
      discussion:
        "Example: envreg project enter HB-2026-001 --ledger national --reference 发改投资〔2026〕12号 --from 2026-03-01")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String
    @Option(help: "national, local or foreign (国家层面、地方、利用外资重大项目).") var ledger: MajorLedger
    @Option(help: "The list or document that names the project.") var reference: String
    @Option(help: "First day on the ledger (default: --as-of).", transform: dayArgument) var from: Day?
    @Option(help: "Last day on the ledger, when already known.", transform: dayArgument) var to: Day?

    func run() throws {
      let listing = ProjectListing(ledger: ledger, reference: reference, from: from ?? global.asOf, to: to)
      let view = try global.openRegistry().listProject(number, listing, asOf: global.asOf)
      note(
        "\(number) is on the \(ledger.rawValue) ledger from \(listing.from).",
        zh: "\(number) 自 \(listing.from) 起列入\(ledger.label)台账。")
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: false)
    }
  }

  struct Leave: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "leave",
      abstract: Messages.say(
        "End a project's entry on a ledger (its last day listed).", zh: "结束项目在某台账的列入（最后列入日）。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String
    @Option(help: "national, local or foreign.") var ledger: MajorLedger
    @Option(help: "Last day on the ledger (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      let view = try global.openRegistry().unlistProject(
        number, ledger: ledger, on: on ?? global.asOf, asOf: global.asOf)
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: false)
    }
  }

  struct Event: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "event",
      abstract: Messages.say(
        "Record an approval event (EA-3..EA-7): received, 补正, review intervals, decision, check.",
        zh: "记录审批事项（EA-3至EA-7）：收件、补正、评估评审听证、批复、事后核查。"),
      discussion: """
        Examples: envreg project event HB-2026-001 received --on 2026-10-09
                  envreg project event HB-2026-001 technical-review --on 2026-10-12 --to 2026-10-23
                  envreg project event HB-2026-001 approved --on 2026-11-20 --reference 鄂环审〔2026〕88号
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String
    @Argument(help: ArgumentHelp("What happened: \(ApprovalEventKind.allowedValues).")) var kind: ApprovalEventKind
    @Option(help: "The day (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Last day of an interval (技术评估, 专家评审, 听证, 公示); omit while open.", transform: dayArgument)
    var to: Day?
    @Option(help: "Document number.") var reference = ""
    @Option(help: "Note (a revocation's reason).") var note = ""

    func run() throws {
      let event = ApprovalEvent(kind: kind, on: on ?? global.asOf, to: to, reference: reference, note: note)
      let view = try global.openRegistry().recordApprovalEvent(number, event, asOf: global.asOf)
      EnvReg.ProjectGroup.emitProject(view, global: global, trace: false)
    }
  }

  struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ledger",
      abstract: Messages.say(
        "One of the three ledgers as a bureau keeps it, with its summary; --notice writes the document.",
        zh: "按台账格式输出“三本台账”之一及汇总；加 --notice 写出文书（HTML、XLSX 或 CSV）。"),
      discussion: """
        Examples: envreg project ledger --ledger national --region 42
                  envreg project ledger --ledger national --region 42 --notice --output 国家重大项目台账.xlsx
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "national, local or foreign.") var ledger: MajorLedger
    @Option(help: "Region code or prefix.") var region: String?
    @OptionGroup var notice: NoticeOptions

    func run() throws {
      let registry = try global.openRegistry()
      let prefix = try region.map(regionPrefix)
      if notice.notice {
        return try notice.write(
          try registry.projectLedgerNotice(
            ledger: ledger, regionPrefix: prefix, asOf: global.asOf, issuer: notice.issuer),
          registry)
      }
      let book = try registry.projects(regionPrefix: prefix, ledger: ledger, asOf: global.asOf)
      emit(
        Render.render(
          .list(book.rows.map { .record(Report.projectRow($0.project, $0.status)) }), as: global.format,
          language: global.language))
      let summary = Report.projectLedgerSummary(
        projects: book.rows.count, approved: book.approved.count, inTime: book.approvedInTime, overdue: book.overdue,
        average: book.averageDays)
      if global.format == .table { emit(Render.render(.record(summary), as: .table, language: global.language)) }
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        """
        Import projects: project_no, name, builder, region, industry [, builder_name, investment, items, sensitive, \
        urgent, process, route, contact, effective, ledger, ledger_reference, ledger_from].
        """,
        zh: """
          导入建设项目：项目编号、项目名称、建设单位统一社会信用代码、所在地、行业[、建设单位、总投资（万元）、名录条目、环境敏感区、疫情防控急需、\
          生产工艺、审批方式、联系人、登记日期、所在台账、列入依据、列入日期]。
          """),
      discussion: "Example: envreg project import samples/projects.csv")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .projects)
    }
  }

  struct ImportEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import-events",
      abstract: Messages.say(
        "Import approval events: project_no, event, on [, to, reference, note], each checked as 'project event' is.",
        zh: "导入审批事项：项目编号、事项、日期[、截止日期、文号、备注]，逐条按 'project event' 的规则检查。"),
      discussion: "Example: envreg project import-events samples/approval-events.csv")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .approvalEvents)
    }
  }

  struct Eligibility: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "eligibility",
      abstract: Messages.say(
        "May this project take the EIA green channel on a date? Every rule traced (§4).",
        zh: "该项目在某日能否走环评审批绿色通道？逐条列出依据（规则第4节）。"),
      discussion: Messages.say(
        "Exit code: 0 eligible, 3 ineligible, 4 undetermined (a fact is missing).",
        zh: "退出码：0 符合，3 不符合，4 无法判定（缺少事实）。")
        + "\nExample: envreg project eligibility HB-2026-012 --as-of 2026-11-29")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project number.") var number: String

    func run() throws {
      let view = try global.openRegistry().project(number, asOf: global.asOf)
      let status = view.status.greenChannel
      let trace = view.status.trace.filter { $0.rule.hasPrefix("EIA-") }
      if global.format == .table {
        let verdict = Labels.value(status.rawValue, key: "status", global.language)
        emit(
          Messages.say(
            "EIA green channel — \(number) \(view.project.name), as of \(global.asOf): \(verdict)\n",
            zh: "环评审批绿色通道 — \(number) \(view.project.name)，评估日期 \(global.asOf)：\(verdict)\n"))
        emit(Render.traceBlocks(trace, language: global.language))
      } else {
        let fields = Fields([
          ("project_no", .text(number)), ("as_of", .day(global.asOf)), ("status", .text(status.rawValue)),
          ("trace", .list(trace.map { .record($0.fields) })),
        ])
        emit(Render.render(.record(fields), as: global.format, language: global.language))
      }
      if status == .ineligible { throw negativeResult }
      if status == .undetermined { throw undeterminedResult }
    }
  }
}
