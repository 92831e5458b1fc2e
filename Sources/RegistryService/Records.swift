import RegistryCore

// The records the storage protocol reads and the service returns: domain values with what a
// listing shows beside them (the firm's code, name and region). No database type appears here.

/// A permit with its holder, as listings show it.
public struct HeldPermit: Sendable {
  public var permit: Permit
  public var holder: CreditCode
  public var holderName: String
  public var regionCode: String
  public init(permit: Permit, holder: CreditCode, holderName: String, regionCode: String) {
    self.permit = permit
    self.holder = holder
    self.holderName = holderName
    self.regionCode = regionCode
  }
}

/// Which permits `permit list`, `expiring` and `due` read.
public struct PermitFilter: Sendable {
  public var regionPrefix: String?
  public var permitClass: PermitClass?
  /// Only permits whose valid_to is on or before this day (an index range on `valid_to`).
  public var validToOnOrBefore: Day?
  /// Only permits whose valid_to is on or after this day.
  public var validToOnOrAfter: Day?
  /// Leave out permits superseded by a renewal (as of `asOf` when set: a renewal dated later does
  /// not count yet), and permits not yet issued on `asOf`.
  public var currentOnly = true
  /// The evaluation date: what is dated after it is ignored (Conventions).
  public var asOf: Day?
  /// Only permits with a deferral granted (on or before `asOf`).
  public var deferredOnly = false
  /// Stream in expiry order (valid_to, then id) instead of id order: the expiry notice's urgency.
  public var byExpiry = false
  /// Only this holder's permits.
  public var holder: CreditCode?
  public init() {}
}

/// A fine with its debtor.
public struct OwedFine: Sendable {
  public var fine: Fine
  public var debtor: CreditCode
  public var debtorName: String
  public var regionCode: String
  public init(fine: Fine, debtor: CreditCode, debtorName: String, regionCode: String) {
    self.fine = fine
    self.debtor = debtor
    self.debtorName = debtorName
    self.regionCode = regionCode
  }
}

/// A retrofit with its firm.
public struct FirmRetrofit: Sendable {
  public var retrofit: Retrofit
  public var owner: CreditCode
  public var ownerName: String
  public var regionCode: String
  public init(retrofit: Retrofit, owner: CreditCode, ownerName: String, regionCode: String) {
    self.retrofit = retrofit
    self.owner = owner
    self.ownerName = ownerName
    self.regionCode = regionCode
  }
}

/// What `ledger list` and `ledger report` select.
public struct LedgerFilter: Sendable {
  public var regionPrefix: String?
  public var state: LedgerState?
  public var itemClass: LedgerClass?
  public var source: LedgerSource?
  public var problemType: String?
  public var responsibleUnit: String?
  public var overdueOnly = false
  public var foundFrom: Day?
  public var foundTo: Day?
  public var dueFrom: Day?
  public var dueTo: Day?
  /// Report period: items found by `activeTo` and not closed before `activeFrom`.
  public var activeFrom: Day?
  public var activeTo: Day?
  public var asOf: Day
  public init(asOf: Day) { self.asOf = asOf }
}

/// A positive-list membership as stored: never overwritten; revocation adds a date and reason.
public struct Membership: Sendable {
  public var creditCode: String
  public var name: String
  public var regionCode: String
  public var list: PositiveList
  public var category: String
  public var admittedOn: Day
  public var validUntil: Day
  public var admittedBy: String
  public var overrideReason: String?
  public var revokedOn: Day?
  public var revokeReason: String?
  public var seriousViolation: Bool

  public init(
    creditCode: String, name: String, regionCode: String, list: PositiveList, category: String, admittedOn: Day,
    validUntil: Day, admittedBy: String, overrideReason: String?, revokedOn: Day?, revokeReason: String?,
    seriousViolation: Bool
  ) {
    self.creditCode = creditCode
    self.name = name
    self.regionCode = regionCode
    self.list = list
    self.category = category
    self.admittedOn = admittedOn
    self.validUntil = validUntil
    self.admittedBy = admittedBy
    self.overrideReason = overrideReason
    self.revokedOn = revokedOn
    self.revokeReason = revokeReason
    self.seriousViolation = seriousViolation
  }
}

/// One finding of `lists review`.
///
/// For `noLongerQualifies` the verdict carries the full trace; for `nowQualifies` it carries the
/// outcomes and categories with empty trace text (the sweep does not format what it does not show).
public struct ReviewFinding: Sendable {
  public enum Kind: String, Sendable {
    /// A current member whose verdict is no longer `eligible`.
    case noLongerQualifies = "no-longer-qualifies"
    /// An active non-member that is now eligible.
    case nowQualifies = "now-qualifies"
  }
  public var kind: Kind
  public var firm: Enterprise
  public var verdict: Verdict
  public init(kind: Kind, firm: Enterprise, verdict: Verdict) {
    self.kind = kind
    self.firm = firm
    self.verdict = verdict
  }
}
