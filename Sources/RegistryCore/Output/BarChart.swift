/// A bar chart as inline SVG, for the printed and served pages where people would rather look than
/// read: one bar per category, stacked by series (a legend when there are several), the count on
/// each bar, a scale of whole numbers. No script, no external file: the page stays one document
/// and prints as it shows.
public struct BarChart: Sendable {
  public var title: String
  public var categories: [String]
  /// Each series' name and its count per category.
  public var series: [(name: String, values: [Int])]

  public init(title: String, categories: [String], series: [(name: String, values: [Int])]) {
    self.title = title
    self.categories = categories
    self.series = series
  }

  static let palette = ["#3b6ea5", "#d98c2b", "#5a9e4b", "#b84a4a", "#7d5ba6", "#4a9ea0", "#a0784a", "#888888"]

  func total(_ index: Int) -> Int { series.reduce(0) { $0 + (index < $1.values.count ? max(0, $1.values[index]) : 0) } }

  public var svg: String {
    let esc = Render.markupEscape
    let width = 720, height = 260, left = 40, right = 12, top = 34, bottom = 56
    let legend = series.count > 1 ? 18 * ((series.count + 3) / 4) : 0
    let plotHeight = height - top - bottom - legend
    let highest = max(1, categories.indices.map(total).max() ?? 1)
    // A scale in whole steps: 1, 2 or 5 times a power of ten, about four of them.
    var step = 1
    var power = 1
    search: while true {
      for multiple in [1, 2, 5] where (highest + multiple * power - 1) / (multiple * power) <= 5 {
        step = multiple * power
        break search
      }
      power *= 10
    }
    let scaleTop = ((highest + step - 1) / step) * step
    let slot = Double(width - left - right) / Double(max(1, categories.count))
    let bar = max(2, slot * 0.7)
    func y(_ value: Int) -> Double { Double(top + plotHeight) - Double(value) / Double(scaleTop) * Double(plotHeight) }
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
      + "aria-label=\"\(esc(title))\" font-family=\"sans-serif\" font-size=\"11\">"
      + "<title>\(esc(title))</title>"
      + "<text x=\"\(width / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" "
      + "font-weight=\"bold\">\(esc(title))</text>"
    for tick in stride(from: 0, through: scaleTop, by: step) {
      let at = y(tick)
      out +=
        "<line x1=\"\(left)\" y1=\"\(at)\" x2=\"\(width - right)\" y2=\"\(at)\" stroke=\"#ddd\"/>"
        + "<text x=\"\(left - 4)\" y=\"\(at + 4)\" text-anchor=\"end\" fill=\"#555\">\(tick)</text>"
    }
    for (index, category) in categories.enumerated() {
      let x = Double(left) + slot * Double(index) + (slot - bar) / 2
      var base = 0
      for (number, line) in series.enumerated() {
        let value = index < line.values.count ? max(0, line.values[index]) : 0
        guard value > 0 else { continue }
        out +=
          "<rect x=\"\(x)\" y=\"\(y(base + value))\" width=\"\(bar)\" height=\"\(y(base) - y(base + value))\" "
          + "fill=\"\(BarChart.palette[number % BarChart.palette.count])\">"
          + "<title>\(esc(category)) \(esc(line.name)): \(value)</title></rect>"
        base += value
      }
      if base > 0 {
        out += "<text x=\"\(x + bar / 2)\" y=\"\(y(base) - 3)\" text-anchor=\"middle\">\(base)</text>"
      }
      out +=
        "<text x=\"\(x + bar / 2)\" y=\"\(top + plotHeight + 14)\" text-anchor=\"middle\" "
        + "fill=\"#333\">\(esc(category))</text>"
    }
    if series.count > 1 {
      for (number, line) in series.enumerated() {
        let x = left + (number % 4) * 170, row = top + plotHeight + 30 + (number / 4) * 18
        out +=
          "<rect x=\"\(x)\" y=\"\(row - 9)\" width=\"10\" height=\"10\" "
          + "fill=\"\(BarChart.palette[number % BarChart.palette.count])\"/>"
          + "<text x=\"\(x + 14)\" y=\"\(row)\">\(esc(line.name))</text>"
      }
    }
    return out + "</svg>"
  }
}

/// Calendar months for the charts (`YYYY-MM`, the first of each month as a day).
public enum Charts {
  /// `count` months starting with `day`'s month.
  public static func months(from day: Day, count: Int) -> [Day] {
    var (year, month, _) = day.parts
    var out: [Day] = []
    for _ in 0..<count {
      if let first = Day(year: year, month: month, day: 1) { out.append(first) }
      month += 1
      if month > 12 {
        month = 1
        year += 1
      }
    }
    return out
  }

  /// The `count` months ending with `day`'s month.
  public static func months(endingWith day: Day, count: Int) -> [Day] {
    var (year, month, _) = day.parts
    month -= count - 1
    while month < 1 {
      month += 12
      year -= 1
    }
    return months(from: Day(year: year, month: month, day: 1) ?? day, count: count)
  }

  /// The first day of a day's month.
  public static func month(of day: Day) -> Day {
    let (year, month, _) = day.parts
    return Day(year: year, month: month, day: 1) ?? day
  }

  /// The first day of the month after `month`'s.
  public static func monthStart(after month: Day) -> Day { months(from: month, count: 2).last ?? month }

  /// `2026-03` as the axis shows it: `26年3月`.
  public static func label(_ month: Day) -> String {
    let (year, number, _) = month.parts
    return "\(year % 100)年\(number)月"
  }
}
