/// The records of enforcement planning (RULES §9, §10): one shape for the table, JSON and CSV, the
/// audit rows and the notices.
extension Report {
  public static func inspector(_ i: Inspector) -> Fields {
    Fields([
      ("staff_no", .text(i.staffNo)), ("name", .text(i.name)), ("unit", .text(i.unit)), ("region", .text(i.regionCode)),
      ("certificate", .text(i.certificate)), ("active", .bool(i.active)),
      ("conflicts", .text(i.conflicts.sorted().joined(separator: ","))),
    ])
  }

  public static func inspectionResult(drawID: Int, _ r: InspectionResult) -> Fields {
    Fields([
      ("draw", .int(drawID)), ("found_on", .day(r.foundOn)), ("finding", .text(r.finding.rawValue)),
      ("note", .text(r.note)), ("ledger_item", r.ledgerItemID.map { .int($0) } ?? .null),
    ])
  }

  public static func weatherAlert(_ a: WeatherAlert) -> Fields {
    Fields([
      ("id", .int(a.id)), ("region", .text(a.region)), ("level", .text(a.level.rawValue)), ("from", .day(a.from)),
      ("to", a.to.map { .day($0) } ?? .null), ("issuer", .text(a.issuer)), ("reference", .text(a.reference)),
    ])
  }

  /// A draw's head: where, when, how drawn, how many.
  public static func drawSummary(_ d: StoredDraw) -> Fields {
    let s = d.snapshot
    return Fields([
      ("id", .int(d.id)), ("jurisdiction", .text(s.jurisdiction)), ("period", .text(s.period.description)),
      ("drawn_on", .day(s.drawnOn)), ("seed", .text(String(s.seed))), ("pool", .int(s.pool.count)),
      ("picks", .int(d.picks.count)), ("inspected", .int(d.results.count)),
      ("violations", .int(d.results.values.filter { $0.finding == .violation }.count)),
    ])
  }

  public static func drawQuota(_ q: DrawQuota) -> Fields {
    Fields([
      ("group", .text(q.group.description)), ("pool", .int(q.pool)),
      ("ratio", .text(ParameterValue.basisPoints(q.ratioBasisPoints).description)), ("minimum", .int(q.minimum)),
      ("quota", .int(q.quota)), ("clause", .text(q.clause)),
    ])
  }

  /// A pick with the firm's name and region (when known) and its result.
  public static func drawPick(_ p: DrawPick, firm: Enterprise?, roster: [Inspector], result: InspectionResult?)
    -> Fields
  {
    let names = p.inspectors.map { staff in roster.first { $0.staffNo == staff }.map { "\($0.name)(\(staff))" } ?? staff
    }
    return Fields([
      ("credit_code", .text(p.code)), ("name", .text(firm?.name ?? "")), ("region_code", .text(firm?.regionCode ?? "")),
      ("group", .text(p.group.description)), ("inspectors", .text(names.joined(separator: "、"))),
      ("found_on", result.map { .day($0.foundOn) } ?? .null), ("finding", .text(result?.finding.rawValue ?? "")),
      ("ledger_item", result?.ledgerItemID.map { .int($0) } ?? .null),
    ])
  }

  static func measure(_ m: WeatherMeasure?) -> Value { .text(m?.text ?? "") }

  /// A firm's line of the reduction list (HW output (a)).
  public static func weatherPlanRow(_ firm: Enterprise, _ line: WeatherLine, withTrace: Bool = false) -> Fields {
    var fields = Fields([
      ("credit_code", .text(firm.creditCode.value)), ("name", .text(firm.name)),
      ("region_code", .text(firm.regionCode)),
      ("industry_code", .text(firm.industryCode)), ("weather_class", .text(line.weatherClass.rawValue)),
      ("grade", .text(firm.grade.rawValue)), ("grade_used", .text(line.grade?.rawValue ?? "")),
      ("guarantee", .bool(line.guarantee)), ("exempt", .bool(line.exempt)),
      ("yellow", measure(line.measures[.yellow])), ("orange", measure(line.measures[.orange])),
      ("red", measure(line.measures[.red])),
    ])
    if withTrace { fields.append("trace", .list(line.trace.map { .record($0.fields) })) }
    return fields
  }

  /// A firm's class, grade and measure at each level (the profile's section).
  public static func weatherMeasures(_ line: WeatherLine) -> Fields {
    Fields([
      ("weather_class", .text(line.weatherClass.rawValue)), ("grade_used", .text(line.grade?.rawValue ?? "")),
      ("guarantee", .bool(line.guarantee)), ("exempt", .bool(line.exempt)), ("yellow", measure(line.measures[.yellow])),
      ("orange", measure(line.measures[.orange])), ("red", measure(line.measures[.red])),
    ])
  }

  /// A firm with a measure in force on a day (HW output (b)).
  public static func weatherTodayRow(_ firm: Enterprise, alert: WeatherAlert, measure m: WeatherMeasure, on day: Day)
    -> Fields
  {
    Fields([
      ("credit_code", .text(firm.creditCode.value)), ("name", .text(firm.name)),
      ("region_code", .text(firm.regionCode)),
      ("level", .text(alert.level.rawValue)), ("alert", .int(alert.id)), ("reference", .text(alert.reference)),
      ("measure", .text(m.text)), ("on", .day(day)),
    ])
  }
}
