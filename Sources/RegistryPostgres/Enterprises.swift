import RegistryCore
import RegistryService

/// Firms: reads, the write transaction's firm rows, their dated history (the SQLite storage's
/// EnterpriseStore and FactsReader, in PostgreSQL's SQL).
extension PostgresStore {
  static let enterpriseColumns = """
    credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact, key_discharge_unit,
    permit_class, online_monitoring, grade, credit_rating, facility_type, near_yangtze, registered_on, status,
    closed_on, closed_reason, code_override
    """

  /// Rows staged by an import still running are invisible to every read.
  static let visible = "(pending IS NULL OR pending IN (SELECT id FROM import_run WHERE state = 'done'))"

  /// Decodes an enterprise whose `enterpriseColumns` start at column `offset`.
  static func enterprise(_ row: SQLRow, offset: Int = 0) throws -> Enterprise {
    let code = try row.string(offset)
    guard let credit = CreditCode(stored: code), let registered = Day(try row.string(offset + 16)) else {
      throw RegistryError.database("enterprise row \(code.quoted) holds a value this envreg cannot read")
    }
    var firm = Enterprise(
      creditCode: credit, name: try row.string(offset + 1), regionCode: try row.string(offset + 2),
      industryCode: try row.string(offset + 3), registeredOn: registered)
    firm.process = ProductionProcess(rawValue: try row.string(offset + 4)) ?? .unknown
    firm.fuel = Fuel(rawValue: try row.string(offset + 5)) ?? .unknown
    firm.address = try row.string(offset + 6)
    firm.legalRep = try row.string(offset + 7)
    firm.contact = try row.string(offset + 8)
    firm.keyDischargeUnit = try row.flag(offset + 9)
    firm.permitClass = try row.text(offset + 10).flatMap(PermitClass.init(rawValue:))
    firm.onlineMonitoring = try row.text(offset + 11).flatMap(OnlineMonitoring.init(rawValue:))
    firm.grade = PerformanceGrade(rawValue: try row.string(offset + 12)) ?? .unrated
    firm.creditRating = CreditRating(rawValue: try row.string(offset + 13)) ?? .unrated
    firm.facilityType = FacilityType(rawValue: try row.string(offset + 14)) ?? .none
    firm.nearYangtze = try row.flag(offset + 15)
    firm.status = EnterpriseStatus(rawValue: try row.string(offset + 17)) ?? .active
    firm.closedOn = try row.text(offset + 18).flatMap(Day.init)
    firm.closedReason = try row.text(offset + 19)
    firm.codeOverride = try row.text(offset + 20)
    return firm
  }

  /// The facts an insert gives, in the order of `values(for:)`.
  static let enterpriseFactColumns = [
    "credit_code", "name", "region_code", "industry_code", "process", "fuel", "address", "legal_rep", "contact",
    "key_discharge_unit", "permit_class", "online_monitoring", "grade", "credit_rating", "facility_type",
    "near_yangtze", "registered_on", "code_override",
  ]

  static func values(for firm: Enterprise) -> [any SQLBindable] {
    [
      firm.creditCode.value, firm.name, firm.regionCode, firm.industryCode, firm.process.rawValue, firm.fuel.rawValue,
      firm.address, firm.legalRep, firm.contact, firm.keyDischargeUnit, firm.permitClass?.rawValue,
      firm.onlineMonitoring?.rawValue, firm.grade.rawValue, firm.creditRating.rawValue, firm.facilityType.rawValue,
      firm.nearYangtze, firm.registeredOn.description, firm.codeOverride,
    ]
  }

  func fetchEnterprise(_ session: SQLSession, _ code: CreditCode) throws -> (id: Int64, firm: Enterprise)? {
    guard
      let row = try session.one(
        "SELECT id, \(PostgresStore.enterpriseColumns) FROM enterprise "
          + "WHERE credit_code = ? AND \(PostgresStore.visible)",
        [code.value])
    else { return nil }
    return (try row.int64(0), try PostgresStore.enterprise(row, offset: 1))
  }

  func requireEnterprise(_ session: SQLSession, _ code: CreditCode) throws -> (id: Int64, firm: Enterprise) {
    guard let found = try fetchEnterprise(session, code) else {
      throw RegistryError.notFound(
        kind: "enterprise with credit code", key: code.value,
        hint: "Run 'envreg enterprise list' to see registered enterprises, or 'envreg enterprise add' to register it.")
    }
    return found
  }

  public func hasCodeOverride(_ code: CreditCode) throws -> Bool {
    try read { session in
      try session.one(
        "SELECT 1 FROM enterprise WHERE credit_code = ? AND code_override IS NOT NULL AND \(PostgresStore.visible)",
        [code.value]) != nil
    }
  }

  public func enterprise(_ code: CreditCode) throws -> Enterprise? {
    try read { session in try fetchEnterprise(session, code)?.firm }
  }

  public func enterpriseHistory(_ code: CreditCode) throws -> [EnterpriseChange] {
    try read { session in
      let (id, _) = try requireEnterprise(session, code)
      return try session.rows(
        """
        SELECT c.field, c.old_value, c.new_value, c.effective_on, c.audit_id, a.at, a.actor, a.action
        FROM enterprise_change c JOIN audit a ON a.id = c.audit_id
        WHERE c.enterprise_id = ? ORDER BY c.effective_on, c.id
        """, [id]
      ).map { row in
        EnterpriseChange(
          field: try row.string(0), oldValue: try row.text(1), newValue: try row.text(2),
          effectiveOn: Day(try row.string(3)) ?? Day(ordinal: 0), auditID: try row.int(4),
          recordedAt: try row.string(5), actor: try row.string(6), action: try row.string(7))
      }
    }
  }

  public func forEachEnterprise(_ filter: EnterpriseFilter, _ body: (Enterprise) throws -> Void) throws {
    let (sql, values) = PostgresStore.listQuery(filter)
    try read { session in
      try session.stream(sql, values) { row in try body(try PostgresStore.enterprise(row)) }
    }
  }

  public func countEnterprises(_ filter: EnterpriseFilter) throws -> Int {
    var unpaged = filter
    unpaged.limit = nil
    unpaged.offset = 0
    let (sql, values) = PostgresStore.listQuery(unpaged, counting: true)
    return try read { session in try session.one(sql, values)?.int(0) ?? 0 }
  }

  /// The SQL for a filter, values bound. A name fragment of two characters or more finds its
  /// candidates through the name index (`envreg_pairs`), and `strpos` keeps the answer the scan's.
  static func listQuery(_ filter: EnterpriseFilter, counting: Bool = false) -> (String, [any SQLBindable]) {
    var conditions = Where()
    conditions.codePrefix(filter.regionPrefix, column: "region_code")
    conditions.codePrefix(filter.industryPrefix, column: "industry_code")
    if let prefixes = filter.keyRegionPrefixes {
      var any = Where()
      for prefix in prefixes { any.codePrefix(prefix, column: "region_code") }
      conditions.add(prefixes.isEmpty ? "false" : "(" + any.clauses.joined(separator: " OR ") + ")", any.values)
    }
    if filter.nonconformingOnly { conditions.add("code_override IS NOT NULL") }
    if let permitClass = filter.permitClass { conditions.add("permit_class = ?", [permitClass.rawValue]) }
    if let grade = filter.grade { conditions.add("grade = ?", [grade.rawValue]) }
    if let status = filter.status { conditions.add("status = ?", [status.rawValue]) }
    if let name = filter.nameContains, !name.isEmpty {
      if name.count >= 2 { conditions.add("envreg_pairs(name) @> envreg_pairs(?)", [name]) }
      conditions.add("strpos(name, ?) > 0", [name])
    }
    conditions.add(visible)
    if counting { return ("SELECT count(*) FROM enterprise" + conditions.whereClause, conditions.values) }
    let order = filter.sort.orderBy
    var values = conditions.values
    var sql = "SELECT \(enterpriseColumns) FROM enterprise" + conditions.whereClause + " ORDER BY " + order
    if let limit = filter.limit {
      sql += " LIMIT ?"
      values.append(max(0, limit))
    }
    if filter.offset > 0 {
      sql += " OFFSET ?"
      values.append(filter.offset)
    }
    return (sql, values)
  }

  // MARK: Facts (the rules' view of a firm)

  public func facts(_ code: CreditCode) throws -> FirmFacts {
    try read { session in try factsOfFirm(session, code) }
  }

  func factsOfFirm(_ session: SQLSession, _ code: CreditCode) throws -> FirmFacts {
    let (id, _) = try requireEnterprise(session, code)
    var found: FirmFacts?
    try FactsReader.read(session, enterpriseID: id) { found = $0 }
    guard let found else { throw RegistryError.database("facts of \(code.value) could not be read") }
    return found
  }

  public func forEachFirmFacts(_ body: (FirmFacts) throws -> Void) throws {
    try read { session in try FactsReader.read(session, enterpriseID: nil, body) }
  }

  // MARK: Memberships and a firm's records

  static let membershipSelect = """
    SELECT e.credit_code, e.name, e.region_code, m.list, m.category, m.admitted_on, m.valid_until, m.admitted_by,
      m.override_reason, m.revoked_on, m.revoke_reason, m.serious_violation
    FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id
    """

  static func membership(_ row: SQLRow) throws -> Membership? {
    guard let list = PositiveList(rawValue: try row.string(3)), let admitted = Day(try row.string(5)),
      let until = Day(try row.string(6))
    else { return nil }
    return Membership(
      creditCode: try row.string(0), name: try row.string(1), regionCode: try row.string(2), list: list,
      category: try row.string(4), admittedOn: admitted, validUntil: until, admittedBy: try row.string(7),
      overrideReason: try row.text(8), revokedOn: try row.text(9).flatMap(Day.init), revokeReason: try row.text(10),
      seriousViolation: try row.flag(11) ?? false)
  }

  public func members(of list: PositiveList, on day: Day, regionPrefix: String?) throws -> [Membership] {
    var conditions = Where()
    conditions.add(
      "m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ? AND (m.revoked_on IS NULL OR m.revoked_on > ?)",
      [list.rawValue, day.description, day.description, day.description])
    conditions.codePrefix(regionPrefix, column: "e.region_code")
    return try read { session in
      try session.rows(
        PostgresStore.membershipSelect + conditions.whereClause + " ORDER BY e.region_code, e.credit_code",
        conditions.values
      ).compactMap(PostgresStore.membership)
    }
  }

  public func memberships(of code: CreditCode) throws -> [Membership] {
    try read { session in
      let (id, _) = try requireEnterprise(session, code)
      return try session.rows(
        PostgresStore.membershipSelect + " WHERE m.enterprise_id = ? ORDER BY m.admitted_on, m.id", [id]
      ).compactMap(PostgresStore.membership)
    }
  }

  public func admissionTrace(_ code: CreditCode, list: PositiveList, admittedOn: Day) throws -> String? {
    try read { session in
      try session.one(
        """
        SELECT m.trace FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id
        WHERE e.credit_code = ? AND m.list = ? AND m.admitted_on = ?
        """, [code.value, list.rawValue, admittedOn.description]
      )?.text(0)
    }
  }

  public func firmRecords(_ code: CreditCode) throws -> FirmRecords {
    try read { session in
      let (id, _) = try requireEnterprise(session, code)
      var records = FirmRecords()
      for row in try session.rows(
        """
        SELECT kind, granted_by, valid_from, valid_until, reference FROM designation WHERE enterprise_id = ?
        ORDER BY valid_from, id
        """, [id])
      {
        guard let kind = DesignationKind(rawValue: try row.string(0)), let from = Day(try row.string(2)) else {
          continue
        }
        let fact = DesignationFact(
          kind: kind, grantedBy: try row.string(1), validFrom: from, validUntil: try row.text(3).flatMap(Day.init))
        records.designations.append((fact, try row.string(4)))
      }
      for row in try session.rows(
        "SELECT kind, occurred_on, reference, note FROM incident WHERE enterprise_id = ? ORDER BY occurred_on, id", [id]
      ) {
        guard let kind = IncidentKind(rawValue: try row.string(0)), let on = Day(try row.string(1)) else { continue }
        records.incidents.append(
          (IncidentFact(kind: kind, occurredOn: on, reference: try row.string(2)), try row.string(3)))
      }
      for row in try session.rows("SELECT id FROM ledger_item WHERE enterprise_id = ? ORDER BY found_on, id", [id]) {
        records.ledger.append(try requireLedger(session, try row.int(0)))
      }
      return records
    }
  }
}

/// A WHERE clause built one condition at a time with its values (`?` placeholders, numbered
/// when the statement runs): user values are only ever bound.
struct Where {
  private(set) var clauses: [String] = []
  private(set) var values: [any SQLBindable] = []

  mutating func add(_ clause: String, _ values: [any SQLBindable] = []) {
    clauses.append(clause)
    self.values += values
  }

  /// A code prefix (region, industry) as an index range on `column` (text columns are COLLATE "C").
  mutating func codePrefix(_ prefix: String?, column: String) {
    guard let prefix else { return }
    add("(\(column) >= ? AND \(column) < ?)", [prefix, prefix + "\u{FFFF}"])
  }

  var whereClause: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }
}
