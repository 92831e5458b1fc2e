import RegistryCore

/// A storage transaction of a signed-in account: every firm it reads to change, and every row it
/// writes about a firm, is checked against the account's rights (`AccessRules`) before anything
/// is written, inside the same transaction, so a refusal leaves the registry untouched and a firm
/// cannot move out of reach between the check and the write.
struct GuardedTransaction: StorageTransaction {
  let inner: any StorageTransaction
  let account: Account

  private func check(_ access: Access) throws {
    if let refusal = AccessRules.refusal(account, access) { throw RegistryError.forbidden(refusal) }
  }

  private func checkFirm(region: String) throws { try check(.writeFirm(region: region)) }

  private func checkFirm(_ code: CreditCode) throws {
    if let firm = try inner.enterprise(code) { try checkFirm(region: firm.regionCode) }
  }

  var now: String { inner.now }

  /// The service checks the rows it writes through portable statements itself (`authorize` with the
  /// region read in this transaction) before it runs them.
  func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]] { try inner.texts(sql, arguments) }

  func audit(action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64 {
    try inner.audit(action: action, entityType: entityType, entityKey: entityKey, before: before, after: after)
  }

  func ledgerItem(_ id: Int) throws -> LedgerLine {
    let line = try inner.ledgerItem(id)
    try checkFirm(region: line.regionCode)
    return line
  }

  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws {
    try checkFirm(region: try inner.ledgerItem(itemID).regionCode)
    try inner.appendLedgerEntry(itemID: itemID, entry, auditID: auditID)
  }

  func permit(_ number: String) throws -> HeldPermit {
    let held = try inner.permit(number)
    try checkFirm(region: held.regionCode)
    return held
  }

  func appendPermitEvent(permit number: String, _ event: PermitEvent, auditID: Int64) throws {
    _ = try permit(number)
    try inner.appendPermitEvent(permit: number, event, auditID: auditID)
  }

  func facts(_ code: CreditCode) throws -> FirmFacts {
    let facts = try inner.facts(code)
    try checkFirm(region: facts.enterprise.regionCode)
    return facts
  }

  func insertMembership(_ code: CreditCode, list: PositiveList, on day: Day, _ admission: Admission, auditID: Int64)
    throws -> Membership
  {
    try checkFirm(code)
    return try inner.insertMembership(code, list: list, on: day, admission, auditID: auditID)
  }

  func recordedDecision(key: String) throws -> String? { try inner.recordedDecision(key: key) }

  func insertFine(_ fine: Fine, debtor: CreditCode, auditID: Int64) throws {
    try checkFirm(debtor)
    try inner.insertFine(fine, debtor: debtor, auditID: auditID)
  }

  func fine(_ decision: String) throws -> OwedFine {
    let owed = try inner.fine(decision)
    try checkFirm(region: owed.regionCode)
    return owed
  }

  func insertArrangement(decision: String, _ arrangement: FineArrangement, auditID: Int64) throws {
    _ = try fine(decision)
    try inner.insertArrangement(decision: decision, arrangement, auditID: auditID)
  }

  func insertPayment(decision: String, _ payment: FinePayment, auditID: Int64) throws {
    _ = try fine(decision)
    try inner.insertPayment(decision: decision, payment, auditID: auditID)
  }

  func recordSuspension(decision: String, _ suspension: FineSuspension, auditID: Int64) throws {
    _ = try fine(decision)
    try inner.recordSuspension(decision: decision, suspension, auditID: auditID)
  }

  func enterprise(_ code: CreditCode) throws -> Enterprise? {
    let firm = try inner.enterprise(code)
    if let firm { try checkFirm(region: firm.regionCode) }
    return firm
  }

  func isStaged(_ code: CreditCode) throws -> Bool { try inner.isStaged(code) }

  func insertEnterprise(_ firm: Enterprise, auditID: Int64) throws {
    try checkFirm(region: firm.regionCode)
    try inner.insertEnterprise(firm, auditID: auditID)
  }

  func updateEnterprise(from old: Enterprise, to new: Enterprise, effectiveOn: Day, auditID: Int64) throws {
    // Moving a firm is changing it twice: where it was and where it goes must both be in reach.
    try checkFirm(region: old.regionCode)
    try checkFirm(region: new.regionCode)
    try inner.updateEnterprise(from: old, to: new, effectiveOn: effectiveOn, auditID: auditID)
  }

  func closeEnterprise(_ closed: Enterprise, auditID: Int64) throws {
    try checkFirm(region: closed.regionCode)
    try inner.closeEnterprise(closed, auditID: auditID)
  }

  func retrofit(_ id: Int) throws -> FirmRetrofit {
    let project = try inner.retrofit(id)
    try checkFirm(region: project.regionCode)
    return project
  }

  func hasRetrofit(owner: CreditCode, facility: String) throws -> Bool {
    try inner.hasRetrofit(owner: owner, facility: facility)
  }

  func insertRetrofit(_ retrofit: Retrofit, owner: CreditCode, auditID: Int64) throws -> Int {
    try checkFirm(owner)
    return try inner.insertRetrofit(retrofit, owner: owner, auditID: auditID)
  }

  func insertStage(retrofitID: Int, _ stage: RetrofitStage, on day: Day, note: String, auditID: Int64) throws {
    _ = try retrofit(retrofitID)
    try inner.insertStage(retrofitID: retrofitID, stage, on: day, note: note, auditID: auditID)
  }

  func insertMeasurement(retrofitID: Int, _ measurement: Measurement, auditID: Int64) throws {
    _ = try retrofit(retrofitID)
    try inner.insertMeasurement(retrofitID: retrofitID, measurement, auditID: auditID)
  }

  func insertLedgerItem(_ item: LedgerItem, firm: CreditCode, auditID: Int64) throws -> LedgerLine {
    try checkFirm(firm)
    return try inner.insertLedgerItem(item, firm: firm, auditID: auditID)
  }

  func currentMembership(_ code: CreditCode, list: PositiveList, on day: Day) throws -> Membership? {
    try inner.currentMembership(code, list: list, on: day)
  }

  func revokeMembership(_ membership: Membership, on day: Day, reason: String, seriousViolation: Bool, auditID: Int64)
    throws
  {
    try checkFirm(region: membership.regionCode)
    try inner.revokeMembership(
      membership, on: day, reason: reason, seriousViolation: seriousViolation, auditID: auditID)
  }

  func insertDesignation(_ code: CreditCode, _ designation: DesignationFact, reference: String, auditID: Int64) throws {
    try checkFirm(code)
    try inner.insertDesignation(code, designation, reference: reference, auditID: auditID)
  }

  func insertIncident(_ code: CreditCode, _ incident: IncidentFact, note: String, auditID: Int64) throws {
    try checkFirm(code)
    try inner.insertIncident(code, incident, note: note, auditID: auditID)
  }

  func hasPermit(_ number: PermitNumber) throws -> Bool { try inner.hasPermit(number) }

  func insertPermit(
    _ number: PermitNumber, holder: CreditCode, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day,
    auditID: Int64
  ) throws {
    try checkFirm(holder)
    try inner.insertPermit(
      number, holder: holder, permitClass: permitClass, issuedOn: issuedOn, validFrom: validFrom, validTo: validTo,
      auditID: auditID)
  }

  func insertRenewal(
    of old: String, as number: PermitNumber, issuedOn: Day, validFrom: Day, validTo: Day, auditID: Int64
  ) throws {
    _ = try permit(old)
    try inner.insertRenewal(
      of: old, as: number, issuedOn: issuedOn, validFrom: validFrom, validTo: validTo, auditID: auditID)
  }

  func hasPolicy(key: String, jurisdiction: Jurisdiction, from: Day) throws -> Bool {
    try inner.hasPolicy(key: key, jurisdiction: jurisdiction, from: from)
  }

  func insertPolicy(_ parameter: PolicyParameter, auditID: Int64) throws {
    try check(.administer)
    try inner.insertPolicy(parameter, auditID: auditID)
  }

  func account(named name: String) throws -> Account? { try inner.account(named: name) }

  func insertAccount(_ account: Account, auditID: Int64) throws {
    try check(.administer)
    try inner.insertAccount(account, auditID: auditID)
  }

  func updateAccount(_ account: Account, auditID: Int64) throws {
    // An account may change its own password; everything else about accounts is an admin's.
    let stored = try inner.account(named: account.name)
    var passwordOnly = stored
    passwordOnly?.passwordHash = account.passwordHash
    if account.name != self.account.name || passwordOnly != account { try check(.administer) }
    try inner.updateAccount(account, auditID: auditID)
  }

  func insertToken(account: String, tokenHash: String, label: String, createdAt: String, auditID: Int64) throws
    -> Int
  {
    try check(.administer)
    return try inner.insertToken(
      account: account, tokenHash: tokenHash, label: label, createdAt: createdAt, auditID: auditID)
  }

  func revokeToken(account: String, id: Int, at: String, auditID: Int64) throws -> Bool {
    try check(.administer)
    return try inner.revokeToken(account: account, id: id, at: at, auditID: auditID)
  }

  func completeAudit(id: Int64, after: Value) throws { try inner.completeAudit(id: id, after: after) }

  func hasDesignation(_ code: CreditCode, kind: DesignationKind, from: Day) throws -> Bool {
    try inner.hasDesignation(code, kind: kind, from: from)
  }

  func hasIncident(_ code: CreditCode, kind: IncidentKind, on day: Day, reference: String) throws -> Bool {
    try inner.hasIncident(code, kind: kind, on: day, reference: reference)
  }

  func hasLedgerItem(_ code: CreditCode, foundOn: Day, description: String) throws -> Bool {
    try inner.hasLedgerItem(code, foundOn: foundOn, description: description)
  }

  func retrofitID(owner: CreditCode, facility: String) throws -> Int? {
    try inner.retrofitID(owner: owner, facility: facility)
  }

  func hasMeasurement(retrofitID: Int, pollutant: Pollutant, on day: Day, by body: String) throws -> Bool {
    try inner.hasMeasurement(retrofitID: retrofitID, pollutant: pollutant, on: day, by: body)
  }

  func markSuperseded(_ old: String, by number: PermitNumber, on day: Day, auditID: Int64) throws {
    _ = try permit(old)
    try inner.markSuperseded(old, by: number, on: day, auditID: auditID)
  }

  // Enforcement planning: the roster and alerts are a bureau's (an officer's region), a result is a firm's.

  private func checkRegion(_ prefix: String) throws {
    try check(.writeFirm(region: prefix.count >= 6 ? prefix : prefix + String(repeating: "0", count: 6 - prefix.count)))
  }

  func inspector(staffNo: String) throws -> Inspector? { try inner.inspector(staffNo: staffNo) }

  func insertInspector(_ inspector: Inspector, auditID: Int64) throws {
    try checkRegion(inspector.regionCode)
    try inner.insertInspector(inspector, auditID: auditID)
  }

  func setInspectorActive(staffNo: String, active: Bool, auditID: Int64) throws {
    if let found = try inner.inspector(staffNo: staffNo) { try checkRegion(found.regionCode) }
    try inner.setInspectorActive(staffNo: staffNo, active: active, auditID: auditID)
  }

  func insertConflict(staffNo: String, firm: CreditCode, reason: String, on day: Day, auditID: Int64) throws {
    if let found = try inner.inspector(staffNo: staffNo) { try checkRegion(found.regionCode) }
    try inner.insertConflict(staffNo: staffNo, firm: firm, reason: reason, on: day, auditID: auditID)
  }

  func latestDrawID() throws -> Int { try inner.latestDrawID() }

  func insertDraw(_ snapshot: DrawSnapshot, picks: [DrawPick], auditID: Int64) throws -> Int {
    try checkRegion(snapshot.jurisdiction)
    return try inner.insertDraw(snapshot, picks: picks, auditID: auditID)
  }

  func draw(_ id: Int) throws -> StoredDraw { try inner.draw(id) }

  func insertInspectionResult(drawID: Int, firm: CreditCode, _ result: InspectionResult, auditID: Int64) throws {
    try checkFirm(firm)
    try inner.insertInspectionResult(drawID: drawID, firm: firm, result, auditID: auditID)
  }

  func insertWeatherAlert(_ alert: WeatherAlert, auditID: Int64) throws -> Int {
    try checkRegion(alert.region)
    return try inner.insertWeatherAlert(alert, auditID: auditID)
  }

  func hasBaseline(_ firm: CreditCode, pollutant: WeatherPollutant, year: Int) throws -> Bool {
    try inner.hasBaseline(firm, pollutant: pollutant, year: year)
  }

  func insertBaseline(_ firm: CreditCode, _ baseline: EmissionBaseline, auditID: Int64) throws {
    try checkFirm(firm)
    try inner.insertBaseline(firm, baseline, auditID: auditID)
  }
}
