import Testing

@testable import RegistryCore

/// The rule book 2020.2 changes (issue 9): each test fails on the 2020.1 behaviour.
@Suite("Rule book 2020.2: permits, registrations, fines on every date")
struct Rulebook20202Tests {
  let region = "130203"
  let fine = Fine(
    decisionNumber: "冀环罚〔2021〕12号", amount: yuan("100000.00"), decidedOn: day("2021-07-30"),
    receivedOn: day("2021-08-02"))

  func statement(_ fine: Fine, _ on: String) -> FineStatement {
    FineRules.statement(fine, region: region, asOf: day(on), policy: .national)
  }
  func status(_ p: Permit, _ on: String) -> PermitStatus {
    PermitRules.standing(p, region: region, asOf: day(on), window: 90, policy: .national).status
  }

  @Test(
    "PM-1: N follows the decision (issue) date: issued 2021-02-19, valid from 2021-03-01 is 3 years; issued 2021-03-01 is 5",
    arguments: [
      ("2021-02-19", "2021-03-01", false, "2024-02-29"), ("2021-03-01", "2021-03-01", false, "2026-02-28"),
      ("2020-01-01", "2020-01-01", false, "2022-12-31"), ("2020-01-01", "2020-01-01", true, "2024-12-31"),
      ("2020-02-29", "2020-02-29", false, "2023-02-28"),
    ])
  func pm1TermByIssueDate(_ issued: String, _ from: String, _ renewal: Bool, _ last: String) {
    #expect(
      PermitRules.derivedValidTo(validFrom: day(from), issuedOn: day(issued), isRenewal: renewal, permitClass: .key)
        .description == last)
  }

  @Test(
    "PM-3 (27号 二(二), window 2020-01-20 … 2023-01-07): tested on valid_to alone; the grant date plays no part",
    arguments: [("2020-01-20", true), ("2023-01-07", true), ("2023-01-08", false), ("2020-01-19", false)])
  func pm3WindowOnValidTo(_ validTo: String, _ allowed: Bool) {
    let refusal = PermitRules.deferralRefusal(
      permit(validTo: validTo), until: day(validTo).adding(days: 180), region: region, evaluatedOn: day("2026-11-29"),
      policy: .national)
    #expect((refusal == nil) == allowed, "\(refusal ?? "")")
    // As of a day before 27号 was published (2020-06-03) no window is in force yet (Conventions).
    #expect(
      PermitRules.deferralRefusal(
        permit(validTo: validTo), until: day(validTo).adding(days: 180), region: region, evaluatedOn: day("2020-06-02"),
        policy: .national) != nil)
  }

  func registration(validTo: String) -> Permit {
    var p = permit(validTo: validTo, validFrom: "2020-06-10")
    p.permitClass = .registration
    return p
  }

  @Test("RG-1: a registration runs 5 years from its registration date: 2020-06-10 → 2025-06-09")
  func rg1Term() {
    #expect(
      PermitRules.derivedValidTo(
        validFrom: day("2020-06-10"), issuedOn: day("2020-06-10"), isRenewal: false, permitClass: .registration
      ).description == "2025-06-09")
  }

  @Test(
    "RG-1: renewal in the 20 days ending on valid_to; never renewal-overdue before valid_to; lapsed after it under art. 43, not art. 33",
    arguments: [
      ("2025-05-20", PermitStatus.expiring), ("2025-05-21", .expiring), ("2025-06-09", .expiring),
      ("2025-06-10", .expired), ("2025-01-01", .valid),
    ])
  func rg1Window(_ on: String, _ expected: PermitStatus) {
    let standing = PermitRules.standing(
      registration(validTo: "2025-06-09"), region: region, asOf: day(on), window: 90, policy: .national)
    #expect(standing.status == expected)
    #expect(standing.renewalDue.description == "2025-06-09")
    #expect(
      PermitRules.registrationRenewal(validTo: day("2025-06-09"), region: region, policy: .national).opens.description
        == "2025-05-21")
    #expect(!standing.dischargingWithoutPermit)
    #expect(standing.registrationLapsed == (expected == .expired))
    if expected == .expired { #expect(standing.flag.contains("art. 43")) }
  }

  @Test("Conventions (PM-4): a permit before its issue date is not-issued, not valid")
  func pm4NotIssued() {
    let p = permit(validTo: "2026-05-31", validFrom: "2021-06-01")
    #expect(status(p, "2021-05-31") == .notIssued)
    #expect(status(p, "2021-06-01") == .valid)
  }

  @Test("Conventions (PM-4): a renewal dated after D is invisible on D: status, superseded_by and events")
  func pm4RenewalAfterDate() {
    var p = permit(
      validTo: "2026-05-31", validFrom: "2021-06-01",
      events: [PermitEvent(kind: .renewed, on: day("2026-05-20"), note: "renewed as X")])
    p.supersededBy = "91130200699229617X001Q"
    #expect(status(p.asOf(day("2026-03-10")), "2026-03-10") == .expiring)
    #expect(p.asOf(day("2026-03-10")).supersededBy == nil)
    #expect(p.asOf(day("2026-03-10")).events.isEmpty)
    #expect(p.asOf(day("2026-05-20")).supersededBy == "91130200699229617X001Q")
    #expect(status(p, "2026-05-20") == .renewed)
  }

  @Test(
    "PM-4: one rule for the expiry notice and due: a deferred permit is listed while its deferral's end is in the window"
  )
  func pm4DeferredOnNotice() {
    let p = permit(
      validTo: "2022-06-30",
      events: [PermitEvent(kind: .deferralGranted, on: day("2022-06-01"), until: day("2023-06-30"))])
    func listed(_ on: String, _ within: Int) -> Bool {
      let standing = PermitRules.standing(p, region: region, asOf: day(on), window: within, policy: .national)
      return PermitRules.inExpiryNotice(standing, validTo: p.validTo, asOf: day(on), within: within)
    }
    #expect(listed("2023-04-01", 90))  // deferral ends 2023-06-30, 90 days ahead
    #expect(!listed("2023-01-01", 90))  // deferred, ends beyond the window
    #expect(!listed("2023-07-01", 90))  // deferral over: expired, a lapse instead
    #expect(status(p, "2023-07-01") == .expired)
  }

  @Test(
    "FN-2a: a deferral approved after the due date keeps the surcharge accrued before the approval: 124,000.00 owed on 2021-08-26"
  )
  func fn2aLateApproval() {
    var late = fine
    late.arrangements = [
      FineArrangement(
        kind: .deferral, appliedOn: day("2021-08-20"), reason: "受疫情影响", approver: "局长", approvedOn: day("2021-08-26"),
        newDue: day("2021-11-17"))
    ]
    #expect(statement(late, "2021-08-25").totalOwed.yuan == "124000.00")
    #expect(statement(late, "2021-08-26").totalOwed.yuan == "124000.00")
    #expect(statement(late, "2021-11-17").totalOwed.yuan == "124000.00")
    // After the new due date accrual resumes on the same obligation, capped at the fine (FN-3).
    #expect(statement(late, "2021-11-18").surchargeAccrued.yuan == "27000.00")
    #expect(statement(late, "2022-06-01").surchargeAccrued.yuan == "100000.00")
  }

  @Test("FN-2a: the local switch suspends accrual while an application made by the due date is pending")
  func fn2aPendingSwitch() {
    var pending = fine
    pending.arrangements = [
      FineArrangement(
        kind: .deferral, appliedOn: day("2021-08-16"), reason: "受疫情影响", approver: "局长", approvedOn: day("2021-08-26"),
        newDue: day("2021-11-17"))
    ]
    let switchOn = PolicyBook(
      PolicyBook.national.parameters + [
        PolicyParameter(
          key: "fn.pending_application_suspends", jurisdiction: .region("13"), from: day("2020-01-01"),
          value: .integer(1), reference: "test")
      ])
    #expect(
      FineRules.statement(pending, region: region, asOf: day("2021-08-26"), policy: switchOn).surchargeAccrued == .zero)
    #expect(
      FineRules.statement(pending, region: region, asOf: day("2021-08-26"), policy: .national).surchargeAccrued.yuan
        == "24000.00")
  }

  @Test(
    "FN-3: the rule book's instalment example: 25,000.00 due 2021-10-31 unpaid, 750.00 a day, capped from 2021-12-04")
  func fn3InstalmentExample() {
    var plan = fine
    plan.arrangements = [
      FineArrangement(
        kind: .instalments, appliedOn: day("2021-08-05"), reason: "经营困难", approver: "局长", approvedOn: day("2021-08-06"),
        instalments: [
          Instalment(due: day("2021-08-17"), amount: yuan("75000")),
          Instalment(due: day("2021-10-31"), amount: yuan("25000")),
        ])
    ]
    plan.payments = [FinePayment(on: day("2021-08-17"), amount: yuan("75000"))]
    #expect(statement(plan, "2021-11-01").surchargeAccrued.yuan == "750.00")
    #expect(statement(plan, "2021-12-03").surchargeAccrued.yuan == "24750.00")
    let capped = statement(plan, "2021-12-04")
    #expect(capped.surchargeAccrued.yuan == "25000.00")
    #expect(capped.obligations[1].cappedOn?.description == "2021-12-04")
    #expect(statement(plan, "2022-12-04").surchargeAccrued.yuan == "25000.00")
  }

  @Test("FN-2: after an arrangement, the due rule names the arrangement and its date, not FN-1's")
  func fn2DueRule() {
    var deferred = fine
    #expect(statement(deferred, "2021-08-10").dueRule.hasPrefix("FN-1: received 2021-08-02 + 15 days = 2021-08-17"))
    deferred.arrangements = [
      FineArrangement(
        kind: .deferral, appliedOn: day("2021-08-10"), reason: "r", approver: "局长", approvedOn: day("2021-08-12"),
        newDue: day("2021-11-17"))
    ]
    #expect(
      statement(deferred, "2021-08-12").dueRule.hasPrefix("FN-2: deferral approved 2021-08-12 by 局长: due 2021-11-17"))
    #expect(statement(deferred, "2021-08-11").dueRule.hasPrefix("FN-1"))  // not yet approved on that day
  }

  @Test("Conventions (FN-5): payments and suspensions dated after D are ignored on D")
  func fn5AsOf() {
    var paid = fine
    paid.payments = [FinePayment(on: day("2021-09-10"), amount: yuan("100000"))]
    paid.suspensions = [FineSuspension(kind: .review, from: day("2021-09-01"), to: day("2021-10-01"))]
    let before = statement(paid, "2021-08-27")
    #expect(before.paid == .zero && before.surchargeAccrued.yuan == "30000.00" && !before.overdue.isEmpty)
    #expect(paid.asOf(day("2021-08-27")).payments.isEmpty && paid.asOf(day("2021-08-27")).suspensions.isEmpty)
    #expect(paid.asOf(day("2021-09-05")).suspensions.first?.to == nil)  // still open on that day
  }

  @Test("FN-6 and amounts: no overflow trap; amounts above 10,000,000,000.00 yuan are refused at parse time")
  func amountBounds() {
    #expect(Fen(yuan: "10000000000") == Fen.maximum)
    #expect(Fen(yuan: "10000000000.01") == nil)
    #expect(Fen(yuan: "99999999999999") == nil)
    #expect(
      FineRules.dailyPenalty(original: Fen.maximum, orderServed: day("2020-01-01"), reinspected: day("2026-01-01"))
        == nil)
  }

  @Test(
    "Amounts: thousands separators only in correct groups",
    arguments: [
      ("1,234,567.50", "1234567.50"), ("1,000", "1000.00"), ("1,0,0", nil), (",100", nil), ("100,", nil),
      ("1000,000", nil),
    ])
  func amountGrouping(_ text: String, _ expected: String?) {
    #expect(Fen(yuan: text)?.yuan == expected)
  }
}
