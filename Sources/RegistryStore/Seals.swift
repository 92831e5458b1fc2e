import Crypto
import GRDB
import RegistryCore
import RegistryService

/// Row seals (schema 3, issue 10 item 4c). Every table but `audit` has a `seal` column holding the
/// SHA-256 of the row's other values (`h:` + hex), or their HMAC-SHA-256 under the audit key
/// (`k:` + hex) when `ENVREG_AUDIT_KEY` is set. The seal is written by envreg only: in the insert
/// itself on the import's hot path, otherwise by connection-local (TEMP) triggers that exist only in
/// envreg's own connection. A row changed with any other tool keeps its old seal, and `audit verify`
/// reports it; a seal recomputed by hand is caught when a key is configured.
///
/// The audit chain proves what envreg did; seals prove the data rows are still what envreg wrote.
/// Together with the foreign-key check (every `audit_id` names an existing audit row) they make
/// "every data row's current values are the values envreg last wrote, under an audit row".
enum Seals {
  static let sealFunction = "envreg_seal"
  static let checkFunction = "envreg_seal_check"

  /// A sealed table: its columns but `seal` in schema order, and how a row is found again.
  struct Table {
    var name: String
    var columns: [String]
    var defaults: [String: String]
    /// `rowid` for ordinary tables, the primary key's columns for WITHOUT ROWID ones.
    var key: [String]
    var auditColumn: String?
  }

  static func tables(_ db: Database) throws -> [Table] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
          AND name NOT LIKE 'sqlite_%' AND name <> 'audit' ORDER BY name
        """)
    return try rows.compactMap { row in
      let name: String = row[0]
      let info = try Row.fetchAll(
        db, sql: "SELECT name, dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
      let all = info.map { $0[0] as String }
      guard all.contains("seal") else { return nil }
      let columns = all.filter { $0 != "seal" }
      var defaults: [String: String] = [:]
      for column in info { if let value = column[1] as String? { defaults[column[0]] = value } }
      let primary = info.filter { ($0[2] as Int) > 0 }.sorted { ($0[2] as Int) < ($1[2] as Int) }.map {
        $0[0] as String
      }
      let withoutRowID = (row[1] as Int) == 1
      let audit = ["audit_id", "updated_audit_id"].first { columns.contains($0) }
      return Table(
        name: name, columns: columns, defaults: defaults, key: withoutRowID ? primary : ["rowid"], auditColumn: audit)
    }
  }

  // MARK: The seal

  /// The bytes sealed: a domain tag, the table, then each value typed and length-prefixed, so that
  /// no two different rows give the same bytes.
  static func sealedBytes(table: String, values: ArraySlice<DatabaseValue>) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(256)
    bytes += prefix
    bytes += table.utf8
    bytes.append(0)
    func append(_ value: UInt64) {
      for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
    for value in values {
      switch value.storage {
      case .null: bytes.append(0)
      case .int64(let number):
        bytes.append(1)
        append(UInt64(bitPattern: number))
      case .double(let number):
        bytes.append(2)
        append(number.bitPattern)
      case .string(let text):
        bytes.append(3)
        append(UInt64(text.utf8.count))
        bytes += text.utf8
      case .blob(let data):
        bytes.append(4)
        append(UInt64(data.count))
        bytes += data
      }
    }
    return bytes
  }

  private static let prefix = Array("envreg-seal-1".utf8) + [0]

  static func seal(table: String, values: ArraySlice<DatabaseValue>, key: SymmetricKey?) -> String {
    let bytes = sealedBytes(table: table, values: values)
    guard let key else { return "h:" + hex(Crypto.SHA256.hash(data: bytes)) }
    return "k:" + hex(HMAC<Crypto.SHA256>.authenticationCode(for: bytes, using: key))
  }

  private static let digits = Array("0123456789abcdef".utf8)

  static func hex(_ digest: some Sequence<UInt8>) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in digest {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// What is wrong with a row's seal, or nil. `keyed` is whether the row's audit row is keyed.
  enum Finding: String {
    case missing, edited, unkeyed, unverifiable
  }

  static func check(
    stored: String?, keyed: Bool, table: String, values: ArraySlice<DatabaseValue>, key: SymmetricKey?
  ) -> Finding? {
    guard let stored else { return .missing }
    if stored.hasPrefix("h:") {
      guard stored == seal(table: table, values: values, key: nil) else { return .edited }
      return keyed ? .unkeyed : nil
    }
    if stored.hasPrefix("k:") {
      guard let key else { return .unverifiable }
      return stored == seal(table: table, values: values, key: key) ? nil : .edited
    }
    return .edited
  }

  /// Registers `envreg_seal(table, values...)` and `envreg_seal_check(seal, keyed, table, values...)`
  /// on envreg's connection.
  /// The audit key as CryptoKit's immutable key value, shared by the connection's functions.
  struct SharedKey: @unchecked Sendable {
    let key: SymmetricKey?
  }

  static func register(_ db: Database, key bytes: [UInt8]?) {
    let shared = SharedKey(key: bytes.map { SymmetricKey(data: $0) })
    db.add(
      function: DatabaseFunction(sealFunction, argumentCount: nil, pure: true) { values in
        guard let table = values.first.flatMap(String.fromDatabaseValue) else { return nil }
        return seal(table: table, values: values.dropFirst(), key: shared.key)
      })
    db.add(
      function: DatabaseFunction(checkFunction, argumentCount: nil, pure: true) { values in
        guard values.count >= 3, let table = String.fromDatabaseValue(values[2]) else { return nil }
        let keyed = (Int64.fromDatabaseValue(values[1]) ?? 0) == 1
        return check(
          stored: String.fromDatabaseValue(values[0]), keyed: keyed, table: table, values: values.dropFirst(3),
          key: shared.key
        )?.rawValue
      })
  }

  // MARK: Writing seals

  static func sealCall(_ table: Table, prefix: String) -> String {
    "\(sealFunction)('\(table.name)', \(table.columns.map { prefix + $0 }.joined(separator: ", ")))"
  }

  static func match(_ table: Table) -> String {
    table.key.map { "\($0) = NEW.\($0)" }.joined(separator: " AND ")
  }

  /// Connection-local triggers that seal every row envreg inserts or updates without a seal of its
  /// own. They live in the TEMP schema: nothing of them is stored in the registry file.
  static func installTriggers(_ db: Database) throws {
    for table in try tables(db) {
      let reseal = "UPDATE \(table.name) SET seal = \(sealCall(table, prefix: "NEW.")) WHERE \(match(table));"
      try db.execute(
        sql: """
          CREATE TEMP TRIGGER IF NOT EXISTS envreg_seal_insert_\(table.name) AFTER INSERT ON main.\(table.name)
            WHEN NEW.seal IS NULL BEGIN \(reseal) END;
          CREATE TEMP TRIGGER IF NOT EXISTS envreg_seal_update_\(table.name) AFTER UPDATE ON main.\(table.name)
            WHEN NEW.seal IS OLD.seal BEGIN \(reseal) END;
          """)
    }
  }

  /// Seals every row of every table (the upgrade to schema 3).
  static func sealAll(_ db: Database) throws {
    for table in try tables(db) {
      try db.execute(sql: "UPDATE \(table.name) SET seal = \(sealCall(table, prefix: ""))")
    }
  }

  /// Seals the rows of `name` that have none (rows an upgrade wrote, before the triggers).
  static func sealUnsealed(_ db: Database, table name: String) throws {
    guard let table = try tables(db).first(where: { $0.name == name }) else {
      throw RegistryError.database("no sealed table \(name)")
    }
    try db.execute(sql: "UPDATE \(table.name) SET seal = \(sealCall(table, prefix: "")) WHERE seal IS NULL")
  }

  /// `INSERT INTO table (columns..., seal) VALUES (values..., envreg_seal(...))`, or `SELECT values...,
  /// envreg_seal(...) FROM from` when `from` is given: the rows and their seals in one statement (the
  /// imports' hot paths, where a trigger's second write would cost a fifth more). Columns not named
  /// take their declared default, in the seal as in the row.
  static func insertSQL(
    _ db: Database, table name: String, values: [(column: String, value: String)], from: String? = nil
  ) throws -> String {
    guard let table = try tables(db).first(where: { $0.name == name }) else {
      throw RegistryError.database("no sealed table \(name)")
    }
    let sealed = table.columns.map { column in
      values.first { $0.column == column }?.value ?? table.defaults[column] ?? "NULL"
    }
    let columns = values.map(\.column).joined(separator: ", ")
    let list =
      values.map(\.value).joined(separator: ", ") + ", \(sealFunction)('\(name)', \(sealed.joined(separator: ", ")))"
    guard let from else { return "INSERT INTO \(name) (\(columns), seal) VALUES (\(list))" }
    return "INSERT INTO \(name) (\(columns), seal) SELECT \(list) FROM \(from)"
  }

  // MARK: Verifying

  /// Every row whose values do not match its seal, as findings for `audit verify` (at most `limit`
  /// named per table, then a count).
  static func problems(_ db: Database, limit: Int = 10) throws -> [String] {
    var problems: [String] = []
    var unverifiable = 0
    for table in try tables(db) {
      let keyed = table.auditColumn.map { "coalesce((SELECT keyed FROM audit WHERE id = t.\($0)), 0)" } ?? "0"
      var label = table.key.map { "t.\($0)" }.joined(separator: " || '/' || ")
      if table.key == ["rowid"] {
        label =
          table.columns.contains("credit_code") ? "t.rowid || ' (' || t.credit_code || ')'" : "CAST(t.rowid AS TEXT)"
      }
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT \(label), \(checkFunction)(t.seal, \(keyed), '\(table.name)', \(table.columns.map { "t." + $0 }.joined(separator: ", ")))
          FROM main.\(table.name) AS t
          """)
      var count = 0
      while let row = try cursor.next() {
        guard let text = row[1] as String? else { continue }
        let finding = Finding(rawValue: text) ?? .edited
        if finding == .unverifiable {
          unverifiable += 1
          continue
        }
        count += 1
        guard count <= limit else { continue }
        let which = "\(table.name) row \(row[0] as String? ?? "?")"
        switch finding {
        case .missing: problems.append("\(which) has no seal: it was inserted outside envreg")
        case .edited:
          problems.append("\(which): its values do not match its seal (changed outside envreg)")
        case .unkeyed:
          problems.append(
            """
            \(which) is sealed without the key although its audit row is keyed: its seal was recomputed without the \
            key
            """
          )
        case .unverifiable: break
        }
      }
      if count > limit { problems.append("\(table.name): \(count - limit) more rows like these") }
    }
    if unverifiable > 0 {
      problems.append(
        "\(unverifiable) rows are sealed under the audit key: set ENVREG_AUDIT_KEY to the key file to verify them")
    }
    return problems
  }
}
