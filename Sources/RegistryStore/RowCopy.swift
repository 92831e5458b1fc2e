import GRDB
import RegistryCore
import RegistryService

/// `envreg copy` on SQLite: every row of a table, and a whole registry loaded into an empty file.
extension Store: RegistryRows {
  public func columns(of table: String) throws -> [String] {
    try read { db in
      try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
    }
  }

  public func forEachRow(of table: String, columns: [String], _ body: ([CopyValue]) throws -> Void) throws {
    let order = columns.contains("id") ? (table == "permit" ? " ORDER BY id DESC" : " ORDER BY id") : ""
    try read { db in
      let cursor = try Row.fetchCursor(
        db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table)\(order)")
      while let row = try cursor.next() {
        try body((0..<row.count).map { CopyValue(row[$0] as DatabaseValue) })
      }
    }
  }

  /// Rows arrive as they were stored, seals included; rows written on PostgreSQL (which keeps no
  /// seals) are sealed here, as envreg seals every row it writes. The name index and the planner's
  /// statistics are rebuilt, and the audit row `registry.copy` extends the copied chain.
  public func load(
    _ tables: [(table: String, columns: [String])],
    feed: (_ table: String, _ insert: ([CopyValue]) throws -> Void) throws -> Void, note: Value
  ) throws -> [String: Int] {
    try withoutActuallyEscaping(feed) { feed in
      try mutate(triggers: false) { db in
        var counts: [String: Int] = [:]
        for (table, columns) in tables {
          let statement = try db.makeStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
              + "(\(columns.map { _ in "?" }.joined(separator: ", ")))")
          var count = 0
          try feed(table) { values in
            try statement.execute(arguments: StatementArguments(values.map(\.databaseValue)))
            count += 1
          }
          counts[table] = count
        }
        for table in try Seals.tables(db) {
          try db.execute(sql: "UPDATE \(table.name) SET seal = \(Seals.sealCall(table, prefix: "")) WHERE seal IS NULL")
        }
        try NameIndex.rebuild(db)
        try Store.installTriggers(db)
        try Store.analyze(db)
        _ = try self.audit(
          db, action: "registry.copy", entityType: "registry", entityKey: "copy", before: nil, after: note)
        return counts
      }
    }
  }
}

extension CopyValue {
  init(_ value: DatabaseValue) {
    switch value.storage {
    case .null: self = .null
    case .int64(let number): self = .integer(number)
    case .double(let number): self = .real(number)
    case .string(let text): self = .text(text)
    case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
    }
  }

  var databaseValue: DatabaseValue {
    switch self {
    case .null: .null
    case .integer(let number): number.databaseValue
    case .real(let number): number.databaseValue
    case .text(let text): text.databaseValue
    }
  }
}
