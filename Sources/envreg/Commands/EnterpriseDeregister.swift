import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct Deregister: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "deregister",
      abstract: Messages.say(
        "Mark an enterprise closed with a date and reason (nothing is deleted).", zh: "注销企业，记录日期和原因（不删除任何数据）。"),
      discussion: "Example: envreg enterprise deregister 91350100M000100Y43 --on 2026-06-30 --reason 企业注销")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "Closing date, YYYY-MM-DD (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Why the firm leaves the registry (required).") var reason: String

    func run() throws {
      let registry = try global.openRegistry()
      let firm = try registry.deregisterEnterprise(
        try code.resolve(in: registry), on: on ?? global.asOf, reason: reason)
      note(
        "Deregistered \(firm.creditCode) on \(firm.closedOn?.description ?? "").",
        zh: "已于\(firm.closedOn?.description ?? "")注销 \(firm.creditCode)。")
      emit(Render.render(.record(Report.facts(firm)), as: global.format, language: global.language))
    }
  }
}
