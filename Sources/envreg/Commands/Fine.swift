import ArgumentParser
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

extension EnvReg {
  struct FineGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fine",
      abstract: Messages.say(
        "Fines: deferral and instalments, payments, the 3%/day surcharge and its cap (RULES §6).",
        zh: "罚款：延期和分期缴纳、缴款、每日3%加处罚款及其上限（规则第6节）。"),
      subcommands: [
        Add.self, Show.self, List.self, Arrange.self, Pay.self, Suspend.self, Overdue.self, Import.self,
        DailyPenalty.self,
      ])
  }
}

/// Parses a yuan amount given as an option.
func yuanAmount(_ text: String, option: String) throws -> Fen {
  guard let fen = Fen(yuan: text), fen.value > 0 else {
    throw ValidationError(
      """
      \(option) \(text.quoted) must be an amount in yuan above zero, at most \(Fen.maximum.yuan), with at most two \
      decimals and thousands separators only in groups of three, e.g. 100000 or 1,234.56.
      """
    )
  }
  return fen
}

extension EnvReg.FineGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Record a fine decision.", zh: "记录一份罚款决定。"),
      discussion:
        """
        Example: envreg fine add 冀环罚〔2021〕12号 --debtor 91130200699229617X --amount 100000 --decided 2021-07-30 \
        --received 2021-08-02 --basis 大气污染防治法 art. 99
        """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Decision number (处罚决定书文号).") var decision: String
    @Option(help: "Debtor's credit code.", transform: creditCodeArgument) var debtor: CreditCodeArgument
    @Option(parsing: .unconditional, help: "Amount in yuan (at most two decimals; at most 10,000,000,000.00).")
    var amount: String
    @Option(help: "Decision date.", transform: dayArgument) var decided: Day
    @Option(help: "Date the decision was received (served).", transform: dayArgument) var received: Day
    @Option(help: "Legal basis.") var basis: String = ""

    func run() throws {
      let registry = try global.openRegistry()
      let fine = Fine(
        decisionNumber: decision.trimmingSpaces(), amount: try yuanAmount(amount, option: "--amount"),
        decidedOn: decided, receivedOn: received, legalBasis: basis)
      let owed = try registry.addFine(fine, debtor: try debtor.resolve(in: registry))
      // ID-8 warnings: 号 assumed, or a year other than the decision's.
      if case .success(let number) = DecisionNumber.parse(fine.decisionNumber, decidedOn: decided) {
        number.warnings.forEach { warn("decision number \(fine.decisionNumber.quoted) \($0)") }
      }
      try show(owed, registry, global)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: Messages.say(
        "A fine's amounts on --as-of, its obligations, and the surcharge trace (which days counted and why).",
        zh: "罚款在评估日的各项金额、应缴项目及加处罚款明细（哪些天计入及原因）。"),
      discussion: "Example: envreg fine show 冀环罚〔2021〕12号 --as-of 2021-08-27")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Decision number.") var decision: String

    func run() throws {
      let registry = try global.openRegistry()
      try show(registry.fine(decision), registry, global)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say("Fines with their amounts on --as-of.", zh: "罚款及其在评估日的金额。"),
      discussion: "Example: envreg fine list --region 13 --format csv"
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @Option(help: "Only this debtor.", transform: creditCodeArgument) var debtor: CreditCodeArgument?

    func run() throws {
      let registry = try global.openRegistry()
      var writer = ListWriter(format: global.format, language: global.language)
      try registry.forEachFineStatement(
        regionPrefix: try region.map(regionPrefix), debtor: try debtor.map { try $0.resolve(in: registry) },
        asOf: global.asOf
      ) { owed, statement in
        emit(
          writer.write(
            Report.fineRow(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)))
      }
      emit(writer.finish())
    }
  }

  struct Arrange: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "arrange",
      abstract: Messages.say(
        "Record an approved deferral (--new-due) or instalment plan (--instalments) (FN-2, FN-4).",
        zh: "记录经批准的延期缴纳（--new-due）或分期缴纳方案（--instalments）（FN-2、FN-4）。"),
      discussion: Messages.say(
        """
        Instalments are DATE:YUAN pairs separated by commas; they must sum exactly to the fine with strictly
        increasing dates. A deferral may run at most fn.max_deferral.months (6 by default) past the due date.
        """,
        zh: """
          分期写成以逗号分隔的 日期:元；各期合计须与罚款完全相等，日期须严格递增。延期最多超过缴纳期限
          fn.max_deferral.months 个月（默认 6 个月）。
          """)
        + "\n" + """
          Examples:
            envreg fine arrange 冀环罚〔2021〕12号 --new-due 2021-11-17 --applied 2021-08-10 --approved 2021-08-12 \
          --approver 张局长 --reason "受疫情影响 (27号 二(二))"
            envreg fine arrange 冀环罚〔2021〕12号 --instalments 2021-08-17:40000,2021-09-17:30000,2021-10-17:30000 \
          --applied 2021-08-05 --approved 2021-08-06 --approver 张局长 --reason 经营困难
          """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Decision number.") var decision: String
    @Option(name: .customLong("new-due"), help: "Deferral: the new due date.", transform: dayArgument) var newDue: Day?
    @Option(help: "Instalments: DATE:YUAN,DATE:YUAN,...") var instalments: String?
    @Option(help: "Application date.", transform: dayArgument) var applied: Day
    @Option(help: "Approval date.", transform: dayArgument) var approved: Day
    @Option(help: "Who approved.") var approver: String
    @Option(help: "Reason (e.g. epidemic-affected, 27号 二(二)).") var reason: String
    @Option(
      name: .customLong("supersede-reason"),
      help: "Why this arrangement replaces the one recorded before it (required when there is one, FN-2).")
    var supersedeReason: String = ""

    func validate() throws {
      guard (newDue == nil) != (instalments == nil) else {
        throw ValidationError("Give either --new-due (deferral) or --instalments (plan).")
      }
    }

    func run() throws {
      let registry = try global.openRegistry()
      var schedule: [Instalment] = []
      if let instalments {
        for part in instalments.split(separator: ",") {
          let pieces = part.split(separator: ":").map { String($0).trimmingSpaces() }
          guard pieces.count == 2, let due = Day(pieces[0]) else {
            throw ValidationError("--instalments part \(String(part).quoted) must be DATE:YUAN, e.g. 2021-09-17:30000.")
          }
          schedule.append(Instalment(due: due, amount: try yuanAmount(pieces[1], option: "--instalments")))
        }
      }
      var arrangement = FineArrangement(
        kind: newDue == nil ? .instalments : .deferral, appliedOn: applied, reason: reason, approver: approver,
        approvedOn: approved, newDue: newDue, instalments: schedule)
      arrangement.supersedeReason = supersedeReason
      try show(registry.arrange(decision, arrangement), registry, global)
    }
  }

  struct Pay: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pay",
      abstract: Messages.say(
        "Record a payment; applied to the earliest due amount; never more than is owed (FN-5).",
        zh: "记录一笔缴款；先抵最早到期的款项；不得超过应缴金额（FN-5）。"),
      discussion: "Example: envreg fine pay 冀环罚〔2021〕12号 --amount 50000 --on 2021-08-20 --reference 缴款书0012")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Decision number.") var decision: String
    @Option(parsing: .unconditional, help: "Amount in yuan.") var amount: String
    @Option(help: "Payment date (default: --as-of).", transform: dayArgument) var on: Day?
    @Option(help: "Receipt reference.") var reference: String = ""

    func run() throws {
      let registry = try global.openRegistry()
      try show(
        registry.pay(
          decision,
          FinePayment(on: on ?? global.asOf, amount: try yuanAmount(amount, option: "--amount"), reference: reference)),
        registry, global)
    }
  }

  struct Suspend: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "suspend",
      abstract: Messages.say(
        "Record a review or litigation period: no surcharge accrues during it (FN-3).",
        zh: "记录行政复议或诉讼期间：期间内不加处罚款（FN-3）。"),
      discussion: "Example: envreg fine suspend 冀环罚〔2021〕12号 --kind review --from 2021-08-20 --to 2021-08-29")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Decision number.") var decision: String
    @Option(help: "Administrative review or litigation.") var kind: FineSuspension.Kind
    @Option(help: "First day.", transform: dayArgument) var from: Day
    @Option(help: "Last day (omit while open; give it later to close the period).", transform: dayArgument) var to: Day?

    func run() throws {
      let registry = try global.openRegistry()
      try show(
        registry.suspend(decision, FineSuspension(kind: kind, from: from, to: to)), registry, global)
    }
  }

  struct Overdue: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "overdue",
      abstract: Messages.say(
        "Unpaid fines and missed instalments on --as-of: days overdue and what is owed today. Exit 3 if any.",
        zh: "评估日逾期未缴的罚款和分期款：逾期天数及当日应缴金额。有则退出码为3。"),
      discussion: Messages.say(
        """
        --notice writes a demand notice (催告书, 行政强制法 art. 35) for each fine with an amount overdue, stating the
        amount unpaid, the surcharge so far and the time to pay, and a register of the notices.
        """,
        zh: """
          --notice 为每笔有逾期金额的罚款写出催告书（行政强制法第三十五条），写明未缴金额、截至目前的加处罚款和
          履行期限，并附催告书登记表。
          """)
        + "\n" + """
          Examples: envreg fine overdue --as-of 2026-11-29 --region 13
                    envreg fine overdue --region 13 --notice --issuer 唐山市生态环境局 --output 催告书.html
          """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Region code or prefix.") var region: String?
    @OptionGroup var notice: NoticeOptions

    func run() throws {
      if notice.notice {
        let registry = try global.openRegistry()
        return try notice.write(
          registry.demandNotices(asOf: global.asOf, regionPrefix: try region.map(regionPrefix), issuer: notice.issuer),
          registry)
      }
      // Most days overdue first: the key is the negated day count.
      // The rows wait on disk past a few megabytes, so memory stays flat at any size.
      var rows = SortedListWriter(format: global.format, language: global.language, rows: SpillingRows())
      try global.openRegistry().forEachOverdueFine(asOf: global.asOf, regionPrefix: try region.map(regionPrefix)) {
        owed, statement, obligation in
        try rows.add(Report.overdueRow(owed, statement, obligation), key: -obligation.daysOverdue)
      }
      try rows.finish(emit)
      note("\(rows.count) overdue amount(s) as of \(global.asOf).", zh: "截至\(global.asOf)，逾期未缴款项\(rows.count)笔。")
      if rows.count > 0 { throw negativeResult }
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        """
        Import fines: decision_number, credit_code, amount_yuan, decided_on, received_on, legal_basis [, paid_yuan, \
        paid_on].
        """, zh: "导入罚款：处罚决定书文号、信用代码、罚款金额、决定日期、送达日期、处罚依据[、已缴金额、缴款日期]。"),
      discussion: "Example: envreg fine import samples/fines.csv")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .fines)
    }
  }

  struct DailyPenalty: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "daily-penalty",
      abstract: Messages.say(
        """
        Daily consecutive penalty (按日连续处罚, FN-6): original fine x days from the day after service to the \
        re-inspection.
        """, zh: "按日连续处罚（FN-6）：原处罚数额乘以自送达次日至复查之日的天数。"),
      discussion: "Example: envreg fine daily-penalty --original 100000 --served 2026-03-01 --reinspected 2026-03-31")
    @OptionGroup var global: GlobalOptions
    @Option(parsing: .unconditional, help: "The original fine in yuan.") var original: String
    @Option(help: "Date the correction order was served.", transform: dayArgument) var served: Day
    @Option(help: "Date of the re-inspection that found the violation continuing.", transform: dayArgument)
    var reinspected: Day

    func run() throws {
      let fine = try yuanAmount(original, option: "--original")
      guard reinspected > served else { throw ValidationError("--reinspected must be after --served.") }
      guard let result = FineRules.dailyPenalty(original: fine, orderServed: served, reinspected: reinspected) else {
        throw ValidationError(
          """
          the penalty \(fine.yuan) x \(served.days(until: reinspected)) days exceeds the largest amount envreg \
          records, \(Fen.maximum.yuan) yuan.
          """
        )
      }
      emit(
        Render.render(
          .record(
            Fields([
              ("original", .money(fine)), ("served", .day(served)), ("reinspected", .day(reinspected)),
              ("days", .int(result.days)), ("total", .money(result.total)),
              ("basis", .text("环境保护法 art. 59; 部令第28号 arts. 17, 19 (FN-6)")),
            ])), as: global.format, language: global.language))
    }
  }
}

/// Prints a fine's statement on --as-of.
private func show(_ owed: OwedFine, _ registry: Registry, _ global: GlobalOptions) throws {
  let statement = try registry.statement(owed, asOf: global.asOf)
  emit(
    Render.render(
      .record(Report.fineStatement(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)),
      as: global.format, language: global.language))
}
