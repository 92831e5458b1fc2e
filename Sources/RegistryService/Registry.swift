import RegistryCore

/// The registry's use cases over a storage engine: each reads through `RegistryStorage`, decides
/// with the pure rules of `RegistryCore`, and writes through one storage transaction with its
/// audit entry. No database library and no file is touched here.
public final class Registry: Sendable {
  public let storage: any RegistryStorage
  /// The signed-in account on the server: every write is checked against its rights
  /// (`AccessRules`) inside the write's transaction. Nil on the command line (the file's owner).
  public let account: Account?

  public init(storage: any RegistryStorage) {
    self.storage = storage
    account = nil
  }

  private init(storage: any RegistryStorage, account: Account) {
    self.storage = storage
    self.account = account
  }

  /// The same registry used by a signed-in account: its writes audited under `account.actor` and
  /// refused (`RegistryError.forbidden`) where its role and region do not reach.
  public func acting(as account: Account) -> Registry {
    Registry(storage: storage.acting(as: account.actor), account: account)
  }

  /// One storage transaction; under an account, one whose firm reads and writes check its rights.
  func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T {
    guard let account else { return try storage.write(body) }
    return try storage.write { try body(GuardedTransaction(inner: $0, account: account)) }
  }

  /// Refuses `access` to the signed-in account (nothing on the command line).
  public func authorize(_ access: Access) throws {
    guard let account, let refusal = AccessRules.refusal(account, access) else { return }
    throw RegistryError.forbidden(refusal)
  }

  // MARK: Enterprises (ID-1..ID-8)

  /// Registers a firm (every field validated by the ID rules); returns its facts and warnings.
  public func addEnterprise(_ input: EnterpriseInput, asOf: Day) throws -> (Enterprise, [String]) {
    let (firm, warnings) = try EnterpriseRules.registration(input, asOf: asOf)
    try write { transaction in
      if try transaction.enterprise(firm.creditCode) != nil {
        throw RegistryError.alreadyExists(
          kind: "enterprise", key: firm.creditCode.value,
          hint: "Use 'envreg enterprise update \(firm.creditCode.value)' to change its facts.")
      }
      if try transaction.isStaged(firm.creditCode) {
        throw RegistryError.input(
          """
          credit_code \(firm.creditCode.value.quoted) is being registered by an enterprise import that has not \
          completed; check again when it ends.
          """
        )
      }
      let auditID = try transaction.audit(
        action: "enterprise.add", entityType: "enterprise", entityKey: firm.creditCode.value, before: nil,
        after: .record(Report.facts(firm)))
      try transaction.insertEnterprise(firm, auditID: auditID)
    }
    return (firm, warnings)
  }

  /// Changes a firm's facts; each changed field becomes a dated history row effective on
  /// `effectiveOn`, nothing is overwritten without a trace.
  public func updateEnterprise(_ code: CreditCode, _ input: EnterpriseInput, effectiveOn: Day, asOf: Day) throws -> (
    before: Enterprise, after: Enterprise, changed: [EnterpriseField]
  ) {
    try write { transaction in
      let old = try Registry.require(try transaction.enterprise(code), code)
      let (new, changed) = try EnterpriseRules.change(old, input, asOf: asOf)
      let auditID = try transaction.audit(
        action: "enterprise.update", entityType: "enterprise", entityKey: code.value,
        before: .record(Report.facts(old)), after: .record(Report.facts(new)))
      try transaction.updateEnterprise(from: old, to: new, effectiveOn: effectiveOn, auditID: auditID)
      return (old, new, changed)
    }
  }

  /// Marks a firm deregistered on a date with a reason. Nothing is deleted.
  public func deregisterEnterprise(_ code: CreditCode, on day: Day, reason: String) throws -> Enterprise {
    try write { transaction in
      let old = try Registry.require(try transaction.enterprise(code), code)
      let new = try EnterpriseRules.deregistration(old, on: day, reason: reason)
      let auditID = try transaction.audit(
        action: "enterprise.deregister", entityType: "enterprise", entityKey: code.value,
        before: .record(Report.facts(old)), after: .record(Report.facts(new)))
      try transaction.closeEnterprise(new, auditID: auditID)
      return new
    }
  }

  static func require(_ firm: Enterprise?, _ code: CreditCode) throws -> Enterprise {
    guard let firm else {
      throw RegistryError.notFound(
        kind: "enterprise with credit code", key: code.value,
        hint: "Run 'envreg enterprise list' to see registered enterprises, or 'envreg enterprise add' to register it.")
    }
    return firm
  }

  // MARK: Ledger (AL-1..AL-4)

  /// Records a problem in the ledger (AL-1); it starts 待整改.
  public func addLedgerItem(_ item: LedgerItem, firm: CreditCode) throws -> LedgerLine {
    let problems = LedgerRules.recordProblems(item)
    guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    return try write { transaction in
      let auditID = try transaction.audit(
        action: "ledger.add", entityType: "ledger_item", entityKey: firm.value, before: nil,
        after: .record(Report.ledgerFacts(item)))
      return try transaction.insertLedgerItem(item, firm: firm, auditID: auditID)
    }
  }

  /// Adds a dated entry to a ledger item: a progress note, a move to `target` (AL-2, AL-4), or
  /// with `reopen` 重启 with a reason. The rule decides on the item as the transaction reads it.
  public func ledgerEntry(_ id: Int, on day: Day, to target: LedgerState?, note: String, reopen: Bool = false) throws
    -> LedgerLine
  {
    try write { transaction in
      let line = try transaction.ledgerItem(id)
      let entry = try LedgerRules.entry(for: line.item, on: day, to: target, note: note, reopen: reopen)
      let current = line.item.state(asOf: Day(ordinal: Int.max / 2))
      let auditID = try transaction.audit(
        action: "ledger.\(entry.kind.rawValue)", entityType: "ledger_item", entityKey: String(id),
        before: .record(Fields([("state", .text(current.rawValue))])),
        after: .record(
          Fields([("state", .text((entry.to ?? current).rawValue)), ("on", .day(day)), ("note", .text(note))])))
      try transaction.appendLedgerEntry(itemID: id, entry, auditID: auditID)
      return try transaction.ledgerItem(id)
    }
  }

  // MARK: Positive lists

  /// Admits a firm to a positive list on `day` when `AdmissionRules` allow it (eligible, or with an
  /// override reason); the verdict's trace is stored with the membership.
  public func admit(_ code: CreditCode, to list: PositiveList, on day: Day, overrideReason: String?) throws -> (
    Verdict, Membership
  ) {
    let policy = try storage.policyBook()
    return try write { transaction in
      let facts = try transaction.facts(code)
      let admission = try AdmissionRules.admission(
        facts, to: list, on: day, overrideReason: overrideReason, policy: policy)
      let after = Fields([
        ("list", .text(list.rawValue)), ("admitted_on", .day(day)), ("valid_until", .day(admission.validUntil)),
        ("category", .text(admission.category)), ("status", .text(admission.verdict.status.rawValue)),
        ("override_reason", .optional(admission.overrideReason)),
      ])
      let auditID = try transaction.audit(
        action: admission.overrideReason == nil ? "lists.admit" : "lists.admit-override",
        entityType: "list_membership", entityKey: code.value, before: nil, after: .record(after))
      let membership = try transaction.insertMembership(code, list: list, on: day, admission, auditID: auditID)
      return (admission.verdict, membership)
    }
  }

  /// Revokes a current membership on a date, with a reason (and whether for a serious violation,
  /// which the look-backs read).
  public func revoke(_ code: CreditCode, from list: PositiveList, on day: Day, reason: String, seriousViolation: Bool)
    throws -> Membership
  {
    let reason = reason.trimmingSpaces()
    guard !reason.isEmpty else {
      throw RegistryError.invalid([FieldProblem(field: "reason", value: "", reason: "a revocation needs a reason")])
    }
    return try write { transaction in
      guard var membership = try transaction.currentMembership(code, list: list, on: day) else {
        throw RegistryError.refused("\(code.value) is not a member of \(list.rawValue) on \(day); nothing to revoke.")
      }
      let auditID = try transaction.audit(
        action: "lists.revoke", entityType: "list_membership", entityKey: code.value,
        before: .record(
          Fields([
            ("list", .text(list.rawValue)), ("admitted_on", .day(membership.admittedOn)),
            ("valid_until", .day(membership.validUntil)),
          ])),
        after: .record(
          Fields([
            ("revoked_on", .day(day)), ("revoke_reason", .text(reason)), ("serious_violation", .bool(seriousViolation)),
          ])))
      try transaction.revokeMembership(
        membership, on: day, reason: reason, seriousViolation: seriousViolation, auditID: auditID)
      membership.revokedOn = day
      membership.revokeReason = reason
      membership.seriousViolation = seriousViolation
      return membership
    }
  }

  // MARK: Facts the lists read

  /// Records a designation of a firm (its period may not end before it starts).
  public func addDesignation(_ code: CreditCode, _ designation: DesignationFact, reference: String) throws {
    if let problem = designation.periodProblem() { throw RegistryError.invalid([problem]) }
    try write { transaction in
      _ = try Registry.require(try transaction.enterprise(code), code)
      let auditID = try transaction.audit(
        action: "designation.add", entityType: "designation", entityKey: code.value, before: nil,
        after: .record(Report.designation(designation, reference: reference)))
      try transaction.insertDesignation(code, designation, reference: reference, auditID: auditID)
    }
  }

  /// Records an incident of a firm.
  public func addIncident(_ code: CreditCode, _ incident: IncidentFact, note: String) throws {
    try write { transaction in
      _ = try Registry.require(try transaction.enterprise(code), code)
      let auditID = try transaction.audit(
        action: "incident.add", entityType: "incident", entityKey: code.value, before: nil,
        after: .record(Report.incident(incident, note: note)))
      try transaction.insertIncident(code, incident, note: note, auditID: auditID)
    }
  }

  // MARK: Permits (PM-1..PM-6)

  /// Records a permit: its number's credit-code part is the holder's (ID-4); without `validTo` the
  /// term follows PM-1.
  public func addPermit(
    number raw: String, holder: CreditCode, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day?
  ) throws -> HeldPermit {
    let number = try PermitRules.number(raw, holder: holder)
    let validTo =
      validTo
      ?? PermitRules.derivedValidTo(
        validFrom: validFrom, issuedOn: issuedOn, isRenewal: false, permitClass: permitClass)
    if let problem = PermitRules.termProblem(validFrom: validFrom, validTo: validTo) {
      throw RegistryError.invalid([problem])
    }
    return try write { transaction in
      _ = try Registry.require(try transaction.enterprise(holder), holder)
      if try transaction.hasPermit(number) {
        throw RegistryError.alreadyExists(
          kind: "permit", key: number.value, hint: "A renewal is a new permit: use 'envreg permit renew'.")
      }
      let auditID = try transaction.audit(
        action: "permit.add", entityType: "permit", entityKey: number.value, before: nil,
        after: .record(
          Fields([
            ("holder", .text(holder.value)), ("class", .text(permitClass.rawValue)), ("issued_on", .day(issuedOn)),
            ("valid_from", .day(validFrom)), ("valid_to", .day(validTo)),
          ])))
      try transaction.insertPermit(
        number, holder: holder, permitClass: permitClass, issuedOn: issuedOn, validFrom: validFrom, validTo: validTo,
        auditID: auditID)
      return try transaction.permit(number.value)
    }
  }

  /// Renews a permit (PM-4): records the new permit, links the old one to it, and adds a `renewed`
  /// event; without `validTo` the renewed term follows PM-1.
  public func renewPermit(_ oldNumber: String, newNumber raw: String, issuedOn: Day, validFrom: Day, validTo: Day?)
    throws -> HeldPermit
  {
    try write { transaction in
      let old = try transaction.permit(oldNumber)
      guard old.permit.supersededBy == nil else {
        throw RegistryError.refused(
          "Permit \(old.permit.number) was already renewed as \(old.permit.supersededBy ?? "").")
      }
      let number = try PermitRules.number(raw, holder: old.holder)
      let validTo =
        validTo
        ?? PermitRules.derivedValidTo(
          validFrom: validFrom, issuedOn: issuedOn, isRenewal: true, permitClass: old.permit.permitClass)
      if let problem = PermitRules.termProblem(validFrom: validFrom, validTo: validTo) {
        throw RegistryError.invalid([problem])
      }
      if try transaction.hasPermit(number) {
        throw RegistryError.alreadyExists(
          kind: "permit", key: number.value,
          hint: "Give the renewed permit its own number (e.g. the next site sequence or letter).")
      }
      let auditID = try transaction.audit(
        action: "permit.renew", entityType: "permit", entityKey: old.permit.number.value,
        before: .record(Fields([("number", .text(old.permit.number.value)), ("valid_to", .day(old.permit.validTo))])),
        after: .record(
          Fields([
            ("number", .text(number.value)), ("issued_on", .day(issuedOn)), ("valid_from", .day(validFrom)),
            ("valid_to", .day(validTo)),
          ])))
      try transaction.insertRenewal(
        of: old.permit.number.value, as: number, issuedOn: issuedOn, validFrom: validFrom, validTo: validTo,
        auditID: auditID)
      return try transaction.permit(number.value)
    }
  }

  /// Records a dated event on a permit (a renewal application, a deferral granted, a change filing,
  /// a cancellation ...), checked by `PermitRules.checkEvent` with the parameters in force on
  /// `evaluatedOn`.
  public func addPermitEvent(_ number: String, _ event: PermitEvent, evaluatedOn: Day) throws -> HeldPermit {
    let policy = try storage.policyBook()
    return try write { transaction in
      let held = try transaction.permit(number)
      try PermitRules.checkEvent(
        event, on: held.permit, region: held.regionCode, evaluatedOn: evaluatedOn, policy: policy)
      let auditID = try transaction.audit(
        action: "permit.\(event.kind.rawValue)", entityType: "permit", entityKey: held.permit.number.value,
        before: nil,
        after: .record(
          Fields([
            ("kind", .text(event.kind.rawValue)), ("on", .day(event.on)), ("until", .optional(event.until)),
            ("basis", .text(event.basis)), ("approver", .text(event.approver)), ("note", .text(event.note)),
          ])))
      try transaction.appendPermitEvent(permit: held.permit.number.value, event, auditID: auditID)
      return try transaction.permit(held.permit.number.value)
    }
  }

  // MARK: Fines (ID-8, FN-1..FN-5)

  /// Records a fine: checked by `FineRules.checkNew`, once per decision (ID-8: another spelling of
  /// a recorded decision is refused naming it).
  public func addFine(_ fine: Fine, debtor: CreditCode) throws -> OwedFine {
    let number = try FineRules.checkNew(fine)
    return try write { transaction in
      if let existing = try transaction.recordedDecision(key: number.key) {
        throw RegistryError.alreadyExists(
          kind: "fine", key: fine.decisionNumber,
          hint:
            """
            It is the same decision as the recorded fine \(existing.quoted) (canonical \(number.key), ID-8); each \
            decision is recorded once.
            """
        )
      }
      let auditID = try transaction.audit(
        action: "fine.add", entityType: "fine", entityKey: fine.decisionNumber, before: nil,
        after: .record(
          Fields([
            ("debtor", .text(debtor.value)), ("amount", .money(fine.amount)), ("decided_on", .day(fine.decidedOn)),
            ("received_on", .day(fine.receivedOn)), ("law_version", .text(fine.lawVersion.rawValue)),
            ("legal_basis", .text(fine.legalBasis)), ("decision_key", .text(number.key)),
          ])))
      try transaction.insertFine(fine, debtor: debtor, auditID: auditID)
      return try transaction.fine(fine.decisionNumber)
    }
  }

  /// Records a deferral or instalment plan after the FN-2 / FN-3 checks.
  public func arrange(_ decision: String, _ arrangement: FineArrangement) throws -> OwedFine {
    let policy = try storage.policyBook()
    return try write { transaction in
      let owed = try transaction.fine(decision)
      if let refusal = FineRules.arrangementRefusal(
        arrangement, for: owed.fine, region: owed.regionCode, policy: policy)
      {
        throw RegistryError.refused("Arrangement refused: \(refusal).")
      }
      let auditID = try transaction.audit(
        action: "fine.arrange", entityType: "fine", entityKey: owed.fine.decisionNumber, before: nil,
        after: .record(
          Fields([
            ("kind", .text(arrangement.kind.rawValue)), ("applied_on", .day(arrangement.appliedOn)),
            ("reason", .text(arrangement.reason)),
            ("approver", .text(arrangement.approver)), ("approved_on", .day(arrangement.approvedOn)),
            ("new_due_on", .optional(arrangement.newDue)), ("supersede_reason", .text(arrangement.supersedeReason)),
            (
              "instalments",
              .list(
                arrangement.instalments.map {
                  .record(Fields([("due_on", .day($0.due)), ("amount", .money($0.amount))]))
                })
            ),
          ])))
      try transaction.insertArrangement(decision: owed.fine.decisionNumber, arrangement, auditID: auditID)
      return try transaction.fine(owed.fine.decisionNumber)
    }
  }

  /// Records a payment, never more than is owed on its date (FN-5).
  public func pay(_ decision: String, _ payment: FinePayment) throws -> OwedFine {
    let policy = try storage.policyBook()
    return try write { transaction in
      let owed = try transaction.fine(decision)
      if let refusal = FineRules.paymentRefusal(payment, for: owed.fine, region: owed.regionCode, policy: policy) {
        throw RegistryError.refused("Payment refused: \(refusal).")
      }
      let auditID = try transaction.audit(
        action: "fine.pay", entityType: "fine", entityKey: owed.fine.decisionNumber, before: nil,
        after: .record(
          Fields([
            ("paid_on", .day(payment.on)), ("amount", .money(payment.amount)), ("reference", .text(payment.reference)),
          ])))
      try transaction.insertPayment(decision: owed.fine.decisionNumber, payment, auditID: auditID)
      return try transaction.fine(owed.fine.decisionNumber)
    }
  }

  /// Records a review or litigation period, or the end of an open one.
  public func suspend(_ decision: String, _ suspension: FineSuspension) throws -> OwedFine {
    try FineRules.checkSuspension(suspension)
    return try write { transaction in
      let owed = try transaction.fine(decision)
      let auditID = try transaction.audit(
        action: "fine.suspend", entityType: "fine", entityKey: owed.fine.decisionNumber, before: nil,
        after: .record(
          Fields([
            ("kind", .text(suspension.kind.rawValue)), ("from", .day(suspension.from)),
            ("to", .optional(suspension.to)),
          ])))
      try transaction.recordSuspension(decision: owed.fine.decisionNumber, suspension, auditID: auditID)
      return try transaction.fine(owed.fine.decisionNumber)
    }
  }

  // MARK: Retrofits (UL-1..UL-6)

  /// Records an ultra-low-emission project, one per facility of a firm.
  public func addRetrofit(_ retrofit: Retrofit, owner: CreditCode) throws -> FirmRetrofit {
    if let problem = RetrofitRules.recordProblem(retrofit) { throw RegistryError.invalid([problem]) }
    return try write { transaction in
      if try transaction.hasRetrofit(owner: owner, facility: retrofit.facility) {
        throw RegistryError.alreadyExists(
          kind: "retrofit for facility", key: retrofit.facility,
          hint: "One project per facility; see 'envreg retrofit list --owner \(owner.value)'.")
      }
      let auditID = try transaction.audit(
        action: "retrofit.add", entityType: "retrofit", entityKey: owner.value, before: nil,
        after: .record(Report.retrofitFacts(retrofit)))
      return try transaction.retrofit(try transaction.insertRetrofit(retrofit, owner: owner, auditID: auditID))
    }
  }

  /// Moves a project to a stage on a date, in order (UL-2: no skipping; a month of stable operation
  /// before assessment).
  public func advanceRetrofit(_ id: Int, to stage: RetrofitStage, on day: Day, note: String) throws -> FirmRetrofit {
    try write { transaction in
      let found = try transaction.retrofit(id)
      if let refusal = RetrofitRules.advanceRefusal(found.retrofit, to: stage, on: day) {
        throw RegistryError.refused("Stage change refused: \(refusal).")
      }
      let auditID = try transaction.audit(
        action: "retrofit.advance", entityType: "retrofit", entityKey: String(id),
        before: .record(Fields([("stage", .text(found.retrofit.stage(asOf: day).rawValue))])),
        after: .record(Fields([("stage", .text(stage.rawValue)), ("on", .day(day)), ("note", .text(note))])))
      try transaction.insertStage(retrofitID: id, stage, on: day, note: note, auditID: auditID)
      return try transaction.retrofit(id)
    }
  }

  /// Records a stack measurement of a project.
  public func addMeasurement(_ id: Int, _ measurement: Measurement) throws -> FirmRetrofit {
    if let problem = RetrofitRules.measurementProblem(measurement) { throw RegistryError.invalid([problem]) }
    return try write { transaction in
      _ = try transaction.retrofit(id)
      let auditID = try transaction.audit(
        action: "retrofit.measure", entityType: "retrofit", entityKey: String(id), before: nil,
        after: .record(
          Fields([
            ("pollutant", .text(measurement.pollutant.rawValue)),
            ("concentration", .decimal(measurement.concentration, places: 2)),
            ("o2", .decimal(measurement.oxygen, places: 1)), ("measured_on", .day(measurement.measuredOn)),
            ("measured_by", .text(measurement.measuredBy)),
          ])))
      try transaction.insertMeasurement(retrofitID: id, measurement, auditID: auditID)
      return try transaction.retrofit(id)
    }
  }

  // MARK: Policy

  /// Records a parameter given as text: the value is read in the form of the key's template (a
  /// whole number, a percentage, codes, a date, a limit "30@3.5"), then `setPolicy`.
  @discardableResult
  public func setPolicy(
    key: String, value text: String, jurisdiction: Jurisdiction, from: Day, to: Day?, reference: String
  ) throws -> PolicyParameter {
    guard let template = try storage.policyBook().template(for: key) else {
      throw RegistryError.invalid([
        FieldProblem(
          field: "key", value: key, reason: "is not a known parameter; run 'envreg policy show --all' for the keys")
      ])
    }
    guard let value = ParameterValue.parse(text, like: template) else {
      throw RegistryError.invalid([
        FieldProblem(field: "value", value: text, reason: "does not have the form of \(key) (e.g. \(template))")
      ])
    }
    if let to, to < from {
      throw RegistryError.invalid([
        FieldProblem(field: "to", value: to.description, reason: "is before the first day in force \(from)")
      ])
    }
    let parameter = PolicyParameter(
      key: key, jurisdiction: jurisdiction, from: from, to: to, value: value, reference: reference)
    try setPolicy(parameter)
    return parameter
  }

  /// The parameters a region sees on a date (the national ones and the overrides of the divisions
  /// above it), or with `all` every version of every parameter; and how many keys are not in force.
  public func policyView(keyPrefix: String, region: String, asOf: Day, all: Bool) throws -> (
    parameters: [PolicyParameter], notInForce: Int
  ) {
    let book = try storage.policyBook()
    if all {
      let every = book.parameters.filter { $0.key.hasPrefix(keyPrefix) }
      return (every.sorted { ($0.key, $0.effectiveFrom) < ($1.key, $1.effectiveFrom) }, 0)
    }
    let keys = book.keys.filter { $0.hasPrefix(keyPrefix) }
    let inForce = keys.compactMap { book.lookup($0, region: region, asOf: asOf) }
    return (inForce, keys.count - inForce.count)
  }

  /// Records a dated, jurisdiction-scoped parameter with its legal reference; never overwrites one.
  public func setPolicy(_ parameter: PolicyParameter) throws {
    let stored = try storage.policyBook()
    let known =
      PolicyBook.national.template(for: parameter.key) != nil || stored.template(for: parameter.key) != nil
    guard known else {
      throw RegistryError.invalid([
        FieldProblem(
          field: "key", value: parameter.key, reason: "is not a known parameter; run 'envreg policy show' for the keys")
      ])
    }
    guard !parameter.reference.trimmingSpaces().isEmpty else {
      throw RegistryError.invalid([
        FieldProblem(field: "reference", value: "", reason: "a parameter needs its legal reference")
      ])
    }
    try write { transaction in
      if try transaction.hasPolicy(
        key: parameter.key, jurisdiction: parameter.jurisdiction, from: parameter.effectiveFrom)
      {
        throw RegistryError.alreadyExists(
          kind: "parameter", key: "\(parameter.key)@\(parameter.jurisdiction) from \(parameter.effectiveFrom)",
          hint: "Parameters are never overwritten: set a new value from a later date.")
      }
      let auditID = try transaction.audit(
        action: "policy.set", entityType: "policy_parameter", entityKey: parameter.key, before: nil,
        after: .record(
          Fields([
            ("key", .text(parameter.key)), ("jurisdiction", .text(parameter.jurisdiction.description)),
            ("effective_from", .day(parameter.effectiveFrom)), ("effective_to", .optional(parameter.effectiveTo)),
            ("value", .text(parameter.value.description)), ("reference", .text(parameter.reference)),
          ])))
      try transaction.insertPolicy(parameter, auditID: auditID)
    }
  }

  // MARK: The calendar

  /// Every deadline from `asOf` up to `within` days ahead, in date order, and open ones already
  /// passed: permit renewals, expiries and deferral ends (PM-2, PM-3, PM-4), fine and instalment due
  /// dates (FN-1..3), change filings (PM-6), mandated retrofits (UL-4) and ledger items (AL-3).
  public func due(asOf: Day, within: Int, regionPrefix: String?) throws -> [DueItem] {
    let policy = try storage.policyBook()
    let end = asOf.adding(days: within)
    var items: [DueItem] = []
    try storage.forEachPermitClock(asOf: asOf, within: within, regionPrefix: regionPrefix) { held in
      let permit = held.permit.asOf(asOf)
      let standing = PermitRules.standing(permit, region: held.regionCode, asOf: asOf, window: within, policy: policy)
      items += CalendarRules.permitItems(
        permit, standing: standing, holder: held.holder.value, name: held.holderName, region: held.regionCode)
    }
    try storage.forEachFine(regionPrefix: regionPrefix, debtor: nil, decidedBy: nil, unsettledOn: asOf) { owed in
      let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy)
      items += CalendarRules.fineItems(
        owed.fine, statement: statement, debtor: owed.debtor.value, name: owed.debtorName, region: owed.regionCode)
    }
    try storage.forEachRetrofit(regionPrefix: regionPrefix, owner: nil) { found in
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
    try storage.forEachLedgerLine(ledger) { line in
      if let item = CalendarRules.ledgerItem(line, asOf: asOf) { items.append(item) }
    }
    for change in try storage.changeFilings(since: asOf.adding(days: -366), asOf: asOf, regionPrefix: regionPrefix) {
      if let item = CalendarRules.filingItem(
        change.filing, holder: change.code, name: change.name, region: change.region)
      {
        items.append(item)
      }
    }
    items += try alertItems(asOf: asOf, through: end, regionPrefix: regionPrefix, policy: policy)
    items += try projectItems(asOf: asOf, regionPrefix: regionPrefix)
    return CalendarRules.calendar(items, asOf: asOf, through: end)
  }

  /// HW-1: the alerts in force or starting by `end` over firms that then have a mandatory measure.
  func alertItems(asOf: Day, through end: Day, regionPrefix: String?, policy: PolicyBook) throws -> [DueItem] {
    let alerts = try storage.weatherAlerts(regionPrefix: regionPrefix).filter {
      $0.from <= end && ($0.to.map { $0 >= asOf } ?? true)
    }
    guard !alerts.isEmpty else { return [] }
    var items: [DueItem] = []
    try storage.forEachFirmFacts { facts in
      let firm = facts.enterprise
      let covering = alerts.filter { firm.regionCode.hasPrefix($0.region) }
      guard !covering.isEmpty, firm.status == .active, regionPrefix.map({ firm.regionCode.hasPrefix($0) }) ?? true
      else { return }
      let line = WeatherRules.line(facts, policy: policy, on: asOf)
      for alert in covering {
        guard let measure = line.measures[alert.level], measure.isMandatory else { continue }
        items.append(
          CalendarRules.alertItem(
            alert, measure: measure, firm: firm.creditCode.value, name: firm.name, region: firm.regionCode, asOf: asOf))
      }
    }
    return items
  }
}
