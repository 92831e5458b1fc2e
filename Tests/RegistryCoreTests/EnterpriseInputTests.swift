import Testing

@testable import RegistryCore

@Suite("Enterprise validation (one validator for add, update and import)")
struct EnterpriseInputTests {
  let asOf = Day("2026-11-29") ?? Day(ordinal: 0)

  func valid() -> EnterpriseInput {
    EnterpriseInput([
      .creditCode: "91350100M000100Y43", .name: "福州闽江电子材料有限公司", .regionCode: "350102", .industryCode: "3985",
    ])
  }

  @Test("A new enterprise needs the four required fields; defaults fill the rest")
  func requiredFields() {
    guard case .valid(let firm, _) = valid().resolve(onto: nil, asOf: asOf) else {
      Issue.record("valid input refused")
      return
    }
    #expect(firm.permitClass == nil && firm.registeredOn == asOf && firm.status == .active)
    guard
      case .invalid(let problems) = EnterpriseInput([.creditCode: "91350100M000100Y43"]).resolve(
        onto: nil, asOf: asOf)
    else {
      Issue.record("incomplete input accepted")
      return
    }
    #expect(Set(problems.map(\.field)) == ["name", "region_code", "industry_code"])
  }

  @Test("Every problem in a row is reported at once, each naming field, value and reason")
  func everyProblemReported() {
    var input = valid()
    input[.creditCode] = "91350100M000100Y44"
    input[.industryCode] = "2699"
    input[.registeredOn] = "2021-02-30"
    input[.permitClass] = "重点监管"
    input[.nearYangtze] = "maybe"
    guard case .invalid(let problems) = input.resolve(onto: nil, asOf: asOf) else {
      Issue.record("bad input accepted")
      return
    }
    #expect(problems.map(\.field) == ["credit_code", "industry_code", "registered_on", "permit_class", "near_yangtze"])
    #expect(problems[0].reason.contains("expected 3"))
    #expect(problems[3].reason.contains("key (重点管理)"))
  }

  @Test(
    "Chinese names of enumerations are accepted",
    arguments: [
      ("重点管理", PermitClass.key), ("简化", .simplified), ("登记管理", .registration), ("key", .key),
    ])
  func chineseVocabulary(_ text: String, _ expected: PermitClass) {
    var input = valid()
    input[.permitClass] = text
    guard case .valid(let firm, _) = input.resolve(onto: nil, asOf: asOf) else {
      Issue.record("\(text) refused")
      return
    }
    #expect(firm.permitClass == expected)
  }

  @Test("On update, blank import cells keep the value; the credit code cannot change")
  func updateSemantics() throws {
    guard case .valid(let firm, _) = valid().resolve(onto: nil, asOf: asOf) else { return }
    var change = EnterpriseInput([.name: "", .legalRep: "陈海峰"])
    guard case .valid(let updated, _) = change.resolve(onto: firm, asOf: asOf, blankKeepsValue: true) else {
      Issue.record("update refused")
      return
    }
    #expect(updated.name == firm.name && updated.legalRep == "陈海峰")
    #expect(updated.changedFields(from: firm) == [.legalRep])
    change[.creditCode] = "91130200699229617X"
    guard case .invalid(let problems) = change.resolve(onto: firm, asOf: asOf) else {
      Issue.record("code change accepted")
      return
    }
    #expect(problems.first?.field == "credit_code")
  }

  @Test("Headers map in English and Chinese")
  func headers() {
    #expect(EnterpriseField.forHeader("统一社会信用代码") == .creditCode)
    #expect(EnterpriseField.forHeader(" Credit Code ") == .creditCode)
    #expect(EnterpriseField.forHeader("排污许可管理类别") == .permitClass)
    #expect(EnterpriseField.forHeader("序号") == nil)
  }
}
