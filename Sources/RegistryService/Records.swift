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

/// What `enterprise list` and `export` select.
public struct EnterpriseFilter: Sendable {
  public enum Sort: String, CaseIterable, Sendable { case code, name, region, industry, registered }

  /// A GB/T 2260 code or prefix: `42` or `420000` lists all of Hubei, `4201` or `420100` Wuhan.
  public var regionPrefix: String?
  /// A GB/T 4754 code prefix: `26` lists every 26xx class.
  public var industryPrefix: String?
  /// Only firms inside a key-region set in force on `asOf` (`nil` = no filter).
  public var keyRegion: KeyRegionFilter?
  public var permitClass: PermitClass?
  public var grade: PerformanceGrade?
  public var status: EnterpriseStatus?
  /// Only firms registered by an ID-7 override (the data-quality listing).
  public var nonconformingOnly = false
  /// A substring of the name (works for Chinese text).
  public var nameContains: String?
  public var asOf: Day
  public var sort: Sort = .code
  public var limit: Int?
  public var offset: Int = 0

  public enum KeyRegionFilter: Sendable, Equatable {
    case any
    case set(RegionSet.Key)
  }

  public init(asOf: Day) { self.asOf = asOf }
}

/// One dated change of an enterprise fact (RULES PM-6 reads name, address and legal_rep changes).
public struct EnterpriseChange: Sendable, Equatable {
  public var field: String
  public var oldValue: String?
  public var newValue: String?
  public var effectiveOn: Day
  public var auditID: Int
  public var recordedAt: String
  public var actor: String
  public var action: String

  public init(
    field: String, oldValue: String?, newValue: String?, effectiveOn: Day, auditID: Int, recordedAt: String,
    actor: String, action: String
  ) {
    self.field = field
    self.oldValue = oldValue
    self.newValue = newValue
    self.effectiveOn = effectiveOn
    self.auditID = auditID
    self.recordedAt = recordedAt
    self.actor = actor
    self.action = action
  }
}

/// The outcome of `Store.verifyAudit()`.
public struct AuditVerification: Sendable {
  public var rowsChecked: Int
  /// The head now: rows and the last hash (what `audit head` prints for the bureau to keep).
  public var head: AuditHead
  /// Human-readable findings: a broken link names the row and what is wrong with it.
  public var problems: [String]
  /// What is worth knowing and is not damage: an interrupted import whose staged rows are invisible.
  public var notes: [String] = []
  public var isIntact: Bool { problems.isEmpty }
  public init(rowsChecked: Int, head: AuditHead, problems: [String]) {
    self.rowsChecked = rowsChecked
    self.head = head
    self.problems = problems
  }
}

/// The audit trail's head: `rows:hash`, the form `audit head` prints and `--anchor` takes.
public struct AuditHead: Sendable, Equatable, CustomStringConvertible {
  public var rows: Int
  public var hash: String
  public init(rows: Int, hash: String) {
    self.rows = rows
    self.hash = hash
  }
  public init?(_ text: String) {
    let parts = text.trimmingSpaces().split(separator: ":")
    guard parts.count == 2, let rows = Int(parts[0]), rows >= 0, parts[1].utf8.count == 64,
      parts[1].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
    else { return nil }
    self.init(rows: rows, hash: String(parts[1]))
  }
  public var description: String { "\(rows):\(hash)" }
}

/// The text encodings envreg reads CSV in: UTF-8 (with or without BOM) and GB18030, the default of
/// Chinese Excel. `auto` reads the whole file first: valid UTF-8 throughout (or a BOM) means UTF-8;
/// no line that is non-ASCII UTF-8 means GB18030; both kinds of line is a mixed file, refused
/// naming the first line in the minority encoding.
public enum TextEncoding: String, CaseIterable, Sendable {
  case auto, utf8 = "utf-8", gb18030
}

/// How `enterprise import` reads and what it does with bad rows.
public struct ImportOptions: Sendable {
  public var encoding: TextEncoding = .auto
  /// `--skip-invalid FILE`: load the good rows and write each rejected row, with its reason, here.
  /// When `nil`, any bad row aborts the whole import and nothing is written.
  public var rejectFile: String?
  /// `--force`: the reject file may replace an existing file (never the registry or the input).
  public var force = false
  /// `--sheet`: the sheet of a workbook to read (default: its first).
  public var sheet: String?
  /// The date the history rows of changed facts carry.
  public var effectiveOn: Day
  /// The default `registered_on` of new enterprises.
  public var asOf: Day
  /// Called every 10,000 rows with the number of rows read so far.
  public var progress: (@Sendable (Int) -> Void)?
  /// The signed-in account importing (the server; nil on the command line): every row's firm must be
  /// one it may write (`AccessRules`, `.writeFirm`), and a row about any other firm is refused with
  /// the reason, as a bad value is.
  public var account: Account?

  /// Why the importing account may not write a firm sited in `region` (nil: it may).
  public func refusal(region: String) -> String? {
    account.flatMap { AccessRules.refusal($0, .writeFirm(region: region)) }
  }

  public init(effectiveOn: Day, asOf: Day) {
    self.effectiveOn = effectiveOn
    self.asOf = asOf
  }
}

/// What an import did.
public struct ImportReport: Sendable, Equatable {
  public var rows = 0
  public var inserted = 0
  public var updated = 0
  public var unchanged = 0
  public var rejected = 0
  public var warningCount = 0
  /// The first warnings (ID-2, ID-3, ignored columns); `warningCount` has the total.
  public var warnings: [String] = []
  public var encoding: String = ""
  public var auditID: Int = 0

  public init() {}

  public var record: Fields {
    Fields([
      ("rows", .int(rows)), ("inserted", .int(inserted)), ("updated", .int(updated)), ("unchanged", .int(unchanged)),
      ("rejected", .int(rejected)), ("warnings", .int(warningCount)), ("encoding", .text(encoding)),
      ("audit_id", .int(auditID)),
    ])
  }
}

/// A firm's designations (with their document numbers), incidents (with notes) and ledger items,
/// as its profile lists them.
public struct FirmRecords: Sendable {
  public var designations: [(DesignationFact, reference: String)] = []
  public var incidents: [(IncidentFact, note: String)] = []
  public var ledger: [LedgerLine] = []
  public init() {}
}

extension EnterpriseFilter {
  /// The GB/T 2260 code prefixes of the key-region sets the filter selects, in force on `asOf`
  /// (nil: no key-region filter; empty: no set in force, so no firm).
  public var keyRegionPrefixes: [String]? {
    guard let keyRegion else { return nil }
    let sets = KeyRegions.inForce(on: asOf).filter { set in
      if case .set(let key) = keyRegion { return set.key == key }
      return true
    }
    return Set(sets.flatMap(\.members).map(Divisions.prefix(of:))).sorted()
  }
}

extension EnterpriseFilter.Sort {
  /// The enterprise columns that give this order (the credit code breaks ties), as SQL.
  public var orderBy: String {
    switch self {
    case .code: "credit_code"
    case .name: "name, credit_code"
    case .region: "region_code, credit_code"
    case .industry: "industry_code, credit_code"
    case .registered: "registered_on, credit_code"
    }
  }
}
