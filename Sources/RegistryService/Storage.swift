import RegistryCore

/// The storage seam: what the registry service needs from a storage engine, and nothing of how it
/// stores. The SQLite storage (`RegistryStore`) implements it; a PostgreSQL storage implements
/// the same protocol and the same service, CLI and server run on it.
///
/// Reads each run in one consistent snapshot and stream their rows to a closure (memory stays
/// flat at any registry size). Writes go through `write`: one transaction in which the service
/// reads what it decides on, appends the audit entry and writes the rows; all of it commits, or
/// none of it.
///
/// The protocol is synchronous. SQLite is a synchronous library, the rules are pure functions, and a
/// command-line run is one thread; the asynchronous callers (a web server's handlers, a PostgresNIO
/// client) bridge at their edge: the server runs a service call on a thread pool, never on an event
/// loop, and a PostgreSQL storage waits for its client's results on that thread. One bridge at the
/// edge keeps the service and the rules free of `async` and testable without an event loop.
/// A value bound to a portable statement, typed for the engine (PostgreSQL binds text and bigint
/// apart).
public typealias SQLArgument = EnforcementRows.Argument

public protocol RegistryStorage: AnyObject, Sendable {
  /// The policy parameters in the registry: national ones and local overrides, each dated.
  func policyBook() throws -> PolicyBook
  /// Permits whose PM-2 / PM-4 clocks may fall inside `within` days of `asOf`.
  func forEachPermitClock(asOf: Day, within: Int, regionPrefix: String?, _ body: (HeldPermit) throws -> Void) throws
  /// Fines (of a region or debtor; decided by a date; unsettled on a date) with arrangements,
  /// payments and suspensions.
  func forEachFine(
    regionPrefix: String?, debtor: CreditCode?, decidedBy: Day?, unsettledOn: Day?, _ body: (OwedFine) throws -> Void)
    throws
  /// Retrofits (of a region or firm) with stages and measurements.
  func forEachRetrofit(regionPrefix: String?, owner: CreditCode?, _ body: (FirmRetrofit) throws -> Void) throws
  /// Ledger items in report order with their entries; the filter's as-of tests applied.
  func forEachLedgerLine(_ filter: LedgerFilter, _ body: (LedgerLine) throws -> Void) throws
  /// PM-6: changes of name, address or legal representative dated on or after `since` (of a
  /// region), by firm code then date; `changeFilings` decides their filings.
  func permitRelevantChanges(since: Day, regionPrefix: String?) throws -> [(
    code: String, name: String, region: String, field: String, on: Day
  )]
  /// One ledger item with its entries.
  func ledgerItem(_ id: Int) throws -> LedgerLine

  /// Firms selected by a filter, in its order.
  func forEachEnterprise(_ filter: EnterpriseFilter, _ body: (Enterprise) throws -> Void) throws
  /// How many firms a filter selects (without its paging).
  func countEnterprises(_ filter: EnterpriseFilter) throws -> Int
  /// A registered firm, or nil.
  func enterprise(_ code: CreditCode) throws -> Enterprise?
  /// Whether a firm was registered by an ID-7 override.
  func hasCodeOverride(_ code: CreditCode) throws -> Bool
  /// A firm's dated changes, oldest first.
  func enterpriseHistory(_ code: CreditCode) throws -> [EnterpriseChange]
  /// A firm's facts as the rules read them.
  func facts(_ code: CreditCode) throws -> FirmFacts
  /// Every firm's facts, one firm at a time in one snapshot (the sweeps).
  func forEachFirmFacts(_ body: (FirmFacts) throws -> Void) throws
  /// Current members of a list on a date (of a region).
  func members(of list: PositiveList, on day: Day, regionPrefix: String?) throws -> [Membership]
  /// A firm's memberships, revoked ones too.
  func memberships(of code: CreditCode) throws -> [Membership]
  /// The verdict trace stored with an admission.
  func admissionTrace(_ code: CreditCode, list: PositiveList, admittedOn: Day) throws -> String?
  /// A permit by number with its holder and events.
  func permit(_ number: String) throws -> HeldPermit
  /// Permits selected by a filter.
  func forEachPermit(_ filter: PermitFilter, _ body: (HeldPermit) throws -> Void) throws
  /// Every permit of one firm, renewed ones included.
  func permits(of holder: CreditCode) throws -> [HeldPermit]
  /// A fine by decision number.
  func fine(_ decision: String) throws -> OwedFine
  /// A retrofit project by id.
  func retrofit(_ id: Int) throws -> FirmRetrofit
  /// A firm's designations, incidents and ledger items (its profile's last sections).
  func firmRecords(_ code: CreditCode) throws -> FirmRecords
  /// How many rows of each bundled code table the registry holds.
  func referenceCounts() throws -> [String: Int]

  /// Audit rows, oldest first (of one entity, since a date, at most `limit`).
  func auditLog(entityKey: String?, since: Day?, limit: Int?) throws -> [AuditEntry]
  /// The audit trail's head (rows and last hash).
  func auditHead() throws -> AuditHead
  /// Everything `audit verify` checks (chain, anchor, seals, integrity).
  func verifyAudit(anchor: AuditHead?) throws -> AuditVerification
  /// A consistent copy of the whole registry into a new file; returns its audit head.
  func backup(to file: String) throws -> AuditHead
  /// The files no output may be written over (the registry and its companions).
  var protectedPaths: [String] { get }

  /// Imports the records of a file (read at the edge) as `kind`; bad rows go to `rejects` when
  /// given, else the import is refused whole. All or nothing. Enterprises are staged the engine's own
  /// way; every other kind is `RecordImports.run` on the storage's transactions.
  func importRecords(
    _ kind: ImportKind, _ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> ImportReport

  /// The rows of a portable statement (`?` placeholders, every column read as text), in one
  /// snapshot: the tables whose statements and decoding the service keeps (`ProjectRows`), so no
  /// engine holds its own copy.
  func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]]

  /// Runs `body` in one write transaction (serialised with every other writer of the registry).
  func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T

  /// The same registry, its writes audited under `actor` (the server's signed-in user).
  func acting(as actor: String) -> any RegistryStorage

  /// Runs `body` with all its reads of this storage in one snapshot (one read transaction). For
  /// reads only: `body` must not write.
  func snapshot<T>(_ body: () throws -> T) throws -> T

  // MARK: Accounts (the served registry)

  /// Every account, by name.
  func accounts() throws -> [Account]
  /// An account by name, or nil.
  func account(named name: String) throws -> Account?
  /// The account owning a live (unrevoked) token with this SHA-256, or nil.
  func account(tokenHash: String) throws -> Account?
  /// The tokens of an account, revoked ones too.
  func tokens(of name: String) throws -> [APIToken]

  // MARK: Enforcement planning (RULES §9, §10)

  /// The roster: every inspector (disabled ones too) with their declared conflicts, by staff number.
  func inspectors() throws -> [Inspector]
  /// RD-1: the firms drawn by a draw whose period overlaps `first`…`last`, or inspected (a result
  /// found from `first` up to `until`), counting only draws before `beforeDraw` when given.
  func drawnFirms(first: Day, last: Day, beforeDraw: Int?, until: Day) throws -> Set<String>
  /// A draw with its picks and results.
  func draw(_ id: Int) throws -> StoredDraw
  /// The newest draw's id (0 when none).
  func latestDrawID() throws -> Int
  /// Every draw of a region selection, newest first.
  func draws(regionPrefix: String?) throws -> [StoredDraw]
  /// Weather alerts whose region covers or lies inside the selection (every alert without one).
  func weatherAlerts(regionPrefix: String?) throws -> [WeatherAlert]
  /// HW-6: each firm's latest emission baseline per pollutant up to `year`, by credit code.
  func emissionBaselines(regionPrefix: String, year: Int) throws -> [String: [WeatherPollutant: Int]]
}

/// What a file holds: each kind has its importer (columns in the README).
public enum ImportKind: String, CaseIterable, Sendable {
  case enterprises, designations, incidents, permits, fines, ledger, retrofits, measurements, projects
  case approvalEvents = "approval-events"
}

/// The rows of a file to import, read at the edge (a CSV file in either encoding today; a
/// spreadsheet or an upload tomorrow): the header first, then each row with its line number.
public protocol RecordSource: AnyObject {
  /// The file's name, for the audit trail and messages.
  var name: String { get }
  /// The encoding the rows were read in (reported with the import's counts).
  var encodingName: String { get }
  /// Hands every record to `body`, in order; a malformed row carries its problem.
  func forEach(_ body: (CSVParser.Record) throws -> Void) throws
}

/// Where an import puts the rows it rejects (`--skip-invalid FILE`): written as they are found,
/// made whole by `commit` inside the import's last transaction, removed by `abandon` on failure.
public protocol RejectSink: AnyObject {
  func write(line: Int, problems: [String], fields: [String]) throws
  func commit() throws
  func abandon()
}

/// What the service may do inside one write transaction.
public protocol StorageTransaction {
  /// Runs a portable statement in this transaction (`?` placeholders; an INSERT … RETURNING gives
  /// its rows), every column read as text.
  func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]]
  /// Appends the audit entry of this change (the actor is the storage's) and returns its id, which
  /// the rows written after it name.
  func audit(action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64
  /// One ledger item with its entries, as of this transaction.
  func ledgerItem(_ id: Int) throws -> LedgerLine
  /// Appends a dated entry to a ledger item and moves its state when the entry has a destination.
  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws
  /// A permit (by number in any accepted spelling) with its holder and events.
  func permit(_ number: String) throws -> HeldPermit
  /// Appends a dated event to a permit.
  func appendPermitEvent(permit number: String, _ event: PermitEvent, auditID: Int64) throws
  /// A firm's facts as the rules read them (the enterprise, designations, incidents, penalties,
  /// permits, memberships), as of this transaction.
  func facts(_ code: CreditCode) throws -> FirmFacts
  /// Records an admission with its trace (the storage's actor admits) and returns the membership.
  func insertMembership(_ code: CreditCode, list: PositiveList, on day: Day, _ admission: Admission, auditID: Int64)
    throws -> Membership
  /// The decision number recorded under a canonical key (ID-8), if any.
  func recordedDecision(key: String) throws -> String?
  /// Records a fine against a registered debtor.
  func insertFine(_ fine: Fine, debtor: CreditCode, auditID: Int64) throws
  /// A fine (by its decision number in any spelling with the same canonical key) with everything
  /// recorded about it.
  func fine(_ decision: String) throws -> OwedFine
  /// Records a deferral or instalment plan of a fine.
  func insertArrangement(decision: String, _ arrangement: FineArrangement, auditID: Int64) throws
  /// Records a payment of a fine.
  func insertPayment(decision: String, _ payment: FinePayment, auditID: Int64) throws
  /// Records a review or litigation period: the end of the open one of the same kind and start when
  /// it gives an end, else a new period.
  func recordSuspension(decision: String, _ suspension: FineSuspension, auditID: Int64) throws
  /// A registered firm (not one staged by an import still running), or nil.
  func enterprise(_ code: CreditCode) throws -> Enterprise?
  /// Whether an import still running has staged this credit code.
  func isStaged(_ code: CreditCode) throws -> Bool
  /// Registers a new firm.
  func insertEnterprise(_ firm: Enterprise, auditID: Int64) throws
  /// Writes a firm's new facts, each changed field a history row effective on `effectiveOn`.
  func updateEnterprise(from old: Enterprise, to new: Enterprise, effectiveOn: Day, auditID: Int64) throws
  /// Marks a firm deregistered (`closed` carries the date and reason), with its status history row.
  func closeEnterprise(_ closed: Enterprise, auditID: Int64) throws
  /// A retrofit project with its firm, stages and measurements.
  func retrofit(_ id: Int) throws -> FirmRetrofit
  /// Whether the firm already has a project for this facility.
  func hasRetrofit(owner: CreditCode, facility: String) throws -> Bool
  /// Records a retrofit project and returns its id.
  func insertRetrofit(_ retrofit: Retrofit, owner: CreditCode, auditID: Int64) throws -> Int
  /// Records a project's move to a stage on a date.
  func insertStage(retrofitID: Int, _ stage: RetrofitStage, on day: Day, note: String, auditID: Int64) throws
  /// Records a stack measurement of a project.
  func insertMeasurement(retrofitID: Int, _ measurement: Measurement, auditID: Int64) throws
  /// Records a ledger item (state 待整改) and returns it.
  func insertLedgerItem(_ item: LedgerItem, firm: CreditCode, auditID: Int64) throws -> LedgerLine
  /// The membership of a firm in a list current on `day`, if any.
  func currentMembership(_ code: CreditCode, list: PositiveList, on day: Day) throws -> Membership?
  /// Marks a current membership revoked on a date.
  func revokeMembership(_ membership: Membership, on day: Day, reason: String, seriousViolation: Bool, auditID: Int64)
    throws
  /// Records a designation (epidemic supplier, major project ...) of a firm.
  func insertDesignation(_ code: CreditCode, _ designation: DesignationFact, reference: String, auditID: Int64) throws
  /// Records an incident (emergency, crime, serious violation, penalty) of a firm.
  func insertIncident(_ code: CreditCode, _ incident: IncidentFact, note: String, auditID: Int64) throws
  /// Whether a permit number is recorded.
  func hasPermit(_ number: PermitNumber) throws -> Bool
  /// Records a permit of a firm.
  func insertPermit(
    _ number: PermitNumber, holder: CreditCode, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day,
    auditID: Int64) throws
  /// Records a renewal: the new permit (holder and class of the old one), the old one superseded
  /// by it, and the old one's `renewed` event.
  func insertRenewal(
    of old: String, as number: PermitNumber, issuedOn: Day, validFrom: Day, validTo: Day, auditID: Int64) throws
  /// Whether a parameter is recorded for this key, jurisdiction and start.
  func hasPolicy(key: String, jurisdiction: Jurisdiction, from: Day) throws -> Bool
  /// Records a dated policy parameter.
  func insertPolicy(_ parameter: PolicyParameter, auditID: Int64) throws
  /// The storage's clock (ISO 8601 UTC), as audit rows record it.
  var now: String { get }
  /// An account by name, as of this transaction.
  func account(named name: String) throws -> Account?
  /// Records a new account.
  func insertAccount(_ account: Account, auditID: Int64) throws
  /// Writes an account's role, region, password hash and disabled time.
  func updateAccount(_ account: Account, auditID: Int64) throws
  /// Records a token (its SHA-256) of an account and returns its id.
  func insertToken(account: String, tokenHash: String, label: String, createdAt: String, auditID: Int64) throws -> Int
  /// Marks a token revoked; false when the account has no live token with this id.
  func revokeToken(account: String, id: Int, at: String, auditID: Int64) throws -> Bool

  // MARK: What the imports look up and write (RecordImports)

  /// Rewrites the `after` of an audit row written earlier in this transaction (an import's counts,
  /// once known), recomputing its hash.
  func completeAudit(id: Int64, after: Value) throws
  /// Whether the firm has a designation of this kind starting on this day.
  func hasDesignation(_ code: CreditCode, kind: DesignationKind, from: Day) throws -> Bool
  /// Whether the firm has this incident (kind, day, reference).
  func hasIncident(_ code: CreditCode, kind: IncidentKind, on day: Day, reference: String) throws -> Bool
  /// Whether the firm has a ledger item found on this day with this description.
  func hasLedgerItem(_ code: CreditCode, foundOn: Day, description: String) throws -> Bool
  /// The firm's retrofit project for a facility, if any.
  func retrofitID(owner: CreditCode, facility: String) throws -> Int?
  /// Whether this measurement (pollutant, day, body) is recorded for the project.
  func hasMeasurement(retrofitID: Int, pollutant: Pollutant, on day: Day, by body: String) throws -> Bool
  // MARK: Enforcement planning (RULES §9, §10)

  /// An inspector by staff number, with their conflicts.
  func inspector(staffNo: String) throws -> Inspector?
  /// Records an inspector of the roster.
  func insertInspector(_ inspector: Inspector, auditID: Int64) throws
  /// Enables or disables an inspector.
  func setInspectorActive(staffNo: String, active: Bool, auditID: Int64) throws
  /// Records a declared conflict between an inspector and a firm.
  func insertConflict(staffNo: String, firm: CreditCode, reason: String, on day: Day, auditID: Int64) throws
  /// The newest draw's id (0 when none): a draw checks nobody drew meanwhile.
  func latestDrawID() throws -> Int
  /// Records a draw, its snapshot and picks; returns its id.
  func insertDraw(_ snapshot: DrawSnapshot, picks: [DrawPick], auditID: Int64) throws -> Int
  /// A draw with its picks and results, as of this transaction.
  func draw(_ id: Int) throws -> StoredDraw
  /// Records what the inspection of a drawn firm found.
  func insertInspectionResult(drawID: Int, firm: CreditCode, _ result: InspectionResult, auditID: Int64) throws
  /// Records a weather alert; returns its id.
  func insertWeatherAlert(_ alert: WeatherAlert, auditID: Int64) throws -> Int
  /// Whether the firm has a baseline of this pollutant for this year.
  func hasBaseline(_ firm: CreditCode, pollutant: WeatherPollutant, year: Int) throws -> Bool
  /// Records a firm's emission baseline (HW-6).
  func insertBaseline(_ firm: CreditCode, _ baseline: EmissionBaseline, auditID: Int64) throws

  /// Marks a permit renewed by a newer one of the same holder (its `renewed` event), as an imported
  /// renewal does: the new permit keeps its own class and dates.
  func markSuperseded(_ old: String, by number: PermitNumber, on day: Day, auditID: Int64) throws
}
