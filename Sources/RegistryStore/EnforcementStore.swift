import GRDB
import RegistryCore
import RegistryService

/// The enforcement-planning tables on SQLite (RULES §9, §10): the statements and decoding are the
/// service's `EnforcementRows`; this file binds and runs them.
extension Store {
  static func texts(_ db: Database, _ sql: String, _ arguments: [EnforcementRows.Argument] = []) throws -> [[String?]] {
    // The statements are a fixed set (the service's `*Rows`): compiled once per connection.
    let statement = try db.cachedStatement(sql: sql)
    return try Row.fetchAll(statement, arguments: StatementArguments(arguments.map(Store.value))).map { row in
      // Every value as text, whatever its storage class (GRDB's `as String?` traps on an integer).
      (0..<row.count).map { index -> String? in
        switch (row[index] as DatabaseValue).storage {
        case .null, .blob: nil
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        }
      }
    }
  }

  static func value(_ argument: EnforcementRows.Argument) -> DatabaseValue {
    switch argument {
    case .text(let text): text.databaseValue
    case .int(let number): number.databaseValue
    case .null: .null
    }
  }

  static func run(_ db: Database, _ sql: String, _ arguments: [EnforcementRows.Argument]) throws {
    try db.execute(sql: sql, arguments: StatementArguments(arguments.map(Store.value)))
  }

  static func inspectors(_ db: Database, staffNo: String? = nil) throws -> [Inspector] {
    let conflicts = EnforcementRows.conflicts(try texts(db, EnforcementRows.conflictsSQL))
    let rows =
      try staffNo.map { try texts(db, EnforcementRows.inspectorSQL, [.text($0)]) }
      ?? texts(db, EnforcementRows.inspectorsSQL)
    return try rows.map { try EnforcementRows.inspector($0, conflicts: conflicts) }
  }

  static func draw(_ db: Database, _ id: Int) throws -> StoredDraw {
    guard let row = try texts(db, EnforcementRows.drawSQL, [.int(Int64(id))]).first else {
      throw RegistryError.notFound(
        kind: "inspection draw", key: String(id), hint: "Run 'envreg inspect list' to see the draws and their ids.")
    }
    return try EnforcementRows.draw(
      row, picks: try texts(db, EnforcementRows.picksSQL, [.int(Int64(id))]),
      results: try texts(db, EnforcementRows.resultsSQL, [.int(Int64(id))]))
  }

  public func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]] {
    try read { db in try Store.texts(db, sql, arguments) }
  }

  public func inspectors() throws -> [Inspector] { try read { db in try Store.inspectors(db) } }

  public func drawnFirms(first: Day, last: Day, beforeDraw: Int?, until: Day) throws -> Set<String> {
    try read { db in
      let arguments = EnforcementRows.drawnFirmsBindings(first: first, last: last, beforeDraw: beforeDraw, until: until)
      return Set(try Store.texts(db, EnforcementRows.drawnFirmsSQL, arguments).compactMap { $0.first ?? nil })
    }
  }

  public func latestDrawID() throws -> Int {
    try read { db in (try Store.texts(db, EnforcementRows.latestDrawSQL).first?.first ?? nil).flatMap { Int($0) } ?? 0 }
  }

  public func draw(_ id: Int) throws -> StoredDraw { try read { db in try Store.draw(db, id) } }

  public func draws(regionPrefix: String?) throws -> [StoredDraw] {
    try read { db in
      let arguments = EnforcementRows.selectionArguments(regionPrefix).map(EnforcementRows.Argument.text)
      return try Store.texts(db, EnforcementRows.drawsSQL, arguments).compactMap { $0.first ?? nil }
        .compactMap { Int($0) }.map { try Store.draw(db, $0) }
    }
  }

  public func weatherAlerts(regionPrefix: String?) throws -> [WeatherAlert] {
    try read { db in
      let arguments = EnforcementRows.selectionArguments(regionPrefix).map(EnforcementRows.Argument.text)
      return try Store.texts(db, EnforcementRows.alertsSQL, arguments).map(EnforcementRows.alert)
    }
  }
  public func emissionBaselines(regionPrefix: String, year: Int) throws -> [String: [WeatherPollutant: Int]] {
    try read { db in
      EnforcementRows.baselines(
        try Store.texts(
          db, EnforcementRows.baselinesSQL, [.text(regionPrefix + "%"), .int(Int64(year)), .int(Int64(year))]))
    }
  }

}

extension SQLiteTransaction {
  func inspector(staffNo: String) throws -> Inspector? { try Store.inspectors(db, staffNo: staffNo).first }

  func insertInspector(_ inspector: Inspector, auditID: Int64) throws {
    try Store.run(
      db, EnforcementRows.insertInspectorSQL, EnforcementRows.inspectorArguments(inspector, auditID: auditID))
  }

  func setInspectorActive(staffNo: String, active: Bool, auditID: Int64) throws {
    try Store.run(db, EnforcementRows.setActiveSQL, [.int(active ? 1 : 0), .int(auditID), .text(staffNo)])
  }

  func insertConflict(staffNo: String, firm: CreditCode, reason: String, on day: Day, auditID: Int64) throws {
    try Store.run(
      db, EnforcementRows.insertConflictSQL,
      EnforcementRows.conflictArguments(staffNo: staffNo, firm: firm, reason: reason, on: day, auditID: auditID))
  }

  func latestDrawID() throws -> Int {
    (try Store.texts(db, EnforcementRows.latestDrawSQL).first?.first ?? nil).flatMap { Int($0) } ?? 0
  }

  func insertDraw(_ snapshot: DrawSnapshot, picks: [DrawPick], auditID: Int64) throws -> Int {
    try Store.run(
      db, "INSERT INTO " + EnforcementRows.insertDrawColumns,
      EnforcementRows.drawArguments(snapshot, auditID: auditID))
    let id = Int(db.lastInsertedRowID)
    for pick in picks {
      try Store.run(db, EnforcementRows.insertPickSQL, EnforcementRows.pickArguments(drawID: id, pick))
    }
    return id
  }

  func draw(_ id: Int) throws -> StoredDraw { try Store.draw(db, id) }

  func insertInspectionResult(drawID: Int, firm: CreditCode, _ result: InspectionResult, auditID: Int64) throws {
    try Store.run(
      db, EnforcementRows.insertResultSQL,
      EnforcementRows.resultArguments(drawID: drawID, firm: firm, result, auditID: auditID))
  }

  func insertWeatherAlert(_ alert: WeatherAlert, auditID: Int64) throws -> Int {
    try Store.run(
      db, "INSERT INTO " + EnforcementRows.insertAlertColumns, EnforcementRows.alertArguments(alert, auditID: auditID))
    return Int(db.lastInsertedRowID)
  }
  func hasBaseline(_ firm: CreditCode, pollutant: WeatherPollutant, year: Int) throws -> Bool {
    !(try Store.texts(
      db, EnforcementRows.hasBaselineSQL, [.text(firm.value), .text(pollutant.rawValue), .int(Int64(year))]))
      .isEmpty
  }

  func insertBaseline(_ firm: CreditCode, _ baseline: EmissionBaseline, auditID: Int64) throws {
    try Store.run(
      db, EnforcementRows.insertBaselineSQL, EnforcementRows.baselineArguments(firm: firm, baseline, auditID: auditID))
  }
}
