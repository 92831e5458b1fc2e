import GRDB

/// A WHERE clause built one condition at a time, with its bound arguments: user values are only
/// ever bound, never spliced into SQL.
struct Conditions {
  private(set) var clauses: [String] = []
  private(set) var arguments: [any DatabaseValueConvertible] = []

  mutating func add(_ clause: String, _ values: [any DatabaseValueConvertible] = []) {
    clauses.append(clause)
    arguments += values
  }

  /// A GB/T 2260 code prefix as an index range (`42` selects 42…, every Hubei code), on
  /// `column`; nothing when `prefix` is nil. The one region filter of every listing.
  mutating func regionPrefix(_ prefix: String?, column: String = "e.region_code") {
    codePrefix(prefix, column: column)
  }

  /// Any code prefix (a region, an industry class) as an index range on `column`.
  mutating func codePrefix(_ prefix: String?, column: String) {
    guard let prefix else { return }
    add("(\(column) >= ? AND \(column) < ?)", [prefix, prefix + "\u{FFFF}"])
  }

  /// ` WHERE a AND b …`, or nothing.
  var whereClause: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }
  var statementArguments: StatementArguments { StatementArguments(arguments) }
}

/// A cursor of child rows ordered by their parent's key (the first column), merged with the parent
/// cursor one parent at a time: every listing reads its children in one ordered pass, not one query
/// per parent. The merge of every streaming reader (facts, fines, retrofits, ledger entries).
struct ChildRows {
  private let cursor: RowCursor
  private var pending: Row?
  private var done = false
  /// Children come in ascending parent key (skip keys below the one asked for: their parents were
  /// filtered out), or in the parents' own order (`aligned`: take while the key matches).
  private let aligned: Bool

  init(_ cursor: RowCursor, aligned: Bool = false) {
    self.cursor = cursor
    self.aligned = aligned
  }

  /// The rows of parent `key`.
  mutating func take(_ key: Int64) throws -> [Row] {
    var rows: [Row] = []
    while true {
      if pending == nil, !done {
        // Rows from a cursor are reused by GRDB: copy the one we keep.
        pending = try cursor.next()?.copy()
        if pending == nil { done = true }
      }
      guard let row = pending else { return rows }
      let owner: Int64 = row[0]
      if owner == key {
        rows.append(row)
      } else if aligned || owner > key {
        return rows
      }
      pending = nil
    }
  }
}

/// The child rows of the parents a filter selects (fines' payments, retrofits' stages), each
/// table in parent order for `ChildRows`. A filter that narrows (a region, a firm) selects few
/// parents: their children are read through the same selection (index look-ups); otherwise one
/// pass over each child table is cheaper than a look-up per parent.
struct ChildQuery {
  let db: Database
  let only: String
  let arguments: StatementArguments

  /// `selected`: the SQL selecting the parents' ids (the filter's WHERE included); `key`: the
  /// children's column naming their parent.
  init(_ db: Database, selected: String, key: String, conditions: Conditions, narrow: Bool) {
    self.db = db
    only = narrow ? " WHERE \(key) IN (\(selected)\(conditions.whereClause))" : ""
    arguments = narrow ? conditions.statementArguments : StatementArguments()
  }

  func rows(_ columns: String, from table: String, order: String) throws -> ChildRows {
    ChildRows(
      try Row.fetchCursor(db, reusing: "SELECT \(columns) FROM \(table)\(only) ORDER BY \(order)", arguments: arguments)
    )
  }
}
