import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct PermitGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "permit",
      abstract: Messages.say(
        "Pollutant-discharge permits: renewals, epidemic deferrals, expiry notices (RULES §5).",
        zh: "排污许可证：延续、疫情期间延期、到期提醒（规则第5节）。"),
      subcommands: [
        Add.self, Show.self, List.self, ApplyRenewal.self, Defer.self, Renew.self, FileChange.self, Cancel.self,
        Expiring.self, Changes.self, Import.self,
      ])
  }
}

/// Renders permits with their standing on the date.
extension EnvReg.PermitGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say(
        "Record a permit (its number's credit-code part must be the holder's, ID-4).",
        zh: "记录一份排污许可证（编号中的信用代码须为持证单位的，ID-4）。"),
      discussion:
        """
        Example: envreg permit add 91130200699229617X001P --holder 91130200699229617X --class key --issued \
        2022-03-01 --from 2022-03-01 --to 2027-02-28
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number: credit code + 3-digit site + letter.") var number: String
    @Option(help: "Holder's credit code.", transform: creditCodeArgument) var holder: CreditCodeArgument
    @Option(help: "Permit class (重点管理, 简化管理 or 登记管理).") var `class`: PermitClass
    @Option(help: "Issue date.", transform: dayArgument) var issued: Day
    @Option(help: "Valid from.", transform: dayArgument) var from: Day
    @Option(help: "Valid to (default: derived, PM-1).", transform: dayArgument) var to: Day?

    func run() throws {
      let registry = try global.openRegistry()
      let held = try registry.addPermit(
        number: number, holder: try holder.resolve(in: registry), permitClass: `class`, issuedOn: issued,
        validFrom: from, validTo: to)
      emit(
        Render.render(
          try registry.permitRow(held, asOf: global.asOf),
          as: global.format, language: global.language))
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say("A permit, its clocks on --as-of, and its events.", zh: "一份许可证、其在评估日的各项期限及事件。"),
      discussion: "Example: envreg permit show 91130200699229617X001P --as-of 2026-11-29")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number.") var number: String

    func run() throws {
      let registry = try global.openRegistry()
      let held = try registry.permit(number)
      guard
        case .record(var fields) = try registry.permitRow(held, asOf: global.asOf)
      else { return }
      fields.append("valid_from", .day(held.permit.validFrom))
      fields.append("issued_on", .day(held.permit.issuedOn))
      let asOf = held.permit.asOf(global.asOf)
      fields.append("superseded_by", .optional(asOf.supersededBy))
      fields.append("events", .list(asOf.events.map { .record(Report.permitEvent($0)) }))
      emit(Render.render(.record(fields), as: global.format, language: global.language))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say("Permits with their status on --as-of.", zh: "许可证及其在评估日的状态。"),
      discussion: "Example: envreg permit list --region 13 --class key")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Permit class.") var `class`: PermitClass?
    @Option(help: "Only this holder's permits.", transform: creditCodeArgument) var holder: CreditCodeArgument?
    @Flag(help: "Include permits superseded by a renewal.") var all = false

    func run() throws {
      let registry = try global.openRegistry()
      var filter = try permitFilter(region: region, permitClass: `class`)
      filter.currentOnly = !all
      filter.asOf = global.asOf
      let only = try holder.map { try $0.resolve(in: registry) }
      var writer = ListWriter(format: global.format, language: global.language)
      try registry.forEachPermit(filter) { held in
        guard only == nil || held.holder == only else { return }
        if case .record(let row) = try registry.permitRow(held, asOf: global.asOf) { emit(writer.write(row)) }
      }
      emit(writer.finish())
    }
  }

  struct ApplyRenewal: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "apply-renewal",
      abstract: Messages.say("Record that the holder applied for renewal (PM-2).", zh: "记录持证单位已申请延续（PM-2）。"),
      discussion: "Example: envreg permit apply-renewal 91130200699229617X001P --on 2026-10-20")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number.") var number: String
    @Option(help: "Application date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Note.") var note: String = ""

    func run() throws {
      try record(global, number, PermitEvent(kind: .renewalApplied, on: on ?? global.asOf, note: note))
    }
  }

  struct Defer: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "defer",
      abstract: Messages.say(
        "Grant an epidemic deferral of renewal, change or reissue (PM-3); refused outside the window.",
        zh: "准予疫情期间延后办理延续、变更或换发（PM-3）；不在期间内的不予准予。"),
      discussion:
        """
        Example: envreg permit defer 91420102MA4K2NLX66001P --until 2023-06-30 --basis 环厅〔2020〕27号 二(二) --approver \
        王局长 --on 2022-11-01
        """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number.") var number: String
    @Option(help: "Last day the deferral covers.", transform: dayArgument) var until: Day
    @Option(help: "Legal basis.") var basis: String
    @Option(help: "Who approved it.") var approver: String
    @Option(help: "Grant date (default: --as-of).", transform: dayArgument) var on: Day?

    func run() throws {
      try record(
        global, number,
        PermitEvent(kind: .deferralGranted, on: on ?? global.asOf, until: until, basis: basis, approver: approver))
    }
  }

  struct FileChange: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "file-change",
      abstract: Messages.say(
        "Record a permit change filing (name, address or legal representative, PM-6).",
        zh: "记录许可证变更申请（名称、地址或法定代表人，PM-6）。"),
      discussion: "Example: envreg permit file-change 91130200699229617X001P --on 2026-05-20 --note 法定代表人变更")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number.") var number: String
    @Option(help: "Filing date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "What changed.") var note: String = ""

    func run() throws {
      try record(global, number, PermitEvent(kind: .changeFiled, on: on ?? global.asOf, note: note))
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: Messages.say("Cancel (注销) or, with --revoke, revoke (撤销) a permit.", zh: "注销许可证，或用 --revoke 撤销许可证。"),
      discussion: "Example: envreg permit cancel 91130200699229617X001P --on 2026-12-01 --reason 企业关停")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Permit number.") var number: String
    @Option(help: "Date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Why.") var reason: String
    @Flag(help: "A revocation rather than a cancellation.") var revoke = false

    func run() throws {
      try record(
        global, number, PermitEvent(kind: revoke ? .revoked : .cancelled, on: on ?? global.asOf, note: reason))
    }
  }

  struct Renew: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "renew",
      abstract: Messages.say(
        "Record the renewed permit; it supersedes the old one (which is kept).", zh: "记录延续后的许可证；新证替代旧证（旧证保留）。"),
      discussion:
        """
        Example: envreg permit renew 91130200699229617X001P --number 91130200699229617X001Q --issued 2027-02-20 \
        --from 2027-03-01
        """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The permit being renewed.") var old: String
    @Option(help: "The new permit's number.") var number: String
    @Option(help: "Issue date.", transform: dayArgument) var issued: Day
    @Option(help: "Valid from.", transform: dayArgument) var from: Day
    @Option(help: "Valid to (default: 5 years, PM-1).", transform: dayArgument) var to: Day?

    func run() throws {
      let registry = try global.openRegistry()
      let held = try registry.renewPermit(
        old, newNumber: number, issuedOn: issued, validFrom: from, validTo: to)
      emit(
        Render.render(
          try registry.permitRow(held, asOf: global.asOf),
          as: global.format, language: global.language))
    }
  }

  struct Expiring: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "expiring",
      abstract: Messages.say(
        "The expiry notice: permits expiring within the window, most urgent first; --overdue for lapses.",
        zh: "到期提醒：期限内到期的许可证，最紧急的在前；--overdue 列出已逾期的。"),
      discussion: Messages.say(
        """
        Lists current permits whose valid_to falls within --within days of --as-of, with the renewal due date
        (PM-2), days left, whether renewal was applied and any deferral. --overdue lists instead the permits
        whose renewal application is overdue and those expired without renewal or deferral (flagged under
        排污许可管理条例 art. 33, PM-5). Exit code 3 when --overdue finds any.
        --notice writes the reminder a bureau publishes (排污许可证有效期届满提醒公告, 附件 list of firms).
        """,
        zh: """
          列出有效期截止日在 --as-of 起 --within 天内的现行许可证，以及延续申请期限（PM-2）、剩余天数、是否已申请延续
          和延期情况。--overdue 改为列出逾期未申请延续的许可证，以及到期且未延续、未延期的许可证（按排污许可管理条例
          第三十三条标记，PM-5）。--overdue 发现任何一项时退出码为 3。
          --notice 写出部门发布的排污许可证有效期届满提醒公告（附企业名单）。
          """)
        + "\n" + """
          Examples: envreg permit expiring --within 90 --region 42 --format csv > 到期公告.csv
                    envreg permit expiring --overdue
                    envreg permit expiring --within 90 --region 4201 --notice --issuer 武汉市生态环境局 --output 提醒公告.xlsx
          """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Window in days (default 90).") var within: Int = 90
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Permit class.") var `class`: PermitClass?
    @Flag(help: "Renewal-overdue and expired-without-deferral permits instead.") var overdue = false
    @OptionGroup var notice: NoticeOptions

    func validate() throws {
      try checkWindow(within)
      if notice.notice && overdue {
        throw ValidationError("--notice is the expiry reminder; it does not take --overdue.")
      }
    }

    func run() throws {
      let registry = try global.openRegistry()
      let asOf = global.asOf
      if notice.notice {
        return try notice.write(
          registry.permitExpiryNotice(
            asOf: asOf, within: within, regionPrefix: try region.map(regionPrefix), permitClass: `class`,
            issuer: notice.issuer), registry)
      }
      var writer = ListWriter(format: global.format, language: global.language)
      var count = 0
      try registry.expiryNotice(
        asOf: asOf, within: within, overdue: overdue, regionPrefix: try region.map(regionPrefix), permitClass: `class`
      ) { held, standing in
        count += 1
        emit(
          writer.write(
            Report.permitRow(
              held.permit, holder: held.holder.value, name: held.holderName, region: held.regionCode, standing: standing
            )))
      }
      emit(writer.finish())
      note(
        "\(count) permit(s) "
          + (overdue ? "overdue for renewal or expired without deferral" : "expiring within \(within) days")
          + " as of \(asOf).",
        zh: "截至\(asOf)，\(overdue ? "逾期未申请延续或过期未延期的" : "\(within)日内到期的")排污许可证共\(count)份。")
      if overdue && count > 0 { throw negativeResult }
    }
  }

  struct Changes: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "changes",
      abstract: Messages.say(
        """
        PM-6: changes of name, address or legal representative and the permit change filing each needs within 30 \
        days.
        """, zh: "PM-6：名称、地址或法定代表人的变更，及各自须在30日内提出的许可证变更申请。"),
      discussion: Messages.say(
        """
        Reads the dated enterprise history (enterprise update --effective D) of firms holding a permit on the
        change date. --overdue keeps the changes not filed by their due date (exit 3 when any).
        """,
        zh: """
          读取在变更日持有许可证的企业的变更记录（enterprise update --effective D）。--overdue 只保留逾期未申请的变更
          （有则退出码为 3）。
          """)
        + "\n" + """
          Example: envreg permit changes --since 2026-01-01 --overdue
          """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Changes effective on or after this date (default: one year before --as-of).", transform: dayArgument)
    var since: Day?
    @Option(help: "Region code or prefix.") var region: String?
    @Flag(help: "Only changes whose filing is overdue.") var overdue = false

    func run() throws {
      let registry = try global.openRegistry()
      let rows: [Value] = try registry.changeFilings(
        since: since ?? global.asOf.adding(years: -1), asOf: global.asOf, regionPrefix: try region.map(regionPrefix)
      )
      .filter { !overdue || $0.filing.overdue }
      .map { change in
        .record(
          Fields([
            ("credit_code", .text(change.code)), ("name", .text(change.name)), ("field", .text(change.filing.field)),
            ("changed_on", .day(change.filing.changedOn)),
            ("filing_due", .day(change.filing.due)), ("filed_on", .optional(change.filing.filedOn)),
            ("overdue", .bool(change.filing.overdue)),
            ("rule", .text("PM-6; 排污许可管理条例 art. 14")),
          ]))
      }
      emit(Render.render(.list(rows), as: global.format, language: global.language))
      if overdue && !rows.isEmpty { throw negativeResult }
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        """
        Import permits: number, credit_code, class, issued_on, valid_from, valid_to [, renewal_applied_on, \
        deferred_until, deferral_granted_on, deferral_basis, deferral_approver, supersedes].
        """, zh: "导入排污许可证：编号、信用代码、类别、核发日期、有效期起止[、延续申请日期、延期至、准予延期日期、延期依据、批准人、替代的旧证]。"),
      discussion: "Example: envreg permit import samples/permits.csv")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .permits)
    }
  }
}

/// The permits a `--region` and `--class` select.
private func permitFilter(region: String?, permitClass: PermitClass?) throws -> PermitFilter {
  var filter = PermitFilter()
  filter.regionPrefix = try region.map(regionPrefix)
  filter.permitClass = permitClass
  return filter
}

/// Adds one event to a permit and prints the permit's row.
private func record(_ global: GlobalOptions, _ number: String, _ event: PermitEvent) throws {
  let registry = try global.openRegistry()
  let held = try registry.addPermitEvent(number, event, evaluatedOn: global.asOf)
  note(
    "Recorded \(event.kind.rawValue) on \(event.on) for \(held.permit.number).",
    zh: "已记录许可证 \(held.permit.number) 于 \(event.on) 的\(Labels.value(event.kind.rawValue, key: "kind", .zh))。")
  emit(
    Render.render(
      try registry.permitRow(held, asOf: global.asOf),
      as: global.format, language: global.language))
}
