import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "An enterprise's whole profile: facts, key regions, history, and its records in every module.",
        zh: "企业完整档案：基本信息、重点区域、变更记录及各模块记录。"),
      discussion: "Example: envreg enterprise show 91350100M000100Y43 --as-of 2026-01-01 --format json")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument

    func run() throws {
      let registry = try global.openRegistry()
      let profile = try registry.profile(try code.resolve(in: registry), asOf: global.asOf)
      emit(
        Render.render(
          .record(global.format == .table ? Report.unknownShown(profile) : profile), as: global.format,
          language: global.language))
    }
  }
}
