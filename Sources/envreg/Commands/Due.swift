import ArgumentParser
import RegistryCore
import RegistryStore

extension EnvReg {
  struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "One calendar of every deadline: permit renewals, expiries and deferral ends, fine and instalment due dates, change filings, mandated retrofits, ledger items.",
      discussion: """
        Lists deadlines from --as-of up to --within days ahead, in date order, plus open deadlines already
        passed (overdue = true). Each row names the firm, the clock and its rule.
        Example: envreg due --within 30 --region 42
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Days ahead (default 30).") var within: Int = 30
    @Option(help: "Region code or prefix.") var region: String?

    func validate() throws { try checkWindow(within) }

    func run() throws {
      let store = try global.openStore()
      let items = try DueCalendar(
        store: store, asOf: global.today, within: within, regionPrefix: try region.map(regionPrefix)
      ).items()
      emit(Render.render(.list(items.map { .record($0.fields(asOf: global.today)) }), as: global.format))
      note(
        "\(items.count) deadline(s) up to \(global.today.adding(days: within)), \(items.filter { $0.date < global.today }.count) overdue."
      )
    }
  }
}

/// Gathers the deadlines of every module into one sorted list.
struct DueCalendar {
  let store: Store
  let asOf: Day
  let within: Int
  let regionPrefix: String?

  func items() throws -> [DueItem] {
    let policy = try store.policyBook()
    let end = asOf.adding(days: within)
    var items: [DueItem] = []
    try store.forEachPermitClock(asOf: asOf, within: within, regionPrefix: regionPrefix) { held in
      let permit = held.permit.asOf(asOf)
      let standing = PermitRules.standing(permit, region: held.regionCode, on: asOf, window: within, policy: policy)
      items += CalendarRules.permitItems(
        permit, standing: standing, holder: held.holder.value, name: held.holderName, region: held.regionCode)
    }
    try store.forEachFine(regionPrefix: regionPrefix, unsettledOn: asOf) { owed in
      let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy)
      items += CalendarRules.fineItems(
        owed.fine, statement: statement, debtor: owed.debtor.value, name: owed.debtorName, region: owed.regionCode)
    }
    try store.forEachRetrofit(regionPrefix: regionPrefix) { found in
      let verdict = RetrofitRules.check(found.retrofit, region: found.regionCode, policy: policy, asOf: asOf)
      if let item = CalendarRules.retrofitItem(
        found.retrofit, verdict: verdict, owner: found.owner.value, name: found.ownerName, region: found.regionCode,
        asOf: asOf)
      {
        items.append(item)
      }
    }
    var ledger = LedgerFilter(asOf: asOf)
    ledger.regionPrefix = regionPrefix
    ledger.dueTo = end
    try store.forEachLedgerLine(ledger) { line in
      guard line.item.state(on: asOf) != .closed else { return }
      items.append(
        DueItem(
          date: line.item.dueOn, clock: "ledger item rectification due", rule: "AL-3", creditCode: line.creditCode,
          name: line.name, regionCode: line.regionCode,
          item: "ledger \(line.item.id) \(line.item.problemType)",
          detail: "\(line.item.state(on: asOf).rawValue), \(line.item.responsibleUnit)"))
    }
    for change in try store.changeFilings(since: asOf.adding(days: -366), asOf: asOf, regionPrefix: regionPrefix) {
      if let item = CalendarRules.filingItem(
        change.filing, holder: change.code, name: change.name, region: change.region)
      {
        items.append(item)
      }
    }
    return items.filter { $0.date <= end && ($0.date >= asOf || isOpen($0)) }.sorted {
      ($0.date, $0.creditCode, $0.clock) < ($1.date, $1.creditCode, $1.clock)
    }
  }

  /// Passed deadlines stay on the calendar while still open (the items only exist while open).
  private func isOpen(_ item: DueItem) -> Bool { item.rule != "PM-4" || item.date >= asOf.adding(days: -366) }

}
