import GRDB
import RegistryCore
import RegistryService

extension Store {
  static func membership(_ row: Row) -> Membership? {
    guard let list = PositiveList(rawValue: row["list"]), let admitted = Day(row["admitted_on"] as String),
      let until = Day(row["valid_until"] as String)
    else { return nil }
    return Membership(
      creditCode: row["credit_code"], name: row["name"], regionCode: row["region_code"], list: list,
      category: row["category"],
      admittedOn: admitted, validUntil: until, admittedBy: row["admitted_by"], overrideReason: row["override_reason"],
      revokedOn: (row["revoked_on"] as String?).flatMap(Day.init), revokeReason: row["revoke_reason"],
      seriousViolation: row["serious_violation"])
  }

  static let membershipSelect = """
    SELECT e.credit_code, e.name, e.region_code, m.list, m.category, m.admitted_on, m.valid_until, m.admitted_by,
      m.override_reason, m.revoked_on, m.revoke_reason, m.serious_violation
    FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id
    """

  /// Members of a list on a date (admitted, not expired, not revoked), optionally in a region.
  public func members(of list: PositiveList, on day: Day, regionPrefix: String?) throws -> [Membership] {
    try read { db in
      var sql =
        Store.membershipSelect
        + " WHERE m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ? AND (m.revoked_on IS NULL OR m.revoked_on > ?)"
      var arguments: [any DatabaseValueConvertible] = [
        list.rawValue, day.description, day.description, day.description,
      ]
      var region = Conditions()
      region.regionPrefix(regionPrefix)
      sql += region.clauses.map { " AND " + $0 }.joined()
      arguments += region.arguments
      sql += " ORDER BY e.region_code, e.credit_code"
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap(Store.membership)
    }
  }

  /// Every membership of one firm, oldest first (its profile).
  public func memberships(of code: CreditCode) throws -> [Membership] {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      return try Row.fetchAll(
        db, cached: Store.membershipSelect + " WHERE m.enterprise_id = ? ORDER BY m.admitted_on, m.id", arguments: [id]
      ).compactMap(Store.membership)
    }
  }

  /// The stored trace a membership was admitted on (JSON, as `eligibility --format json` writes it).
  public func admissionTrace(_ code: CreditCode, list: PositiveList, admittedOn: Day) throws -> String? {
    try read { db in
      try String.fetchOne(
        db,
        sql:
          """
          SELECT m.trace
          FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id
          WHERE e.credit_code = ? AND m.list = ? AND m.admitted_on = ?
          """,
        arguments: [code.value, list.rawValue, admittedOn.description])
    }
  }

}
