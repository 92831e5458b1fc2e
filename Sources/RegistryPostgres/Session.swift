import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RegistryCore

/// A value bound to a statement's parameter: values are only ever bound, never spliced into SQL.
protocol SQLBindable {
  func bind(_ bindings: inout PostgresBindings)
}

extension String: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}

extension Int64: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Double: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(self) }
}

/// Flags are integers 0/1 on both engines (the schemas match column for column).
extension Bool: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(Int64(self ? 1 : 0)) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) {
    switch self {
    case .some(let value): value.bind(&bindings)
    case .none: bindings.appendNull()
    }
  }
}

/// A text array (`= ANY (?)`: a batch's look-up keys in one statement).
extension Array: SQLBindable where Element == String {
  func bind(_ bindings: inout PostgresBindings) { bindings.append(self) }
}

/// SQL NULL where no typed nil is at hand.
struct SQLNull: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) { bindings.appendNull() }
}

/// One row of a result, read by position (decoding by position costs no name look-up).
struct SQLRow {
  let cells: PostgresRandomAccessRow

  init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

  var count: Int { cells.count }

  func isNull(_ index: Int) -> Bool { cells[index].bytes == nil }

  /// Text read straight from the cell's bytes (a text column's value is its UTF-8 in either wire
  /// format): a listing reads millions, and the generic decoding path cost a quarter of one.
  func text(_ index: Int) throws -> String? {
    let cell = cells[index]
    guard let bytes = cell.bytes else { return nil }
    switch cell.dataType {
    case .text, .varchar, .bpchar, .name: return String(buffer: bytes)
    default: return try decode(String?.self, index)
    }
  }

  func string(_ index: Int) throws -> String {
    guard let text = try text(index) else {
      throw RegistryError.database("column \(cells[index].columnName) of a PostgreSQL row is NULL")
    }
    return text
  }

  func int64(_ index: Int) throws -> Int64 { try decode(Int64.self, index) }
  func int(_ index: Int) throws -> Int { Int(try decode(Int64.self, index)) }
  func optionalInt(_ index: Int) throws -> Int? { try decode(Int64?.self, index).map { Int($0) } }
  func double(_ index: Int) throws -> Double { try decode(Double.self, index) }
  /// A boolean the statement computes (`EXISTS`, `IS NOT NULL`).
  func bool(_ index: Int) throws -> Bool { try decode(Bool.self, index) }
  /// A 0/1 flag, nil when NULL (unknown).
  func flag(_ index: Int) throws -> Bool? { try decode(Int64?.self, index).map { $0 != 0 } }

  private func decode<T: PostgresDecodable>(_ type: T.Type, _ index: Int) throws -> T {
    do {
      return try cells[index].decode(T.self)
    } catch {
      throw RegistryError.database(
        "column \(cells[index].columnName) of a PostgreSQL row holds a value this envreg cannot read (\(T.self))")
    }
  }
}

/// One connection to PostgreSQL, used synchronously: each call waits for its result on the
/// calling thread, which is never an event loop (the CLI's main thread, the server's thread pool).
final class SQLSession: @unchecked Sendable {
  let connection: PostgresConnection
  private var cursors = 0

  static let logger = Logger(label: "envreg.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

  private init(_ connection: PostgresConnection) { self.connection = connection }

  /// A connection is closed before it is released (PostgresNIO requires it).
  deinit { if !connection.isClosed { try? connection.close().wait() } }

  static func connect(_ location: PostgresLocation) throws -> SQLSession {
    var configuration = PostgresConnection.Configuration(
      host: location.host, port: location.port, username: location.user, password: location.password,
      database: location.database, tls: try tls(location.sslMode))
    configuration.options.connectTimeout = .seconds(15)
    do {
      let connection = try PostgresConnection.connect(
        on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
      ).wait()
      return SQLSession(connection)
    } catch {
      throw RegistryError.input("Cannot connect to \(location): \(SQLSession.describe(error)).")
    }
  }

  /// libpq's sslmode: `prefer` and `require` encrypt without checking the certificate, as libpq does;
  /// `verify-ca` and `verify-full` check it against the system's trusted roots.
  private static func tls(_ mode: String) throws -> PostgresConnection.Configuration.TLS {
    var client = TLSConfiguration.makeClientConfiguration()
    if mode != "verify-ca" && mode != "verify-full" { client.certificateVerification = .none }
    if mode == "verify-ca" { client.certificateVerification = .noHostnameVerification }
    switch mode {
    case "disable": return .disable
    case "allow", "prefer": return .prefer(try NIOSSLContext(configuration: client))
    default: return .require(try NIOSSLContext(configuration: client))
    }
  }

  func close() { try? connection.close().wait() }

  /// A cursor name not yet used on this connection.
  func nextCursorName() -> String {
    cursors += 1
    return "envreg_cursor_\(cursors)"
  }

  var isClosed: Bool { connection.isClosed }

  private func query(_ sql: String, _ values: [any SQLBindable]) -> PostgresQuery {
    var bindings = PostgresBindings(capacity: values.count)
    for value in values { value.bind(&bindings) }
    return PostgresQuery(unsafeSQL: SQLSession.numbered(sql), binds: bindings)
  }

  /// The statement with each `?` outside quotes as `$1`, `$2` … in order: statements are written
  /// with SQLite's placeholders, so that both storages' SQL reads alike.
  static func numbered(_ sql: String) -> String {
    guard sql.utf8.contains(UInt8(ascii: "?")) else { return sql }
    var result = ""
    result.reserveCapacity(sql.utf8.count + 16)
    var quote: Character?
    var number = 0
    for character in sql {
      if let open = quote {
        if character == open { quote = nil }
      } else if character == "'" || character == "\"" {
        quote = character
      } else if character == "?" {
        number += 1
        result += "$\(number)"
        continue
      }
      result.append(character)
    }
    return result
  }

  /// Every row of a statement.
  func rows(_ sql: String, _ values: [any SQLBindable] = []) throws -> [SQLRow] {
    do {
      return try connection.query(query(sql, values), logger: SQLSession.logger).wait().rows.map(SQLRow.init)
    } catch {
      throw SQLSession.failure(error)
    }
  }

  /// The first row of a statement, if any.
  func one(_ sql: String, _ values: [any SQLBindable] = []) throws -> SQLRow? { try rows(sql, values).first }

  /// Runs a statement; returns the rows it changed.
  @discardableResult
  func execute(_ sql: String, _ values: [any SQLBindable] = []) throws -> Int {
    do {
      return try connection.query(query(sql, values), logger: SQLSession.logger).wait().metadata.rows ?? 0
    } catch {
      throw SQLSession.failure(error)
    }
  }

  /// Runs a script's statements one after another (the schema; transaction control): statements
  /// end with `;` at the end of a line, outside `$$` bodies; comment lines are left out.
  func script(_ sql: String) throws {
    for statement in SQLSession.statements(sql) { try execute(statement) }
  }

  static func statements(_ script: String) -> [String] {
    var statements: [String] = []
    var current: [Substring] = []
    var inBody = false
    for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if !inBody && (trimmed.isEmpty || trimmed.hasPrefix("--")) { continue }
      current.append(line)
      if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
      if !inBody && trimmed.hasSuffix(";") {
        statements.append(current.joined(separator: "\n"))
        current = []
      }
    }
    let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    if !rest.isEmpty { statements.append(rest) }
    return statements
  }

  /// Hands every row of a statement to `body`, `batch` rows at a time from a server-side cursor, so
  /// memory stays flat at any size. Inside a transaction (every read and write of the store is).
  func stream(_ sql: String, _ values: [any SQLBindable] = [], batch: Int = 2_000, _ body: (SQLRow) throws -> Void)
    throws
  {
    // One cursor mechanism: the pulled `SQLCursor` (a cursor left open by a throwing body ends with
    // its transaction).
    let cursor = try SQLCursor(self, sql, values, batch: batch)
    while let row = try cursor.next() { try body(row) }
  }

  /// Inserts rows with multi-row VALUES, as many rows per statement as the protocol's 65,535
  /// parameters allow (the reference tables at `init`, a copy's batches).
  func insert(into table: String, columns: [String], rows: [[any SQLBindable]], suffix: String = "") throws {
    guard !columns.isEmpty else { return }
    let perStatement = max(1, min(1_000, 65_535 / columns.count))
    var start = 0
    while start < rows.count {
      let chunk = rows[start..<min(rows.count, start + perStatement)]
      var placeholders: [String] = []
      var values: [any SQLBindable] = []
      values.reserveCapacity(chunk.count * columns.count)
      for row in chunk {
        let first = values.count
        placeholders.append("(" + (1...columns.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
        values += row
      }
      try execute(
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders.joined(separator: ", "))"
          + suffix, values)
      start += perStatement
    }
  }

  /// A PostgreSQL error in domain words where we know them.
  static func failure(_ error: any Error) -> RegistryError {
    if let error = error as? RegistryError { return error }
    return RegistryError.database(describe(error))
  }

  static func describe(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return String(describing: error) }
    if error.code == .server, let info = error.serverInfo {
      let state = info[.sqlState] ?? ""
      let message = info[.message] ?? ""
      let detail = info[.detail].map { " (\($0))" } ?? ""
      switch state {
      case let code where code.hasPrefix("23"):
        return "the change breaks a database rule (\(message)\(detail)); nothing was written"
      case "40001", "40P01": return "another writer's change collided with this one (\(message)); try again"
      case "28P01", "28000": return "the server refused the sign-in (\(message))"
      case "3D000": return "no such database (\(message)); create it first (createdb, or CREATE DATABASE)"
      case "57014": return "the statement was cancelled (\(message))"
      case "25006": return "this database is read-only (a replica?): write to the primary (\(message))"
      default: return "PostgreSQL error \(state): \(message)\(detail)"
      }
    }
    switch error.code {
    case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
      return "the connection to PostgreSQL failed or closed (\(error.underlying.map { "\($0)" } ?? "\(error.code)"))"
    case .sslUnsupported: return "the server does not offer TLS, which sslmode requires"
    case .authMechanismRequiresPassword:
      return "the server asks for a password: give it in the URL, PGPASSWORD or ~/.pgpass"
    default: return "PostgreSQL: \(error.code)"
    }
  }
}

/// A server-side cursor read `batch` rows at a time and pulled row by row, so that several can be
/// walked side by side (a parent listing and its children, merged by key). Inside a transaction.
final class SQLCursor {
  private let session: SQLSession
  private let name: String
  private let batch: Int
  private var buffer: [SQLRow] = []
  private var position = 0
  private var exhausted = false

  init(_ session: SQLSession, _ sql: String, _ values: [any SQLBindable] = [], batch: Int = 2_000) throws {
    self.session = session
    self.batch = batch
    name = session.nextCursorName()
    try session.execute("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", values)
  }

  func next() throws -> SQLRow? {
    if position == buffer.count {
      guard !exhausted else { return nil }
      buffer = try session.rows("FETCH FORWARD \(batch) FROM \(name)")
      position = 0
      if buffer.count < batch {
        exhausted = true
        try session.execute("CLOSE \(name)")
      }
      if buffer.isEmpty { return nil }
    }
    defer { position += 1 }
    return buffer[position]
  }
}

/// Child rows ordered by their parent's key (the first column), taken one parent at a time as the
/// parent cursor advances: every streaming reader reads its children in one ordered pass.
struct ChildCursor {
  private let cursor: SQLCursor
  private var pending: SQLRow?
  private var done = false
  /// Children in the parents' own order (take while the key matches) rather than ascending keys.
  private let aligned: Bool

  init(_ cursor: SQLCursor, aligned: Bool = false) {
    self.cursor = cursor
    self.aligned = aligned
  }

  /// The rows of parent `key` (children of parents the reader skipped are passed over).
  mutating func take(_ key: Int64) throws -> [SQLRow] {
    var rows: [SQLRow] = []
    while true {
      if pending == nil, !done {
        pending = try cursor.next()
        if pending == nil { done = true }
      }
      guard let row = pending else { return rows }
      let owner = try row.int64(0)
      if owner == key {
        rows.append(row)
      } else if aligned || owner > key {
        return rows
      }
      pending = nil
    }
  }
}

extension SQLSession {
  /// `COPY table (columns) FROM STDIN` with rows already in COPY's text format (`copyField`), the
  /// client's asynchronous call waited for on this thread.
  func copy(into table: String, columns: [String], text: String) throws {
    guard !text.isEmpty else { return }
    let connection = connection
    let outcome = CopyOutcome()
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await connection.copyFrom(table: table, columns: columns, logger: SQLSession.logger) { writer in
          try await writer.write(ByteBuffer(string: text))
        }
      } catch {
        outcome.set(error)
      }
      done.signal()
    }
    done.wait()
    if let error = outcome.error { throw SQLSession.failure(error) }
  }

  /// A value in COPY's text format: `\N` for NULL; backslash, tab, newline and carriage return escaped.
  static func copyField(_ value: String?) -> String {
    guard let value else { return "\\N" }
    guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return value }
    // By scalar: "\r\n" is one Character.
    var escaped = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
      case "\t": escaped.append(contentsOf: "\\t".unicodeScalars)
      case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
      case "\r": escaped.append(contentsOf: "\\r".unicodeScalars)
      default: escaped.append(scalar)
      }
    }
    return String(escaped)
  }
}

/// The error an asynchronous call ended with, handed to the waiting thread.
final class CopyOutcome: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: (any Error)?
  var error: (any Error)? { lock.withLock { stored } }
  func set(_ error: any Error) { lock.withLock { stored = error } }
}
