import GRDB
import RegistryCore
import RegistryService

extension Store {
  // MARK: Designations and incidents (facts the eligibility rules read)

  static func insertDesignation(
    _ db: Database, enterpriseID: Int64, _ d: DesignationFact, reference: String, auditID: Int64
  ) throws {
    try db.execute(
      sql:
        """
        INSERT INTO designation (enterprise_id, kind, granted_by, valid_from, valid_until, reference, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        enterpriseID, d.kind.rawValue, d.grantedBy, d.validFrom.description, d.validUntil?.description, reference,
        auditID,
      ])
  }
}
