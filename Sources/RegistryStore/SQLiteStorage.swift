import GRDB
import RegistryCore
import RegistryService

/// The SQLite storage behind the service's `RegistryStorage`: reads are the store's streaming
/// queries; `write` is one `BEGIN IMMEDIATE` transaction handing the service a `SQLiteTransaction`.
extension Store: RegistryStorage {
  public func importRecords(
    _ kind: ImportKind, _ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions
  ) throws -> ImportReport {
    guard kind == .enterprises else {
      return try RecordImports.run(kind, on: self, source, rejects: rejects, options: options)
    }
    return try importEnterprises(source, rejects: rejects, options: options)
  }

  public func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { body in
      try mutate { db in try body(SQLiteTransaction(store: self, db: db)) }
    }
  }
}

/// One write transaction of the SQLite storage.
struct SQLiteTransaction: StorageTransaction {
  let store: Store
  let db: Database

  func audit(action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64 {
    try store.audit(db, action: action, entityType: entityType, entityKey: entityKey, before: before, after: after)
  }

  func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]] { try Store.texts(db, sql, arguments) }

  func ledgerItem(_ id: Int) throws -> LedgerLine { try store.requireLedger(db, id) }

  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws {
    try db.execute(
      sql:
        """
        INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        itemID, entry.on.description, entry.kind.rawValue, entry.to == nil ? nil : entry.from?.rawValue,
        entry.to?.rawValue, entry.note, auditID,
      ])
    if let destination = entry.to {
      try db.execute(
        sql: "UPDATE ledger_item SET state = ?, closed_on = ? WHERE id = ?",
        arguments: [destination.rawValue, destination == .closed ? entry.on.description : nil, itemID])
    }
  }

  func permit(_ number: String) throws -> HeldPermit { try store.requirePermit(db, number).held }

  func appendPermitEvent(permit number: String, _ event: PermitEvent, auditID: Int64) throws {
    let (id, _) = try store.requirePermit(db, number)
    try Store.insertPermitEvent(db, permitID: id, event, auditID: auditID)
  }

  func facts(_ code: CreditCode) throws -> FirmFacts {
    let (id, _) = try store.requireEnterprise(db, code)
    var reader = try FactsReader(db, enterpriseID: id)
    guard let (_, facts) = try reader.next() else {
      throw RegistryError.database("facts of \(code.value) could not be read")
    }
    return facts
  }

  func insertMembership(_ code: CreditCode, list: PositiveList, on day: Day, _ admission: Admission, auditID: Int64)
    throws -> Membership
  {
    let (id, firm) = try store.requireEnterprise(db, code)
    let trace = Render.compactJSON(.record(Report.verdict(admission.verdict, firm: firm)))
    try db.execute(
      sql:
        """
        INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by,
        override_reason, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, list.rawValue, admission.category, day.description, admission.validUntil.description, trace, store.actor,
        admission.overrideReason, auditID,
      ])
    return Membership(
      creditCode: code.value, name: firm.name, regionCode: firm.regionCode, list: list, category: admission.category,
      admittedOn: day, validUntil: admission.validUntil, admittedBy: store.actor,
      overrideReason: admission.overrideReason, revokedOn: nil, revokeReason: nil, seriousViolation: false)
  }

  func recordedDecision(key: String) throws -> String? {
    try String.fetchOne(db, sql: "SELECT decision_number FROM fine WHERE decision_key = ?", arguments: [key])
  }

  func insertFine(_ fine: Fine, debtor: CreditCode, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(db, debtor)
    try Store.insertFine(db, fine, enterpriseID: id, auditID: auditID)
  }

  func fine(_ decision: String) throws -> OwedFine { try store.requireFine(db, decision).owed }

  func insertArrangement(decision: String, _ arrangement: FineArrangement, auditID: Int64) throws {
    let (id, _) = try store.requireFine(db, decision)
    try db.execute(
      sql:
        """
        INSERT INTO fine_arrangement (fine_id, kind, applied_on, reason, approver, approved_on, new_due_on,
        supersede_reason, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        id, arrangement.kind.rawValue, arrangement.appliedOn.description, arrangement.reason, arrangement.approver,
        arrangement.approvedOn.description, arrangement.newDue?.description, arrangement.supersedeReason, auditID,
      ])
    let arrangementID = db.lastInsertedRowID
    for (seq, instalment) in arrangement.instalments.enumerated() {
      try db.execute(
        sql: "INSERT INTO fine_instalment (arrangement_id, seq, due_on, amount_fen) VALUES (?, ?, ?, ?)",
        arguments: [arrangementID, seq + 1, instalment.due.description, instalment.amount.value])
    }
  }

  func insertPayment(decision: String, _ payment: FinePayment, auditID: Int64) throws {
    let (id, _) = try store.requireFine(db, decision)
    try Store.insertPayment(db, fineID: id, payment, auditID: auditID)
  }

  func recordSuspension(decision: String, _ suspension: FineSuspension, auditID: Int64) throws {
    let (id, _) = try store.requireFine(db, decision)
    let open = [id, suspension.kind.rawValue, suspension.from.description] as [any DatabaseValueConvertible]
    if let to = suspension.to,
      try Bool.fetchOne(
        db, sql: "SELECT 1 FROM fine_suspension WHERE fine_id = ? AND kind = ? AND from_on = ? AND to_on IS NULL",
        arguments: StatementArguments(open)) == true
    {
      try db.execute(
        sql:
          """
          UPDATE fine_suspension SET to_on = ?, audit_id = ?
          WHERE fine_id = ? AND kind = ? AND from_on = ? AND to_on IS NULL
          """,
        arguments: StatementArguments([to.description, auditID] + open))
    } else {
      try db.execute(
        sql: "INSERT INTO fine_suspension (fine_id, kind, from_on, to_on, audit_id) VALUES (?, ?, ?, ?, ?)",
        arguments: [id, suspension.kind.rawValue, suspension.from.description, suspension.to?.description, auditID])
    }
  }

  func enterprise(_ code: CreditCode) throws -> Enterprise? { try store.fetchEnterprise(db, code)?.firm }

  func isStaged(_ code: CreditCode) throws -> Bool {
    try Bool.fetchOne(db, sql: "SELECT 1 FROM enterprise WHERE credit_code = ?", arguments: [code.value]) == true
      && store.fetchEnterprise(db, code) == nil
  }

  func insertEnterprise(_ firm: Enterprise, auditID: Int64) throws {
    try db.execute(sql: Store.insertEnterpriseSQL, arguments: Store.arguments(for: firm) + [auditID, auditID])
  }

  func updateEnterprise(from old: Enterprise, to new: Enterprise, effectiveOn: Day, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(db, old.creditCode)
    try db.execute(sql: Store.updateEnterpriseSQL, arguments: Store.updateArguments(for: new, auditID: auditID))
    try Store.recordChanges(db, enterpriseID: id, from: old, to: new, effectiveOn: effectiveOn, auditID: auditID)
  }

  func closeEnterprise(_ closed: Enterprise, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(db, closed.creditCode)
    let day = closed.closedOn?.description
    try db.execute(
      sql:
        "UPDATE enterprise SET status = 'closed', closed_on = ?, closed_reason = ?, updated_audit_id = ? WHERE id = ?",
      arguments: [day, closed.closedReason, auditID, id])
    try db.execute(
      sql:
        """
        INSERT INTO enterprise_change (enterprise_id, field, old_value, new_value, effective_on, audit_id)
        VALUES (?, 'status', 'active', 'closed', ?, ?)
        """,
      arguments: [id, day, auditID])
  }

  func retrofit(_ id: Int) throws -> FirmRetrofit { try store.requireRetrofit(db, id) }

  func hasRetrofit(owner: CreditCode, facility: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(db, owner)
    return try Bool.fetchOne(
      db, sql: "SELECT 1 FROM retrofit WHERE enterprise_id = ? AND facility = ?", arguments: [id, facility]) == true
  }

  func insertRetrofit(_ retrofit: Retrofit, owner: CreditCode, auditID: Int64) throws -> Int {
    let (id, _) = try store.requireEnterprise(db, owner)
    return Int(try Store.insertRetrofit(db, retrofit, enterpriseID: id, auditID: auditID))
  }

  func insertStage(retrofitID: Int, _ stage: RetrofitStage, on day: Day, note: String, auditID: Int64) throws {
    try Store.insertStage(db, retrofitID: Int64(retrofitID), stage: stage, on: day, note: note, auditID: auditID)
  }

  func insertMeasurement(retrofitID: Int, _ m: Measurement, auditID: Int64) throws {
    try Store.insertMeasurement(db, retrofitID: Int64(retrofitID), m, auditID: auditID)
  }

  func insertLedgerItem(_ item: LedgerItem, firm: CreditCode, auditID: Int64) throws -> LedgerLine {
    let (enterpriseID, _) = try store.requireEnterprise(db, firm)
    let id = try Store.insertLedgerItem(db, item, enterpriseID: enterpriseID, auditID: auditID)
    return try store.requireLedger(db, Int(id))
  }

  func currentMembership(_ code: CreditCode, list: PositiveList, on day: Day) throws -> Membership? {
    let (id, _) = try store.requireEnterprise(db, code)
    let row = try Row.fetchOne(
      db,
      sql: Store.membershipSelect
        + " WHERE m.enterprise_id = ? AND m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ? AND m.revoked_on IS NULL ORDER BY m.admitted_on DESC LIMIT 1",
      arguments: [id, list.rawValue, day.description, day.description])
    return row.flatMap(Store.membership)
  }

  func revokeMembership(_ membership: Membership, on day: Day, reason: String, seriousViolation: Bool, auditID: Int64)
    throws
  {
    guard let code = CreditCode(stored: membership.creditCode) else { return }
    let (id, _) = try store.requireEnterprise(db, code)
    try db.execute(
      sql:
        """
        UPDATE list_membership SET revoked_on = ?, revoke_reason = ?, serious_violation = ?
        WHERE enterprise_id = ? AND list = ? AND admitted_on = ? AND revoked_on IS NULL
        """,
      arguments: [
        day.description, reason, seriousViolation, id, membership.list.rawValue, membership.admittedOn.description,
      ])
  }

  func insertDesignation(_ code: CreditCode, _ designation: DesignationFact, reference: String, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(db, code)
    try Store.insertDesignation(db, enterpriseID: id, designation, reference: reference, auditID: auditID)
  }

  func insertIncident(_ code: CreditCode, _ incident: IncidentFact, note: String, auditID: Int64) throws {
    let (id, _) = try store.requireEnterprise(db, code)
    try Store.insertIncident(db, enterpriseID: id, incident, note: note, auditID: auditID)
  }

  func hasPermit(_ number: PermitNumber) throws -> Bool {
    try Bool.fetchOne(db, sql: "SELECT 1 FROM permit WHERE number = ?", arguments: [number.value]) == true
  }

  func insertPermit(
    _ number: PermitNumber, holder: CreditCode, permitClass: PermitClass, issuedOn: Day, validFrom: Day, validTo: Day,
    auditID: Int64
  ) throws {
    let (id, _) = try store.requireEnterprise(db, holder)
    try Store.insertPermit(
      db, number: number, enterpriseID: id, permitClass: permitClass, issuedOn: issuedOn, validFrom: validFrom,
      validTo: validTo, auditID: auditID)
  }

  func insertRenewal(
    of old: String, as number: PermitNumber, issuedOn: Day, validFrom: Day, validTo: Day, auditID: Int64
  ) throws {
    let (oldID, held) = try store.requirePermit(db, old)
    let (enterpriseID, _) = try store.requireEnterprise(db, held.holder)
    let newID = try Store.insertPermit(
      db, number: number, enterpriseID: enterpriseID, permitClass: held.permit.permitClass, issuedOn: issuedOn,
      validFrom: validFrom, validTo: validTo, auditID: auditID)
    try Store.supersede(db, oldID: oldID, by: newID, number: number, on: issuedOn, auditID: auditID)
  }

  func hasPolicy(key: String, jurisdiction: Jurisdiction, from: Day) throws -> Bool {
    try Bool.fetchOne(
      db, sql: "SELECT 1 FROM policy_parameter WHERE key = ? AND jurisdiction = ? AND effective_from = ?",
      arguments: [key, jurisdiction.description, from.description]) == true
  }

  func insertPolicy(_ parameter: PolicyParameter, auditID: Int64) throws {
    try Store.insertPolicy(db, parameter, auditID: auditID)
  }

  func completeAudit(id: Int64, after: Value) throws { try store.completeAudit(db, id: id, after: after) }

  func hasDesignation(_ code: CreditCode, kind: DesignationKind, from: Day) throws -> Bool {
    let (id, _) = try store.requireEnterprise(db, code)
    return try Bool.fetchOne(
      db, cached: "SELECT 1 FROM designation WHERE enterprise_id = ? AND kind = ? AND valid_from = ?",
      arguments: [id, kind.rawValue, from.description]) == true
  }

  func hasIncident(_ code: CreditCode, kind: IncidentKind, on day: Day, reference: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(db, code)
    return try Bool.fetchOne(
      db, cached: "SELECT 1 FROM incident WHERE enterprise_id = ? AND kind = ? AND occurred_on = ? AND reference = ?",
      arguments: [id, kind.rawValue, day.description, reference]) == true
  }

  func hasLedgerItem(_ code: CreditCode, foundOn: Day, description: String) throws -> Bool {
    let (id, _) = try store.requireEnterprise(db, code)
    return try Bool.fetchOne(
      db, cached: "SELECT 1 FROM ledger_item WHERE enterprise_id = ? AND found_on = ? AND description = ?",
      arguments: [id, foundOn.description, description]) == true
  }

  func retrofitID(owner: CreditCode, facility: String) throws -> Int? {
    try Int.fetchOne(
      db,
      cached: """
        SELECT r.id FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id
        WHERE e.credit_code = ? AND r.facility = ?
        """, arguments: [owner.value, facility])
  }

  func hasMeasurement(retrofitID: Int, pollutant: Pollutant, on day: Day, by body: String) throws -> Bool {
    try Bool.fetchOne(
      db,
      cached:
        "SELECT 1 FROM measurement WHERE retrofit_id = ? AND pollutant = ? AND measured_on = ? AND measured_by = ?",
      arguments: [retrofitID, pollutant.rawValue, day.description, body]) == true
  }

  func markSuperseded(_ old: String, by number: PermitNumber, on day: Day, auditID: Int64) throws {
    let (oldID, _) = try store.requirePermit(db, old)
    let (newID, _) = try store.requirePermit(db, number.value)
    try Store.supersede(db, oldID: oldID, by: newID, number: number, on: day, auditID: auditID)
  }
}
