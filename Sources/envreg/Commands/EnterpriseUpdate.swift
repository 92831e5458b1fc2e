import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "update",
      abstract: Messages.say(
        "Change an enterprise's facts; each change is kept as a dated history row.", zh: "变更企业信息；每项变更留存为带日期的历史记录。"),
      discussion: Messages.say(
        """
        A change of name, address or legal representative is what RULES PM-6 later checks against permit
        change filings, so give the date it took effect with --effective (default: --as-of).
        """,
        zh: """
          名称、地址或法定代表人的变更是规则 PM-6 此后与许可证变更申请核对的内容，因此请用 --effective 给出
          变更生效日期（默认：--as-of）。
          """)
        + "\n" + """
          Example: envreg enterprise update 91350100M000100Y43 --name 福州新名称有限公司 --effective 2026-03-01
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @OptionGroup var fields: EnterpriseFieldOptions
    @Option(help: "Date the change took effect, YYYY-MM-DD (default: --as-of).", transform: dayArgument) var effective:
      Day?

    func run() throws {
      let registry = try global.openRegistry()
      let result = try registry.updateEnterprise(
        try code.resolve(in: registry), fields.input(code: nil), effectiveOn: effective ?? global.asOf,
        asOf: global.asOf)
      let changes = result.changed.map { field in
        Value.record(
          Fields([
            ("field", .text(field.rawValue)), ("old_value", .text(result.before[field])),
            ("new_value", .text(result.after[field])),
          ]))
      }
      note(
        "Updated \(result.after.creditCode): \(result.changed.count) field(s) changed, "
          + "effective \(effective ?? global.asOf).",
        zh: "已更新 \(result.after.creditCode)：\(result.changed.count)项变更，自\(effective ?? global.asOf)起生效。")
      emit(Render.render(.list(changes), as: global.format, language: global.language))
    }
  }
}
