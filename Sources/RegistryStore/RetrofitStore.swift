import GRDB
import RegistryCore
import RegistryService

extension Store {
  static let retrofitSelect = """
    SELECT r.id, r.facility, r.source_type, r.capacity, r.capacity_unit, r.new_installation, r.planned_start, r.planned_completion,
      r.assessing_body, e.credit_code, e.name, e.region_code
    FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id
    """

  static func retrofit(_ row: Row) throws -> FirmRetrofit {
    guard let source = SourceType(rawValue: row[2]), let start = Day(row[6] as String),
      let completion = Day(row[7] as String), let owner = CreditCode(row[9] as String)
    else {
      throw RegistryError.database("retrofit row \(row[0] as Int64) holds a value this envreg cannot read")
    }
    let retrofit = Retrofit(
      id: row[0], facility: row[1], sourceType: source, capacity: row[3], capacityUnit: row[4], newInstallation: row[5],
      plannedStart: start, plannedCompletion: completion, assessingBody: row[8])
    return FirmRetrofit(retrofit: retrofit, owner: owner, ownerName: row[10], regionCode: row[11])
  }

  func requireRetrofit(_ db: Database, _ id: Int) throws -> FirmRetrofit {
    guard let row = try Row.fetchOne(db, sql: Store.retrofitSelect + " WHERE r.id = ?", arguments: [id]) else {
      throw RegistryError.notFound(
        kind: "retrofit", key: String(id), hint: "Run 'envreg retrofit list' to see retrofit projects and their ids.")
    }
    var found = try Store.retrofit(row)
    found.retrofit.stages = try Row.fetchAll(
      db, sql: "SELECT stage, entered_on, note FROM retrofit_stage WHERE retrofit_id = ? ORDER BY entered_on, id",
      arguments: [id]
    ).compactMap(Store.stageEntry)
    found.retrofit.measurements = try Row.fetchAll(
      db,
      sql:
        """
        SELECT pollutant, concentration, o2_percent, measured_on, measured_by
        FROM measurement
        WHERE retrofit_id = ?
        ORDER BY measured_on, id
        """,
      arguments: [id]
    ).compactMap(Store.measurement)
    return found
  }

  static func stageEntry(_ row: Row) -> StageEntry? {
    guard let stage = RetrofitStage(rawValue: row[0]), let on = Day(row[1] as String) else { return nil }
    return StageEntry(stage: stage, on: on, note: row[2])
  }

  static func measurement(_ row: Row) -> Measurement? {
    guard let pollutant = Pollutant(rawValue: row[0]), let on = Day(row[3] as String) else { return nil }
    return Measurement(pollutant: pollutant, concentration: row[1], oxygen: row[2], measuredOn: on, measuredBy: row[4])
  }

  static func insertRetrofit(_ db: Database, _ r: Retrofit, enterpriseID: Int64, auditID: Int64) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO retrofit (enterprise_id, facility, source_type, capacity, capacity_unit, new_installation, planned_start, planned_completion, assessing_body, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        enterpriseID, r.facility, r.sourceType.rawValue, r.capacity, r.capacityUnit, r.newInstallation,
        r.plannedStart.description, r.plannedCompletion.description, r.assessingBody, auditID,
      ])
    return db.lastInsertedRowID
  }

  static func insertStage(
    _ db: Database, retrofitID: Int64, stage: RetrofitStage, on day: Day, note: String, auditID: Int64
  ) throws {
    try db.execute(
      sql: "INSERT INTO retrofit_stage (retrofit_id, stage, entered_on, note, audit_id) VALUES (?, ?, ?, ?, ?)",
      arguments: [retrofitID, stage.rawValue, day.description, note, auditID])
    try db.execute(sql: "UPDATE retrofit SET stage = ? WHERE id = ?", arguments: [stage.rawValue, retrofitID])
  }

  public func retrofit(_ id: Int) throws -> FirmRetrofit { try read { db in try self.requireRetrofit(db, id) } }

  /// Streams retrofits with stages and measurements (three cursors ordered by retrofit id).
  public func forEachRetrofit(
    regionPrefix: String? = nil, owner: CreditCode? = nil, _ body: (FirmRetrofit) throws -> Void
  ) throws {
    var conditions = Conditions()
    conditions.regionPrefix(regionPrefix)
    if let owner { conditions.add("e.credit_code = ?", [owner.value]) }
    try read { db in
      let retrofits = try Row.fetchCursor(
        db, reusing: Store.retrofitSelect + conditions.whereClause + " ORDER BY r.id",
        arguments: conditions.statementArguments)
      // A region's or a firm's projects are few (ChildQuery).
      let children = ChildQuery(
        db, selected: "SELECT r.id FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id", key: "retrofit_id",
        conditions: conditions, narrow: regionPrefix != nil || owner != nil)
      var stages = try children.rows(
        "retrofit_id, stage, entered_on, note", from: "retrofit_stage", order: "retrofit_id, entered_on, id")
      var measurements = try children.rows(
        "retrofit_id, pollutant, concentration, o2_percent, measured_on, measured_by", from: "measurement",
        order: "retrofit_id, measured_on, id")
      while let row = try retrofits.next() {
        var found = try Store.retrofit(row)
        let id = Int64(found.retrofit.id)
        for s in try stages.take(id) {
          if let stage = RetrofitStage(rawValue: s[1]), let on = Day(s[2] as String) {
            found.retrofit.stages.append(StageEntry(stage: stage, on: on, note: s[3]))
          }
        }
        for m in try measurements.take(id) {
          if let pollutant = Pollutant(rawValue: m[1]), let on = Day(m[4] as String) {
            found.retrofit.measurements.append(
              Measurement(pollutant: pollutant, concentration: m[2], oxygen: m[3], measuredOn: on, measuredBy: m[5]))
          }
        }
        try body(found)
      }
    }
  }
}
