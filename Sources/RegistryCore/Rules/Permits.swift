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

  public init(number: PermitNumber, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day, supersededBy: String? = nil, events: [PermitEvent] = []) {
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
  public var clause: String
}

public enum PermitRules {
  /// PM-2: renewal due `lead` days before valid_to; the lead is the parameter in force on the
  /// expiry date (30 days for permits expiring before 2021-03-01, 60 from then).
  public static func renewalDue(validTo: Day, region: String, policy: PolicyBook) -> (due: Day, lead: Int, parameter: PolicyParameter?) {
    let parameter = policy.lookup("pm.renewal_lead.days", region: region, on: validTo)
    let lead = parameter?.value.integer ?? 60
    return (validTo.adding(days: -lead), lead, parameter)
  }

  /// PM-3: the epidemic window in force on `day`, if any.
  public static func epidemicWindow(region: String, on day: Day, policy: PolicyBook) -> ClosedRange<Day>? {
    guard case .day(let start)? = policy.lookup("pm.epidemic_window.start", region: region, on: day)?.value,
      case .day(let end)? = policy.lookup("pm.epidemic_window.end", region: region, on: day)?.value, start <= end
    else { return nil }
    return start...end
  }

  /// PM-3: a deferral may be granted only for a permit whose valid_to falls in the epidemic window.
  /// Returns the reason for refusing, or `nil` when it may be granted.
  public static func deferralRefusal(_ permit: Permit, until: Day, region: String, grantedOn: Day, policy: PolicyBook) -> String? {
    guard let window = epidemicWindow(region: region, on: grantedOn, policy: policy) ?? epidemicWindow(region: region, on: permit.validTo, policy: policy) else {
      return "no epidemic deferral window (pm.epidemic_window.*) is in force (PM-3)"
    }
    guard window.contains(permit.validTo) else {
      return "permit \(permit.number) expires \(permit.validTo), outside the epidemic window \(window.lowerBound) … \(window.upperBound); a deferral is not allowed (PM-3, 27号 二(二))"
    }
    guard until > permit.validTo else { return "the deferral must end after the permit's valid_to \(permit.validTo) (PM-3)" }
    return nil
  }

  /// PM-4: the permit's state on `day`, tested in order; `window` is the report window in days for
  /// "expiring".
  public static func standing(_ permit: Permit, region: String, on day: Day, window: Int, policy: PolicyBook) -> PermitStanding {
    let (due, lead, parameter) = renewalDue(validTo: permit.validTo, region: region, policy: policy)
    let applied = permit.events(.renewalApplied, onOrBefore: day).map(\.on).min()
    let deferral = permit.events(.deferralGranted, onOrBefore: day).compactMap(\.until).max()
    let renewedOn = permit.events(.renewed, onOrBefore: day).map(\.on).min()
    let status: PermitStatus
    if !permit.events(.revoked, onOrBefore: day).isEmpty {
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
      daysToExpiry: day.days(until: permit.validTo), dischargingWithoutPermit: status == .expired,
      clause: parameter?.reference ?? "PM-2")
  }

  /// PM-1: the term of a permit whose dates must be derived: first issue 3 years and renewal 5
  /// years before 2021-03-01; 5 years from 2021-03-01 (the day before the anniversary is the last day).
  public static func derivedValidTo(validFrom: Day, isRenewal: Bool) -> Day {
    let years = validFrom >= (Day("2021-03-01") ?? validFrom) || isRenewal ? 5 : 3
    return validFrom.adding(years: years).adding(days: -1)
  }

  /// The art. 33 flag text (PM-5).
  public static let article33 = "排污许可管理条例 art. 33: discharging without a valid permit, fine 200,000-1,000,000 yuan (PM-5)"
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
  public static func changeFilings(changes: [(field: String, on: Day)], permits: [Permit], region: String, asOf: Day, policy: PolicyBook) -> [ChangeFiling] {
    changes.compactMap { change in
      guard ["name", "address", "legal_rep"].contains(change.field), change.on <= asOf,
        let days = policy.lookup("pm.change_filing.days", region: region, on: change.on)?.value.integer
      else { return nil }
      let held = permits.contains { $0.validFrom <= change.on && change.on <= max($0.validTo, $0.events(.deferralGranted, onOrBefore: change.on).compactMap(\.until).max() ?? $0.validTo) }
      guard held else { return nil }
      let due = change.on.adding(days: days)
      let filed = permits.flatMap(\.events).filter { $0.kind == .changeFiled && $0.on >= change.on && $0.on <= asOf }.map(\.on).min()
      let late = filed.map { $0 > due } ?? (asOf > due)
      return ChangeFiling(field: change.field, changedOn: change.on, due: due, filedOn: filed, overdue: late)
    }
  }
}
