import GRDB
import RegistryCore
import RegistryService

extension Store {
  /// A firm's designations, incidents and ledger items, for its profile (the service renders them).
  public func firmRecords(_ code: CreditCode) throws -> FirmRecords {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      var records = FirmRecords()
      for row in try Row.fetchAll(
        db,
        cached:
          """
          SELECT kind, granted_by, valid_from, valid_until, reference FROM designation WHERE enterprise_id = ? \
          ORDER BY valid_from, id
          """,
        arguments: [id])
      {
        guard let kind = DesignationKind(rawValue: row[0]), let from = Day(row[2] as String) else { continue }
        let fact = DesignationFact(
          kind: kind, grantedBy: row[1], validFrom: from, validUntil: row.text(3).flatMap(Day.init))
        records.designations.append((fact, row[4]))
      }
      for row in try Row.fetchAll(
        db,
        cached:
          "SELECT kind, occurred_on, reference, note FROM incident WHERE enterprise_id = ? ORDER BY occurred_on, id",
        arguments: [id])
      {
        guard let kind = IncidentKind(rawValue: row[0]), let on = Day(row[1] as String) else { continue }
        records.incidents.append((IncidentFact(kind: kind, occurredOn: on, reference: row[2]), row[3]))
      }
      for itemID in try Int.fetchAll(
        db, cached: "SELECT id FROM ledger_item WHERE enterprise_id = ? ORDER BY found_on, id", arguments: [id])
      {
        records.ledger.append(try self.requireLedger(db, itemID))
      }
      return records
    }
  }
}
