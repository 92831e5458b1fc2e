import RegistryCore
import RegistryService

extension PostgresStore: RegistryStorage {
  public func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T {
    try mutate { session in try body(PostgresTransaction(store: self, session: session)) }
  }

  /// Enterprises through `COPY` into a staging table (EnterpriseImport.swift); every other kind as
  /// on SQLite, through this storage's transactions (`RecordImports`).
  public func importRecords(
    _ kind: ImportKind, _ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> ImportReport {
    guard kind == .enterprises else {
      return try RecordImports.run(kind, on: self, source, rejects: rejects, options: options)
    }
    return try importEnterprises(source, rejects: rejects, options: options)
  }
}

/// One write transaction of the PostgreSQL storage (the advisory lock held).
struct PostgresTransaction: StorageTransaction {
  let store: PostgresStore
  let session: SQLSession

  var now: String { store.clock() }

  func audit(action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64 {
    try store.audit(session, action: action, entityType: entityType, entityKey: entityKey, before: before, after: after)
  }

  /// Inserts a row and returns its id.
  private func insert(_ sql: String, _ values: [any SQLBindable]) throws -> Int64 {
    guard let row = try session.one(sql + " RETURNING id", values) else {
      throw RegistryError.database("an insert returned no id")
    }
    return try row.int64(0)
  }

  func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]] {
    try PostgresStore.texts(session, sql, arguments)
  }

  func ledgerItem(_ id: Int) throws -> LedgerLine { try store.requireLedger(session, id) }

  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws {
    try session.execute(
      """
      INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [
        itemID, entry.on.description, entry.kind.rawValue, entry.to == nil ? nil : entry.from?.rawValue,
        entry.to?.rawValue, entry.note, auditID,
      ])
    if let destination = entry.to {
      try session.execute(
        "UPDATE ledger_item SET state = ?, closed_on = ? WHERE id = ?",
        [destination.rawValue, destination == .closed ? entry.on.description : nil, itemID])
    }
  }

  func permit(_ number: String) throws -> HeldPermit { try store.requirePermit(session, number).held }

  private func insertPermitEvent(permitID: Int64, _ event: PermitEvent, auditID: Int64) throws {
    try session.execute(
      """
      INSERT INTO permit_event (permit_id, kind, event_on, until_on, basis, approver, note, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        permitID, event.kind.rawValue, event.on.description, event.until?.description, event.basis, event.approver,
        event.note, auditID,
      ])
  }

  func appendPermitEvent(permit number: String, _ event: PermitEvent, auditID: Int64) throws {
    let (id, _) = try store.requirePermit(session, number)
    try insertPermitEvent(permitID: id, event, auditID: auditID)
  }

  func facts(_ code: CreditCode) throws -> FirmFacts { try store.factsOfFirm(session, code) }

  func insertMembership(_ code: CreditCode, list: PositiveList, on day: Day, _ admission: Admission, auditID: Int64)
    throws -> Membership
  {
    let (id, firm) = try store.requireEnterprise(session, code)
    let trace = Render.compactJSON(.record(Report.verdict(admission.verdict, firm: firm)))
    try session.execute(
      """
      INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by,
      override_reason, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        id, list.rawValue, admission.category, day.description, admission.validUntil.description, trace, store.actor,
        admission.overrideReason, auditID,
      ])
    return Membership(
      creditCode: code.value, name: firm.name, regionCode: firm.regionCode, list: list, category: admission.category,
      admittedOn: day, validUntil: admission.validUntil, admittedBy: store.actor,
      overrideReason: admission.overrideReason, revokedOn: nil, revokeReason: nil, seriousViolation: false)
  }

  func recordedDecision(key: String) throws -> String? {
    try session.one("SELECT decision_number FROM fine WHERE decision_key = ?", [key])?.string(0)
  }

  func insertFine(_ fine: Fine, debtor: CreditCode, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(session, debtor)
    let key = (try? DecisionNumber.parse(fine.decisionNumber).get().key) ?? fine.decisionNumber
    try session.execute(
      """
      INSERT INTO fine (decision_number, decision_key, enterprise_id, amount_fen, decided_on, received_on,
      law_version, legal_basis, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        fine.decisionNumber, key, id, fine.amount.value, fine.decidedOn.description, fine.receivedOn.description,
        fine.lawVersion.rawValue, fine.legalBasis, auditID,
      ])
  }

  func fine(_ decision: String) throws -> OwedFine { try store.requireFine(session, decision).owed }

  func insertArrangement(decision: String, _ arrangement: FineArrangement, auditID: Int64) throws {
    let (id, _) = try store.requireFine(session, decision)
    let arrangementID = try insert(
      """
      INSERT INTO fine_arrangement (fine_id, kind, applied_on, reason, approver, approved_on, new_due_on,
      supersede_reason, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        id, arrangement.kind.rawValue, arrangement.appliedOn.description, arrangement.reason, arrangement.approver,
        arrangement.approvedOn.description, arrangement.newDue?.description, arrangement.supersedeReason, auditID,
      ])
    try session.insert(
      into: "fine_instalment", columns: ["arrangement_id", "seq", "due_on", "amount_fen"],
      rows: arrangement.instalments.enumerated().map { seq, instalment in
        [arrangementID, seq + 1, instalment.due.description, instalment.amount.value]
      })
  }

  func insertPayment(decision: String, _ payment: FinePayment, auditID: Int64) throws {
    let (id, _) = try store.requireFine(session, decision)
    try session.execute(
      "INSERT INTO fine_payment (fine_id, paid_on, amount_fen, reference, audit_id) VALUES (?, ?, ?, ?, ?)",
      [id, payment.on.description, payment.amount.value, payment.reference, auditID])
  }

  func recordSuspension(decision: String, _ suspension: FineSuspension, auditID: Int64) throws {
    let (id, _) = try store.requireFine(session, decision)
    let open: [any SQLBindable] = [id, suspension.kind.rawValue, suspension.from.description]
    if let to = suspension.to,
      try session.one(
        "SELECT 1 FROM fine_suspension WHERE fine_id = ? AND kind = ? AND from_on = ? AND to_on IS NULL", open) != nil
    {
      try session.execute(
        """
        UPDATE fine_suspension SET to_on = ?, audit_id = ?
        WHERE fine_id = ? AND kind = ? AND from_on = ? AND to_on IS NULL
        """, [to.description, auditID] + open)
    } else {
      try session.execute(
        "INSERT INTO fine_suspension (fine_id, kind, from_on, to_on, audit_id) VALUES (?, ?, ?, ?, ?)",
        [id, suspension.kind.rawValue, suspension.from.description, suspension.to?.description, auditID])
    }
  }

  func enterprise(_ code: CreditCode) throws -> Enterprise? { try store.fetchEnterprise(session, code)?.firm }

  func isStaged(_ code: CreditCode) throws -> Bool {
    try session.one("SELECT 1 FROM enterprise WHERE credit_code = ?", [code.value]) != nil
      && store.fetchEnterprise(session, code) == nil
  }

  func insertEnterprise(_ firm: Enterprise, auditID: Int64) throws {
    let columns = PostgresStore.enterpriseFactColumns + ["created_audit_id", "updated_audit_id"]
    try session.insert(
      into: "enterprise", columns: columns, rows: [PostgresStore.values(for: firm) + [auditID, auditID]])
  }

  func updateEnterprise(from old: Enterprise, to new: Enterprise, effectiveOn: Day, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(session, old.creditCode)
    try session.execute(
      """
      UPDATE enterprise SET name = ?, region_code = ?, industry_code = ?, process = ?, fuel = ?, address = ?,
        legal_rep = ?, contact = ?, key_discharge_unit = ?, permit_class = ?, online_monitoring = ?, grade = ?,
        credit_rating = ?, facility_type = ?, near_yangtze = ?, registered_on = ?, updated_audit_id = ?
      WHERE id = ?
      """,
      [
        new.name, new.regionCode, new.industryCode, new.process.rawValue, new.fuel.rawValue, new.address, new.legalRep,
        new.contact, new.keyDischargeUnit, new.permitClass?.rawValue, new.onlineMonitoring?.rawValue,
        new.grade.rawValue, new.creditRating.rawValue, new.facilityType.rawValue, new.nearYangtze,
        new.registeredOn.description, auditID, id,
      ])
    try session.insert(
      into: "enterprise_change",
      columns: ["enterprise_id", "field", "old_value", "new_value", "effective_on", "audit_id"],
      rows: new.changedFields(from: old).map { field in
        [id, field.rawValue, old[field], new[field], effectiveOn.description, auditID]
      })
  }

  func closeEnterprise(_ closed: Enterprise, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(session, closed.creditCode)
    let day = closed.closedOn?.description
    try session.execute(
      "UPDATE enterprise SET status = 'closed', closed_on = ?, closed_reason = ?, updated_audit_id = ? WHERE id = ?",
      [day, closed.closedReason, auditID, id])
    try session.execute(
      """
      INSERT INTO enterprise_change (enterprise_id, field, old_value, new_value, effective_on, audit_id)
      VALUES (?, 'status', 'active', 'closed', ?, ?)
      """, [id, day, auditID])
  }

  func retrofit(_ id: Int) throws -> FirmRetrofit { try store.requireRetrofit(session, id) }

  func hasRetrofit(owner: CreditCode, facility: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(session, owner)
    return try session.one("SELECT 1 FROM retrofit WHERE enterprise_id = ? AND facility = ?", [id, facility]) != nil
  }

  func insertRetrofit(_ r: Retrofit, owner: CreditCode, auditID: Int64) throws -> Int {
    let (id, _) = try store.requireEnterprise(session, owner)
    return Int(
      try insert(
        """
        INSERT INTO retrofit (enterprise_id, facility, source_type, capacity, capacity_unit, new_installation,
          planned_start, planned_completion, assessing_body, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          id, r.facility, r.sourceType.rawValue, r.capacity, r.capacityUnit, r.newInstallation,
          r.plannedStart.description, r.plannedCompletion.description, r.assessingBody, auditID,
        ]))
  }

  func insertStage(retrofitID: Int, _ stage: RetrofitStage, on day: Day, note: String, auditID: Int64) throws {
    try session.execute(
      "INSERT INTO retrofit_stage (retrofit_id, stage, entered_on, note, audit_id) VALUES (?, ?, ?, ?, ?)",
      [retrofitID, stage.rawValue, day.description, note, auditID])
    try session.execute("UPDATE retrofit SET stage = ? WHERE id = ?", [stage.rawValue, retrofitID])
  }

  func insertMeasurement(retrofitID: Int, _ m: Measurement, auditID: Int64) throws {
    try session.execute(
      """
      INSERT INTO measurement (retrofit_id, pollutant, concentration, o2_percent, measured_on, measured_by, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [retrofitID, m.pollutant.rawValue, m.concentration, m.oxygen, m.measuredOn.description, m.measuredBy, auditID])
  }

  func insertLedgerItem(_ item: LedgerItem, firm: CreditCode, auditID: Int64) throws -> LedgerLine {
    let (enterpriseID, _) = try store.requireEnterprise(session, firm)
    let id = try insert(
      """
      INSERT INTO ledger_item (enterprise_id, source, problem_type, description, found_on, class, measures,
        responsible_unit, responsible_person, due_on, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        enterpriseID, item.source.rawValue, item.problemType, item.description, item.foundOn.description,
        item.itemClass.rawValue, item.measures, item.responsibleUnit, item.responsiblePerson, item.dueOn.description,
        auditID,
      ])
    try session.execute(
      """
      INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
      VALUES (?, ?, 'transition', NULL, '待整改', '登记入账', ?)
      """, [id, item.foundOn.description, auditID])
    return try store.requireLedger(session, Int(id))
  }

  func currentMembership(_ code: CreditCode, list: PositiveList, on day: Day) throws -> Membership? {
    let (id, _) = try store.requireEnterprise(session, code)
    return try session.one(
      PostgresStore.membershipSelect
        + """
         WHERE m.enterprise_id = ? AND m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ?
          AND m.revoked_on IS NULL ORDER BY m.admitted_on DESC LIMIT 1
        """, [id, list.rawValue, day.description, day.description]
    ).flatMap(PostgresStore.membership)
  }

  func revokeMembership(_ membership: Membership, on day: Day, reason: String, seriousViolation: Bool, auditID: Int64)
    throws
  {
    guard let code = CreditCode(stored: membership.creditCode) else { return }
    let (id, _) = try store.requireEnterprise(session, code)
    try session.execute(
      """
      UPDATE list_membership SET revoked_on = ?, revoke_reason = ?, serious_violation = ?
      WHERE enterprise_id = ? AND list = ? AND admitted_on = ? AND revoked_on IS NULL
      """,
      [day.description, reason, seriousViolation, id, membership.list.rawValue, membership.admittedOn.description])
  }

  func insertDesignation(_ code: CreditCode, _ d: DesignationFact, reference: String, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(session, code)
    try session.execute(
      """
      INSERT INTO designation (enterprise_id, kind, granted_by, valid_from, valid_until, reference, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [id, d.kind.rawValue, d.grantedBy, d.validFrom.description, d.validUntil?.description, reference, auditID])
  }

  func insertIncident(_ code: CreditCode, _ incident: IncidentFact, note: String, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(session, code)
    try session.execute(
      "INSERT INTO incident (enterprise_id, kind, occurred_on, reference, note, audit_id) VALUES (?, ?, ?, ?, ?, ?)",
      [id, incident.kind.rawValue, incident.occurredOn.description, incident.reference, note, auditID])
  }

  func hasPermit(_ number: PermitNumber) throws -> Bool {
    try session.one("SELECT 1 FROM permit WHERE number = ?", [number.value]) != nil
  }

  private func insertPermitRow(
    _ number: PermitNumber, enterpriseID: Int64, permitClass: PermitClass, issuedOn: Day, validFrom: Day,
    validTo: Day, auditID: Int64
  ) throws -> Int64 {
    try insert(
      """
      INSERT INTO permit (number, enterprise_id, class, issued_on, valid_from, valid_to, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [
        number.value, enterpriseID, permitClass.rawValue, issuedOn.description, validFrom.description,
        validTo.description, auditID,
      ])
  }

  func insertPermit(
    _ number: PermitNumber, holder: CreditCode, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day,
    auditID: Int64
  ) throws {
    let (id, _) = try store.requireEnterprise(session, holder)
    _ = try insertPermitRow(
      number, enterpriseID: id, permitClass: permitClass, issuedOn: issuedOn, validFrom: validFrom, validTo: validTo,
      auditID: auditID)
  }

  func insertRenewal(
    of old: String, as number: PermitNumber, issuedOn: Day, validFrom: Day, validTo: Day, auditID: Int64
  ) throws {
    let (oldID, held) = try store.requirePermit(session, old)
    let (enterpriseID, _) = try store.requireEnterprise(session, held.holder)
    let newID = try insertPermitRow(
      number, enterpriseID: enterpriseID, permitClass: held.permit.permitClass, issuedOn: issuedOn,
      validFrom: validFrom, validTo: validTo, auditID: auditID)
    try session.execute("UPDATE permit SET superseded_by = ? WHERE id = ?", [newID, oldID])
    try insertPermitEvent(
      permitID: oldID, PermitEvent(kind: .renewed, on: issuedOn, note: "renewed as \(number.value)"), auditID: auditID)
  }

  func hasPolicy(key: String, jurisdiction: Jurisdiction, from: Day) throws -> Bool {
    try session.one(
      "SELECT 1 FROM policy_parameter WHERE key = ? AND jurisdiction = ? AND effective_from = ?",
      [key, jurisdiction.description, from.description]) != nil
  }

  func insertPolicy(_ parameter: PolicyParameter, auditID: Int64) throws {
    try PostgresStore.insertPolicy(session, parameter, auditID: auditID)
  }

  func account(named name: String) throws -> Account? { try PostgresStore.account(session, named: name) }

  func insertAccount(_ account: Account, auditID: Int64) throws {
    try session.execute(
      """
      INSERT INTO account (name, role, region_prefix, password_hash, created_at, disabled_at, audit_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [
        account.name, account.role.rawValue, account.regionPrefix, account.passwordHash, account.createdAt,
        account.disabledAt, auditID,
      ])
  }

  func updateAccount(_ account: Account, auditID: Int64) throws {
    try session.execute(
      """
      UPDATE account SET role = ?, region_prefix = ?, password_hash = ?, disabled_at = ?, audit_id = ?
      WHERE name = ?
      """,
      [account.role.rawValue, account.regionPrefix, account.passwordHash, account.disabledAt, auditID, account.name])
  }

  func insertToken(account: String, tokenHash: String, label: String, createdAt: String, auditID: Int64) throws
    -> Int
  {
    Int(
      try insert(
        """
        INSERT INTO api_token (account_id, token_hash, label, created_at, audit_id)
        SELECT id, ?, ?, ?, ? FROM account WHERE name = ?
        """, [tokenHash, label, createdAt, auditID, account]))
  }

  func revokeToken(account: String, id: Int, at: String, auditID: Int64) throws -> Bool {
    try session.execute(
      """
      UPDATE api_token SET revoked_at = ?, audit_id = ?
      WHERE id = ? AND revoked_at IS NULL AND account_id = (SELECT id FROM account WHERE name = ?)
      """, [at, auditID, id, account]) == 1
  }

  func completeAudit(id: Int64, after: Value) throws { try store.completeAudit(session, id: id, after: after) }

  func hasDesignation(_ code: CreditCode, kind: DesignationKind, from: Day) throws -> Bool {
    let (id, _) = try store.requireEnterprise(session, code)
    return try session.one(
      "SELECT 1 FROM designation WHERE enterprise_id = ? AND kind = ? AND valid_from = ?",
      [id, kind.rawValue, from.description]) != nil
  }

  func hasIncident(_ code: CreditCode, kind: IncidentKind, on day: Day, reference: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(session, code)
    return try session.one(
      "SELECT 1 FROM incident WHERE enterprise_id = ? AND kind = ? AND occurred_on = ? AND reference = ?",
      [id, kind.rawValue, day.description, reference]) != nil
  }

  func hasLedgerItem(_ code: CreditCode, foundOn: Day, description: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(session, code)
    return try session.one(
      "SELECT 1 FROM ledger_item WHERE enterprise_id = ? AND found_on = ? AND description = ?",
      [id, foundOn.description, description]) != nil
  }

  func retrofitID(owner: CreditCode, facility: String) throws -> Int? {
    try session.one(
      """
      SELECT r.id FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id
      WHERE e.credit_code = ? AND r.facility = ?
      """, [owner.value, facility]
    )?.int(0)
  }

  func hasMeasurement(retrofitID: Int, pollutant: Pollutant, on day: Day, by body: String) throws -> Bool {
    try session.one(
      "SELECT 1 FROM measurement WHERE retrofit_id = ? AND pollutant = ? AND measured_on = ? AND measured_by = ?",
      [retrofitID, pollutant.rawValue, day.description, body]) != nil
  }

  func markSuperseded(_ old: String, by number: PermitNumber, on day: Day, auditID: Int64) throws {
    let (oldID, _) = try store.requirePermit(session, old)
    let (newID, _) = try store.requirePermit(session, number.value)
    try session.execute("UPDATE permit SET superseded_by = ? WHERE id = ?", [newID, oldID])
    try insertPermitEvent(
      permitID: oldID, PermitEvent(kind: .renewed, on: day, note: "renewed as \(number.value)"), auditID: auditID)
  }
}
