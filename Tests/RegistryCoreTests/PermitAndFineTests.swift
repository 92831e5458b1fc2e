import Testing

@testable import RegistryCore

func permit(validTo: String, validFrom: String = "2018-01-01", events: [PermitEvent] = []) -> Permit {
  let number = (try? PermitNumber.parse("91130200699229617X001P").get())!
  return Permit(
    number: number, permitClass: .key, issuedOn: day(validFrom), validFrom: day(validFrom), validTo: day(validTo),
    events: events)
}

func yuan(_ text: String) -> Fen { Fen(yuan: text) ?? .zero }

@Suite("Permits (RULES §5)")
struct PermitRuleTests {
  @Test(
    "PM-2: the lead is 30 days for permits expiring before 2021-03-01 and 60 from then",
    arguments: [("2021-02-28", 30, "2021-01-29"), ("2021-03-01", 60, "2020-12-31"), ("2026-12-31", 60, "2026-11-01")])
  func pm2LeadTime(_ validTo: String, _ lead: Int, _ due: String) {
    let result = PermitRules.renewalDue(validTo: day(validTo), region: "130203", policy: .national)
    #expect(result.lead == lead)
    #expect(result.due.description == due)
  }

  @Test(
    "PM-2/PM-4: 61 days before expiry the permit is not yet due; 60 days before is the due day; 59 days before with no application it is renewal-overdue",
    arguments: [(61, PermitStatus.expiring), (60, .expiring), (59, .renewalOverdue)])
  func pm4RenewalDueBoundary(_ daysBefore: Int, _ expected: PermitStatus) {
    let p = permit(validTo: "2026-12-31")
    let standing = PermitRules.standing(
      p, region: "130203", asOf: day("2026-12-31").adding(days: -daysBefore), window: 90, policy: .national)
    #expect(standing.status == expected)
    #expect(standing.renewalDue.description == "2026-11-01")
  }

  @Test(
    "PM-4: the states in order: revoked, cancelled, renewed, deferred, expired, renewal-overdue, renewal-applied, expiring, valid"
  )
  func pm4Order() {
    let region = "130203"
    func status(_ p: Permit, _ on: String) -> PermitStatus {
      PermitRules.standing(p, region: region, asOf: day(on), window: 90, policy: .national).status
    }
    #expect(status(permit(validTo: "2026-12-31"), "2026-01-01") == .valid)
    #expect(status(permit(validTo: "2026-12-31"), "2026-10-15") == .expiring)
    #expect(
      status(
        permit(validTo: "2026-12-31", events: [PermitEvent(kind: .renewalApplied, on: day("2026-10-20"))]), "2026-11-10"
      ) == .renewalApplied)
    #expect(status(permit(validTo: "2026-12-31"), "2026-11-10") == .renewalOverdue)
    #expect(status(permit(validTo: "2026-12-31"), "2027-01-01") == .expired)
    #expect(
      status(
        permit(
          validTo: "2022-06-30",
          events: [PermitEvent(kind: .deferralGranted, on: day("2022-06-01"), until: day("2023-06-30"))]), "2023-01-01")
        == .deferred)
    #expect(
      status(permit(validTo: "2026-12-31", events: [PermitEvent(kind: .renewed, on: day("2026-12-01"))]), "2027-01-01")
        == .renewed)
    #expect(
      status(
        permit(
          validTo: "2026-12-31",
          events: [
            PermitEvent(kind: .cancelled, on: day("2026-03-01")), PermitEvent(kind: .renewed, on: day("2026-12-01")),
          ]), "2027-01-01") == .cancelled)
    #expect(
      status(
        permit(
          validTo: "2026-12-31",
          events: [
            PermitEvent(kind: .revoked, on: day("2026-03-01")), PermitEvent(kind: .cancelled, on: day("2026-04-01")),
          ]), "2026-05-01") == .revoked)
  }

  @Test("PM-5: expired without renewal or deferral is discharging without a permit")
  func pm5Flag() {
    let standing = PermitRules.standing(
      permit(validTo: "2026-06-30"), region: "130203", asOf: day("2026-07-01"), window: 90, policy: .national)
    #expect(standing.dischargingWithoutPermit)
    #expect(standing.daysToExpiry == -1)
  }

  @Test(
    "PM-3: a deferral is allowed only for a permit expiring inside the epidemic window 2020-01-20 … 2023-01-07 (granted once 27号 was in force)",
    arguments: [
      ("2020-01-19", "2020-06-10", false), ("2020-01-20", "2020-06-10", true), ("2023-01-07", "2022-12-20", true),
      ("2023-01-08", "2022-12-20", false),
    ])
  func pm3DeferralWindow(_ validTo: String, _ grantedOn: String, _ allowed: Bool) {
    let refusal = PermitRules.deferralRefusal(
      permit(validTo: validTo), until: day(validTo).adding(days: 180), region: "130203", evaluatedOn: day(grantedOn),
      policy: .national)
    #expect((refusal == nil) == allowed, "\(refusal ?? "")")
  }

  @Test(
    "PM-2/PM-3/PM-4: which events a permit takes (checkEvent)",
    arguments: [
      ("renewal applied once", [], PermitEvent.Kind.renewalApplied, "", nil as String?),
      ("a second application", [PermitEvent.Kind.renewalApplied], .renewalApplied, "", "already recorded"),
      ("after a cancellation", [.cancelled], .changeFiled, "", "cancelled or revoked"),
      ("a renewal as an event", [], .renewed, "", "permit renew"),
      ("a deferral with basis and approver", [], .deferralGranted, "局长", nil),
      ("a deferral without an approver", [], .deferralGranted, "", "PM-3"),
    ])
  func pmCheckEvent(
    _ label: String, _ earlier: [PermitEvent.Kind], _ kind: PermitEvent.Kind, _ approver: String, _ refusal: String?
  ) {
    let p = permit(validTo: "2020-03-01", events: earlier.map { PermitEvent(kind: $0, on: day("2020-02-01")) })
    let event = PermitEvent(
      kind: kind, on: day("2020-06-10"), until: kind == .deferralGranted ? day("2020-09-01") : nil,
      basis: kind == .deferralGranted ? "环办环评函〔2020〕" : "", approver: approver)
    do {
      try PermitRules.checkEvent(event, on: p, region: "130203", evaluatedOn: day("2020-06-10"), policy: .national)
      #expect(refusal == nil, "\(label): accepted")
    } catch {
      #expect(refusal.map { "\(error)".contains($0) } == true, "\(label): \(error)")
    }
  }

  @Test("PM-6: a name change needs a permit change filing within 30 days")
  func pm6ChangeFiling() {
    let p = permit(validTo: "2027-12-31", events: [PermitEvent(kind: .changeFiled, on: day("2026-05-20"))])
    let filings = PermitRules.changeFilings(
      changes: [("name", day("2026-05-01")), ("legal_rep", day("2026-09-01")), ("contact", day("2026-09-01"))],
      permits: [p], region: "130203", asOf: day("2026-11-29"), policy: .national)
    #expect(filings.count == 2)
    #expect(
      filings[0].due.description == "2026-05-31" && filings[0].filedOn?.description == "2026-05-20"
        && !filings[0].overdue)
    #expect(filings[1].due.description == "2026-10-01" && filings[1].filedOn == nil && filings[1].overdue)
    let early = PermitRules.changeFilings(
      changes: [("legal_rep", day("2026-09-01"))], permits: [permit(validTo: "2027-12-31")], region: "130203",
      asOf: day("2026-10-01"), policy: .national)
    #expect(early.first?.overdue == false)  // due day itself: not yet overdue
  }
}

@Suite("Fines (RULES §6)")
struct FineRuleTests {
  let fine = Fine(
    decisionNumber: "冀环罚〔2021〕12号", amount: yuan("100000.00"), decidedOn: day("2021-07-30"),
    receivedOn: day("2021-08-02"))

  func statement(_ fine: Fine, _ on: String) -> FineStatement {
    FineRules.statement(fine, region: "130203", asOf: day(on), policy: .national)
  }

  @Test("FN-1: received 2021-08-02, due 2021-08-17")
  func fn1Due() {
    #expect(FineRules.originalDue(fine, region: "130203", policy: .national).description == "2021-08-17")
    #expect(fine.lawVersion == .v2021)
    #expect(
      Fine(decisionNumber: "x", amount: yuan("1"), decidedOn: day("2021-07-14"), receivedOn: day("2021-07-14"))
        .lawVersion == .v2017)
  }

  @Test(
    "FN-3 worked example: 30,000.00 surcharge on 2021-08-27; 99,000.00 on 2021-09-19; capped at 100,000.00 from 2021-09-20",
    arguments: [
      ("2021-08-17", "0.00"), ("2021-08-18", "3000.00"), ("2021-08-27", "30000.00"), ("2021-09-19", "99000.00"),
      ("2021-09-20", "100000.00"), ("2022-09-20", "100000.00"),
    ])
  func fn3WorkedExample(_ on: String, _ surcharge: String) {
    let s = statement(fine, on)
    #expect(s.surchargeAccrued.yuan == surcharge)
    #expect(s.totalOwed == yuan("100000.00") + s.surchargeAccrued)
  }

  @Test("FN-3: the cap day is recorded and the trace says which days counted and why")
  func fn3Trace() {
    let s = statement(fine, "2021-10-01")
    #expect(s.obligations[0].cappedOn?.description == "2021-09-20")
    #expect(s.segments.map { $0.excludedBecause ?? "counted" } == ["counted", "capped at the amount (FN-3)"])
    #expect(s.segments[0].days == 34)
  }

  @Test("FN-2/FN-3: a deferral stops accrual until the new due date")
  func fn3Deferral() {
    var deferred = fine
    deferred.arrangements = [
      FineArrangement(
        kind: .deferral, appliedOn: day("2021-08-10"), reason: "受疫情影响 (27号 二(二))", approver: "局长",
        approvedOn: day("2021-08-12"), newDue: day("2021-11-17"))
    ]
    #expect(statement(deferred, "2021-11-17").surchargeAccrued == .zero)
    #expect(statement(deferred, "2021-11-18").surchargeAccrued.yuan == "3000.00")
    #expect(
      FineRules.arrangementRefusal(deferred.arrangements[0], for: fine, region: "130203", policy: .national) == nil)
    var tooLong = deferred.arrangements[0]
    tooLong.newDue = day("2022-02-18")  // more than 6 months after 2021-08-17
    #expect(
      FineRules.arrangementRefusal(tooLong, for: fine, region: "130203", policy: .national)?.contains("6 months")
        == true)
  }

  @Test("FN-4: a missed second instalment is overdue on its own date and the surcharge accrues on it alone")
  func fn4MissedInstalment() {
    var plan = fine
    plan.arrangements = [
      FineArrangement(
        kind: .instalments, appliedOn: day("2021-08-05"), reason: "经营困难", approver: "局长", approvedOn: day("2021-08-06"),
        instalments: [
          Instalment(due: day("2021-08-17"), amount: yuan("40000")),
          Instalment(due: day("2021-09-17"), amount: yuan("30000")),
          Instalment(due: day("2021-10-17"), amount: yuan("30000")),
        ])
    ]
    plan.payments = [FinePayment(on: day("2021-08-16"), amount: yuan("40000"))]
    let s = statement(plan, "2021-09-27")
    #expect(s.overdue.map(\.label) == ["instalment 2"])
    #expect(s.overdue.first?.daysOverdue == 10)
    #expect(s.surchargeAccrued.yuan == "9000.00")  // 30,000 x 3% x 10 days
    #expect(s.principalOutstanding.yuan == "60000.00")
  }

  @Test("FN-4: a plan must sum exactly to the fine with strictly increasing dates")
  func fn4PlanValidation() {
    let bad = FineArrangement(
      kind: .instalments, appliedOn: day("2021-08-05"), reason: "r", approver: "a", approvedOn: day("2021-08-06"),
      instalments: [
        Instalment(due: day("2021-08-17"), amount: yuan("50000")),
        Instalment(due: day("2021-08-17"), amount: yuan("49999.99")),
      ])
    #expect(
      FineRules.arrangementRefusal(bad, for: fine, region: "130203", policy: .national)?.contains("sum exactly") == true
    )
    var sameDay = bad
    sameDay.instalments[1].amount = yuan("50000")
    #expect(
      FineRules.arrangementRefusal(sameDay, for: fine, region: "130203", policy: .national)?.contains(
        "strictly increase") == true)
  }

  @Test("FN-3: a review period suspends accrual")
  func fn3Suspension() {
    var suspended = fine
    suspended.suspensions = [FineSuspension(kind: .review, from: day("2021-08-20"), to: day("2021-08-29"))]
    // 2021-08-18 and -19 count (2 days), 08-20 … 08-29 do not, 08-30 and -31 count: 4 days.
    #expect(statement(suspended, "2021-08-31").surchargeAccrued.yuan == "12000.00")
  }

  @Test("FN-5: payments go to the principal first; overpayment is refused")
  func fn5Payments() {
    var paid = fine
    paid.payments = [FinePayment(on: day("2021-08-20"), amount: yuan("50000"))]
    // 08-18 … 08-20 on 100,000 (3 days, 9,000), then 08-21 … 08-27 on 50,000 (7 days, 10,500).
    let s = statement(paid, "2021-08-27")
    #expect(s.surchargeAccrued.yuan == "19500.00")
    #expect(s.principalOutstanding.yuan == "50000.00")
    #expect(s.totalOwed.yuan == "69500.00")
    let over = FinePayment(on: day("2021-08-27"), amount: yuan("69500.01"))
    #expect(FineRules.paymentRefusal(over, for: paid, region: "130203", policy: .national) != nil)
    let exact = FinePayment(on: day("2021-08-27"), amount: yuan("69500.00"))
    #expect(FineRules.paymentRefusal(exact, for: paid, region: "130203", policy: .national) == nil)
    paid.payments.append(exact)
    let settled = statement(paid, "2021-12-31")
    #expect(settled.totalOwed == .zero && settled.surchargePaid.yuan == "19500.00")
  }

  @Test("FN-6: daily consecutive penalty from the day after service to the re-inspection")
  func fn6DailyPenalty() {
    let result = FineRules.dailyPenalty(
      original: yuan("100000"), orderServed: day("2026-03-01"), reinspected: day("2026-03-31"))
    #expect(result?.days == 30 && result?.total.yuan == "3000000.00")
    #expect(
      FineRules.dailyPenalty(original: yuan("1"), orderServed: day("2026-03-01"), reinspected: day("2026-03-01")) == nil
    )
  }
}
