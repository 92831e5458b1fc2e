import RegistryCore

/// The pictures of the served dashboard and the printed reports (one SVG bar chart renderer,
/// `BarChart`): what comes to expire, how the retrofits stand, how fast the ledger closes.
extension Registry {
  /// Permits expiring in each of the 12 months from `asOf`'s, stacked by management class (PM-2).
  public func permitExpiryChart(asOf: Day, regionPrefix: String?) throws -> BarChart {
    let months = Charts.months(from: asOf, count: 12)
    let classes = PermitClass.allCases.filter { $0 != .none }
    var counts = classes.map { _ in months.map { _ in 0 } }
    let window = asOf.days(until: Charts.monthStart(after: months.last ?? asOf)) - 1
    try expiryNotice(asOf: asOf, within: max(0, window), overdue: false, regionPrefix: regionPrefix, permitClass: nil) {
      held, _ in
      guard let month = months.firstIndex(of: Charts.month(of: held.permit.validTo)),
        let row = classes.firstIndex(of: held.permit.permitClass)
      else { return }
      counts[row][month] += 1
    }
    return BarChart(
      title: "未来12个月到期的排污许可证（按月）", categories: months.map(Charts.label),
      series: zip(classes, counts).map { ($0.label, $1) })
  }

  /// Retrofit projects by city (a province's; a city's by county) and the stage each stands at on
  /// `asOf` (UL-*).
  public func retrofitStageChart(asOf: Day, regionPrefix: String?) throws -> BarChart {
    let length = (regionPrefix?.count ?? 0) < 4 ? 4 : 6
    var byRegion: [String: [RetrofitStage: Int]] = [:]
    try forEachRetrofit(regionPrefix: regionPrefix, owner: nil) { found in
      byRegion[String(found.regionCode.prefix(length)), default: [:]][found.retrofit.stage(asOf: asOf), default: 0] += 1
    }
    let regions = byRegion.keys.sorted()
    return BarChart(
      title: "超低排放改造项目所处阶段（按地区）",
      categories: regions.map { code in
        Divisions.bundled.fullName(of: code + String(repeating: "0", count: 6 - code.count))
          .split(separator: " ").last.map(String.init) ?? code
      },
      series: RetrofitStage.allCases.map { stage in (stage.label, regions.map { byRegion[$0]?[stage] ?? 0 }) })
  }
}
