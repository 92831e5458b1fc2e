/// A pollutant-discharge permit and its dated events (RULES §5). Nothing is overwritten: a
/// renewal is a new permit that supersedes this one.
public struct Permit: Sendable, Hashable {
  public var number: PermitNumber
  public var permitClass: PermitClass
  public var issuedOn: Day
  public var validFrom: Day
  public var validTo: Day
  /// The number of the permit that superseded this one on renewal.
  public var supersededBy: String?
  public var events: [PermitEvent]

  public init(
    number: PermitNumber, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day,
    supersededBy: String? = nil, events: [PermitEvent] = []
  ) {
    self.number = number
    self.permitClass = permitClass
    self.issuedOn = issuedOn
    self.validFrom = validFrom
    self.validTo = validTo
    self.supersededBy = supersededBy
    self.events = events
  }

  func events(_ kind: PermitEvent.Kind, onOrBefore day: Day) -> [PermitEvent] {
    events.filter { $0.kind == kind && $0.on <= day }
  }

  /// The permit as it stood on `day` (Conventions: an answer as of D uses only what is dated on or
  /// before D): events dated after `day` are left out, and `supersededBy` only once the renewal is dated.
  public func asOf(_ day: Day) -> Permit {
    var view = self
    view.events = events.filter { $0.on <= day }
    if !view.events.contains(where: { $0.kind == .renewed }) { view.supersededBy = nil }
    return view
  }

  /// A registration (登记管理, RG-1) rather than a permit (重点/简化, PM-2).
  public var isRegistration: Bool { permitClass == .registration }
}

public struct PermitEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable {
    case renewalApplied = "renewal-applied", deferralGranted = "deferral-granted", changeFiled = "change-filed"
    case renewed, cancelled, revoked
  }

  public var kind: Kind
  public var on: Day
  /// For a deferral: the last day it covers.
  public var until: Day?
  public var basis: String
  public var approver: String
  public var note: String

  public init(kind: Kind, on: Day, until: Day? = nil, basis: String = "", approver: String = "", note: String = "") {
    self.kind = kind
    self.on = on
    self.until = until
    self.basis = basis
    self.approver = approver
    self.note = note
  }
}

/// PM-4's states, in the order they are tested.
public enum PermitStatus: String, Sendable, CaseIterable {
  /// The evaluation date is before the issue date: the permit did not exist yet (Conventions).
  case notIssued = "not-issued"
  case revoked, cancelled, renewed, deferred, expired
  case renewalOverdue = "renewal-overdue"
  case renewalApplied = "renewal-applied"
  case expiring, valid
}

extension PermitStatus {
  /// The states the expiry notice lists (`permit expiring`).
  public static let inExpiryNotice: Set<PermitStatus> = [.expiring, .renewalOverdue, .renewalApplied, .deferred]
  /// The lapses `permit expiring --overdue` lists: renewal overdue, and expired without renewal or deferral (PM-5).
  public static let lapses: Set<PermitStatus> = [.renewalOverdue, .expired]
}

/// A permit's clocks and state on a date.
public struct PermitStanding: Sendable {
  public var status: PermitStatus
  /// PM-2: the last day to apply for renewal.
  public var renewalDue: Day
  public var renewalLeadDays: Int
  public var renewalApplied: Day?
  public var deferredUntil: Day?
  /// Days from the evaluation date to valid_to (negative once expired).
  public var daysToExpiry: Int
  /// PM-5: expired without renewal or deferral: discharging without a valid permit.
  public var dischargingWithoutPermit: Bool
  /// RG-1: a registration past its valid_to without renewal has lapsed (条例 art. 43, not art. 33).
  public var registrationLapsed: Bool
  public var clause: String

  /// The flag a listing shows: PM-5's art. 33, RG-1's art. 43, or the overdue renewal application.
  public var flag: String {
    if dischargingWithoutPermit { return PermitRules.article33 }
    if registrationLapsed { return PermitRules.article43 }
    if status == .renewalOverdue { return "renewal application overdue (\(clause))" }
    return ""
  }
}

public enum PermitRules {
  /// PM-2: renewal due `lead` days before valid_to; the lead is the parameter in force on the
  /// expiry date (30 days for permits expiring before 2021-03-01, 60 from then).
  public static func renewalDue(validTo: Day, region: String, policy: PolicyBook) -> (
    due: Day, lead: Int, parameter: PolicyParameter?
  ) {
    let parameter = policy.lookup("pm.renewal_lead.days", region: region, asOf: validTo)
    let lead = parameter?.value.integer ?? 60
    return (validTo.adding(days: -lead), lead, parameter)
  }

  /// RG-1: a registration is renewed in the `rg.renewal_window.days` (20) days ending on valid_to;
  /// the last day to renew is valid_to itself, and the window opens `window - 1` days before it.
  public static func registrationRenewal(validTo: Day, region: String, policy: PolicyBook) -> (
    due: Day, opens: Day, window: Int, parameter: PolicyParameter?
  ) {
    let parameter = policy.lookup("rg.renewal_window.days", region: region, asOf: validTo)
    let window = max(1, parameter?.value.integer ?? 20)
    return (validTo, validTo.adding(days: -(window - 1)), window, parameter)
  }

  /// PM-3: the epidemic window in force on `day`, if any.
  public static func epidemicWindow(region: String, asOf day: Day, policy: PolicyBook) -> ClosedRange<Day>? {
    guard case .day(let start)? = policy.lookup("pm.epidemic_window.start", region: region, asOf: day)?.value,
      case .day(let end)? = policy.lookup("pm.epidemic_window.end", region: region, asOf: day)?.value, start <= end
    else { return nil }
    return start...end
  }

  /// Whether an event may be recorded on a permit: not on a superseded, cancelled or revoked
  /// permit; a deferral only inside the epidemic window with its basis and approver (PM-3); one
  /// renewal application (PM-2); a renewal only through `permit renew` (PM-4). Throws the refusal.
  public static func checkEvent(
    _ event: PermitEvent, on permit: Permit, region: String, evaluatedOn: Day, policy: PolicyBook
  ) throws {
    if permit.supersededBy != nil || permit.events.contains(where: { [.cancelled, .revoked].contains($0.kind) }) {
      throw RegistryError.refused(
        "Permit \(permit.number) is \(permit.supersededBy.map { "superseded by \($0)" } ?? "cancelled or revoked"); record events on the current permit."
      )
    }
    switch event.kind {
    case .deferralGranted:
      guard let until = event.until else {
        throw RegistryError.invalid([
          FieldProblem(field: "until", value: "", reason: "a deferral needs the date it runs until")
        ])
      }
      if let refusal = deferralRefusal(permit, until: until, region: region, evaluatedOn: evaluatedOn, policy: policy) {
        throw RegistryError.refused("Deferral refused: \(refusal).")
      }
      guard !event.approver.trimmingSpaces().isEmpty, !event.basis.trimmingSpaces().isEmpty else {
        throw RegistryError.invalid([
          FieldProblem(
            field: "approver/basis", value: "", reason: "a deferral records its legal basis and approver (PM-3)")
        ])
      }
    case .renewalApplied:
      if permit.events.contains(where: { $0.kind == .renewalApplied }) {
        throw RegistryError.refused("A renewal application is already recorded for \(permit.number).")
      }
    case .renewed:
      throw RegistryError.refused("Use 'envreg permit renew' to record a renewal: it creates the new permit.")
    default: break
    }
  }

  /// PM-3: a deferral may be granted only for a permit whose valid_to falls in the epidemic window,
  /// whatever the date the deferral is granted: the test is on valid_to alone. The window is the
  /// parameter in force on the evaluation date (27号 published it on 2020-06-03, after the window had
  /// begun, so a deferral recorded today for a permit expiring 2020-01-20 is checked against it).
  /// Returns the reason for refusing, or `nil` when it may be granted.
  public static func deferralRefusal(_ permit: Permit, until: Day, region: String, evaluatedOn: Day, policy: PolicyBook)
    -> String?
  {
    guard let window = epidemicWindow(region: region, asOf: evaluatedOn, policy: policy) else {
      return "no epidemic deferral window (pm.epidemic_window.*) is in force (PM-3)"
    }
    guard window.contains(permit.validTo) else {
      return
        """
        permit \(permit.number) expires \(permit.validTo), outside the epidemic window \(window.lowerBound) … \
        \(window.upperBound); a deferral is not allowed (PM-3, 27号 二(二))
        """
    }
    guard until > permit.validTo else {
      return "the deferral must end after the permit's valid_to \(permit.validTo) (PM-3)"
    }
    return nil
  }

  /// PM-4: the permit's state on `day`, tested in order; `window` is the report window in days for
  /// "expiring".
  public static func standing(_ permit: Permit, region: String, asOf day: Day, window: Int, policy: PolicyBook)
    -> PermitStanding
  {
    var (due, lead, parameter) = renewalDue(validTo: permit.validTo, region: region, policy: policy)
    if permit.isRegistration {
      // RG-1: the renewal is due by valid_to (no renewal-overdue state before it).
      let renewal = registrationRenewal(validTo: permit.validTo, region: region, policy: policy)
      (due, lead, parameter) = (renewal.due, renewal.window, renewal.parameter)
    }
    let applied = permit.events(.renewalApplied, onOrBefore: day).map(\.on).min()
    let deferral = permit.events(.deferralGranted, onOrBefore: day).compactMap(\.until).max()
    let renewedOn = permit.events(.renewed, onOrBefore: day).map(\.on).min()
    let status: PermitStatus
    if day < permit.issuedOn {
      status = .notIssued
    } else if !permit.events(.revoked, onOrBefore: day).isEmpty {
      status = .revoked
    } else if !permit.events(.cancelled, onOrBefore: day).isEmpty {
      status = .cancelled
    } else if renewedOn != nil {
      status = .renewed
    } else if let deferral, day <= deferral {
      status = .deferred
    } else if day > permit.validTo {
      status = .expired
    } else if day > due && applied == nil {
      status = .renewalOverdue
    } else if applied != nil {
      status = .renewalApplied
    } else if day.days(until: permit.validTo) <= window {
      status = .expiring
    } else {
      status = .valid
    }
    return PermitStanding(
      status: status, renewalDue: due, renewalLeadDays: lead, renewalApplied: applied, deferredUntil: deferral,
      daysToExpiry: day.days(until: permit.validTo),
      dischargingWithoutPermit: status == .expired && !permit.isRegistration,
      registrationLapsed: status == .expired && permit.isRegistration,
      clause: parameter?.reference ?? (permit.isRegistration ? "RG-1" : "PM-2"))
  }

  /// PM-1: the term of a permit whose dates must be derived, by its decision (issue) date: before
  /// 2021-03-01 a first issue runs 3 years and a renewal 5; from 2021-03-01, 5 years. RG-1: a
  /// registration runs 5 years. The last day is (valid_from + N years) − 1 day.
  public static func derivedValidTo(validFrom: Day, issuedOn: Day, isRenewal: Bool, permitClass: PermitClass) -> Day {
    let regulation = Day(year: 2021, month: 3, day: 1) ?? issuedOn
    let years = permitClass == .registration || isRenewal || issuedOn >= regulation ? 5 : 3
    // 02-29 + N years is 03-01 in a common year (not the clamped 02-28), so the last day is 02-28.
    let anniversary = validFrom.adding(years: years)
    let (_, month, dayOfMonth) = validFrom.parts
    let clamped = month == 2 && dayOfMonth == 29 && anniversary.parts.day == 28
    return clamped ? anniversary : anniversary.adding(days: -1)
  }

  /// The longest PM-2 lead any parameter sets (an index range reaches every permit whose renewal may be due).
  public static func longestRenewalLead(_ policy: PolicyBook) -> Int {
    policy.parameters.filter { $0.key == "pm.renewal_lead.days" }.compactMap(\.value.integer).max() ?? 60
  }

  /// PM-4, one rule for the expiry notice and the `due` calendar: a permit is on the notice of D
  /// with window W when its state is expiring, renewal-overdue, renewal-applied or deferred and its
  /// effective end (the deferral's end while deferred, else valid_to) falls in D ... D + W.
  public static func inExpiryNotice(_ standing: PermitStanding, validTo: Day, asOf: Day, within: Int) -> Bool {
    guard PermitStatus.inExpiryNotice.contains(standing.status) else { return false }
    let end = standing.status == .deferred ? (standing.deferredUntil ?? validTo) : validTo
    return asOf <= end && end <= asOf.adding(days: within)
  }

  /// The art. 33 flag text (PM-5).
  public static let article33 =
    "排污许可管理条例 art. 33: discharging without a valid permit, fine 200,000-1,000,000 yuan (PM-5)"
  /// The art. 43 flag text for a lapsed registration (RG-1).
  public static let article43 =
    "排污许可管理条例 art. 43: registration lapsed without renewal (未依照规定填报排污信息), order to correct, up to 50,000 yuan (RG-1)"
}

/// A change of name, address or legal representative that needs a permit change filing (PM-6).
public struct ChangeFiling: Sendable, Hashable {
  public var field: String
  public var changedOn: Day
  public var due: Day
  public var filedOn: Day?
  /// Not filed and past due on the evaluation date.
  public var overdue: Bool
}

extension PermitRules {
  /// PM-6: for each dated change of name, address or legal representative while the firm held a
  /// permit, the filing due date (change + 30 days) and whether a change was filed in time.
  public static func changeFilings(
    changes: [(field: String, on: Day)], permits: [Permit], region: String, asOf: Day, policy: PolicyBook
  ) -> [ChangeFiling] {
    changes.compactMap { change in
      guard ["name", "address", "legal_rep"].contains(change.field), change.on <= asOf,
        let days = policy.lookup("pm.change_filing.days", region: region, asOf: change.on)?.value.integer
      else { return nil }
      let held = permits.contains {
        $0.validFrom <= change.on
          && change.on
            <= max(
              $0.validTo, $0.events(.deferralGranted, onOrBefore: change.on).compactMap(\.until).max() ?? $0.validTo)
      }
      guard held else { return nil }
      let due = change.on.adding(days: days)
      let filed = permits.flatMap(\.events).filter { $0.kind == .changeFiled && $0.on >= change.on && $0.on <= asOf }
        .map(\.on).min()
      let late = filed.map { $0 > due } ?? (asOf > due)
      return ChangeFiling(field: change.field, changedOn: change.on, due: due, filedOn: filed, overdue: late)
    }
  }
}

extension PermitRules {
  /// PM-1: a term ends after it starts and no later than the last representable day.
  public static func termProblem(validFrom: Day, validTo: Day) -> FieldProblem? {
    guard validTo <= Day.maximum else {
      return FieldProblem(
        field: "valid_to", value: "",
        reason: "would fall after \(Day.maximum) (valid_from \(validFrom)); give --to, or a real valid_from")
    }
    guard validTo > validFrom else {
      return FieldProblem(field: "valid_to", value: validTo.description, reason: "is not after valid_from \(validFrom)")
    }
    return nil
  }
  /// ID-4: a permit number read in any accepted spelling, whose credit-code part is the holder's.
  public static func number(_ raw: String, holder: CreditCode) throws -> PermitNumber {
    switch PermitNumber.parse(raw, overriddenHolder: holder) {
    case .failure(let error):
      throw RegistryError.invalid([FieldProblem(field: "number", value: raw, reason: error.reason)])
    case .success(let number):
      guard number.holder == holder else {
        throw RegistryError.invalid([
          FieldProblem(
            field: "number", value: raw, reason: CodeError.permitHolder(number.value, holder: holder.value).reason)
        ])
      }
      return number
    }
  }
}
