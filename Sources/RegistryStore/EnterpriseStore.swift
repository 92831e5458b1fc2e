import GRDB
import GRDBSQLite
import RegistryCore
import RegistryService

extension Store {
  static let enterpriseColumns = """
    credit_code, name, region_code, industry_code, process, fuel, address, legal_rep, contact, key_discharge_unit,
    permit_class, online_monitoring, grade, credit_rating, facility_type, near_yangtze, registered_on, status, closed_on, closed_reason,
    code_override
    """

  /// Decodes an enterprise row whose `enterpriseColumns` start at column `offset` (positional:
  /// sweeps decode millions of rows). A value that the schema's CHECKs admit always decodes.
  static func enterprise(_ row: Row, offset: Int = 0) throws -> Enterprise {
    let code: String = row[offset]
    guard let credit = CreditCode(stored: code), let registered = Day(row[offset + 16] as String) else {
      throw RegistryError.database("enterprise row \(code.quoted) holds a value this envreg cannot read")
    }
    var firm = Enterprise(
      creditCode: credit, name: row[offset + 1], regionCode: row[offset + 2], industryCode: row[offset + 3],
      registeredOn: registered)
    firm.process = ProductionProcess(rawValue: row[offset + 4]) ?? .unknown
    firm.fuel = Fuel(rawValue: row[offset + 5]) ?? .unknown
    firm.address = row[offset + 6]
    firm.legalRep = row[offset + 7]
    firm.contact = row[offset + 8]
    firm.keyDischargeUnit = row.hasNull(atIndex: offset + 9) ? nil : (row[offset + 9] as Int64) != 0
    firm.permitClass = row.text(offset + 10).flatMap(PermitClass.init(rawValue:))
    firm.onlineMonitoring = row.text(offset + 11).flatMap(OnlineMonitoring.init(rawValue:))
    firm.grade = PerformanceGrade(rawValue: row[offset + 12]) ?? .unrated
    firm.creditRating = CreditRating(rawValue: row[offset + 13]) ?? .unrated
    firm.facilityType = FacilityType(rawValue: row[offset + 14]) ?? .none
    firm.nearYangtze = row.flag(offset + 15)
    firm.status = EnterpriseStatus(rawValue: row[offset + 17]) ?? .active
    firm.closedOn = row.text(offset + 18).flatMap(Day.init)
    firm.closedReason = row.text(offset + 19)
    firm.codeOverride = row.text(offset + 20)
    return firm
  }

  static func arguments(for firm: Enterprise) -> StatementArguments {
    [
      firm.creditCode.value, firm.name, firm.regionCode, firm.industryCode, firm.process.rawValue, firm.fuel.rawValue,
      firm.address, firm.legalRep, firm.contact, firm.keyDischargeUnit, firm.permitClass?.rawValue,
      firm.onlineMonitoring?.rawValue, firm.grade.rawValue, firm.creditRating.rawValue, firm.facilityType.rawValue,
      firm.nearYangtze, firm.registeredOn.description, firm.codeOverride,
    ]
  }

  /// The columns an insert gives, in the order of `fastArguments` and the insert's arguments.
  static let enterpriseInsertColumns = enterpriseFactColumns + ["created_audit_id", "updated_audit_id"]

  /// The facts an insert gives, in the order of `arguments(for:)` and `fastArguments(for:)`.
  static let enterpriseFactColumns = [
    "credit_code", "name", "region_code", "industry_code", "process", "fuel", "address", "legal_rep", "contact",
    "key_discharge_unit", "permit_class", "online_monitoring", "grade", "credit_rating", "facility_type",
    "near_yangtze", "registered_on", "code_override",
  ]

  static let insertEnterpriseSQL = """
    INSERT INTO enterprise (\(enterpriseInsertColumns.joined(separator: ", ")))
    VALUES (\(enterpriseInsertColumns.map { _ in "?" }.joined(separator: ", ")))
    """

  static let updateEnterpriseSQL = """
    UPDATE enterprise SET name = ?, region_code = ?, industry_code = ?, process = ?, fuel = ?, address = ?, legal_rep = ?,
      contact = ?, key_discharge_unit = ?, permit_class = ?, online_monitoring = ?, grade = ?, credit_rating = ?,
      facility_type = ?, near_yangtze = ?, registered_on = ?, updated_audit_id = ?
    WHERE credit_code = ?
    """

  static func updateArguments(for firm: Enterprise, auditID: Int64) -> StatementArguments {
    [
      firm.name, firm.regionCode, firm.industryCode, firm.process.rawValue, firm.fuel.rawValue, firm.address,
      firm.legalRep, firm.contact, firm.keyDischargeUnit, firm.permitClass?.rawValue, firm.onlineMonitoring?.rawValue,
      firm.grade.rawValue, firm.creditRating.rawValue, firm.facilityType.rawValue, firm.nearYangtze,
      firm.registeredOn.description, auditID, firm.creditCode.value,
    ]
  }

  /// Writes the change rows for every field that differs, dated `effectiveOn`.
  static func recordChanges(
    _ db: Database, enterpriseID: Int64, from old: Enterprise, to new: Enterprise, effectiveOn: Day, auditID: Int64
  ) throws {
    for field in new.changedFields(from: old) {
      try db.execute(
        sql:
          """
          INSERT INTO enterprise_change (enterprise_id, field, old_value, new_value, effective_on, audit_id)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [enterpriseID, field.rawValue, old[field], new[field], effectiveOn.description, auditID])
    }
  }

  func fetchEnterprise(_ db: Database, _ code: CreditCode) throws -> (id: Int64, firm: Enterprise)? {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT id, \(Store.enterpriseColumns) FROM enterprise WHERE credit_code = ? AND \(Store.visible)",
        arguments: [code.value])
    else {
      return nil
    }
    return (row["id"], try Store.enterprise(row, offset: 1))
  }

  func requireEnterprise(_ db: Database, _ code: CreditCode) throws -> (id: Int64, firm: Enterprise) {
    guard let found = try fetchEnterprise(db, code) else {
      throw RegistryError.notFound(
        kind: "enterprise with credit code", key: code.value,
        hint: "Run 'envreg enterprise list' to see registered enterprises, or 'envreg enterprise add' to register it.")
    }
    return found
  }

  // MARK: Public API

  /// Whether `code` is registered by an ID-7 override (so that a lookup by it is not an ID-1 error).
  public func hasCodeOverride(_ code: CreditCode) throws -> Bool {
    try read { db in
      try Bool.fetchOne(
        db, sql: "SELECT 1 FROM enterprise WHERE credit_code = ? AND code_override IS NOT NULL AND \(Store.visible)",
        arguments: [code.value]
      ) == true
    }
  }

  public func enterprise(_ code: CreditCode) throws -> Enterprise? {
    try read { db in try self.fetchEnterprise(db, code)?.firm }
  }

  /// Every recorded change of the enterprise's facts, oldest first.
  public func enterpriseHistory(_ code: CreditCode) throws -> [EnterpriseChange] {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      return try Row.fetchAll(
        db,
        cached: """
          SELECT c.field, c.old_value, c.new_value, c.effective_on, c.audit_id, a.at, a.actor, a.action
          FROM enterprise_change c JOIN audit a ON a.id = c.audit_id
          WHERE c.enterprise_id = ? ORDER BY c.effective_on, c.id
          """, arguments: [id]
      ).map { row in
        EnterpriseChange(
          field: row["field"], oldValue: row["old_value"], newValue: row["new_value"],
          effectiveOn: Day(row["effective_on"] as String) ?? Day(ordinal: 0), auditID: row["audit_id"],
          recordedAt: row["at"], actor: row["actor"], action: row["action"])
      }
    }
  }

  /// Streams the enterprises a filter selects, in its sort order, without holding them in memory.
  public func forEachEnterprise(_ filter: EnterpriseFilter, _ body: (Enterprise) throws -> Void) throws {
    try read { db in
      let (sql, arguments) = Store.listQuery(filter, walking: try self.sortIndexToWalk(db, filter))
      let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
      while let row = try cursor.next() { try body(try Store.enterprise(row)) }
    }
  }

  /// How many enterprises a filter selects (ignoring paging).
  public func countEnterprises(_ filter: EnterpriseFilter) throws -> Int {
    var unpaged = filter
    unpaged.limit = nil
    unpaged.offset = 0
    return try read { db in
      if let fragment = filter.nameContains, !fragment.isEmpty, unpaged.selectsByNameOnly,
        case let (phrase, exact) = NameIndex.searchPhrase(fragment), exact
      {
        // The index alone counts the names (a phrase matches where instr does, NameIndex.swift),
        // less those of firms an unfinished import has staged (few, by the partial index).
        let matches = try self.nameMatches(db, phrase: phrase)
        // Rows of a run not yet done (a run's rows keep its id once done: look the runs up first).
        let staging = "FROM enterprise WHERE pending IN (SELECT id FROM import_run WHERE state <> 'done')"
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 \(staging))") == true else { return matches }
        let staged =
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) \(staging)
                AND id IN (SELECT rowid FROM \(NameIndex.table) WHERE \(NameIndex.table) MATCH ?)
              """, arguments: [phrase]) ?? 0
        return matches - staged
      }
      let (sql, arguments) = Store.listQuery(unpaged, walking: nil)
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))", arguments: arguments) ?? 0
    }
  }

  /// How many names the index finds for a phrase (no table row is read). A page and its total ask
  /// twice in a row: the second answer comes from memory while the registry is unchanged (no commit
  /// by another connection, `data_version`, and no change by this one, `total_changes()`).
  func nameMatches(_ db: Database, phrase: String) throws -> Int {
    let state = try Store.changeState(db)
    if let state, let known = nameCounts.value(for: phrase, state: state) { return known }
    let count =
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM \(NameIndex.table) WHERE \(NameIndex.table) MATCH ?", arguments: [phrase]) ?? 0
    if let state { nameCounts.remember(count, for: phrase, state: state) }
    return count
  }

  /// Where a connection stands in the registry's changes: the connection, its own changes
  /// (`total_changes()`) and the commits of every other connection it has seen (`data_version`).
  /// Equal states mean nothing was written in between, so an answer read at one holds at the other.
  /// None inside a write transaction: what it wrote may still roll back, and a rollback leaves both
  /// counters as they were after the write.
  static func changeState(_ db: Database) throws -> [Int64]? {
    guard sqlite3_txn_state(db.sqliteConnection, nil) != SQLITE_TXN_WRITE else { return nil }
    let version = try Row.fetchOne(
      db, cached: "SELECT total_changes(), (SELECT data_version FROM pragma_data_version)")
    // Both counters are the connection's own: the connection is part of the state (a server reads
    // through several).
    let connection = Int64(Int(bitPattern: db.sqliteConnection))
    return [connection, version?.integer(0) ?? -1, version?.integer(1) ?? -1]
  }

  /// The index to walk in sort order for a page of a name search whose fragment is common, or nil.
  /// A page of `limit` rows costs about `limit × firms / matches` index steps when the sort index
  /// is walked and each name tested against the index's matches, and `matches` row reads plus a
  /// sort when every match is read: `化工` in 283,000 of 3.4 million names is 600 steps one way and
  /// 283,000 reads the other; `恒达化工123` is one read one way and a walk of every firm the other.
  func sortIndexToWalk(_ db: Database, _ filter: EnterpriseFilter) throws -> String? {
    // A region, an industry or a key region narrows better through its own index; a class, grade or
    // status keeps a sixth of the firms or more, and the walk tests it on the way.
    guard let fragment = filter.nameContains, !fragment.isEmpty, let limit = filter.limit,
      let index = filter.sort.index, filter.regionPrefix == nil, filter.industryPrefix == nil,
      filter.keyRegion == nil, !filter.nonconformingOnly
    else { return nil }
    // Only when the index's count is the answer's: a walk for a fragment rarer than its candidates
    // (恒达化工12345 among the 24,000 names with 恒达化工) could read the whole sort index.
    let (phrase, exact) = NameIndex.searchPhrase(fragment)
    guard exact else { return nil }
    let matches = try nameMatches(db, phrase: phrase)
    let firms = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM enterprise") ?? 0
    let rows = limit.addingReportingOverflow(filter.offset)
    guard matches > 0, !rows.overflow else { return nil }
    let (walk, overflow) = rows.partialValue.multipliedReportingOverflow(by: firms)
    return !overflow && walk / matches < matches ? index : nil
  }

  /// The SQL for a filter: bound parameters only, index-friendly ranges for prefixes; `walking` an
  /// index in sort order (`sortIndexToWalk`) rather than letting the planner pick one, each row's
  /// name then tested by `instr` alone (the first page's few hundred rows need no index set).
  static func listQuery(_ filter: EnterpriseFilter, walking index: String? = nil) -> (String, StatementArguments) {
    var conditions = Conditions()
    conditions.regionPrefix(filter.regionPrefix, column: "region_code")
    conditions.codePrefix(filter.industryPrefix, column: "industry_code")
    if let prefixes = filter.keyRegionPrefixes {
      var any = Conditions()
      for prefix in prefixes { any.regionPrefix(prefix, column: "region_code") }
      conditions.add(prefixes.isEmpty ? "0" : "(" + any.clauses.joined(separator: " OR ") + ")", any.arguments)
    }
    if filter.nonconformingOnly { conditions.add("code_override IS NOT NULL") }
    if let permitClass = filter.permitClass { conditions.add("permit_class = ?", [permitClass.rawValue]) }
    if let grade = filter.grade { conditions.add("grade = ?", [grade.rawValue]) }
    if let status = filter.status { conditions.add("status = ?", [status.rawValue]) }
    if let name = filter.nameContains, !name.isEmpty {
      // A region, an industry or the override list narrows through its own index: their rows are
      // tested by instr (43 ms for Hubei's 化工 at 3.4M firms, against 310 ms through the name index).
      let narrowed = filter.regionPrefix != nil || filter.industryPrefix != nil || filter.nonconformingOnly
      if index == nil && !narrowed {
        // The name index finds the candidates (NameIndex.swift); instr keeps the answer exactly the scan's.
        conditions.add(
          "id IN (SELECT rowid FROM \(NameIndex.table) WHERE \(NameIndex.table) MATCH ?) AND instr(name, ?) > 0",
          [NameIndex.searchPhrase(name).phrase, name])
      } else {
        conditions.add("instr(name, ?) > 0", [name])
      }
    }
    conditions.add(Store.visible)
    let clauses = conditions.clauses
    var arguments = conditions.arguments
    let order = filter.sort.orderBy
    var sql =
      "SELECT \(enterpriseColumns) FROM enterprise\(index.map { " INDEXED BY " + $0 } ?? "") WHERE "
      + clauses.joined(separator: " AND ")
    sql += " ORDER BY " + order
    if let limit = filter.limit {
      sql += " LIMIT ? OFFSET ?"
      arguments += [limit, filter.offset]
    } else if filter.offset > 0 {
      sql += " LIMIT -1 OFFSET ?"
      arguments.append(filter.offset)
    }
    return (sql, StatementArguments(arguments))
  }

}

extension EnterpriseFilter {
  /// Only a name fragment selects (besides visibility): the index alone can count.
  var selectsByNameOnly: Bool {
    regionPrefix == nil && industryPrefix == nil && keyRegion == nil && !nonconformingOnly && permitClass == nil
      && grade == nil && status == nil
  }
}

extension EnterpriseFilter.Sort {
  /// The index that gives this order (its leading column; ties sort on), or nil.
  var index: String? {
    switch self {
    case .code: "sqlite_autoindex_enterprise_1"
    case .name: "enterprise_name"
    case .region: "enterprise_region"
    case .industry: "enterprise_industry_region"
    case .registered: nil
    }
  }
}
