import RegistryCore

// The reads: listings, profiles, sweeps and the audit trail. Most are the storage's streaming
// queries as they are; the sweeps (`review`, `expiryNotice`) apply the rules here, one firm or
// permit at a time, so memory stays flat.
extension Registry {
  // MARK: Sweeps over the storage's streams

  /// The review sweep (one streaming pass over the registry): current members that no longer
  /// qualify, and active non-members that now qualify, in the registry's order. The rules run on a
  /// second thread while the storage reads the next firms (`pipelined`).
  public func review(
    lists: [PositiveList], asOf day: Day, regionPrefix: String? = nil, _ body: (ReviewFinding) throws -> Void
  ) throws {
    let policy = try storage.policyBook().inForce(on: day)
    let rules = Pipeline<FirmFacts, ReviewFinding> { facts in
      Registry.findings(facts, lists: lists, policy: policy, asOf: day)
    }
    try storage.forEachFirmFacts { facts in
      if let regionPrefix, !facts.enterprise.regionCode.hasPrefix(regionPrefix) { return }
      try rules.add(facts, deliver: body)
    }
    try rules.finish(deliver: body)
  }

  /// One firm's review findings (a pure function of its facts).
  static func findings(_ facts: FirmFacts, lists: [PositiveList], policy: PolicyBook, asOf day: Day)
    -> [ReviewFinding]
  {
    let firm = facts.enterprise
    var found: [ReviewFinding] = []
    for list in lists {
      let member = facts.memberships.contains { $0.list == list && $0.isMember(asOf: day) }
      if !member && firm.status != .active { continue }
      // Outcomes only for every firm. A lapsed member is re-evaluated with the full trace (its
      // failing conditions are the finding); a firm that now qualifies is reported with its
      // categories (`envreg eligibility CODE` gives its trace).
      let outcome = RegistryCore.eligibility(facts, for: list, policy: policy, asOf: day, traced: false)
      if member && outcome.status != .eligible {
        found.append(
          ReviewFinding(
            kind: .noLongerQualifies, firm: firm,
            verdict: RegistryCore.eligibility(facts, for: list, policy: policy, asOf: day)))
      } else if !member && outcome.status == .eligible {
        found.append(ReviewFinding(kind: .nowQualifies, firm: firm, verdict: outcome))
      }
    }
    return found
  }

  /// Streams the expiry notice on `asOf`, most urgent first (by effective end: the deferral's end
  /// for a deferred permit, else valid_to). `overdue` lists the lapses instead.
  public func expiryNotice(
    asOf: Day, within: Int, overdue: Bool, regionPrefix: String?, permitClass: PermitClass?,
    _ body: (HeldPermit, PermitStanding) throws -> Void
  ) throws {
    let policy = try storage.policyBook()
    var filter = PermitFilter()
    filter.regionPrefix = regionPrefix
    filter.permitClass = permitClass
    filter.asOf = asOf
    filter.byExpiry = true
    let horizon = asOf.adding(days: within)
    if overdue {
      // Everything whose renewal may already be due: the longest lead past the date.
      filter.validToOnOrBefore = asOf.adding(days: PermitRules.longestRenewalLead(policy) + 1)
    } else {
      filter.validToOnOrAfter = asOf
      filter.validToOnOrBefore = horizon
    }
    @Sendable func selected(_ held: HeldPermit) -> PermitStanding? {
      let standing = PermitRules.standing(
        held.permit.asOf(asOf), region: held.regionCode, asOf: asOf, window: within, policy: policy)
      if overdue { return PermitStatus.lapses.contains(standing.status) ? standing : nil }
      return PermitRules.inExpiryNotice(standing, validTo: held.permit.validTo, asOf: asOf, within: within)
        ? standing : nil
    }
    // Deferred permits may end long after valid_to: read them apart (they are few), then merge them
    // into the valid_to-ordered stream by their effective end.
    var deferredFilter = filter
    deferredFilter.validToOnOrAfter = nil
    deferredFilter.validToOnOrBefore = nil
    deferredFilter.deferredOnly = true
    var deferred: [(end: Day, held: HeldPermit, standing: PermitStanding)] = []
    try storage.forEachPermit(deferredFilter) { held in
      if let standing = selected(held), standing.status == .deferred {
        deferred.append((standing.deferredUntil ?? held.permit.validTo, held, standing))
      }
    }
    deferred.sort { ($0.end, $0.held.permit.number.value) < ($1.end, $1.held.permit.number.value) }
    var next = deferred.startIndex
    // The standings are computed on a second thread while the storage reads on (`Pipeline`).
    let rules = Pipeline<HeldPermit, (HeldPermit, PermitStanding)> { held in
      guard let standing = selected(held), standing.status != .deferred else { return [] }
      return [(held, standing)]
    }
    func deliver(_ item: (HeldPermit, PermitStanding)) throws {
      while next < deferred.endIndex, deferred[next].end <= item.0.permit.validTo {
        try body(deferred[next].held, deferred[next].standing)
        next += 1
      }
      try body(item.0, item.1)
    }
    try storage.forEachPermit(filter) { held in try rules.add(held, deliver: deliver) }
    try rules.finish(deliver: deliver)
    for item in deferred[next...] { try body(item.held, item.standing) }
  }
  /// Every unpaid fine amount and missed instalment on `asOf` (FN-1..FN-4), each with its fine's
  /// statement as of that day, in the storage's order (one fine at a time: memory stays flat).
  public func forEachOverdueFine(
    asOf: Day, regionPrefix: String?, _ body: (OwedFine, FineStatement, Obligation) throws -> Void
  ) throws {
    let policy = try storage.policyBook()
    // The statements are computed on a second thread while the storage reads on (`Pipeline`).
    let rules = Pipeline<OwedFine, (OwedFine, FineStatement, Obligation)> { owed in
      let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy)
      return statement.overdue.map { (owed, statement, $0) }
    }
    func deliver(_ item: (OwedFine, FineStatement, Obligation)) throws { try body(item.0, item.1, item.2) }
    try storage.forEachFine(regionPrefix: regionPrefix, debtor: nil, decidedBy: nil, unsettledOn: asOf) { owed in
      try rules.add(owed, deliver: deliver)
    }
    try rules.finish(deliver: deliver)
  }

  // MARK: Evaluations (each verdict with its trace, as of a date)

  /// A firm's eligibility for each list on `asOf` (EX-*, GC-*), with the firm's facts.
  public func eligibility(_ code: CreditCode, lists: [PositiveList], asOf: Day) throws -> (FirmFacts, [Verdict]) {
    let (facts, policy) = try storage.snapshot { (try storage.facts(code), try storage.policyBook()) }
    return (facts, lists.map { RegistryCore.eligibility(facts, for: $0, policy: policy, asOf: asOf) })
  }

  /// One retrofit with its verdict on `asOf` (UL-*).
  public func retrofitCheck(_ id: Int, asOf: Day) throws -> (FirmRetrofit, RetrofitVerdict) {
    let found = try storage.retrofit(id)
    return (found, try verdict(found, asOf: asOf))
  }

  /// The verdict of a retrofit already read.
  public func verdict(_ found: FirmRetrofit, asOf: Day) throws -> RetrofitVerdict {
    RetrofitRules.check(found.retrofit, region: found.regionCode, policy: try storage.policyBook(), asOf: asOf)
  }

  /// Retrofits (of a region or firm), each with its verdict on `asOf`.
  public func forEachRetrofitVerdict(
    regionPrefix: String?, owner: CreditCode?, asOf: Day, _ body: (FirmRetrofit, RetrofitVerdict) throws -> Void
  ) throws {
    let policy = try storage.policyBook()
    try storage.forEachRetrofit(regionPrefix: regionPrefix, owner: owner) { found in
      try body(found, RetrofitRules.check(found.retrofit, region: found.regionCode, policy: policy, asOf: asOf))
    }
  }

  /// A fine's statement on `asOf` (FN-1..FN-5): what is owed, and the surcharge trace.
  public func statement(_ owed: OwedFine, asOf: Day) throws -> FineStatement {
    FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: try storage.policyBook())
  }

  /// Fines decided by `asOf` (of a region or debtor), each with its statement on `asOf`.
  public func forEachFineStatement(
    regionPrefix: String?, debtor: CreditCode?, asOf: Day, _ body: (OwedFine, FineStatement) throws -> Void
  ) throws {
    let policy = try storage.policyBook()
    try storage.forEachFine(regionPrefix: regionPrefix, debtor: debtor, decidedBy: asOf, unsettledOn: nil) { owed in
      try body(owed, FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy))
    }
  }

  /// Retrofit progress by region and sector (UL-O1..O3 targets, overdue mandated projects) on
  /// `asOf`, of a region and one sector when given.
  public func retrofitProgress(regionPrefix: String?, sector: String?, asOf: Day) throws -> Fields {
    var projects: [(retrofit: Retrofit, owner: String, name: String, region: String)] = []
    try storage.forEachRetrofit(regionPrefix: regionPrefix, owner: nil) { found in
      guard sector == nil || found.retrofit.sourceType.sector == sector else { return }
      projects.append((found.retrofit, found.owner.value, found.ownerName, found.regionCode))
    }
    return RetrofitProgress.report(projects, policy: try storage.policyBook(), asOf: asOf)
  }

  /// A permit as a listing row with its standing on `asOf` (PM-2..PM-5; the 90-day notice window).
  public func permitRow(_ held: HeldPermit, asOf: Day) throws -> Value {
    Registry.permitRows([held], asOf: asOf, window: 90, policy: try storage.policyBook())[0]
  }

  // MARK: The profile

  /// A firm's whole profile as of a date: its facts and key regions, its history, and its records in
  /// every module as they stood then (permits issued and fines decided by then, each evaluated).
  public func profile(_ code: CreditCode, asOf: Day) throws -> Fields {
    try storage.snapshot { try profileSections(code, asOf: asOf) }
  }

  private func profileSections(_ code: CreditCode, asOf: Day) throws -> Fields {
    guard let firm = try storage.enterprise(code) else {
      throw RegistryError.notFound(
        kind: "enterprise with credit code", key: code.value,
        hint: "Run 'envreg enterprise list' to see registered enterprises.")
    }
    let policy = try storage.policyBook()
    var profile = Report.profileFacts(firm, asOf: asOf)
    profile.append("as_of", .day(asOf))
    profile.append("history", .list(try storage.enterpriseHistory(code).map { .record(Report.change($0)) }))
    profile.append(
      "list_memberships",
      .list(
        try storage.memberships(of: code).map { .record(Report.membership($0, asOf: asOf, withConsequences: true)) }))
    let permits = try storage.permits(of: code).filter { $0.permit.issuedOn <= asOf }
    profile.append("permits", .list(Registry.permitRows(permits, asOf: asOf, window: 90, policy: policy)))
    var fines: [Value] = []
    try storage.forEachFine(regionPrefix: nil, debtor: code, decidedBy: asOf, unsettledOn: nil) { owed in
      let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy)
      fines.append(
        .record(Report.fineRow(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)))
    }
    profile.append("fines", .list(fines))
    var retrofits: [Value] = []
    try storage.forEachRetrofit(regionPrefix: nil, owner: code) { found in
      let verdict = RetrofitRules.check(found.retrofit, region: found.regionCode, policy: policy, asOf: asOf)
      retrofits.append(
        .record(
          Report.retrofitRow(
            found.retrofit, owner: found.owner.value, name: found.ownerName, region: found.regionCode,
            verdict: verdict, asOf: asOf)))
    }
    profile.append("retrofits", .list(retrofits))
    // HW-2 … HW-9: the firm's measure at each alert level on the date.
    let weather = WeatherRules.line(try storage.facts(code), policy: policy, on: asOf)
    profile.append("weather_measures", .record(Report.weatherMeasures(weather)))
    let records = try storage.firmRecords(code)
    profile.append("designations", .list(records.designations.map { .record(Report.designation($0, reference: $1)) }))
    profile.append("incidents", .list(records.incidents.map { .record(Report.incident($0, note: $1)) }))
    profile.append(
      "ledger_items",
      .list(
        records.ledger.map { line in
          .record(
            Fields([
              ("id", .int(line.item.id)), ("source", .text(line.item.source.rawValue)),
              ("problem_type", .text(line.item.problemType)), ("found_on", .day(line.item.foundOn)),
              ("class", .text(line.item.itemClass.rawValue)), ("state", .text(line.item.state(asOf: asOf).rawValue)),
              ("due_on", .day(line.item.dueOn)),
            ]))
        }))
    return profile
  }

  /// Permits as listing rows, each with its standing (PM-2..PM-5) as it stood on `asOf`.
  public static func permitRows(_ permits: [HeldPermit], asOf: Day, window: Int, policy: PolicyBook) -> [Value] {
    permits.map { held in
      .record(
        Report.permitRow(
          held.permit, holder: held.holder.value, name: held.holderName, region: held.regionCode,
          standing: PermitRules.standing(
            held.permit.asOf(asOf), region: held.regionCode, asOf: asOf, window: window, policy: policy)))
    }
  }

  // MARK: Reads the storage answers as they are

  public func policyBook() throws -> PolicyBook { try storage.policyBook() }
  public func forEachEnterprise(_ filter: EnterpriseFilter, _ body: (Enterprise) throws -> Void) throws {
    try storage.forEachEnterprise(filter, body)
  }
  public func countEnterprises(_ filter: EnterpriseFilter) throws -> Int { try storage.countEnterprises(filter) }
  public func enterprise(_ code: CreditCode) throws -> Enterprise? { try storage.enterprise(code) }
  public func hasCodeOverride(_ code: CreditCode) throws -> Bool { try storage.hasCodeOverride(code) }
  public func enterpriseHistory(_ code: CreditCode) throws -> [EnterpriseChange] {
    try storage.enterpriseHistory(code)
  }
  public func facts(_ code: CreditCode) throws -> FirmFacts { try storage.facts(code) }
  public func members(of list: PositiveList, on day: Day, regionPrefix: String?) throws -> [Membership] {
    try storage.members(of: list, on: day, regionPrefix: regionPrefix)
  }
  public func memberships(of code: CreditCode) throws -> [Membership] { try storage.memberships(of: code) }

  /// Members whose membership ran out (its validity ended, not revoked) between `since` and
  /// `asOf` and who were not admitted again: the dashboard's "lapsed" (§3 membership periods).
  public func lapsedMembers(since: Day, asOf: Day, regionPrefix: String?) throws -> [Membership] {
    try storage.snapshot {
      var lapsed: [Membership] = []
      for list in PositiveList.allCases {
        let current = Set(try storage.members(of: list, on: asOf, regionPrefix: regionPrefix).map(\.creditCode))
        lapsed += try storage.members(of: list, on: since, regionPrefix: regionPrefix).filter {
          $0.validUntil < asOf && !current.contains($0.creditCode) && ($0.revokedOn.map { $0 > asOf } ?? true)
        }
      }
      return lapsed
    }
  }
  public func admissionTrace(_ code: CreditCode, list: PositiveList, admittedOn: Day) throws -> String? {
    try storage.admissionTrace(code, list: list, admittedOn: admittedOn)
  }
  public func permit(_ number: String) throws -> HeldPermit { try storage.permit(number) }
  public func forEachPermit(_ filter: PermitFilter, _ body: (HeldPermit) throws -> Void) throws {
    try storage.forEachPermit(filter, body)
  }
  public func permits(of holder: CreditCode) throws -> [HeldPermit] { try storage.permits(of: holder) }
  public func changeFilings(since: Day, asOf: Day, regionPrefix: String? = nil) throws -> [(
    code: String, name: String, region: String, filing: ChangeFiling
  )] {
    try storage.changeFilings(since: since, asOf: asOf, regionPrefix: regionPrefix)
  }
  public func fine(_ decision: String) throws -> OwedFine { try storage.fine(decision) }
  public func forEachFine(
    regionPrefix: String? = nil, debtor: CreditCode? = nil, decidedBy: Day? = nil, unsettledOn: Day? = nil,
    _ body: (OwedFine) throws -> Void
  ) throws {
    try storage.forEachFine(
      regionPrefix: regionPrefix, debtor: debtor, decidedBy: decidedBy, unsettledOn: unsettledOn, body)
  }
  public func retrofit(_ id: Int) throws -> FirmRetrofit { try storage.retrofit(id) }
  public func forEachRetrofit(
    regionPrefix: String? = nil, owner: CreditCode? = nil, _ body: (FirmRetrofit) throws -> Void
  ) throws {
    try storage.forEachRetrofit(regionPrefix: regionPrefix, owner: owner, body)
  }
  public func ledgerItem(_ id: Int) throws -> LedgerLine { try storage.ledgerItem(id) }
  public func forEachLedgerLine(_ filter: LedgerFilter, _ body: (LedgerLine) throws -> Void) throws {
    try storage.forEachLedgerLine(filter, body)
  }
  public func referenceCounts() throws -> [String: Int] { try storage.referenceCounts() }

  // MARK: The audit trail

  public func auditLog(entityKey: String? = nil, since: Day? = nil, limit: Int? = nil) throws -> [AuditEntry] {
    try storage.auditLog(entityKey: entityKey, since: since, limit: limit)
  }
  public func auditHead() throws -> AuditHead { try storage.auditHead() }
  public func verifyAudit(anchor: AuditHead? = nil) throws -> AuditVerification {
    try storage.verifyAudit(anchor: anchor)
  }
  public func backup(to file: String) throws -> AuditHead { try storage.backup(to: file) }
  public var protectedPaths: [String] { storage.protectedPaths }

  // MARK: Imports

  /// Imports the records of a file as `kind` (the storage's import path for that kind).
  public func importRecords(
    _ kind: ImportKind, _ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> ImportReport {
    try authorizeImport()
    var options = options
    // An officer imports the firms of its region: the storage checks every row's firm (and a firm
    // moved by the file, its old and new site) against the account, as the write transactions do.
    if let account, account.role != .admin { options.account = account }
    return try storage.importRecords(kind, source, rejects: rejects, options: options)
  }

  /// Refuses an import to an account that may write no firm (a viewer, an officer without a region,
  /// a disabled account); admins import anything, officers the rows about their region's firms.
  public func authorizeImport() throws {
    guard let account, account.role != .admin else { return try authorize(.administer) }
    try authorize(.writeFirm(region: account.regionPrefix ?? ""))
  }
}
