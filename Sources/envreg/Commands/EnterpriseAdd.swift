import ArgumentParser
import RegistryCore

extension EnvReg.EnterpriseGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Register an enterprise.",
      discussion: """
        The credit code is normalised (full-width, case, spaces) and its check character verified (ID-1).
        Example:
          envreg enterprise add 91420102MA4K2NLX66 --name 武汉汉江化工有限公司 --region 420102 --industry 2614 \\
            --permit-class key --online-monitoring networked
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code (18 characters).") var code: String
    @OptionGroup var fields: EnterpriseFieldOptions

    func run() throws {
      let store = try global.openStore()
      let (firm, warnings) = try store.addEnterprise(fields.input(code: code), today: global.today)
      warnings.forEach { note("warning: \($0)") }
      note("Registered \(firm.creditCode) \(firm.name).")
      emit(Render.render(.record(Report.profileFacts(firm, asOf: global.today)), as: global.format))
    }
  }
}
