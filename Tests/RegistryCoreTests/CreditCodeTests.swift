import Testing

@testable import RegistryCore

@Suite("Identity codes (RULES §1)")
struct CreditCodeTests {
  @Test("ID-1: valid codes from the rule book pass", arguments: ["91350100M000100Y43", "91130200699229617X"])
  func id1ValidCodes(_ text: String) throws {
    let code = try CreditCode.parse(text).get()
    #expect(code.value == text)
  }

  @Test("ID-1: a wrong check character is an error naming the expected one")
  func id1WrongCheckCharacterNamesExpected() {
    let result = CreditCode.parse("91350100M000100Y44")
    #expect(throws: CodeError.checkCharacter("91350100M000100Y44", expected: "3")) { try result.get() }
    guard case .failure(let error) = result else { return }
    #expect(error.description.contains("expected 3"))
  }

  @Test(
    "ID-1: input is normalised before the check (trim, full-width, case)",
    arguments: [
      ("  91350100M000100Y43\t", "91350100M000100Y43"),
      ("91350100m000100y43", "91350100M000100Y43"),
      ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
      ("\u{3000}91130200699229617x", "91130200699229617X"),
    ])
  func id1Normalisation(_ raw: String, _ expected: String) throws {
    #expect(try CreditCode.parse(raw).get().value == expected)
  }

  @Test(
    "ID-1: malformed codes are rejected with the reason",
    arguments: [
      ("", "is empty"),
      ("9135010", "has 7 characters"),
      ("91350100M000100I43", "\"I\" at position 16"),
      ("1'; DROP TABLE enterprise; --", "has 23 characters"),
    ])
  func id1Malformed(_ raw: String, _ fragment: String) {
    guard case .failure(let error) = CreditCode.parse(raw) else {
      Issue.record("\(raw) was accepted")
      return
    }
    #expect(error.description.contains(fragment), "\(error)")
  }

  @Test("ID-1: every single-character change of a valid code is caught")
  func id1DetectsEverySubstitution() {
    let valid = Array("91350100M000100Y43")
    for position in 0..<18 {
      for replacement in CreditCode.alphabet where replacement != valid[position] {
        var changed = valid
        changed[position] = replacement
        if case .success = CreditCode.parse(String(changed)) {
          Issue.record("\(String(changed)) passed the check")
        }
      }
    }
  }

  @Test("ID-1: the computed check character completes a code")
  func id1CheckCharacterFor17() {
    #expect(CreditCode.checkCharacter(for: "91350100M000100Y4") == "3")
    #expect(CreditCode.checkCharacter(for: "9113020069922961") == nil)
  }

  @Test("ID-2: an organisation-code mismatch is a warning, not an error")
  func id2OrganisationCheckIsWarningOnly() throws {
    // Both rule-book examples carry correct GB 11714 organisation codes (M000100Y-4, 69922961-7).
    #expect(CreditCode.organisationCheck(for: "M000100Y") == "4")
    #expect(CreditCode.organisationCheck(for: "69922961") == "7")
    for text in ["91350100M000100Y43", "91130200699229617X"] {
      #expect(!(try CreditCode.parse(text).get().warnings().contains { $0.contains("ID-2") }))
    }
    // Same body with organisation check 5 instead of 4: still a valid credit code, with a warning.
    let first17 = "91350100M000100Y5"
    let check = try #require(CreditCode.checkCharacter(for: first17))
    let code = try CreditCode.parse(first17 + String(check)).get()
    #expect(code.warnings().contains { $0.contains("ID-2") && $0.contains("expects 4") })
  }

  @Test("ID-3: an unknown division in the code is a warning only")
  func id3UnknownDivisionIsWarning() throws {
    let first17 = "91990100699229617"
    guard let check = CreditCode.checkCharacter(for: first17) else {
      Issue.record("no check character")
      return
    }
    let code = try CreditCode.parse(first17 + String(check)).get()
    #expect(code.warnings().contains { $0.contains("ID-3") && $0.contains("990100") })
  }

  @Test("ID-4: permit numbers are credit code + 3-digit site + letter")
  func id4PermitNumber() throws {
    let permit = try PermitNumber.parse("91130200699229617X001P").get()
    #expect(permit.holder.value == "91130200699229617X")
    for bad in ["91130200699229617X01P", "91130200699229617X001", "91130200699229617X0A1P", "91130200699229617Y001P"] {
      if case .success = PermitNumber.parse(bad) { Issue.record("\(bad) accepted") }
    }
  }
}
