import Testing

@testable import RegistryCore

/// English sentences left after translation: three English words in a row (codes, numbers and
/// Chinese do not count).
func englishLeft(_ text: String) -> Bool {
  text.firstMatch(of: #/[A-Za-z][A-Za-z-]+ [A-Za-z][a-z-]+ [A-Za-z][a-z-]+/#) != nil
}

@Suite("Chinese: one catalog for the English the rules, validators and storages write")
struct ChineseTests {
  @Test("Every catalog line parses: a sentence or a template whose holes are numbered 1-9")
  func catalogParses() {
    let lines = Embedded.zhCatalog.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
    let catalog = Chinese.catalog
    let templates = catalog.byFirst.values.reduce(0) { $0 + $1.count } + catalog.openingWithHole.count
    #expect(catalog.exact.count + templates == lines.count)
    for line in lines { #expect(line.split(separator: "\t").count == 2, "\(line)") }
  }

  @Test(
    "Templates: holes matched and placed in the Chinese order; vocabulary holes by their Chinese names",
    arguments: [
      ("has a wrong check character 3; expected L (ID-1)", "校验位 3 错误，应为 L（ID-1）"),
      ("line 7: text after a closing quote (field 2)", "第 7 行：闭合引号后还有文字（第 2 个字段）"),
      (
        "key discharge unit yes, permit class key, monitoring networked",
        "重点排污单位：是，许可管理类别：重点管理，在线监测：已联网"
      ),
      ("designation: key-component special-material", "认定类别：关键零部件、特殊材料"),
      ("Account \"wuhan\" is already disabled.", "账户 \"wuhan\" 已停用。"),
      // A sentence catalogued without its full stop takes a Chinese one.
      ("a revocation needs a reason.", "移出须有理由。"),
      ("Search for it first.", "请先搜索。"),
    ])
  func templates(_ english: String, _ chinese: String) {
    #expect(Chinese.translate(english) == chinese)
  }

  @Test("A field problem names the field in Chinese beside its key, and its reason from the catalog")
  func fieldProblem() {
    let problem = FieldProblem(
      field: "credit_code", value: "91", reason: "has 2 characters; a unified social credit code has 18 (ID-1)")
    #expect(problem.description(in: .zh) == "统一社会信用代码（credit_code） \"91\"：有 2 位；统一社会信用代码为 18 位（ID-1）")
    #expect(problem.description(in: .en) == problem.description)
  }

  @Test("A refusal of several lines is translated line by line, its bullets kept")
  func multiline() {
    let english = "Account \"a\" is not disabled.\n\t- must be at least 10 characters"
    #expect(Chinese.translate(english) == "账户 \"a\" 未停用。\n\t- 至少 10 个字符")
  }

  @Test("Text the catalog does not know is returned unchanged: names, codes, dates, other sentences")
  func unknownUnchanged() {
    for text in ["武汉汉江化工有限公司", "91420102MA4K2NLX66", "2026-11-30", "an English sentence nobody wrote", ""] {
      #expect(Chinese.translate(text) == text)
    }
  }

  @Test("Real messages of the validators come out with no English sentence left (ID-1, ID-4, ID-8, dates, text)")
  func validatorsTranslated() throws {
    var reasons: [String] = []
    for raw in ["", "9135010", "91350100M000100Y44", "91350100M00O100Y43", "9.14102E+17"] {
      if case .failure(let error) = CreditCode.parse(raw) { reasons.append(error.reason) }
    }
    reasons.append(CodeError.permitFormat("x").reason)
    reasons.append(CodeError.permitHolder("91350100M000100Y43001P", holder: "91130200699229617X").reason)
    for text in ["2021-02-30", "2021-13-01", "0000-01-01", "30/11/2026"] { reasons.append(Day.refusal(text)) }
    reasons += [
      FreeText.refusal("a\tb", field: "name"),
      FreeText.refusal(String(repeating: "x", count: 300), field: "name", maxLength: 200),
    ]
    .compactMap { $0 }
    if case .failure(let refusal) = DecisionNumber.parse("", decidedOn: day("2021-07-30")) {
      reasons.append(refusal.reason)
    }
    #expect(reasons.count >= 12)
    for reason in reasons {
      let chinese = Chinese.translate(reason)
      #expect(!englishLeft(chinese), "\(reason) → \(chinese)")
    }
  }

  @Test("Every trace line of both lists, for firms in every outcome, reads in Chinese")
  func tracesTranslated() {
    var firms = [cleanFirm(), cleanFirm(industry: "2614"), cleanFirm(industry: "4411")]
    var unknown = cleanFirm()
    unknown.enterprise.permitClass = nil
    unknown.enterprise.onlineMonitoring = nil
    unknown.enterprise.nearYangtze = nil
    unknown.penaltiesDecided = [day("2020-01-01")]
    firms.append(unknown)
    for facts in firms {
      for list in PositiveList.allCases {
        for date in ["2020-06-01", "2021-07-01", "2026-11-30"] {
          for line in eligibility(facts, for: list, policy: .national, asOf: day(date)).trace {
            for text in [line.description, line.fact, line.threshold, line.clause] {
              #expect(
                !englishLeft(Chinese.translate(text)), "\(line.rule) \(date): \(text) → \(Chinese.translate(text))")
            }
          }
        }
      }
    }
  }

  @Test("No input traps the translator (templates against random text)", arguments: 0..<4)
  func fuzz(_ seed: Int) {
    var generator = SeededGenerator(seed: UInt64(seed) &+ 17)
    let pieces = [
      "line ", "{1}", " is ", "before", " (", ")", ": ", "; ", "\n\t- ", "Refused: ", ".", "\"", "有", "a", " ",
    ]
    for _ in 0..<2_000 {
      let count = Int(generator.next() % 12)
      let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
      _ = Chinese.translate(text)
    }
  }
}
