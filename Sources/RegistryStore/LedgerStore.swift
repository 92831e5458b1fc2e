import GRDB
import RegistryCore
import RegistryService

extension Store {
  static let ledgerSelect = """
    SELECT li.id, li.source, li.problem_type, li.description, li.found_on, li.class, li.measures, li.responsible_unit, li.responsible_person,
      li.due_on, e.credit_code, e.name, e.region_code, e.industry_code
    FROM ledger_item li JOIN enterprise e ON e.id = li.enterprise_id
    """

  static func ledgerLine(_ row: Row) throws -> LedgerLine {
    guard let source = LedgerSource(rawValue: row[1]), let found = Day(row[4] as String),
      let itemClass = LedgerClass(rawValue: row[5]), let due = Day(row[9] as String)
    else {
      throw RegistryError.database("ledger item \(row[0] as Int64) holds a value this envreg cannot read")
    }
    let item = LedgerItem(
      id: row[0], source: source, problemType: row[2], description: row[3], foundOn: found, itemClass: itemClass,
      measures: row[6],
      responsibleUnit: row[7], responsiblePerson: row[8], dueOn: due)
    return LedgerLine(item: item, creditCode: row[10], name: row[11], regionCode: row[12], industryCode: row[13])
  }

  static func ledgerEntry(_ row: Row, offset: Int) -> LedgerEntry? {
    guard let on = Day(row[offset] as String), let kind = LedgerEntry.Kind(rawValue: row[offset + 1]) else {
      return nil
    }
    return LedgerEntry(
      on: on, kind: kind, from: row.text(offset + 2).flatMap(LedgerState.init),
      to: row.text(offset + 3).flatMap(LedgerState.init), note: row[offset + 4])
  }

  func requireLedger(_ db: Database, _ id: Int) throws -> LedgerLine {
    guard let row = try Row.fetchOne(db, sql: Store.ledgerSelect + " WHERE li.id = ?", arguments: [id]) else {
      throw RegistryError.notFound(
        kind: "ledger item", key: String(id), hint: "Run 'envreg ledger list' to see items and their ids.")
    }
    var line = try Store.ledgerLine(row)
    line.item.entries = try Row.fetchAll(
      db,
      sql:
        "SELECT entry_on, kind, from_state, to_state, note FROM ledger_entry WHERE item_id = ? ORDER BY entry_on, id",
      arguments: [id]
    ).compactMap { Store.ledgerEntry($0, offset: 0) }
    return line
  }

  static func insertLedgerItem(_ db: Database, _ item: LedgerItem, enterpriseID: Int64, auditID: Int64) throws -> Int64
  {
    try db.execute(
      sql: """
        INSERT INTO ledger_item (enterprise_id, source, problem_type, description, found_on, class, measures, responsible_unit, responsible_person, due_on, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        enterpriseID, item.source.rawValue, item.problemType, item.description, item.foundOn.description,
        item.itemClass.rawValue, item.measures,
        item.responsibleUnit, item.responsiblePerson, item.dueOn.description, auditID,
      ])
    let id = db.lastInsertedRowID
    try db.execute(
      sql:
        """
        INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
        VALUES (?, ?, 'transition', NULL, '待整改', '登记入账', ?)
        """,
      arguments: [id, item.foundOn.description, auditID])
    return id
  }

  public func ledgerItem(_ id: Int) throws -> LedgerLine { try read { db in try self.requireLedger(db, id) } }

  /// Streams ledger items in report order (region, firm, item) with their entries, merging two
  /// cursors in the same order; the as-of filters (state, overdue, period) apply per item.
  public func forEachLedgerLine(_ filter: LedgerFilter, _ body: (LedgerLine) throws -> Void) throws {
    var conditions = Conditions()
    conditions.regionPrefix(filter.regionPrefix)
    if let c = filter.itemClass { conditions.add("li.class = ?", [c.rawValue]) }
    if let s = filter.source { conditions.add("li.source = ?", [s.rawValue]) }
    if let t = filter.problemType { conditions.add("li.problem_type = ?", [t]) }
    if let u = filter.responsibleUnit { conditions.add("li.responsible_unit = ?", [u]) }
    if let d = filter.foundFrom { conditions.add("li.found_on >= ?", [d.description]) }
    if let d = filter.foundTo ?? filter.activeTo { conditions.add("li.found_on <= ?", [d.description]) }
    if let d = filter.dueFrom { conditions.add("li.due_on >= ?", [d.description]) }
    if let d = filter.dueTo { conditions.add("li.due_on <= ?", [d.description]) }
    let order = " ORDER BY e.region_code, e.credit_code, li.id"
    try read { db in
      let items = try Row.fetchCursor(
        db, sql: Store.ledgerSelect + conditions.whereClause + order, arguments: conditions.statementArguments)
      // The entries in the items' own order: aligned with them.
      var entries = ChildRows(
        try Row.fetchCursor(
          db,
          sql:
            """
            SELECT li.id, le.entry_on, le.kind, le.from_state, le.to_state, le.note
            FROM ledger_entry le JOIN ledger_item li ON li.id = le.item_id JOIN enterprise e ON e.id = li.enterprise_id
            """
              + conditions.whereClause + order + ", le.entry_on, le.id", arguments: conditions.statementArguments),
        aligned: true)
      while let row = try items.next() {
        var line = try Store.ledgerLine(row)
        line.item.entries += try entries.take(Int64(line.item.id)).compactMap { Store.ledgerEntry($0, offset: 1) }
        let day = filter.asOf
        if let state = filter.state, line.item.state(asOf: day) != state { continue }
        if filter.overdueOnly, line.item.daysOverdue(asOf: day) == 0 { continue }
        if let from = filter.activeFrom, let closed = line.item.closedOn(asOf: day), closed < from { continue }
        try body(line)
      }
    }
  }
}
