import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "history",
      abstract: Messages.say("Every recorded change of an enterprise's facts, oldest first.", zh: "企业信息的全部变更记录，按时间先后。"),
      discussion: "Example: envreg enterprise history 91350100M000100Y43 --format csv")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument

    func run() throws {
      let registry = try global.openRegistry()
      let changes = try registry.enterpriseHistory(try code.resolve(in: registry))
      emit(
        Render.render(.list(changes.map { .record(Report.change($0)) }), as: global.format, language: global.language))
    }
  }
}
