import GRDB
import GRDBSQLite
import RegistryCore
import RegistryService

/// Binds and steps a prepared GRDB statement through the SQLite C API, without boxing every value
/// in a `DatabaseValue`. Used only on the import hot path (one insert per CSV row); everything
/// else goes through GRDB's API.
struct FastInsert {
  private let statement: Statement
  private let connection: OpaquePointer?

  /// SQLite copies the bytes before `sqlite3_bind_text` returns (`SQLITE_TRANSIENT`).
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  init(_ statement: Statement, in db: Database) {
    self.statement = statement
    connection = db.sqliteConnection
  }

  enum Argument {
    case text(String)
    case int(Int64)
    case null
  }

  /// Binds the arguments in order, runs the statement, and returns the number of rows it changed.
  func run(_ arguments: [Argument]) throws -> Int {
    let handle = statement.sqliteStatement
    sqlite3_reset(handle)
    for (offset, argument) in arguments.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch argument {
      case .int(let value): code = sqlite3_bind_int64(handle, index, value)
      case .null: code = sqlite3_bind_null(handle, index)
      case .text(var value):
        code = value.withUTF8 { bytes in
          // An empty string may have no base address; bind a zero-length text from a static byte.
          guard let base = bytes.baseAddress else {
            return sqlite3_bind_text(handle, index, "", 0, FastInsert.transient)
          }
          return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(handle, index, $0, Int32(bytes.count), FastInsert.transient)
          }
        }
      }
      guard code == SQLITE_OK else { throw failure(code) }
    }
    let result = sqlite3_step(handle)
    sqlite3_reset(handle)
    guard result == SQLITE_DONE else { throw failure(result) }
    return Int(sqlite3_changes(connection))
  }

  private func failure(_ code: Int32) -> DatabaseError {
    DatabaseError(
      resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
      sql: statement.sql)
  }
}

extension Store {
  /// The facts of `enterpriseInsertColumns` (all but the two audit ids), for `FastInsert`.
  static func fastArguments(for firm: Enterprise) -> [FastInsert.Argument] {
    [
      .text(firm.creditCode.value), .text(firm.name), .text(firm.regionCode), .text(firm.industryCode),
      .text(firm.process.rawValue), .text(firm.fuel.rawValue), .text(firm.address), .text(firm.legalRep),
      .text(firm.contact), firm.keyDischargeUnit.map { .int($0 ? 1 : 0) } ?? .null,
      firm.permitClass.map { .text($0.rawValue) } ?? .null,
      firm.onlineMonitoring.map { .text($0.rawValue) } ?? .null, .text(firm.grade.rawValue),
      .text(firm.creditRating.rawValue),
      .text(firm.facilityType.rawValue), firm.nearYangtze.map { .int($0 ? 1 : 0) } ?? .null,
      .text(firm.registeredOn.description),
      firm.codeOverride.map { .text($0) } ?? .null,
    ]
  }
}
