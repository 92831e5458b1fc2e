import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct ListsGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lists",
      abstract: Messages.say(
        "Admit, revoke, list and review members of the two positive lists.", zh: "两个正面清单的纳入、移出、名录和复核。"),
      subcommands: [Admit.self, Revoke.self, Members.self, Review.self])
  }
}

extension EnvReg.ListsGroup {
  struct Admit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "admit",
      abstract: Messages.say(
        "Check a firm and admit it to a list, storing the trace it was admitted on.", zh: "审核企业并纳入清单，留存纳入时的判定依据。"),
      discussion: Messages.say(
        """
        An ineligible or undetermined firm is refused with its failing conditions, unless --override and
        --reason are given (audited, and shown with the membership forever after). Validity: the list's
        membership parameter (3 years by default).
        """,
        zh: """
          不符合或无法判定的企业将被拒绝并列出不满足的条件，除非给出 --override 和 --reason（记入审计，并永久随
          名录资格显示）。有效期：名录的有效期参数（默认 3 年）。
          """)
        + "\n" + """
          Example: envreg lists admit 91350100M000100Y43 --list inspection-exemption --on 2026-11-29
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "The positive list.") var list: PositiveList
    @Option(help: "Admission date (default: --as-of).", transform: dayArgument) var on: Day?
    @Flag(help: "Admit although the check does not say eligible (needs --reason).") var override = false
    @Option(help: "Why the override is justified.") var reason: String?

    func validate() throws {
      if override, reason?.trimmingSpaces().isEmpty ?? true { throw ValidationError("--override needs --reason TEXT.") }
      if !override, reason != nil { throw ValidationError("--reason goes with --override.") }
    }

    func run() throws {
      let registry = try global.openRegistry()
      let (verdict, membership) = try registry.admit(
        try code.resolve(in: registry), to: list, on: on ?? global.asOf, overrideReason: override ? reason : nil)
      note(
        "Admitted \(membership.creditCode) \(membership.name) to \(membership.list.rawValue) "
          + "until \(membership.validUntil) (\(verdict.status.rawValue)\(override ? ", OVERRIDE" : "")).",
        zh: """
          已将 \(membership.creditCode) \(membership.name) 纳入\(membership.list.label)，有效期至\(membership.validUntil)\
          （\(Labels.value(verdict.status.rawValue, key: "status", .zh))\(override ? "，例外纳入" : "")）。
          """)
      emit(
        Render.render(
          .record(Report.membership(membership, asOf: on ?? global.asOf, withConsequences: true)), as: global.format,
          language: global.language))
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revoke",
      abstract: Messages.say(
        "Revoke a firm's membership on a date; a serious violation starts the re-entry bar.",
        zh: "于某日将企业移出清单；严重违法的，开始计算不得再纳入的期限。"),
      discussion:
        "Example: envreg lists revoke 91350100M000100Y43 --list inspection-exemption --reason 超标排放被处罚 --serious")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "The positive list.") var list: PositiveList
    @Option(help: "Revocation date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Why (required).") var reason: String
    @Flag(help: "Revoked for a serious violation: the firm cannot be re-admitted within the re-entry bar.")
    var serious = false

    func run() throws {
      let registry = try global.openRegistry()
      let membership = try registry.revoke(
        try code.resolve(in: registry), from: list, on: on ?? global.asOf, reason: reason,
        seriousViolation: serious)
      note(
        "Revoked \(membership.creditCode) from \(membership.list.rawValue) "
          + "on \(membership.revokedOn?.description ?? "").",
        zh: "已于\(membership.revokedOn?.description ?? "")将 \(membership.creditCode) 移出\(membership.list.label)。")
      emit(
        Render.render(
          .record(Report.membership(membership, asOf: on ?? global.asOf, withConsequences: false)), as: global.format,
          language: global.language))
    }
  }

  struct Members: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "members",
      abstract: Messages.say(
        "Members of a list on a date (admitted, not expired, not revoked).", zh: "某日清单内的企业（已纳入、未到期、未移出）。"),
      discussion: Messages.say(
        """
        --notice writes the directory for public notice (正面清单企业名录, 一公开).
        """,
        zh: """
          --notice 写出供公示的正面清单企业名录（一公开）。
          """)
        + "\n" + """
          Examples: envreg lists members --list inspection-exemption --region 42 --consequences
                    envreg lists members --list inspection-exemption --region 42 --notice --output 名录.html
          """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The positive list.") var list: PositiveList
    @Option(help: "Region code or prefix.") var region: String?
    @Flag(help: "Show what membership means for each firm (27号 二(二)).") var consequences = false
    @OptionGroup var notice: NoticeOptions

    func run() throws {
      let registry = try global.openRegistry()
      if notice.notice {
        return try notice.write(
          registry.directoryNotice(
            list: list, asOf: global.asOf, regionPrefix: try region.map(regionPrefix), issuer: notice.issuer), registry)
      }
      let rows = try registry.members(of: list, on: global.asOf, regionPrefix: try region.map(regionPrefix))
      emit(
        Render.render(
          .list(rows.map { .record(Report.membership($0, asOf: global.asOf, withConsequences: consequences)) }),
          as: global.format, language: global.language))
      note("\(rows.count) member(s) on \(global.asOf).", zh: "\(global.asOf)名录内企业\(rows.count)家。")
    }
  }

  struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "review",
      abstract: Messages.say(
        "Sweep the registry: members that no longer qualify, and non-members that now do.",
        zh: "全库复核：不再符合条件的名录企业，以及新符合条件的企业。"),
      discussion: Messages.say(
        """
        One streaming pass over every firm's facts. Exit code 3 when a current member no longer qualifies.
        """,
        zh: """
          对所有企业的信息流式扫描一遍。若有现有成员不再符合，退出码为 3。
          """)
        + "\n" + """
          Example: envreg lists review --list inspection-exemption --as-of 2026-11-29
          """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The positive list (default: both).") var list: PositiveList?
    @Option(help: "Region code or prefix.") var region: String?

    func run() throws {
      let registry = try global.openRegistry()
      let lists = list.map { [$0] } ?? PositiveList.allCases
      var writer = ListWriter(format: global.format, language: global.language)
      var lapsed = 0
      try registry.review(lists: lists, asOf: global.asOf, regionPrefix: try region.map(regionPrefix)) { finding in
        if finding.kind == .noLongerQualifies { lapsed += 1 }
        emit(writer.write(Report.finding(finding)))
      }
      emit(writer.finish())
      if lapsed > 0 {
        note(
          "\(lapsed) member(s) no longer qualify on \(global.asOf).", zh: "截至\(global.asOf)，\(lapsed)家名录内企业不再符合条件。")
        throw negativeResult
      }
    }
  }
}
