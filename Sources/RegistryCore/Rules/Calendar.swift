/// One deadline in the calendar (`envreg due`): what falls due, when, under which rule.
public struct DueItem: Sendable, Hashable {
  public var date: Day
  public var clock: String
  public var rule: String
  public var creditCode: String
  public var name: String
  public var regionCode: String
  /// The permit number, fine decision, retrofit or ledger item.
  public var item: String
  public var detail: String

  public init(
    date: Day, clock: String, rule: String, creditCode: String, name: String, regionCode: String, item: String,
    detail: String
  ) {
    self.date = date
    self.clock = clock
    self.rule = rule
    self.creditCode = creditCode
    self.name = name
    self.regionCode = regionCode
    self.item = item
    self.detail = detail
  }

  public func fields(asOf: Day) -> Fields {
    Fields([
      ("date", .day(date)), ("days", .int(asOf.days(until: date))), ("clock", .text(clock)), ("rule", .text(rule)),
      ("credit_code", .text(creditCode)),
      ("name", .text(name)), ("item", .text(item)), ("detail", .text(detail)), ("overdue", .bool(date < asOf)),
    ])
  }
}

public enum CalendarRules {
  /// A permit's open deadlines: renewal due (unless applied), expiry, deferral end.
  public static func permitItems(
    _ permit: Permit, standing: PermitStanding, holder: String, name: String, region: String
  ) -> [DueItem] {
    guard ![.notIssued, .revoked, .cancelled, .renewed].contains(standing.status) else { return [] }
    var items: [DueItem] = []
    func item(_ date: Day, _ clock: String, _ rule: String, _ detail: String) {
      items.append(
        DueItem(
          date: date, clock: clock, rule: rule, creditCode: holder, name: name, regionCode: region,
          item: permit.number.value, detail: detail))
    }
    if standing.renewalApplied == nil && standing.deferredUntil == nil {
      if permit.isRegistration {
        item(
          standing.renewalDue, "registration renewal due", "RG-1",
          "in the \(standing.renewalLeadDays) days ending on valid_to \(permit.validTo)")
      } else {
        item(
          standing.renewalDue, "permit renewal application due", "PM-2",
          "\(standing.renewalLeadDays) days before valid_to \(permit.validTo)")
      }
    }
    if standing.deferredUntil == nil {
      item(
        permit.validTo, "permit expires", "PM-4",
        standing.renewalApplied.map { "renewal applied \($0)" } ?? "no renewal application")
    }
    if let until = standing.deferredUntil {
      item(until, "epidemic deferral ends", "PM-3", "permit valid_to \(permit.validTo)")
    }
    return items
  }

  /// A project's approval deadlines while undecided (EA-4 statutory, EA-6 / EA-7 promised) and its
  /// post-approval check while not done (EA-7).
  public static func approvalItems(_ project: Project, status: ApprovalStatus) -> [DueItem] {
    func item(_ date: Day, _ clock: String, _ rule: String, _ detail: String) -> DueItem {
      DueItem(
        date: date, clock: clock, rule: rule, creditCode: project.builderCode, name: project.name,
        regionCode: project.regionCode, item: project.number, detail: detail)
    }
    var items: [DueItem] = []
    if status.decision == nil {
      if let clock = status.statutory, let due = clock.due {
        items.append(
          item(
            due, "EIA approval due", "EA-4", "\(status.type?.label ?? "") \(clock.used ?? 0)/\(clock.limit) days used"))
      }
      if let clock = status.promised, let due = clock.due {
        items.append(
          item(
            due, "EIA promised approval due", clock.rule,
            "\(clock.used.map(String.init) ?? "?")/\(clock.limit) working days used"))
      }
    }
    if let check = status.check, check.outcome == nil {
      items.append(
        item(check.due, "post-approval check due", "EA-7", "告知承诺制 approval \(status.decision?.on.description ?? "")"))
    }
    return items
  }

  /// An open ledger item's rectification deadline (AL-3); nil once it is closed as of `asOf`.
  public static func ledgerItem(_ line: LedgerLine, asOf: Day) -> DueItem? {
    let state = line.item.state(asOf: asOf)
    guard state != .closed else { return nil }
    return DueItem(
      date: line.item.dueOn, clock: "ledger item rectification due", rule: "AL-3", creditCode: line.creditCode,
      name: line.name, regionCode: line.regionCode, item: "ledger \(line.item.id) \(line.item.problemType)",
      detail: "\(state.rawValue), \(line.item.responsibleUnit)")
  }

  /// The calendar from the gathered deadlines: those up to `end`, from `asOf` on, and passed ones
  /// still open (an expired permit's PM-4 clock for a year), in date, firm and clock order.
  public static func calendar(_ items: [DueItem], asOf: Day, through end: Day) -> [DueItem] {
    let stillOpen = { (item: DueItem) in item.rule != "PM-4" || item.date >= asOf.adding(days: -366) }
    return items.filter { $0.date <= end && ($0.date >= asOf || stillOpen($0)) }.sorted {
      ($0.date, $0.creditCode, $0.clock) < ($1.date, $1.creditCode, $1.clock)
    }
  }

  /// A heavy-pollution-weather alert over a firm with a mandatory measure (HW-1, HW-9): dated from
  /// its start, or today while it is in force.
  public static func alertItem(
    _ alert: WeatherAlert, measure: WeatherMeasure, firm: String, name: String, region: String, asOf: Day
  ) -> DueItem {
    DueItem(
      date: max(alert.from, asOf), clock: "weather alert measure", rule: "HW-1", creditCode: firm, name: name,
      regionCode: region, item: alert.reference,
      detail: "\(alert.level.rawValue) alert \(alert.from) … \(alert.to?.description ?? "open"): \(measure.text)")
  }

  /// A fine's unpaid obligations.
  public static func fineItems(_ fine: Fine, statement: FineStatement, debtor: String, name: String, region: String)
    -> [DueItem]
  {
    statement.obligations.filter { $0.outstanding.value > 0 }.map { o in
      DueItem(
        date: o.due, clock: o.label == "fine" ? "fine payment due" : "fine \(o.label) due",
        rule: o.label == "fine" ? "FN-1" : "FN-4", creditCode: debtor, name: name, regionCode: region,
        item: fine.decisionNumber, detail: "outstanding \(o.outstanding.yuan), surcharge \(o.surcharge.yuan)")
    }
  }

  /// A mandated retrofit not yet verified: its deadline (UL-O1..O3).
  public static func retrofitItem(
    _ retrofit: Retrofit, verdict: RetrofitVerdict, owner: String, name: String, region: String, asOf: Day
  ) -> DueItem? {
    guard verdict.mandated, let deadline = verdict.deadline, retrofit.entered(.verified).map({ $0 > asOf }) ?? true
    else { return nil }
    let rule = verdict.trace.first { $0.kind == .category && $0.outcome == .pass }?.rule ?? "UL-O"
    return DueItem(
      date: deadline, clock: "mandated ultra-low retrofit verified by", rule: rule, creditCode: owner, name: name,
      regionCode: region,
      item: "retrofit \(retrofit.id) \(retrofit.facility)", detail: "stage \(retrofit.stage(asOf: asOf).rawValue)")
  }

  /// A change awaiting its permit change filing.
  public static func filingItem(_ filing: ChangeFiling, holder: String, name: String, region: String) -> DueItem? {
    guard filing.filedOn == nil else { return nil }
    return DueItem(
      date: filing.due, clock: "permit change filing due", rule: "PM-6", creditCode: holder, name: name,
      regionCode: region, item: filing.field,
      detail: "\(filing.field) changed \(filing.changedOn)")
  }
}
