import Foundation
import RegistryService
import Testing

@testable import RegistryCore
@testable import RegistryStore

/// A registry loaded with every sample register.
func loadedRegistry() throws -> TempRegistry {
  let registry = try TempRegistry()
  let store = registry.store
  _ = try store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
  _ = try store.importFile(sample("designations.csv"), options(), as: .designations)
  _ = try store.importFile(sample("incidents.csv"), options(), as: .incidents)
  _ = try store.importFile(sample("permits.csv"), options(), as: .permits)
  _ = try store.importFile(sample("fines.csv"), options(), as: .fines)
  return registry
}

func code(named name: String, in store: Store) throws -> CreditCode {
  var filter = EnterpriseFilter(asOf: testDay)
  filter.nameContains = name
  var found: CreditCode?
  try store.forEachEnterprise(filter) { found = $0.creditCode }
  return try #require(found)
}

@Suite("Positive lists, permits and fines in the store")
struct ListsAndClocksTests {
  @Test("The streaming facts reader gives each firm exactly its own facts (merge join over ordered cursors)")
  func factsReaderMatchesPerFirmReads() throws {
    let registry = try loadedRegistry()
    var streamed: [String: FirmFacts] = [:]
    try registry.store.forEachFirmFacts { streamed[$0.enterprise.creditCode.value] = $0 }
    #expect(streamed.count == 240)
    for name in ["宜昌长江化工", "北京康健医疗", "唐山冀东钢铁", "苏州芯源微电子"] {
      let single = try registry.store.facts(try code(named: name, in: registry.store))
      let fromSweep = try #require(streamed[single.enterprise.creditCode.value])
      #expect(fromSweep.designations == single.designations && fromSweep.incidents == single.incidents)
      #expect(fromSweep.permits == single.permits && fromSweep.penaltiesDecided == single.penaltiesDecided)
    }
    let river = try registry.store.facts(try code(named: "宜昌长江化工", in: registry.store))
    #expect(river.incidents.map(\.kind) == [.emergency] && river.penaltiesDecided.count == 1)
  }

  @Test("Admission stores the trace; an ineligible firm is refused unless overridden with a reason (audited)")
  func admitAndOverride() throws {
    let registry = try loadedRegistry()
    let store = registry.store
    let fuzhou = try CreditCode.parse("91350100M000100Y43").get()
    let (verdict, membership) = try Registry(storage: store).admit(
      fuzhou, to: .inspectionExemption, on: testDay, overrideReason: nil)
    #expect(verdict.status == .eligible && membership.validUntil.description == "2029-11-29")
    let trace = try #require(try store.admissionTrace(fuzhou, list: .inspectionExemption, admittedOn: testDay))
    #expect(trace.contains("\"rule\":\"EX-K4\"") && trace.contains("\"status\":\"eligible\""))
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).admit(fuzhou, to: .inspectionExemption, on: testDay, overrideReason: nil)
    }
    let river = try code(named: "宜昌长江化工", in: store)
    do {
      _ = try Registry(storage: store).admit(river, to: .inspectionExemption, on: testDay, overrideReason: nil)
      Issue.record("an ineligible firm was admitted")
    } catch RegistryError.refused(let message) {
      #expect(message.contains("EX-K1 FAIL") && message.contains("EX-X2 EXCLUDED"))
    }
    let (_, overridden) = try Registry(storage: store).admit(
      river, to: .inspectionExemption, on: testDay, overrideReason: "市政府专题会议纪要〔2026〕5号")
    #expect(overridden.overrideReason == "市政府专题会议纪要〔2026〕5号" && overridden.category == "EX-C6 (override)")
    #expect(try store.auditLog(entityKey: river.value).contains { $0.action == "lists.admit-override" })
  }

  @Test("Review finds a member that no longer qualifies; revocation for a serious violation starts the re-entry bar")
  func reviewAndRevoke() throws {
    let registry = try loadedRegistry()
    let store = registry.store
    let chip = try code(named: "苏州芯源微电子", in: store)
    _ = try Registry(storage: store).admit(
      chip, to: .inspectionExemption, on: try #require(Day("2025-06-01")), overrideReason: nil)
    var lapsed: [ReviewFinding] = []
    try Registry(storage: store).review(lists: [.inspectionExemption], asOf: testDay) {
      if $0.kind == .noLongerQualifies { lapsed.append($0) }
    }
    #expect(lapsed.map(\.firm.creditCode) == [chip])
    #expect(lapsed.first?.verdict.blocking.map(\.rule) == ["EX-K1"])
    #expect(try store.members(of: .inspectionExemption, on: testDay, regionPrefix: "32").count == 1)
    _ = try Registry(storage: store).revoke(
      chip, from: .inspectionExemption, on: testDay, reason: "2026年3月受到行政处罚", seriousViolation: true)
    #expect(try store.members(of: .inspectionExemption, on: testDay, regionPrefix: nil).isEmpty)
    let later = try #require(Day("2028-06-01"))
    let verdict = eligibility(
      try store.facts(chip), for: .inspectionExemption, policy: try store.policyBook(), asOf: later)
    #expect(verdict.status == .ineligible && verdict.blocking.map(\.rule) == ["EX-M1"])
    // History is kept: the revoked membership is still there.
    #expect(try store.memberships(of: chip).first?.revokedOn == testDay)
  }

  @Test("A provincial override set in the registry applies in that province only, from its date")
  func policyOverride() throws {
    let registry = try TempRegistry()
    let hubei = PolicyParameter(
      key: "ex.k1.years", jurisdiction: .region("42"), from: try #require(Day("2021-01-01")), value: .integer(2),
      reference: "鄂环发〔2020〕19号")
    try Registry(storage: registry.store).setPolicy(hubei)
    #expect(throws: RegistryError.self) { try Registry(storage: registry.store).setPolicy(hubei) }
    #expect(throws: RegistryError.self) {
      try Registry(storage: registry.store).setPolicy(
        PolicyParameter(key: "no.such.key", from: testDay, value: .integer(1), reference: "x"))
    }
    let book = try registry.store.policyBook()
    #expect(book.lookup("ex.k1.years", region: "420102", asOf: testDay)?.value == .integer(2))
    #expect(book.lookup("ex.k1.years", region: "350102", asOf: testDay)?.value == .integer(1))
    #expect(try registry.store.auditLog(entityKey: "ex.k1.years").count == 1)
  }

  @Test("The policy book a server's readers remember follows a parameter set by another process, not a rolled-back one")
  func policyBookMemo() throws {
    let registry = try TempRegistry()
    let server = try registry.store.concurrentReads(2)
    func value(_ store: Store) throws -> ParameterValue? {
      try store.policyBook().lookup("ex.k1.years", region: "420102", asOf: testDay)?.value
    }
    // Read twice: the second answer comes from the readers' memo (nothing written in between).
    #expect(try value(server) == .integer(1) && value(server) == .integer(1))
    let other = try Store(path: registry.path, actor: "other")
    try Registry(storage: other).setPolicy(
      PolicyParameter(
        key: "ex.k1.years", jurisdiction: .region("42"), from: try #require(Day("2021-01-01")), value: .integer(2),
        reference: "鄂环发〔2020〕19号"))
    #expect(try value(server) == .integer(2))
    // A parameter written by a transaction that then fails is not in the book.
    #expect(throws: RegistryError.self) {
      try server.write { transaction in
        let auditID = try transaction.audit(
          action: "policy.set", entityType: "policy_parameter", entityKey: "ex.k1.years", before: nil, after: nil)
        try transaction.insertPolicy(
          PolicyParameter(
            key: "ex.k1.years", jurisdiction: .region("4201"), from: try #require(Day("2022-01-01")),
            value: .integer(3), reference: "test"), auditID: auditID)
        throw RegistryError.invalid([])
      }
    }
    #expect(try value(server) == .integer(2))
    // The same through the one connection the command line uses (reads and writes on it).
    #expect(try value(other) == .integer(2))
    try Registry(storage: other).setPolicy(
      PolicyParameter(
        key: "ex.k1.years", jurisdiction: .region("4201"), from: try #require(Day("2022-01-01")), value: .integer(4),
        reference: "test"))
    #expect(try value(other) == .integer(4) && value(server) == .integer(4))
  }

  @Test(
    "PM-3 in the store: a deferral outside the epidemic window is refused; renewal supersedes and keeps the old permit")
  func permitEvents() throws {
    let registry = try loadedRegistry()
    let store = registry.store
    let tangshan = "91130200699229617X001P"
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).addPermitEvent(
        tangshan,
        PermitEvent(
          kind: .deferralGranted, on: testDay, until: try #require(Day("2027-06-30")), basis: "27号", approver: "局长"),
        evaluatedOn: testDay)
    }
    _ = try Registry(storage: store).addPermitEvent(
      tangshan, PermitEvent(kind: .renewalApplied, on: testDay), evaluatedOn: testDay)
    let renewed = try Registry(storage: store).renewPermit(
      tangshan, newNumber: "91130200699229617X001Q", issuedOn: testDay, validFrom: testDay, validTo: nil)
    #expect(renewed.permit.validTo.description == "2031-11-28")  // PM-1: 5 years
    let old = try store.permit(tangshan)
    #expect(old.permit.supersededBy == "91130200699229617X001Q")
    #expect(
      PermitRules.standing(old.permit, region: old.regionCode, asOf: testDay, window: 90, policy: .national).status
        == .renewed)
    // ID-4: another holder's number is refused.
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).addPermit(
        number: "91350100M000100Y43002P", holder: try CreditCode.parse("91130200699229617X").get(), permitClass: .key,
        issuedOn: testDay, validFrom: testDay, validTo: nil)
    }
  }

  @Test("Imported permit history: a deferred 2022 permit and its renewal")
  func importedDeferralHistory() throws {
    let registry = try loadedRegistry()
    var deferred: [HeldPermit] = []
    var filter = PermitFilter()
    filter.currentOnly = false
    filter.validToOnOrBefore = try #require(Day("2022-12-31"))
    try registry.store.forEachPermit(filter) { deferred.append($0) }
    #expect(deferred.count == 2)
    for held in deferred {
      #expect(held.permit.supersededBy != nil)
      #expect(
        held.permit.events.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [
          .deferralGranted, .renewalApplied, .renewed,
        ])
      let onDeferral = PermitRules.standing(
        held.permit, region: held.regionCode, asOf: try #require(Day("2023-03-01")), window: 90, policy: .national)
      #expect(onDeferral.status == .renewed || onDeferral.status == .deferred)
    }
  }

  @Test("Fines in the store: arrangement checks, payments never exceed what is owed, every change audited")
  func fineLifecycle() throws {
    let registry = try loadedRegistry()
    let store = registry.store
    let decision = "宜环罚〔2026〕88号"
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).arrange(
        decision,
        FineArrangement(
          kind: .deferral, appliedOn: try #require(Day("2026-11-10")), reason: "受疫情影响", approver: "局长",
          approvedOn: try #require(Day("2026-11-12")), newDue: try #require(Day("2027-06-30"))))
    }
    let arranged = try Registry(storage: store).arrange(
      decision,
      FineArrangement(
        kind: .deferral, appliedOn: try #require(Day("2026-11-10")), reason: "经营困难", approver: "局长",
        approvedOn: try #require(Day("2026-11-12")), newDue: try #require(Day("2027-02-17"))))
    #expect(
      FineRules.statement(arranged.fine, region: arranged.regionCode, asOf: testDay, policy: .national).surchargeAccrued
        == .zero)
    // FN-2: the same arrangement twice, or a new one without a reason, is refused; with one it supersedes.
    let again = FineArrangement(
      kind: .deferral, appliedOn: try #require(Day("2026-11-10")), reason: "经营困难", approver: "局长",
      approvedOn: try #require(Day("2026-11-12")), newDue: try #require(Day("2027-02-17")))
    #expect(throws: RegistryError.self) { try Registry(storage: store).arrange(decision, again) }
    var later = again
    later.approvedOn = try #require(Day("2026-11-20"))
    later.newDue = try #require(Day("2027-03-17"))
    #expect(throws: RegistryError.self) { try Registry(storage: store).arrange(decision, later) }
    later.supersedeReason = "企业再次申请"
    let superseded = try Registry(storage: store).arrange(decision, later)
    #expect(superseded.fine.arrangements.count == 2)
    #expect(
      FineRules.statement(superseded.fine, region: superseded.regionCode, asOf: testDay, policy: .national).dueRule
        .contains("2027-03-17"))
    #expect(try store.auditLog(entityKey: decision).map(\.action) == ["fine.arrange", "fine.arrange"])
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).pay(decision, FinePayment(on: testDay, amount: Fen(20_000_001)))
    }
    let paid = try Registry(storage: store).pay(decision, FinePayment(on: testDay, amount: Fen(20_000_000)))
    #expect(
      FineRules.statement(paid.fine, region: paid.regionCode, asOf: testDay, policy: .national).totalOwed == .zero)
    #expect(try store.auditLog(entityKey: decision).map(\.action) == ["fine.arrange", "fine.arrange", "fine.pay"])
    // ID-8: another spelling of a recorded decision is the same fine, refused naming it.
    let debtor = paid.debtor
    let twin = Fine(
      decisionNumber: "宜环罚[2026]088 号", amount: Fen(100), decidedOn: try #require(Day("2026-10-30")),
      receivedOn: try #require(Day("2026-11-02")))
    #expect { try Registry(storage: store).addFine(twin, debtor: debtor) } throws: { "\($0)".contains("宜环罚〔2026〕88号") }
    #expect(throws: RegistryError.self) {
      try Registry(storage: store).addFine(
        Fine(decisionNumber: "x", amount: Fen(100), decidedOn: testDay, receivedOn: testDay), debtor: debtor)
    }
    #expect(try store.fine("宜环罚（2026）88号").fine.decisionNumber == decision)
  }
}
