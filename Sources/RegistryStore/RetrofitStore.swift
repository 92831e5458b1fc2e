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

  /// Imports retrofits: credit_code, facility, source_type, capacity, capacity_unit, planned_start,
  /// planned_completion [, new_installation, assessing_body], and the stage dates reached
  /// (under_construction_on, completed_on, stable_operation_on, assessed_on, verified_on), checked
  /// as `advance` checks them. A project already recorded for the facility is left alone.
  public func importRetrofits(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    let stageColumns: [(RetrofitStage, String, String)] = [
      (.underConstruction, "under_construction_on", "开工日期"), (.completed, "completed_on", "完工日期"),
      (.stableOperation, "stable_operation_on", "稳定运行日期"),
      (.assessed, "assessed_on", "评估日期"), (.verified, "verified_on", "核实日期"),
    ]
    return try runImport(source, rejects: rejects, options: options, action: "retrofit.import") { db, auditID in
      SimpleRowHandler(
        columns: [
          ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
          ImportColumn(key: "facility", chinese: "设施名称", required: true),
          ImportColumn(key: "source_type", chinese: "源类型", required: true),
          ImportColumn(key: "capacity", chinese: "规模", required: true),
          ImportColumn(key: "capacity_unit", chinese: "规模单位", required: true),
          ImportColumn(key: "planned_start", chinese: "计划开工", required: true),
          ImportColumn(key: "planned_completion", chinese: "计划完成", required: true),
          ImportColumn(key: "new_installation", chinese: "新建"),
          ImportColumn(key: "assessing_body", chinese: "评估机构"),
        ] + stageColumns.map { ImportColumn(key: $0.1, chinese: $0.2) }
      ) { cells, report in
        let code = cells.creditCode()
        let facility = cells.text("facility", required: true)
        let source: SourceType? = cells.vocabulary("source_type", required: true)
        let capacity = cells.number("capacity", required: true)
        let unit = cells.text("capacity_unit", required: true)
        let start = cells.day("planned_start", required: true),
          completion = cells.day("planned_completion", required: true)
        let isNew = ["yes", "是", "1", "true"].contains(cells.text("new_installation")?.lowercased() ?? "")
        var moves: [(RetrofitStage, Day)] = []
        for (stage, key, _) in stageColumns { if let day = cells.day(key) { moves.append((stage, day)) } }
        guard cells.problems.isEmpty, let code, let facility, let source, let capacity, let unit, let start,
          let completion,
          let enterpriseID = try Store.enterpriseID(db, code, reader: &cells, options: options)
        else { return }
        var retrofit = Retrofit(
          id: 0, facility: facility, sourceType: source, capacity: capacity, capacityUnit: unit, newInstallation: isNew,
          plannedStart: start, plannedCompletion: completion, assessingBody: cells.text("assessing_body") ?? "")
        if let problem = RetrofitRules.recordProblem(retrofit) { cells.problems.append(problem.description); return }
        if try Bool.fetchOne(
          db, sql: "SELECT 1 FROM retrofit WHERE enterprise_id = ? AND facility = ?",
          arguments: [enterpriseID, facility]) == true
        {
          report.unchanged += 1
          return
        }
        for (stage, day) in moves {
          if let refusal = RetrofitRules.advanceRefusal(retrofit, to: stage, on: day) {
            cells.problem(stageColumns.first { $0.0 == stage }?.1 ?? stage.rawValue, day.description, refusal)
            return
          }
          retrofit.stages.append(StageEntry(stage: stage, on: day))
        }
        let id = try Store.insertRetrofit(db, retrofit, enterpriseID: enterpriseID, auditID: auditID)
        for entry in retrofit.stages {
          try Store.insertStage(db, retrofitID: id, stage: entry.stage, on: entry.on, note: "import", auditID: auditID)
        }
        report.inserted += 1
      }
    }
  }

  /// Imports measurements: credit_code, facility, pollutant, concentration, o2_percent, measured_on, measured_by.
  public func importMeasurements(_ source: any RecordSource, rejects: (any RejectSink)?, options: ImportOptions) throws
    -> ImportReport
  {
    try runImport(source, rejects: rejects, options: options, action: "measurement.import") { db, auditID in
      SimpleRowHandler(columns: [
        ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
        ImportColumn(key: "facility", chinese: "设施名称", required: true),
        ImportColumn(key: "pollutant", chinese: "污染物", required: true),
        ImportColumn(key: "concentration", chinese: "浓度", required: true),
        ImportColumn(key: "o2_percent", chinese: "含氧量", required: true),
        ImportColumn(key: "measured_on", chinese: "监测日期", required: true),
        ImportColumn(key: "measured_by", chinese: "监测机构", required: true),
      ]) { cells, report in
        let code = cells.creditCode()
        let facility = cells.text("facility", required: true)
        let pollutant: Pollutant? = cells.vocabulary("pollutant", required: true)
        let concentration = cells.number("concentration", required: true),
          oxygen = cells.number("o2_percent", required: true)
        let on = cells.day("measured_on", required: true), by = cells.text("measured_by", required: true)
        if let oxygen, oxygen >= 21 { cells.problem("o2_percent", String(oxygen), "must be under 21") }
        guard cells.problems.isEmpty, let code, let facility, let pollutant, let concentration, let oxygen, let on,
          let by,
          try Store.enterpriseID(db, code, reader: &cells, options: options) != nil
        else { return }
        guard
          let id = try Int64.fetchOne(
            db,
            sql:
              """
              SELECT r.id
              FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id
              WHERE e.credit_code = ? AND r.facility = ?
              """,
            arguments: [code.value, facility])
        else {
          cells.problem(
            "facility", facility, "no retrofit of \(code.value) for this facility; import the retrofit first")
          return
        }
        if try Bool.fetchOne(
          db,
          sql:
            "SELECT 1 FROM measurement WHERE retrofit_id = ? AND pollutant = ? AND measured_on = ? AND measured_by = ?",
          arguments: [id, pollutant.rawValue, on.description, by]) == true
        {
          report.unchanged += 1
          return
        }
        try Store.insertMeasurement(
          db, retrofitID: id,
          Measurement(
            pollutant: pollutant, concentration: concentration, oxygen: oxygen, measuredOn: on, measuredBy: by),
          auditID: auditID)
        report.inserted += 1
      }
    }
  }
}
