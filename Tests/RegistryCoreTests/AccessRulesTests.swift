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
