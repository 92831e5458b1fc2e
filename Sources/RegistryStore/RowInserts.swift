import GRDB
import RegistryCore

/// The one INSERT of each fact table, shared by the single-record writes (SQLiteTransaction) and
/// the importers, so a column added to a table is added in one place.
extension Store {
  @discardableResult
  static func insertPermit(
    _ db: Database, number: PermitNumber, enterpriseID: Int64, permitClass: PermitClass, issuedOn: Day, validFrom: Day,
    validTo: Day, auditID: Int64
  ) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO permit (number, enterprise_id, class, issued_on, valid_from, valid_to, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        number.value, enterpriseID, permitClass.rawValue, issuedOn.description, validFrom.description,
        validTo.description, auditID,
      ])
    return db.lastInsertedRowID
  }

  static func insertPermitEvent(_ db: Database, permitID: Int64, _ event: PermitEvent, auditID: Int64) throws {
    try db.execute(
      sql: """
        INSERT INTO permit_event (permit_id, kind, event_on, until_on, basis, approver, note, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        permitID, event.kind.rawValue, event.on.description, event.until?.description, event.basis, event.approver,
        event.note, auditID,
      ])
  }

  /// PM-4: a renewal supersedes the old permit from its issue date, with a `renewed` event on the old one.
  static func supersede(
    _ db: Database, oldID: Int64, by newID: Int64, number: PermitNumber, on day: Day, auditID: Int64
  ) throws {
    try db.execute(sql: "UPDATE permit SET superseded_by = ? WHERE id = ?", arguments: [newID, oldID])
    try insertPermitEvent(
      db, permitID: oldID, PermitEvent(kind: .renewed, on: day, note: "renewed as \(number.value)"), auditID: auditID)
  }

  static func insertPayment(_ db: Database, fineID: Int64, _ payment: FinePayment, auditID: Int64) throws {
    try db.execute(
      sql: "INSERT INTO fine_payment (fine_id, paid_on, amount_fen, reference, audit_id) VALUES (?, ?, ?, ?, ?)",
      arguments: [fineID, payment.on.description, payment.amount.value, payment.reference, auditID])
  }

  static func insertIncident(
    _ db: Database, enterpriseID: Int64, _ incident: IncidentFact, note: String, auditID: Int64
  ) throws {
    try db.execute(
      sql:
        "INSERT INTO incident (enterprise_id, kind, occurred_on, reference, note, audit_id) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [
        enterpriseID, incident.kind.rawValue, incident.occurredOn.description, incident.reference, note, auditID,
      ])
  }

  static func insertMeasurement(_ db: Database, retrofitID: Int64, _ m: Measurement, auditID: Int64) throws {
    try db.execute(
      sql: """
        INSERT INTO measurement (retrofit_id, pollutant, concentration, o2_percent, measured_on, measured_by, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        retrofitID, m.pollutant.rawValue, m.concentration, m.oxygen, m.measuredOn.description, m.measuredBy, auditID,
      ])
  }
}
