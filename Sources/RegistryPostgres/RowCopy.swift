import PostgresNIO
import RegistryCore
import RegistryService

/// `envreg copy` on PostgreSQL: every row of a table, and a whole registry loaded into an empty
/// database in one transaction (rows in batches of multi-row INSERTs).
extension PostgresStore: RegistryRows {
  public func columns(of table: String) throws -> [String] {
    try read { session in
      try session.rows(
        """
        SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?
        ORDER BY ordinal_position
        """, [table]
      ).map { try $0.string(0) }
    }
  }

  public func forEachRow(of table: String, columns: [String], _ body: ([CopyValue]) throws -> Void) throws {
    let order = columns.contains("id") ? (table == "permit" ? " ORDER BY id DESC" : " ORDER BY id") : ""
    try read { session in
      try session.stream("SELECT \(columns.joined(separator: ", ")) FROM \(table)\(order)") { row in
        try body((0..<row.count).map { try row.copyValue($0) })
      }
    }
  }

  /// Seals are not kept on PostgreSQL (its roles and grants guard the rows): `seal` is loaded empty.
  /// Identities continue after the highest id copied; the audit row `registry.copy` extends the chain.
  public func load(
    _ tables: [(table: String, columns: [String])],
    feed: (_ table: String, _ insert: ([CopyValue]) throws -> Void) throws -> Void, note: Value
  ) throws -> [String: Int] {
    try mutate { session in
      var counts: [String: Int] = [:]
      for (table, columns) in tables {
        let seal = columns.firstIndex(of: "seal")
        var batch: [[any SQLBindable]] = []
        var count = 0
        try feed(table) { values in
          var row: [any SQLBindable] = values
          if let seal { row[seal] = CopyValue.null }
          batch.append(row)
          count += 1
          if batch.count == 1_000 {
            try session.insert(into: table, columns: columns, rows: batch)
            batch.removeAll(keepingCapacity: true)
          }
        }
        try session.insert(into: table, columns: columns, rows: batch)
        counts[table] = count
        if columns.contains("id"),
          try session.one("SELECT pg_get_serial_sequence(?, 'id') IS NOT NULL", [table])?.bool(0) == true
        {
          try session.execute(
            "SELECT setval(pg_get_serial_sequence(?, 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)", [table])
        }
      }
      try session.execute("ANALYZE")
      _ = try audit(
        session, action: "registry.copy", entityType: "registry", entityKey: "copy", before: nil, after: note)
      return counts
    }
  }
}

extension CopyValue: SQLBindable {
  func bind(_ bindings: inout PostgresBindings) {
    switch self {
    case .null: bindings.appendNull()
    case .integer(let number): bindings.append(number)
    case .real(let number): bindings.append(number)
    case .text(let text): bindings.append(text)
    }
  }
}

extension SQLRow {
  /// A cell as the engine-neutral value `envreg copy` moves.
  func copyValue(_ index: Int) throws -> CopyValue {
    if isNull(index) { return .null }
    switch cells[index].dataType {
    case .int2, .int4, .int8: return .integer(try int64(index))
    case .float4, .float8: return .real(try double(index))
    default: return .text(try string(index))
    }
  }
}
