import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

extension EnvReg {
  struct LedgerGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ledger",
      abstract: Messages.say(
        "The assistance ledger (企业环境治理问题台账): items, dated progress, 销号, reports (RULES §8).",
        zh: "企业环境治理问题台账：问题、带日期的进展、销号、报表（规则第8节）。"),
      subcommands: [
        Add.self, Progress.self, Close.self, Reopen.self, List.self, Show.self, Import.self, ReportCommand.self,
      ])
  }
}

/// The list filters shared by `ledger list` and `ledger report`.
struct LedgerFilterOptions: ParsableArguments {
  @Option(help: "Region code or prefix.") var region: String?
  @Option(help: "State.") var state: LedgerState?
  @Option(help: "Class.") var `class`: LedgerClass?
  @Option(help: "Source.") var source: LedgerSource?
  @Option(help: "Problem type, e.g. 治污设施.") var type: String?
  @Option(help: "Responsible unit.") var unit: String?
  @Flag(help: "Only items past their due date and not closed (AL-3).") var overdue = false
  @Option(name: .customLong("found-from"), help: "Found on or after.", transform: dayArgument) var foundFrom: Day?
  @Option(name: .customLong("found-to"), help: "Found on or before.", transform: dayArgument) var foundTo: Day?
  @Option(name: .customLong("due-from"), help: "Due on or after.", transform: dayArgument) var dueFrom: Day?
  @Option(name: .customLong("due-to"), help: "Due on or before.", transform: dayArgument) var dueTo: Day?

  func filter(asOf: Day) throws -> LedgerFilter {
    var filter = LedgerFilter(asOf: asOf)
    filter.regionPrefix = try region.map(regionPrefix)
    filter.state = state
    filter.itemClass = `class`
    filter.source = source
    filter.problemType = type
    filter.responsibleUnit = unit
    filter.overdueOnly = overdue
    filter.foundFrom = foundFrom
    filter.foundTo = foundTo
    filter.dueFrom = dueFrom
    filter.dueTo = dueTo
    return filter
  }
}

extension EnvReg.LedgerGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Record a problem for a firm (AL-1); it starts 待整改.", zh: "为企业登记一个问题（AL-1），状态为待整改。"),
      discussion:
        """
        Example: envreg ledger add 91420503MAPXGUCP29 --source 帮扶 --type 治污设施 --description 废气收集效率低 --found \
        2026-09-01 --class 跟踪督办 --measures 送技术 --unit 宜昌市生态环境局伍家岗分局 --person 张伟 --due 2026-12-31
        """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The firm's credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "Source (问题来源).") var source: LedgerSource
    @Option(help: "Problem type (问题类型).") var type: String
    @Option(help: "Description (问题描述).") var description: String
    @Option(help: "Found on (发现日期).", transform: dayArgument) var found: Day
    @Option(help: "Class (问题分类).") var `class`: LedgerClass
    @Option(help: "Assistance measures (帮扶措施): 送政策、送技术、送方案、结对帮扶 or free text.") var measures: String = ""
    @Option(help: "Responsible unit (责任单位).") var unit: String
    @Option(help: "Responsible person (责任人).") var person: String
    @Option(help: "Due date (整改时限).", transform: dayArgument) var due: Day

    func run() throws {
      let item = LedgerItem(
        id: 0, source: source, problemType: type, description: description, foundOn: found,
        itemClass: `class`, measures: measures, responsibleUnit: unit, responsiblePerson: person, dueOn: due)
      let registry = try global.openRegistry()
      let line = try registry.addLedgerItem(item, firm: try code.resolve(in: registry))
      note("Ledger item \(line.item.id) recorded (待整改).", zh: "已登记台账问题 \(line.item.id)（待整改）。")
      showLedger(line, global)
    }
  }

  struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "progress",
      abstract: Messages.say(
        "Add a dated progress note, optionally moving the item on (待整改 -> 整改中 -> 待验收).",
        zh: "添加带日期的整改进展，可同时推进状态（待整改 -> 整改中 -> 待验收）。"),
      discussion: "Example: envreg ledger progress 12 --note 已完成收集罩改造，待监测 --to 待验收 --on 2026-11-20")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item id.") var id: Int
    @Option(help: "What happened.") var note: String
    @Option(help: "Move to this state as well.") var to: LedgerState?
    @Option(help: "Date (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      let target: LedgerState? = to
      showLedger(try global.openRegistry().ledgerEntry(id, on: on ?? global.asOf, to: target, note: note), global)
    }
  }

  struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "close",
      abstract: Messages.say(
        "销号: close an item (跟踪督办 from 待验收; 立行立改 from any open state, with a note).",
        zh: "销号：跟踪督办问题须从待验收销号；立行立改问题可从任一未销号状态销号，须附说明。"),
      discussion: "Example: envreg ledger close 12 --note 验收合格 --on 2026-11-28")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item id.") var id: Int
    @Option(help: "Acceptance or closing note.") var note: String = ""
    @Option(help: "Date (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      showLedger(try global.openRegistry().ledgerEntry(id, on: on ?? global.asOf, to: .closed, note: note), global)
    }
  }

  struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reopen",
      abstract: Messages.say(
        "重启: reopen a closed item, with a reason (back to 待整改).", zh: "重启：重新打开已销号问题，须说明原因（回到待整改）。"),
      discussion: "Example: envreg ledger reopen 12 --reason 复查发现问题反弹")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item id.") var id: Int
    @Option(help: "Why it is reopened.") var reason: String
    @Option(help: "Date (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      showLedger(
        try global.openRegistry().ledgerEntry(id, on: on ?? global.asOf, to: nil, note: reason, reopen: true), global)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say("Ledger items with their state and days overdue on --as-of.", zh: "台账问题及其在评估日的状态和超期天数。"),
      discussion: "Example: envreg ledger list --region 42 --overdue")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: LedgerFilterOptions

    func run() throws {
      var writer = ListWriter(format: global.format, language: global.language)
      try global.openRegistry().forEachLedgerLine(try selection.filter(asOf: global.asOf)) {
        emit(writer.write(Report.ledgerRow($0, asOf: global.asOf)))
      }
      emit(writer.finish())
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say("One item with every dated entry.", zh: "一个问题及其全部带日期记录。"),
      discussion: "Example: envreg ledger show 12")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Item id.") var id: Int

    func run() throws { showLedger(try global.openRegistry().ledgerItem(id), global) }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        "Import ledger items, e.g. an epidemic-impact survey (one row per problem).", zh: "导入台账问题，如疫情影响调查（每行一个问题）。"),
      discussion: Messages.say(
        """
        Columns: credit_code, source (default 疫情影响调查), problem_type, description, found_on, class, measures,
        responsible_unit, responsible_person, due_on (or the Chinese headers of the ledger). Same checks and reject
        report as the enterprise import.
        """,
        zh: """
          列：credit_code、source（默认 疫情影响调查）、problem_type、description、found_on、class、measures、
          responsible_unit、responsible_person、due_on（或台账的中文表头）。检查和拒绝行报告与企业导入相同。
          """)
        + "\n" + """
          Example: envreg ledger import samples/ledger.csv
          """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .ledger)
    }
  }

  struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: Messages.say(
        "The ledger as the report sent up the chain: Chinese headers, one row per item, and a summary.",
        zh: "按上报格式输出台账：中文表头，每个问题一行，附汇总。"),
      discussion: Messages.say(
        """
        Formats: csv (default), md, html (printable, A4 landscape), xlsx (ledger and summary sheets), json, table.
        Period (--from/--to): items found by --to and not closed before --from; "closed this period" counts
        closures in it. The report is in Chinese unless --lang en (English headers) is given.
        The printed formats (xlsx, html, md) end with the sign-off block (填报单位, 填报人, 审核人, 联系电话, 报送日期);
        an option not given prints a line to fill in by hand.
        """,
        zh: """
          格式：csv（默认）、md、html（可打印，A4 横向）、xlsx（台账和汇总两张工作表）、json、table。
          统计期间（--from/--to）：--to 前发现、且未在 --from 前销号的事项；“本期销号”统计期间内的销号。
          报表为中文，给出 --lang en 时为英文表头。
          可打印的格式（xlsx、html、md）末尾有落款栏（填报单位、填报人、审核人、联系电话、报送日期）；未给出的选项留一条横线手写。
          """)
        + "\n" + """
          Examples: envreg ledger report --region 42 --from 2026-01-01 --to 2026-11-29 --format xlsx --output 台账.xlsx \\
                      --filing-unit 湖北省生态环境厅 --preparer 张敏 --reviewer 李强 --phone 027-87167000 --filed-on 2026-11-30
                    envreg ledger report --format md --lang en
          """)
    @OptionGroup var global: RegistryOptions
    @OptionGroup var selection: LedgerFilterOptions
    @Option(help: "Period start.", transform: dayArgument) var from: Day?
    @Option(help: "Period end.", transform: dayArgument) var to: Day?
    @Option(name: .customLong("format"), help: "Report format.") var reportFormat: LedgerReport.Format = .csv
    @Option(
      help: ArgumentHelp(
        "Write to this file (required for xlsx on a terminal; owner-only; never the registry).", valueName: "file"))
    var output: String?
    @Flag(help: "Replace --output if it exists.") var force = false
    @Option(help: "Encoding of a CSV --output file: utf-8-bom (Excel reads the Chinese), utf-8 or gb18030.")
    var encoding: OutputEncoding = .utf8BOM
    @Option(help: "填报单位 under the printed report (html, xlsx, md); blank: a line to fill in by hand.")
    var filingUnit = ""
    @Option(help: "填报人 under the printed report.") var preparer = ""
    @Option(help: "审核人 under the printed report.") var reviewer = ""
    @Option(help: "联系电话 under the printed report.") var phone = ""
    @Option(help: "报送日期 under the printed report.", transform: dayArgument) var filedOn: Day?

    func run() throws {
      let format = reportFormat
      for (name, value) in [
        ("filing-unit", filingUnit), ("preparer", preparer), ("reviewer", reviewer), ("phone", phone),
      ] {
        if let refusal = FreeText.refusal(value, field: name, maxLength: 100) {
          throw ValidationError("--\(name) \(value.quoted): \(refusal)")
        }
      }
      if format == .xlsx, output == nil, isatty(1) == 1 {
        throw ValidationError("xlsx is binary: give --output FILE or redirect stdout.")
      }
      // The report as filed upward is Chinese whatever the locale; --lang en asks for English.
      let english = global.lang == .en
      let registry = try global.openRegistry()
      var filter = try selection.filter(asOf: global.asOf)
      filter.activeFrom = from
      filter.activeTo = to
      try LedgerReportWriter(
        format: format, english: english, asOf: global.asOf, from: from, to: to,
        region: selection.region ?? (english ? "all" : "全部"), output: output, force: force, encoding: encoding,
        signOff: LedgerReport.SignOff(
          unit: filingUnit, preparer: preparer, reviewer: reviewer, phone: phone, filedOn: filedOn)
      ).write(registry, filter)
    }
  }
}

/// Streams the report: CSV row by row (constant memory); the other formats collect the rows.
struct LedgerReportWriter {
  let format: LedgerReport.Format
  let english: Bool
  let asOf: Day
  let from: Day?
  let to: Day?
  let region: String
  let output: String?
  var force = false
  var quiet = false
  /// A CSV file's encoding (a byte-order mark by default, for Excel).
  var encoding: OutputEncoding = .utf8BOM
  /// The block under a printed report.
  var signOff = LedgerReport.SignOff()

  func write(_ registry: Registry, _ filter: LedgerFilter) throws {
    let sink = try OutputSink(
      path: output, force: force, protected: registry.protectedPaths, encoding: format == .csv ? encoding : .utf8)
    if format == .csv { try sink.write(LedgerReport.csvHeader(english: english)) }
    let (report, number) = try registry.ledgerReport(
      filter, asOf: asOf, from: from, to: to, region: region, english: english, signOff: signOff,
      streaming: format == .csv ? { try sink.write(LedgerReport.csvRow($0)) } : nil)
    switch format {
    case .csv: try sink.write(LedgerReport.csvSummary(report.summary, english: english))
    case .md: try sink.write(report.markdown)
    case .html: try sink.write(report.html)
    case .json: try sink.write(report.json)
    case .table: try sink.write(report.table)
    case .xlsx: try sink.write(bytes: report.xlsx)
    }
    try sink.close()
    if let output, !quiet { note("Wrote \(number) item(s) to \(output).", zh: "已将\(number)项问题写入 \(output)。") }
  }
}

private func showLedger(_ line: LedgerLine, _ global: GlobalOptions) {
  var fields = Report.ledgerRow(line, asOf: global.asOf)
  for (key, value) in Report.ledgerFacts(line.item).fields
  where ["description", "measures", "responsible_person"].contains(key) { fields.append(key, value) }
  fields.append(
    "entries",
    .list(
      line.item.entries.map { entry in
        .record(
          Fields([
            ("on", .day(entry.on)), ("kind", .text(entry.kind.rawValue)), ("from", .optional(entry.from?.rawValue)),
            ("to", .optional(entry.to?.rawValue)), ("note", .text(entry.note)),
          ]))
      }))
  emit(Render.render(.record(fields), as: global.format, language: global.language))
}
