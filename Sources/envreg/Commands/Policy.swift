import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct PolicyGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "policy",
      abstract: Messages.say(
        "Policy parameters: what is in force on a date for a region, and provincial overrides.",
        zh: "政策参数：某日对某地区有效的参数，及省级调整。"),
      subcommands: [Show.self, Set.self])
  }
}

extension EnvReg.PolicyGroup {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "The parameter values in force on --as-of for a region, and where each came from.", zh: "评估日对某地区有效的参数值及其出处。"),
      discussion: Messages.say(
        """
        Without --region, the national values. With --region, the most specific jurisdiction covering that
        region wins (a county over its prefecture over its province over national). --all lists every version.
        """,
        zh: """
          不给 --region 时为全国值。给出 --region 时，覆盖该地区的最具体的辖区优先（县级优先于地级，地级优先于省级，
          省级优先于全国）。--all 列出每个版本。
          """)
        + "\n" + """
          Example: envreg policy show --region 420102 --as-of 2021-01-01
          """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "A GB/T 2260 code (6 digits).") var region: String?
    @Option(help: "Only keys starting with this, e.g. ex. or pm.") var key: String?
    @Flag(help: "Every version of every parameter, in force or not.") var all = false

    func run() throws {
      let view = try global.openRegistry().policyView(
        keyPrefix: key ?? "", region: region ?? "", asOf: global.asOf, all: all)
      emit(
        Render.render(
          .list(view.parameters.map { .record(Report.parameter($0)) }), as: global.format, language: global.language))
      if !all {
        note(
          "\(view.parameters.count) parameter(s) in force "
            + "on \(global.asOf)\(region.map { " for \($0)" } ?? " (national)"); \(view.notInForce) not in force.",
          zh:
            "\(global.asOf)\(region.map { "适用于 \($0) 的" } ?? "全国")有效参数\(view.parameters.count)项；\(view.notInForce)项未施行。"
        )
      }
    }
  }

  struct Set: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: Messages.say(
        "Set a parameter's value for a jurisdiction from a date (audited; nothing is overwritten).",
        zh: "自某日起为某辖区设置参数值（留审计记录，不覆盖原值）。"),
      discussion: Messages.say(
        """
        VALUE takes the key's form: a whole number (years, days, months), a percentage (3%), codes separated
        by spaces or commas, a date, or a limit "30@3.5" (mg/m³ at % O2).
        """,
        zh: """
          VALUE 的形式取决于参数：整数（年、天、月）、百分比（3%）、以空格或逗号分隔的代码、日期，或限值
          "30@3.5"（mg/m³，基准含氧量 %）。
          """)
        + "\n" + """
          Example: envreg policy set ex.k1.years 2 --jurisdiction 42 --from 2021-01-01 --reference "鄂环发〔2020〕19号"
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Parameter key, e.g. ex.k1.years.") var key: String
    @Argument(help: "The value.") var value: String
    @Option(help: "national or a GB/T 2260 prefix (42, 4201, 420102).", transform: jurisdictionArgument)
    var jurisdiction: Jurisdiction
    @Option(help: "First day in force.", transform: dayArgument) var from: Day
    @Option(help: "Last day in force (optional).", transform: dayArgument) var to: Day?
    @Option(help: "Legal reference (document number and clause).") var reference: String

    func run() throws {
      let parameter = try global.openRegistry().setPolicy(
        key: key, value: value, jurisdiction: jurisdiction, from: from, to: to, reference: reference)
      note("Set \(parameter.provenance).", zh: "已设置 \(parameter.provenance)。")
    }
  }
}

/// `--jurisdiction`: national, or a GB/T 2260 prefix that names a division.
func jurisdictionArgument(_ text: String) throws -> Jurisdiction {
  guard let place = Jurisdiction(text) else {
    throw ValidationError("--jurisdiction \(text.quoted) must be national or a 2-, 4- or 6-digit GB/T 2260 prefix.")
  }
  if case .region(let prefix) = place, case .failure(let refusal) = Divisions.bundled.selection(prefix) {
    throw ValidationError("--jurisdiction \(text.quoted) \(refusal.reason).")
  }
  return place
}

extension Report {
  /// A parameter as `policy show` lists it.
  static func parameter(_ p: PolicyParameter) -> Fields {
    Fields([
      ("key", .text(p.key)), ("value", .text(p.value.description)), ("jurisdiction", .text(p.jurisdiction.description)),
      ("effective_from", .day(p.effectiveFrom)), ("effective_to", .optional(p.effectiveTo)),
      ("reference", .text(p.reference)),
    ])
  }
}
