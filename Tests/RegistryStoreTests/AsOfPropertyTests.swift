import Foundation
import RegistryCore
import RegistryService
import Testing

@testable import RegistryStore

/// Conventions: an answer as of D uses only what is dated on or before D, in listings as in `show`.
/// Over generated registries and random dates, every listing equals the set of records whose own
/// as-of-D status qualifies (issue 9, item 1).
@Suite("Conventions: listings as of D agree with each record's own answer as of D")
struct AsOfPropertyTests {
  static let start = Day("2019-01-01") ?? Day(ordinal: 0)

  /// 40 firms, each with a permit (some renewed, deferred, applied for or cancelled at random dates)
  /// and a fine (some paid, arranged or suspended at random dates).
  func generate(seed: UInt64) throws -> TempRegistry {
    var rng = SeededGenerator(seed: seed)
    let registry = try TempRegistry()
    let store = registry.store
    func someDay(_ from: Day, _ span: Int) -> Day { from.adding(days: Int.random(in: 0...span, using: &rng)) }
    for n in 1...40 {
      let code = makeCode(n)
      _ = try Registry(storage: store).addEnterprise(firm(code, name: "测试企业\(n)"), asOf: AsOfPropertyTests.start)
      guard let holder = CreditCode(code) else { continue }
      let classes: [PermitClass] = [.key, .simplified, .registration]
      let permitClass = classes[Int.random(in: 0..<3, using: &rng)]
      let issued = someDay(Day("2017-06-01") ?? AsOfPropertyTests.start, 2400)
      let validTo = issued.adding(days: Int.random(in: 700...1826, using: &rng))
      var number = code + "001P"
      _ = try Registry(storage: store).addPermit(
        number: number, holder: holder, permitClass: permitClass, issuedOn: issued, validFrom: issued, validTo: validTo)
      if Int.random(in: 0..<4, using: &rng) == 0 {
        _ = try? Registry(storage: store).addPermitEvent(
          number, PermitEvent(kind: .renewalApplied, on: validTo.adding(days: -Int.random(in: 1...90, using: &rng))),
          evaluatedOn: testDay)
      }
      if Int.random(in: 0..<4, using: &rng) == 0 {
        _ = try? Registry(storage: store).addPermitEvent(
          number,
          PermitEvent(
            kind: .deferralGranted, on: someDay(validTo.adding(days: -60), 120),
            until: validTo.adding(days: Int.random(in: 30...300, using: &rng)), basis: "27号", approver: "局长"),
          evaluatedOn: testDay)
      }
      switch Int.random(in: 0..<5, using: &rng) {
      case 0, 1:
        let renewedOn = validTo.adding(days: -Int.random(in: -20...60, using: &rng))
        let next = code + "002P"
        _ = try Registry(storage: store).renewPermit(
          number, newNumber: next, issuedOn: renewedOn, validFrom: max(renewedOn, validTo.adding(days: 1)), validTo: nil
        )
        number = next
      case 2:
        _ = try Registry(storage: store).addPermitEvent(
          number, PermitEvent(kind: .cancelled, on: someDay(issued, 1500), note: "关停"), evaluatedOn: testDay)
      default: break
      }
      let decided = someDay(Day("2020-01-01") ?? AsOfPropertyTests.start, 2000)
      let decision = "测环罚〔\(decided.year)〕\(n)号"
      let amount = Fen(Int64(Int.random(in: 1...200, using: &rng)) * 100_000)
      _ = try Registry(storage: store).addFine(
        Fine(
          decisionNumber: decision, amount: amount, decidedOn: decided,
          receivedOn: decided.adding(days: Int.random(in: 0...10, using: &rng))), debtor: holder)
      if Int.random(in: 0..<3, using: &rng) == 0 {
        _ = try? Registry(storage: store).arrange(
          decision,
          FineArrangement(
            kind: .deferral, appliedOn: decided.adding(days: 12), reason: "受疫情影响", approver: "局长",
            approvedOn: decided.adding(days: Int.random(in: 12...40, using: &rng)), newDue: decided.adding(days: 100)))
      }
      if Int.random(in: 0..<5, using: &rng) == 0 {
        _ = try? Registry(storage: store).suspend(
          decision, FineSuspension(kind: .review, from: someDay(decided, 60), to: nil))
      }
      if Int.random(in: 0..<2, using: &rng) == 0 {
        _ = try? Registry(storage: store).pay(
          decision, FinePayment(on: someDay(decided.adding(days: 5), 400), amount: amount))
      }
    }
    return registry
  }

  @Test(
    "Expiry notice, lapses, due permits and overdue fines as of random dates equal the records' own as-of status",
    arguments: [UInt64(1), 2, 3, 4])
  func listingsMatchShow(seed: UInt64) throws {
    let registry = try generate(seed: seed)
    let store = registry.store
    let policy = try store.policyBook()
    var everything = PermitFilter()
    everything.currentOnly = false
    var permits: [HeldPermit] = []
    try store.forEachPermit(everything) { permits.append($0) }
    var fines: [OwedFine] = []
    try store.forEachFine { fines.append($0) }
    var rng = SeededGenerator(seed: seed &* 7919)
    for _ in 0..<25 {
      let asOf = AsOfPropertyTests.start.adding(days: Int.random(in: 0...3000, using: &rng))
      let within = [30, 90, 180][Int.random(in: 0..<3, using: &rng)]
      // What each record says of itself on D (as `permit show --as-of D` does).
      func standing(_ held: HeldPermit) -> PermitStanding {
        PermitRules.standing(
          held.permit.asOf(asOf), region: held.regionCode, asOf: asOf, window: within, policy: policy)
      }
      let expectedNotice = Set(
        permits.filter {
          PermitRules.inExpiryNotice(standing($0), validTo: $0.permit.validTo, asOf: asOf, within: within)
        }.map(\.permit.number.value))
      let expectedLapses = Set(
        permits.filter { PermitStatus.lapses.contains(standing($0).status) }.map(\.permit.number.value))
      var notice: [String] = [], lapses: [String] = []
      try Registry(storage: store).expiryNotice(
        asOf: asOf, within: within, overdue: false, regionPrefix: nil, permitClass: nil
      ) {
        held, _ in notice.append(held.permit.number.value)
      }
      try Registry(storage: store).expiryNotice(
        asOf: asOf, within: within, overdue: true, regionPrefix: nil, permitClass: nil
      ) {
        held, _ in lapses.append(held.permit.number.value)
      }
      #expect(Set(notice) == expectedNotice, "seed \(seed) as of \(asOf), window \(within)")
      #expect(notice.count == Set(notice).count, "a permit listed twice")
      #expect(Set(lapses) == expectedLapses, "seed \(seed) as of \(asOf)")

      // The due calendar's permit reader covers every permit with a clock in the window or open.
      let end = asOf.adding(days: within)
      func hasClock(_ held: HeldPermit) -> Bool {
        let view = held.permit.asOf(asOf)
        return CalendarRules.permitItems(view, standing: standing(held), holder: "", name: "", region: held.regionCode)
          .contains { $0.date <= end && $0.date >= asOf }
      }
      var clocks = Set<String>()
      try store.forEachPermitClock(asOf: asOf, within: within, regionPrefix: nil) {
        if hasClock($0) { clocks.insert($0.permit.number.value) }
      }
      #expect(clocks == Set(permits.filter(hasClock).map(\.permit.number.value)), "seed \(seed) as of \(asOf)")

      // `fine overdue`: the fines whose own statement on D has an overdue obligation.
      let expectedOverdue = Set(
        fines.filter {
          $0.fine.decidedOn <= asOf
            && !FineRules.statement($0.fine, region: $0.regionCode, asOf: asOf, policy: policy).overdue.isEmpty
        }.map(\.fine.decisionNumber))
      var overdue = Set<String>()
      try store.forEachFine(unsettledOn: asOf) { owed in
        if !FineRules.statement(owed.fine, region: owed.regionCode, asOf: asOf, policy: policy).overdue.isEmpty {
          overdue.insert(owed.fine.decisionNumber)
        }
      }
      #expect(overdue == expectedOverdue, "seed \(seed) as of \(asOf)")
    }
  }
}
