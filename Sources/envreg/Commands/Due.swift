import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "due",
      abstract:
        """
        One calendar of every deadline: permit renewals, expiries and deferral ends, fine and instalment due dates, \
        change filings, mandated retrofits, ledger items.
        """,
      discussion: """
        Lists deadlines from --as-of up to --within days ahead, in date order, plus open deadlines already
        passed (overdue = true). Each row names the firm, the clock and its rule.
        Example: envreg due --within 30 --region 42
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Days ahead (default 30).") var within: Int = 30
    @Option(help: "Region code or prefix.") var region: String?

    func validate() throws { try checkWindow(within) }

    func run() throws {
      let items = try global.openRegistry().due(
        asOf: global.asOf, within: within, regionPrefix: try region.map(regionPrefix))
      emit(Render.render(.list(items.map { .record($0.fields(asOf: global.asOf)) }), as: global.format))
      note(
        """
        \(items.count) deadline(s) up to \(global.asOf.adding(days: within)), \
        \(items.filter { $0.date < global.asOf }.count) overdue.
        """
      )
    }
  }
}
