import RegistryCore
import Testing

@Suite("Accounts: the rights table (issue 14)")
struct AccessRulesTests {
  static func account(_ role: Role, _ region: String?, disabled: Bool = false) -> Account {
    Account(
      name: "u", role: role, regionPrefix: region, passwordHash: "$2b$04$x", disabledAt: disabled ? "2026-01-01" : nil,
      createdAt: "2026-01-01")
  }

  /// (role, region, access, allowed): the boundaries of each rule.
  static let table: [(Role, String?, Access, Bool)] = [
    (.admin, nil, .writeFirm(region: "110101"), true),
    (.admin, "42", .administer, true),
    (.officer, "4201", .writeFirm(region: "420102"), true),
    (.officer, "4201", .writeFirm(region: "420100"), true),
    (.officer, "4201", .writeFirm(region: "420503"), false),  // same province, other city
    (.officer, "420102", .writeFirm(region: "420102"), true),
    (.officer, "420102", .writeFirm(region: "420103"), false),
    (.officer, "4201", .readFirm(region: "420503"), true),  // reads its province
    (.officer, "4201", .readFirm(region: "110101"), false),
    (.officer, "4201", .readSelection(regionPrefix: "42"), true),
    (.officer, "4201", .readSelection(regionPrefix: "4205"), true),
    (.officer, "4201", .readSelection(regionPrefix: nil), false),  // the whole nation
    (.officer, "4201", .readSelection(regionPrefix: "11"), false),
    (.officer, "4201", .administer, false),
    (.viewer, "42", .writeFirm(region: "420102"), false),
    (.viewer, "42", .readFirm(region: "420102"), true),
    (.viewer, "42", .readFirm(region: "110101"), false),
    (.viewer, nil, .readFirm(region: "110101"), true),  // a national viewer
    (.viewer, nil, .readSelection(regionPrefix: nil), true),
    (.viewer, nil, .administer, false),
  ]

  @Test("Each role × access at the region boundaries", arguments: table.indices)
  func rights(index: Int) {
    let (role, region, access, allowed) = AccessRulesTests.table[index]
    let refusal = AccessRules.refusal(AccessRulesTests.account(role, region), access)
    #expect((refusal == nil) == allowed, "\(role) \(region ?? "national") \(access): \(refusal ?? "allowed")")
  }

  @Test("A disabled account may do nothing, not even an admin read")
  func disabled() {
    for role in Role.allCases {
      #expect(
        AccessRules.refusal(AccessRulesTests.account(role, nil, disabled: true), .readSelection(regionPrefix: nil))
          != nil)
    }
  }

  @Test("Account names and passwords: the limits")
  func names() {
    #expect(AccessRules.nameRefusal("张伟") == nil)
    #expect(AccessRules.nameRefusal("a") != nil)
    #expect(AccessRules.nameRefusal(String(repeating: "a", count: 33)) != nil)
    #expect(AccessRules.nameRefusal("wu han") != nil)
    #expect(AccessRules.nameRefusal("user:x") != nil)
    #expect(AccessRules.passwordRefusal("123456789", account: "x") != nil)  // 9 characters
    #expect(AccessRules.passwordRefusal("1234567890", account: "x") == nil)  // 10
    #expect(AccessRules.passwordRefusal(String(repeating: "a", count: 12), account: "x") != nil)
    #expect(AccessRules.passwordRefusal("zhangwei-2026", account: "zhangwei") != nil)
    #expect(AccessRules.passwordRefusal(String(repeating: "ab", count: 36), account: "x") == nil)  // 72 bytes
    #expect(AccessRules.passwordRefusal(String(repeating: "ab", count: 36) + "c", account: "x") != nil)
  }
}

@Suite("Render.html: the pages' one renderer of values")
struct HTMLValueTests {
  @Test("Records, tables and lists; every text escaped, labels and links applied")
  func html() {
    let value = Value.record(
      Fields([
        ("name", .text("<b>&\"'")),
        ("rows", .list([.record(Fields([("a", .int(1))])), .record(Fields([("b", .text("x<y"))]))])),
        ("tags", .list([.text("<i>")])),
        ("credit_code", .text("91X")),
      ]))
    let html = Render.html(
      value, label: { $0.uppercased() }, link: { key, text in key == "credit_code" ? "/f/\(text)" : nil })
    #expect(html.contains("<th>NAME</th><td>&lt;b&gt;&amp;&quot;&#39;</td>"))
    #expect(html.contains("<thead><tr><th>A</th><th>B</th></tr></thead>"))
    #expect(html.contains("<tr><td>1</td><td></td></tr><tr><td></td><td>x&lt;y</td></tr>"))
    #expect(html.contains("<ul><li>&lt;i&gt;</li></ul>"))
    #expect(html.contains("<a href=\"/f/91X\">91X</a>"))
    #expect(!html.contains("<b>") && !html.contains("<i>"))
  }
}

@Suite("Dates as spreadsheets hold them (issue 15)")
struct SpreadsheetDateTests {
  static let accepted: [(String, String)] = [
    ("2020-03-05", "2020-03-05"), ("2020/3/5", "2020-03-05"), ("2020.3.5", "2020-03-05"), ("2020年3月5日", "2020-03-05"),
    ("2020年03月05日", "2020-03-05"), ("20200305", "2020-03-05"), ("43895", "2020-03-05"), (" 2020/12/31 ", "2020-12-31"),
    ("２０２０/３/５", "2020-03-05"), ("2020/2/29", "2020-02-29"),
  ]
  static let refused: [(String, String)] = [
    ("3/5/2020", "ambiguous"), ("05/03/20", "ambiguous"), ("2021/2/29", "28 days"), ("2020/13/1", "month 13"),
    ("2020-02-30", "2020-02 has 29 days"), ("2020/3-5", "is not a date"), ("March 5", "is not a date"),
    ("", "is not a date"),
  ]

  @Test("Accepted forms", arguments: accepted.indices)
  func acceptedForm(index: Int) {
    let (text, iso) = SpreadsheetDateTests.accepted[index]
    #expect(Day.spreadsheet(text)?.description == iso, "\(text)")
  }

  @Test("Refused forms, each with its reason", arguments: refused.indices)
  func refusedForm(index: Int) {
    let (text, reason) = SpreadsheetDateTests.refused[index]
    #expect(Day.spreadsheet(text) == nil, "\(text)")
    #expect(Day.spreadsheetRefusal(text).contains(reason), "\(text): \(Day.spreadsheetRefusal(text))")
  }
}

@Suite("Industry codes with their section letter (ID-5, issue 15)")
struct SectionLetterTests {
  @Test("C2614 reads as 2614; a letter that is not the code's section is refused, naming the right one")
  func sectionLetter() throws {
    #expect(try Industries.bundled.validate("C2614").get().code == "2614")
    #expect(try Industries.bundled.validate("c26").get().code == "26")
    #expect(try Industries.bundled.validate("Ｃ２６１４").get().code == "2614")
    guard case .failure(let wrong) = Industries.bundled.validate("D2614") else {
      Issue.record("D2614 accepted")
      return
    }
    #expect(wrong.reason.contains("section C 制造业"))
    guard case .failure(let unknown) = Industries.bundled.validate("C2699") else {
      Issue.record("C2699 accepted")
      return
    }
    #expect(unknown.reason.contains("nearest known"))
    #expect(throws: IndustryError.self) { try Industries.bundled.validate("C").get() }
  }
}

@Suite("Regions and industries given by name (ID-5, issue 15)")
struct NamedCodeTests {
  @Test("A name that names one division or industry is read; a shared name or a near miss lists candidates")
  func names() {
    #expect(NamedCode.region("武汉市江岸区") == .found("420102"))
    #expect(NamedCode.region("湖北省 武汉市 江岸区") == .found("420102"))
    #expect(NamedCode.region("江岸区") == .found("420102"))
    guard case .refused(let shared) = NamedCode.region("鼓楼区") else {
      Issue.record("鼓楼区 is in several cities")
      return
    }
    #expect(shared.contains("divisions") && shared.contains("福州市"))
    #expect(NamedCode.region("南京市鼓楼区") == .found("320106"))
    guard case .refused(let near) = NamedCode.region("武汉市江岸") else {
      Issue.record("a near miss accepted")
      return
    }
    #expect(near.contains("420102"))
    #expect(NamedCode.industry("炼钢") == .found("3120"))
    guard case .refused(let unknown) = NamedCode.industry("炼钢铁") else {
      Issue.record("炼钢铁 accepted")
      return
    }
    #expect(unknown.contains("3120"))
  }

  @Test("enterprise input: 所在区县 and 行业 by name resolve to codes; a bad name is a field problem")
  func input() throws {
    var input = EnterpriseInput()
    input[.creditCode] = "91420102MA4KX3XR5R"
    input[.name] = "按名称登记有限公司"
    input[.regionCode] = "武汉市江岸区"
    input[.industryCode] = "炼钢"
    let resolution = input.resolve(onto: nil, asOf: Day("2026-11-29")!)
    guard case .valid(let firm, _) = resolution else {
      Issue.record("\(resolution)")
      return
    }
    #expect(firm.regionCode == "420102" && firm.industryCode == "3120")
    input[.regionCode] = "鼓楼区"
    guard case .invalid(let problems) = input.resolve(onto: nil, asOf: Day("2026-11-29")!) else {
      Issue.record("鼓楼区 accepted")
      return
    }
    #expect(problems.contains { $0.field == "region_code" && $0.reason.contains("give the code") })
  }
}
