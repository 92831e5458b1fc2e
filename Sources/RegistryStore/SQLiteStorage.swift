import GRDB
import RegistryCore
import RegistryService

/// The SQLite storage behind the service's `RegistryStorage`: reads are the store's streaming
/// queries; `write` is one `BEGIN IMMEDIATE` transaction handing the service a `SQLiteTransaction`.
extension Store: RegistryStorage {
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

  func ledgerItem(_ id: Int) throws -> LedgerLine { try store.requireLedger(db, id) }

  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws {
    try db.execute(
      sql:
        "INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    try db.execute(
      sql:
        "INSERT INTO permit_event (permit_id, kind, event_on, until_on, basis, approver, note, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        id, event.kind.rawValue, event.on.description, event.until?.description, event.basis, event.approver,
        event.note, auditID,
      ])
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
        "INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by, override_reason, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        "INSERT INTO fine_arrangement (fine_id, kind, applied_on, reason, approver, approved_on, new_due_on, supersede_reason, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    try db.execute(
      sql: "INSERT INTO fine_payment (fine_id, paid_on, amount_fen, reference, audit_id) VALUES (?, ?, ?, ?, ?)",
      arguments: [id, payment.on.description, payment.amount.value, payment.reference, auditID])
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
          "UPDATE fine_suspension SET to_on = ?, audit_id = ? WHERE fine_id = ? AND kind = ? AND from_on = ? AND to_on IS NULL",
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
        "INSERT INTO enterprise_change (enterprise_id, field, old_value, new_value, effective_on, audit_id) VALUES (?, 'status', 'active', 'closed', ?, ?)",
      arguments: [id, day, auditID])
  }
}
