import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct EligibilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "eligibility",
      abstract: Messages.say(
        "May this firm be on a positive list on a date, and if not, why not? Every condition traced.",
        zh: "该企业在某日能否列入正面清单？不能的原因是什么？逐条列出判定依据。"),
      discussion: Messages.say(
        """
        Evaluates RULES §3 (inspection exemption, 监督执法正面清单) and/or §4 (EIA green channel, 环评审批正面清单)
        with the parameters in force on --as-of for the firm's region. Each trace line names the rule, the fact
        used, the threshold, the outcome and the clause with the parameter version.
        Exit code: 0 eligible, 3 ineligible, 4 undetermined (a fact is missing).
        """,
        zh: """
          按企业所在地区在 --as-of 施行的参数，评估规则第3节（监督执法正面清单）和/或第4节（环评审批正面清单）。
          每条依据写明规则、所用事实、标准、结论，以及带参数版本的条款。
          退出码：0 符合，3 不符合，4 无法判定（缺少事实）。
          """)
        + "\n" + """
          Examples:
            envreg eligibility 91350100M000100Y43 --list inspection-exemption --as-of 2021-01-01
            envreg eligibility 91350100M000100Y43 --format json
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "The positive list (default: both).") var list: PositiveList?

    func run() throws {
      let registry = try global.openRegistry()
      let lists = list.map { [$0] } ?? PositiveList.allCases
      let (facts, verdicts) = try registry.eligibility(try code.resolve(in: registry), lists: lists, asOf: global.asOf)
      emit(VerdictOutput.render(verdicts, firm: facts.enterprise, format: global.format, language: global.language))
      if verdicts.contains(where: { $0.status == .ineligible }) { throw negativeResult }
      if verdicts.contains(where: { $0.status == .undetermined }) { throw undeterminedResult }
    }
  }
}

/// "Ran fine, a needed fact is missing."
let undeterminedResult = ExitCode(4)

/// How verdicts are written: JSON is an array of verdict objects (the documented contract); a
/// table shows each verdict's summary and its trace; CSV is one row per trace line.
enum VerdictOutput {
  static func render(_ verdicts: [Verdict], firm: Enterprise, format: OutputFormat, language: Language = .en)
    -> String
  {
    switch format {
    case .json:
      return Render.render(.list(verdicts.map { .record(Report.verdict($0, firm: firm)) }), as: .json)
    case .csv:
      let rows = verdicts.flatMap { verdict in
        verdict.trace.map { line -> Value in
          var fields = Fields([
            ("credit_code", .text(firm.creditCode.value)), ("list", .text(verdict.list.rawValue)),
            ("as_of", .day(verdict.asOf)), ("status", .text(verdict.status.rawValue)),
          ])
          fields.fields += line.fields.fields
          return .record(fields)
        }
      }
      return Render.render(.list(rows), as: .csv)
    case .table:
      // One block per rule, nothing cut: a trace is read by supervisors and courts.
      return verdicts.map { verdict in
        let categories = verdict.categories.joined(separator: ", ")
        let text =
          language == .zh
          ? "\(verdict.list.label) — \(firm.creditCode) \(firm.name)，评估日期 \(verdict.asOf)："
            + Labels.value(verdict.status.rawValue, key: "status", .zh)
            + (verdict.categories.isEmpty ? "" : "（符合类别：\(categories)）") + "\n"
          : """
          \(verdict.list.label) \(verdict.list.rawValue) — \(firm.creditCode) \(firm.name), as of \(verdict.asOf): \
          \(verdict.status.rawValue.uppercased())
          """
            + (verdict.categories.isEmpty ? "" : " (categories: \(categories))") + "\n"
        return text + Render.traceBlocks(verdict.trace, language: language)
      }.joined(separator: "\n")
    }
  }
}
