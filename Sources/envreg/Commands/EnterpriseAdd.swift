import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Register an enterprise.", zh: "登记一家企业。"),
      discussion: Messages.say(
        """
        The credit code is normalised (full-width, case, spaces, hyphens: ID-6) and its check character
        verified (ID-1). A real pilot-era code whose check character is its only error (e.g. some Xiamen
        codes issued before GB 32100) is registered only with --nonconforming-code --reason (ID-7): audited,
        shown on the profile and in every trace, listed by 'enterprise list --nonconforming-code'.
        """,
        zh: """
          统一社会信用代码会被规范化（全角、大小写、空格、连字符：ID-6）并核验校验位（ID-1）。唯一错误是校验位的
          真实试点期代码（如 GB 32100 之前厦门发放的部分代码）只能用 --nonconforming-code --reason 登记（ID-7）：
          记入审计，显示在企业档案和每次判定依据中，可用 'enterprise list --nonconforming-code' 列出。
          """)
        + "\n" + """
          Examples:
            envreg enterprise add 91420102MA4K2NLX66 --name 武汉汉江化工有限公司 --region 420102 --industry 2614 \\
              --permit-class key --online-monitoring networked
            envreg enterprise add 91350211M0000XUF46 --name 厦门某公司 --region 350211 --industry 3985 \\
              --nonconforming-code --reason "国家企业信用信息公示系统 record checked 2026-11-30 by 王科员"
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code (18 characters; validated with the other fields).") var code: String
    @OptionGroup var fields: EnterpriseFieldOptions
    @Flag(
      name: .customLong("nonconforming-code"),
      help: "Register a code whose only error is its check character (ID-7; needs --reason).") var nonconforming = false
    @Option(help: "Why the override is justified, with its evidence (ID-7).") var reason: String?

    func validate() throws {
      if nonconforming != (reason != nil) {
        throw ValidationError("--nonconforming-code and --reason go together (ID-7).")
      }
    }

    func run() throws {
      let registry = try global.openRegistry()
      var input = fields.input(code: code)
      input.codeOverride = nonconforming ? reason : nil
      let (firm, warnings) = try registry.addEnterprise(input, asOf: global.asOf)
      warnings.forEach { warn($0) }
      note("Registered \(firm.creditCode) \(firm.name).", zh: "已登记 \(firm.creditCode) \(firm.name)。")
      emit(
        Render.render(
          .record(Report.profileFacts(firm, asOf: global.asOf)), as: global.format, language: global.language))
    }
  }
}
