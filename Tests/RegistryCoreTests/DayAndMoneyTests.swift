import Testing

@testable import RegistryCore

@Suite("Dates and money (RULES conventions)")
struct DayAndMoneyTests {
  @Test(
    "Strict YYYY-MM-DD parsing",
    arguments: [
      ("2020-02-29", true), ("2021-02-29", false), ("2021-02-30", false), ("2021-13-01", false),
      ("2021-1-01", false), ("20210101", false), ("2021-01-01 ", false), ("0000-01-01", false), ("2026-11-29", true),
    ])
  func parsing(_ text: String, _ valid: Bool) {
    #expect((Day(text) != nil) == valid)
  }

  @Test("Round trip through the day count over four centuries")
  func roundTrip() {
    var day = Day(year: 1900, month: 1, day: 1)?.ordinal ?? 0
    let end = Day(year: 2300, month: 12, day: 31)?.ordinal ?? 0
    while day <= end {
      let value = Day(ordinal: day)
      #expect(Day(value.description) == value)
      day += 37
    }
    #expect(Day("1970-01-01")?.ordinal == 0)
    #expect(Day("2000-03-01")?.ordinal == 11_017)
  }

  @Test("Adding months clamps to the month's end")
  func addingMonths() {
    #expect(Day("2020-08-31")?.adding(months: 6).description == "2021-02-28")
    #expect(Day("2020-02-29")?.adding(years: 1).description == "2021-02-28")
    #expect(Day("2021-08-02")?.adding(days: 15).description == "2021-08-17")
  }

  @Test("A 1-year look-back window on 2020-07-01 holds 2019-07-02 ... 2020-07-01")
  func lookBack() throws {
    let day = try #require(Day("2020-07-01"))
    let window = lookBackWindow(years: 1, endingOn: day)
    #expect(window.lowerBound.description == "2019-07-02")
    #expect(window.upperBound == day)
    #expect(!window.contains(try #require(Day("2019-07-01"))))
  }

  @Test(
    "Yuan input becomes integer fen",
    arguments: [
      ("100000", Int64(10_000_000)), ("100000.00", 10_000_000), ("1,234.56", 123_456), ("0.5", 50), ("0.05", 5),
      ("１２３.４５", 12_345),
    ])
  func yuanToFen(_ text: String, _ fen: Int64) {
    #expect(Fen(yuan: text)?.value == fen)
  }

  @Test(
    "Malformed amounts are refused",
    arguments: ["", "1.234", "-1", "1e5", "abc", "12.", ".5", "1.2.3", "100000000000000"])
  func malformedAmounts(_ text: String) {
    #expect(Fen(yuan: text) == nil)
  }

  @Test("Fen show as yuan with two decimals")
  func fenAsYuan() {
    #expect(Fen(10_000_000).yuan == "100000.00")
    #expect(Fen(5).yuan == "0.05")
    #expect(Fen(-150).yuan == "-1.50")
  }
}
