import RegistryCore
import RegistryService

/// Streams `FirmFacts` for every enterprise (or one) in a single pass: one cursor per fact table,
/// each ordered by `enterprise_id`, merged with the enterprise cursor (as the SQLite storage's
/// FactsReader). No query runs per firm; one firm's facts are in memory at a time.
enum FactsReader {
  static func read(_ session: SQLSession, enterpriseID: Int64?, _ body: (FirmFacts) throws -> Void) throws {
    let only = enterpriseID == nil ? "" : " WHERE enterprise_id = ?"
    let firm: [any SQLBindable] = enterpriseID.map { [$0] } ?? []
    let enterprises = try SQLCursor(
      session,
      "SELECT id, \(PostgresStore.enterpriseColumns) FROM enterprise WHERE \(PostgresStore.visible)"
        + (enterpriseID == nil ? "" : " AND id = ?") + " ORDER BY id", firm)
    var designations = ChildCursor(
      try SQLCursor(
        session,
        "SELECT enterprise_id, kind, granted_by, valid_from, valid_until FROM designation\(only) "
          + "ORDER BY enterprise_id",
        firm))
    var incidents = ChildCursor(
      try SQLCursor(
        session, "SELECT enterprise_id, kind, occurred_on, reference FROM incident\(only) ORDER BY enterprise_id",
        firm))
    var penalties = ChildCursor(
      try SQLCursor(session, "SELECT enterprise_id, decided_on FROM fine\(only) ORDER BY enterprise_id", firm))
    var permits = ChildCursor(
      try SQLCursor(
        session,
        """
        SELECT p.enterprise_id, p.number, p.class, p.valid_from, p.valid_to,
          (SELECT string_agg(event_on || until_on, '' ORDER BY e.id) FROM permit_event e
           WHERE e.permit_id = p.id AND e.kind = 'deferral-granted'),
          (SELECT min(event_on) FROM permit_event e WHERE e.permit_id = p.id AND e.kind IN ('cancelled', 'revoked')),
          p.issued_on
        FROM permit p\(enterpriseID == nil ? "" : " WHERE p.enterprise_id = ?") ORDER BY p.enterprise_id, p.id
        """, firm))
    var memberships = ChildCursor(
      try SQLCursor(
        session,
        """
        SELECT enterprise_id, list, admitted_on, valid_until, revoked_on, serious_violation
        FROM list_membership\(only) ORDER BY enterprise_id, id
        """, firm))
    while let row = try enterprises.next() {
      let id = try row.int64(0)
      var facts = FirmFacts(enterprise: try PostgresStore.enterprise(row, offset: 1))
      for row in try designations.take(id) {
        guard let kind = DesignationKind(rawValue: try row.string(1)), let from = Day(try row.string(3)) else {
          continue
        }
        facts.designations.append(
          DesignationFact(
            kind: kind, grantedBy: try row.string(2), validFrom: from, validUntil: try row.text(4).flatMap(Day.init)))
      }
      for row in try incidents.take(id) {
        guard let kind = IncidentKind(rawValue: try row.string(1)), let on = Day(try row.string(2)) else { continue }
        facts.incidents.append(IncidentFact(kind: kind, occurredOn: on, reference: try row.string(3)))
        if kind == .penalty { facts.penaltiesDecided.append(on) }
      }
      for row in try penalties.take(id) {
        if let on = Day(try row.string(1)) { facts.penaltiesDecided.append(on) }
      }
      for row in try permits.take(id) {
        guard let permitClass = PermitClass(rawValue: try row.string(2)), let from = Day(try row.string(3)),
          let to = Day(try row.string(4))
        else { continue }
        facts.permits.append(
          PermitFact(
            number: try row.string(1), permitClass: permitClass, validFrom: from, validTo: to,
            deferrals: PermitFact.unpackDeferrals(try row.text(5)), endedOn: try row.text(6).flatMap(Day.init),
            issuedOn: Day(try row.string(7))))
      }
      for row in try memberships.take(id) {
        guard let list = PositiveList(rawValue: try row.string(1)), let admitted = Day(try row.string(2)),
          let until = Day(try row.string(3))
        else { continue }
        facts.memberships.append(
          MembershipFact(
            list: list, admittedOn: admitted, validUntil: until, revokedOn: try row.text(4).flatMap(Day.init),
            seriousViolation: try row.flag(5) ?? false))
      }
      try body(facts)
    }
  }
}
