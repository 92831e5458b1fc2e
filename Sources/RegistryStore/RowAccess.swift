import GRDB
import GRDBSQLite

extension Row {
  /// The text at `index`, or `nil` for NULL.
  ///
  /// Decoding `String?` through GRDB's generic subscript asks the Swift runtime whether
  /// `Optional<String>` conforms to `StatementColumnConvertible`; that negative answer is not
  /// cached and cost 13% of a listing under callgrind. Testing for NULL and decoding `String`
  /// keeps to the cached, positive path.
  func text(_ index: Int) -> String? { hasNull(atIndex: index) ? nil : (self[index] as String) }

  /// The integer at `index`, or `nil` for NULL (see `text(_:)`).
  func integer(_ index: Int) -> Int64? { hasNull(atIndex: index) ? nil : (self[index] as Int64) }

  /// The flag at `index`, or `nil` for NULL (see `text(_:)`).
  func flag(_ index: Int) -> Bool? { hasNull(atIndex: index) ? nil : (self[index] as Bool) }
}

// Fetches through the connection's statement cache (`cached:`), for the statements a server runs
// on every request (a firm by code, its profile's sections, an account, the policy rows): GRDB
// computes each statement's read region while SQLite prepares it, through an authorizer callback
// per column, and that was about a quarter of a profile request's time. Only for SQL whose text is
// fixed (no values interpolated), so the cache stays small.
extension Row {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
    throws -> Row?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
    throws -> [Row]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
  static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
    throws -> Self?
  {
    try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }

  static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
    throws -> [Self]
  {
    try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }
}

extension Row {
  /// A cursor through the connection's statement cache, for the listings whose SQL is assembled
  /// from fixed fragments by their filter (values always bound, so a filter shape is one entry):
  /// a profile page streams a firm's fines and permits, and preparing those statements afresh was
  /// a third of its time. A cached statement still being stepped (the same listing open in an
  /// enclosing loop) is not reset under its cursor: a fresh statement is prepared instead.
  static func fetchCursor(_ db: Database, reusing sql: String, arguments: StatementArguments) throws -> RowCursor {
    let cached = try db.cachedStatement(sql: sql)
    let statement = sqlite3_stmt_busy(cached.sqliteStatement) != 0 ? try db.makeStatement(sql: sql) : cached
    return try fetchCursor(statement, arguments: arguments)
  }
}
