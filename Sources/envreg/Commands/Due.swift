import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "due",
      abstract: Messages.say(
        """
        One calendar of every deadline: permit renewals, expiries and deferral ends, fine and instalment due dates, \
        change filings, mandated retrofits, ledger items.
        """, zh: "全部期限的日历：许可证延续、到期和延期截止，罚款和分期缴纳期限，变更申请，强制改造，台账问题。"),
      discussion: Messages.say(
        """
        Lists deadlines from --as-of up to --within days ahead, in date order, plus open deadlines already
        passed (overdue = true). Each row names the firm, the clock and its rule. --format ics writes an
        RFC 5545 calendar (one all-day event per deadline, stable UIDs) to import or subscribe to.
        """,
        zh: """
          按日期顺序列出从 --as-of 起 --within 天内的期限，以及已过但仍未了结的期限（overdue = true）。每行写明企业、
          期限类型及其规则。--format ics 输出 RFC 5545 日历（每个期限一个全天事件，UID 稳定），可导入或订阅。
          """)
        + "\n" + """
          Examples: envreg due --within 30 --region 42
                    envreg due --within 90 --region 4201 --format ics > 武汉到期提醒.ics
          """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, ics }

    @OptionGroup var registry: RegistryOptions
    @Option(help: "Output format: table (for people), json (stable contract), csv (RFC 4180) or ics (RFC 5545).")
    var format: Format = .table
    @Option(help: "Days ahead (default 30).") var within: Int = 30
    @Option(help: "Region code or prefix.") var region: String?

    func validate() throws { try checkWindow(within) }

    func run() throws {
      let asOf = registry.asOf
      let items = try registry.openRegistry().due(
        asOf: asOf, within: within, regionPrefix: try region.map(regionPrefix))
      if format == .ics {
        emit(ICalendar.document(items, asOf: asOf, name: "envreg 到期提醒" + (region.map { " \($0)" } ?? "")))
      } else {
        let rendered = OutputFormat(rawValue: format.rawValue) ?? .table
        emit(
          Render.render(
            .list(items.map { .record($0.fields(asOf: asOf)) }), as: rendered, language: registry.language))
      }
      let overdueCount = items.filter { $0.date < asOf }.count
      note(
        "\(items.count) deadline(s) up to \(asOf.adding(days: within)), \(overdueCount) overdue.",
        zh: "截至\(asOf.adding(days: within))共\(items.count)项期限，其中\(overdueCount)项已逾期。")
    }
  }
}
