import GRDB
import RegistryCore
import RegistryService

extension Store {
  /// Decodes `permitEventColumns` by position (listings decode many rows).
  static func permitEvent(_ row: Row) -> PermitEvent? {
    guard let kind = PermitEvent.Kind(rawValue: row[1]), let on = Day(row[2] as String) else { return nil }
    return PermitEvent(
      kind: kind, on: on, until: row.text(3).flatMap(Day.init), basis: row[4], approver: row[5], note: row[6])
  }

  static let permitEventColumns = "ev.permit_id, ev.kind, ev.event_on, ev.until_on, ev.basis, ev.approver, ev.note"

  /// Decodes a `permitSelect` row by position.
  static func permit(_ row: Row, events: [PermitEvent]) throws -> HeldPermit {
    let number: String = row[1]
    let holderCode: String = row[7]
    guard let parsed = PermitNumber(stored: number), let permitClass = PermitClass(rawValue: row[2]),
      let issued = Day(row[3] as String), let from = Day(row[4] as String), let to = Day(row[5] as String),
      // The number's credit-code part is the holder's (ID-4, checked when recorded) unless edited by hand.
      let holder = parsed.holder.value == holderCode ? parsed.holder : CreditCode(stored: holderCode)
    else { throw RegistryError.database("permit row \(number.quoted) holds a value this envreg cannot read") }
    let permit = Permit(
      number: parsed, permitClass: permitClass, issuedOn: issued, validFrom: from, validTo: to,
      supersededBy: row.text(6), events: events)
    return HeldPermit(permit: permit, holder: holder, holderName: row[8], regionCode: row[9])
  }

  static let permitSelect = """
    SELECT p.id, p.number, p.class, p.issued_on, p.valid_from, p.valid_to, s.number AS superseded_number,
      e.credit_code, e.name, e.region_code
    FROM permit p JOIN enterprise e ON e.id = p.enterprise_id LEFT JOIN permit s ON s.id = p.superseded_by
    """

  func requirePermit(_ db: Database, _ number: String) throws -> (id: Int64, held: HeldPermit) {
    let normalised = (try? PermitNumber.parse(number).get().value) ?? number
    guard let row = try Row.fetchOne(db, sql: Store.permitSelect + " WHERE p.number = ?", arguments: [normalised])
    else {
      throw RegistryError.notFound(
        kind: "permit", key: normalised, hint: "Run 'envreg permit list' to see recorded permits.")
    }
    let id: Int64 = row[0]
    let events = try Row.fetchAll(
      db,
      sql: "SELECT \(Store.permitEventColumns) FROM permit_event ev WHERE ev.permit_id = ? ORDER BY ev.event_on, ev.id",
      arguments: [id]
    ).compactMap(Store.permitEvent)
    return (id, try Store.permit(row, events: events))
  }

  public func permit(_ number: String) throws -> HeldPermit {
    try read { db in try self.requirePermit(db, number).held }
  }

  /// Streams permits with their events (a merge of two cursors ordered by permit id).
  public func forEachPermit(_ filter: PermitFilter, _ body: (HeldPermit) throws -> Void) throws {
    var clauses: [String] = []
    var arguments: [any DatabaseValueConvertible] = []
    if filter.currentOnly, let asOf = filter.asOf {
      clauses.append("(p.superseded_by IS NULL OR s.issued_on > ?) AND p.issued_on <= ?")
      arguments += [asOf.description, asOf.description]
    } else if filter.currentOnly {
      clauses.append("p.superseded_by IS NULL")
    }
    if filter.deferredOnly {
      // Driven by permit_event_by_kind: the deferred permits are few, the permits many.
      clauses.append(
        "p.id IN (SELECT d.permit_id FROM permit_event d WHERE d.kind = 'deferral-granted'\(filter.asOf == nil ? "" : " AND d.event_on <= ?"))"
      )
      if let asOf = filter.asOf { arguments.append(asOf.description) }
    }
    if let to = filter.validToOnOrBefore { clauses.append("p.valid_to <= ?"); arguments.append(to.description) }
    if let from = filter.validToOnOrAfter { clauses.append("p.valid_to >= ?"); arguments.append(from.description) }
    if let permitClass = filter.permitClass { clauses.append("p.class = ?"); arguments.append(permitClass.rawValue) }
    if let prefix = filter.regionPrefix {
      var region = Conditions()
      region.regionPrefix(prefix)
      clauses += region.clauses
      arguments += region.arguments
    }
    if let holder = filter.holder { clauses.append("e.credit_code = ?"); arguments.append(holder.value) }
    let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    let order = filter.byExpiry ? " ORDER BY p.valid_to, p.id" : " ORDER BY p.id"
    // One pass: each permit's events come along as one aggregated column (fields separated by
    // U+001F, events by U+001E, both removed from free text), read through permit_event_by_permit.
    let sql = """
      SELECT p.id, p.number, p.class, p.issued_on, p.valid_from, p.valid_to, s.number AS superseded_number, e.credit_code, e.name, e.region_code,
        (SELECT group_concat(kind || char(31) || event_on || char(31) || ifnull(until_on, '') || char(31) || \(Store.clean("basis")) || char(31)
           || \(Store.clean("approver")) || char(31) || \(Store.clean("note")), char(30))
         FROM (SELECT * FROM permit_event v WHERE v.permit_id = p.id ORDER BY v.event_on, v.id)) AS events
      FROM permit p JOIN enterprise e ON e.id = p.enterprise_id LEFT JOIN permit s ON s.id = p.superseded_by
      """ + whereClause + order
    try read { db in
      let permits = try Row.fetchCursor(db, reusing: sql, arguments: StatementArguments(arguments))
      while let row = try permits.next() {
        try body(try Store.permit(row, events: PermitEvent.unpack(row.text(10))))
      }
    }
  }

  /// SQL for a text column with the two separator characters replaced by spaces.
  static func clean(_ column: String) -> String { "replace(replace(\(column), char(30), ' '), char(31), ' ')" }

  /// PM-6: the dated changes of name, address or legal representative since `since` (the filings
  /// they ask are decided in the service, `changeFilings`).
  public func permitRelevantChanges(since: Day, regionPrefix: String?) throws -> [(
    code: String, name: String, region: String, field: String, on: Day
  )] {
    try read { db in
      var sql =
        """
        SELECT e.credit_code, e.name, e.region_code, c.field, c.effective_on
        FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id
        WHERE c.field IN ('name', 'address', 'legal_rep') AND c.effective_on >= ?
        """
      var arguments: [any DatabaseValueConvertible] = [since.description]
      var region = Conditions()
      region.regionPrefix(regionPrefix)
      sql += region.clauses.map { " AND " + $0 }.joined()
      arguments += region.arguments
      return try Row.fetchAll(
        db, sql: sql + " ORDER BY e.credit_code, c.effective_on", arguments: StatementArguments(arguments)
      ).compactMap { row in
        guard let on = Day(row[4] as String) else { return nil }
        return (row[0], row[1], row[2], row[3], on)
      }
    }
  }
}
