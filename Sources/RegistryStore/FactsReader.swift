import GRDB
import RegistryCore
import RegistryService

/// Streams `FirmFacts` for every enterprise (or one) in a single pass: one cursor per fact table,
/// each ordered by `enterprise_id` along its index, merged with the enterprise cursor. No query
/// runs per firm, and only one firm's facts are in memory at a time.
struct FactsReader {
  private var enterprises: RowCursor
  private var designations: ChildRows
  private var incidents: ChildRows
  private var penalties: ChildRows
  private var permits: ChildRows
  private var memberships: ChildRows

  /// `enterpriseID` restricts every cursor to one firm (`eligibility CODE`); `nil` reads them all.
  init(_ db: Database, enterpriseID: Int64? = nil) throws {
    // One firm's id is bound, not spliced: its statements are the same text for every firm and
    // come from the connection's statement cache (`reusing:`; eligibility on a server).
    let only = enterpriseID == nil ? "" : " WHERE enterprise_id = ?"
    let onlyFirm = enterpriseID == nil ? "" : " AND id = ?"
    let firm = StatementArguments(enterpriseID.map { [$0] } ?? [])
    // The sweep reads every firm: the free-text contact columns, which no rule reads, stay in the
    // file (a finding names the firm by code, name and region; one firm's facts carry them all).
    let columns =
      enterpriseID == nil
      ? Store.enterpriseColumns.replacingOccurrences(
        "address, legal_rep, contact,", with: "'' AS address, '' AS legal_rep, '' AS contact,")
      : Store.enterpriseColumns
    enterprises = try Row.fetchCursor(
      db, reusing: "SELECT id, \(columns) FROM enterprise WHERE \(Store.visible)\(onlyFirm) ORDER BY id",
      arguments: firm)
    designations = ChildRows(
      try Row.fetchCursor(
        db,
        reusing:
          """
          SELECT enterprise_id, kind, granted_by, valid_from, valid_until
          FROM designation\(only)
          ORDER BY enterprise_id
          """, arguments: firm
      ))
    incidents = ChildRows(
      try Row.fetchCursor(
        db, reusing: "SELECT enterprise_id, kind, occurred_on, reference FROM incident\(only) ORDER BY enterprise_id",
        arguments: firm))
    penalties = ChildRows(
      try Row.fetchCursor(
        db, reusing: "SELECT enterprise_id, decided_on FROM fine\(only) ORDER BY enterprise_id", arguments: firm))
    permits = ChildRows(
      try Row.fetchCursor(
        db,
        reusing: """
          SELECT p.enterprise_id, p.number, p.class, p.valid_from, p.valid_to,
            (SELECT group_concat(event_on || until_on, '') FROM permit_event e WHERE e.permit_id = p.id AND e.kind = 'deferral-granted') AS deferrals,
            (SELECT min(event_on) FROM permit_event e WHERE e.permit_id = p.id AND e.kind IN ('cancelled', 'revoked')) AS ended_on,
            p.issued_on
          FROM permit p\(enterpriseID == nil ? "" : " WHERE p.enterprise_id = ?") ORDER BY p.enterprise_id
          """, arguments: firm))
    memberships = ChildRows(
      try Row.fetchCursor(
        db,
        reusing:
          """
          SELECT enterprise_id, list, admitted_on, valid_until, revoked_on, serious_violation
          FROM list_membership\(only)
          ORDER BY enterprise_id
          """, arguments: firm
      ))
  }

  /// The next firm's id and facts, or `nil` at the end.
  mutating func next() throws -> (id: Int64, facts: FirmFacts)? {
    guard let row = try enterprises.next() else { return nil }
    let id: Int64 = row[0]
    // Columns are read by position (every query below starts with enterprise_id): by-name look-ups
    // cost a string comparison per column per row, and the sweep reads millions of rows.
    var facts = FirmFacts(enterprise: try Store.enterprise(row, offset: 1))
    for row in try designations.take(id) {
      guard let kind = DesignationKind(rawValue: row[1]), let from = Day(row[3] as String) else { continue }
      facts.designations.append(
        DesignationFact(kind: kind, grantedBy: row[2], validFrom: from, validUntil: row.text(4).flatMap(Day.init)))
    }
    for row in try incidents.take(id) {
      guard let kind = IncidentKind(rawValue: row[1]), let on = Day(row[2] as String) else { continue }
      facts.incidents.append(IncidentFact(kind: kind, occurredOn: on, reference: row[3]))
      if kind == .penalty { facts.penaltiesDecided.append(on) }
    }
    for row in try penalties.take(id) {
      if let on = Day(row[1] as String) { facts.penaltiesDecided.append(on) }
    }
    for row in try permits.take(id) {
      guard let permitClass = PermitClass(rawValue: row[2]), let from = Day(row[3] as String),
        let to = Day(row[4] as String)
      else { continue }
      facts.permits.append(
        PermitFact(
          number: row[1], permitClass: permitClass, validFrom: from, validTo: to,
          deferrals: PermitFact.unpackDeferrals(row.text(5)), endedOn: row.text(6).flatMap(Day.init),
          issuedOn: Day(row[7] as String)))
    }
    for row in try memberships.take(id) {
      guard let list = PositiveList(rawValue: row[1]), let admitted = Day(row[2] as String),
        let until = Day(row[3] as String)
      else { continue }
      facts.memberships.append(
        MembershipFact(
          list: list, admittedOn: admitted, validUntil: until, revokedOn: row.text(4).flatMap(Day.init),
          seriousViolation: row[5]))
    }
    return (id, facts)
  }
}

extension Store {
  /// Every fact the rules need about one enterprise.
  public func facts(_ code: CreditCode) throws -> FirmFacts {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      var reader = try FactsReader(db, enterpriseID: id)
      guard let (_, facts) = try reader.next() else {
        throw RegistryError.database("enterprise \(code.value) disappeared while reading its facts")
      }
      return facts
    }
  }

  /// Streams every enterprise's facts in one pass (the review sweep).
  public func forEachFirmFacts(_ body: (FirmFacts) throws -> Void) throws {
    try read { db in
      // Six cursors walk six tables side by side: 16 MiB of page cache keeps their paths in memory.
      try db.execute(sql: "PRAGMA cache_size = -16384")
      defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
      var reader = try FactsReader(db)
      while let (_, facts) = try reader.next() { try body(facts) }
    }
  }
}
