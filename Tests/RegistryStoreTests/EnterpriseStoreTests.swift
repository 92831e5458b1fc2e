import Foundation
import RegistryService
import Testing

@testable import RegistryCore
@testable import RegistryStore

@Suite("Enterprise registry: add, update with history, deregister, audit")
struct EnterpriseStoreTests {
  @Test("Add registers once; a second add of the same code is refused")
  func addOnce() throws {
    let registry = try TempRegistry()
    let (added, _) = try Registry(storage: registry.store).addEnterprise(firm(" 91350100m000100y43 "), asOf: testDay)
    #expect(added.creditCode.value == "91350100M000100Y43")
    #expect(throws: RegistryError.self) { try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay) }
    #expect(try registry.store.countEnterprises(.init(asOf: testDay)) == 1)
  }

  @Test("A wrong check character never reaches the database")
  func wrongCheckCharacter() throws {
    let registry = try TempRegistry()
    #expect(throws: RegistryError.self) {
      try Registry(storage: registry.store).addEnterprise(firm("91350100M000100Y44"), asOf: testDay)
    }
    #expect(try registry.sql("SELECT count(*) FROM enterprise") as Int? == 0)
    #expect(try registry.sql("SELECT count(*) FROM audit WHERE action = 'enterprise.add'") as Int? == 0)
  }

  @Test("PM-6 input: an update keeps the old value as a dated history row, not an overwrite")
  func updateKeepsHistory() throws {
    let registry = try TempRegistry()
    let code = try CreditCode.parse("91350100M000100Y43").get()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    let effective = try #require(Day("2026-10-08"))
    let result = try Registry(storage: registry.store).updateEnterprise(
      code, EnterpriseInput([.legalRep: "陈海峰", .address: "福州市新址1号"]), effectiveOn: effective, asOf: testDay)
    #expect(result.changed == [.address, .legalRep])
    let history = try registry.store.enterpriseHistory(code)
    #expect(history.map(\.field) == ["address", "legal_rep"])
    #expect(history.allSatisfy { $0.effectiveOn == effective && $0.actor == "tester" })
    #expect(history.last?.oldValue == "" && history.last?.newValue == "陈海峰")
    #expect(throws: RegistryError.self) {
      try Registry(storage: registry.store).updateEnterprise(
        code, EnterpriseInput([.legalRep: "陈海峰"]), effectiveOn: effective, asOf: testDay)
    }
  }

  @Test("No lost update: two stores changing different facts of one firm both land")
  func noLostUpdate() throws {
    let registry = try TempRegistry()
    let code = try CreditCode.parse("91350100M000100Y43").get()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    let other = try Store(path: registry.path, actor: "second")
    _ = try Registry(storage: registry.store).updateEnterprise(
      code, EnterpriseInput([.legalRep: "甲"]), effectiveOn: testDay, asOf: testDay)
    _ = try Registry(storage: other).updateEnterprise(
      code, EnterpriseInput([.contact: "0591-1"]), effectiveOn: testDay, asOf: testDay)
    let now = try #require(try registry.store.enterprise(code))
    #expect(now.legalRep == "甲" && now.contact == "0591-1")
  }

  @Test("Deregister marks the firm closed with date and reason; nothing is deleted; facts freeze")
  func deregister() throws {
    let registry = try TempRegistry()
    let code = try CreditCode.parse("91350100M000100Y43").get()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    let closed = try Registry(storage: registry.store).deregisterEnterprise(code, on: testDay, reason: "企业注销")
    #expect(closed.status == .closed && closed.closedOn == testDay)
    #expect(try registry.sql("SELECT count(*) FROM enterprise") as Int? == 1)
    #expect(throws: RegistryError.self) {
      try Registry(storage: registry.store).deregisterEnterprise(code, on: testDay, reason: "again")
    }
    #expect(throws: RegistryError.self) {
      try Registry(storage: registry.store).updateEnterprise(
        code, EnterpriseInput([.legalRep: "乙"]), effectiveOn: testDay, asOf: testDay)
    }
  }

  @Test("Every mutation writes its audit row in the same transaction; a refused one writes none")
  func everyMutationAudited() throws {
    let registry = try TempRegistry()
    let code = try CreditCode.parse("91350100M000100Y43").get()
    let start: Int = try #require(try registry.sql("SELECT count(*) FROM audit"))
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    _ = try Registry(storage: registry.store).updateEnterprise(
      code, EnterpriseInput([.grade: "A"]), effectiveOn: testDay, asOf: testDay)
    _ = try? Registry(storage: registry.store).updateEnterprise(
      code, EnterpriseInput([.grade: "Z"]), effectiveOn: testDay, asOf: testDay)
    _ = try Registry(storage: registry.store).deregisterEnterprise(code, on: testDay, reason: "关停")
    let log = try registry.store.auditLog(entityKey: code.value)
    #expect(log.map(\.action) == ["enterprise.add", "enterprise.update", "enterprise.deregister"])
    #expect(try registry.sql("SELECT count(*) FROM audit") as Int? == start + 3)
    #expect(
      log[1].before?.contains("\"grade\":\"unrated\"") == true && log[1].after?.contains("\"grade\":\"A\"") == true)
    #expect(log.allSatisfy { $0.actor == "tester" })
  }

  @Test("The audit chain verifies, and detects an edited or deleted row")
  func auditChain() throws {
    let registry = try TempRegistry()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    _ = try Registry(storage: registry.store).addEnterprise(
      firm(makeCode(1), name: "武汉一号有限公司", region: "420102", industry: "2614"), asOf: testDay)
    #expect(try registry.store.verifyAudit().isIntact)
    try registry.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    let edited = try registry.store.verifyAudit()
    #expect(!edited.isIntact && edited.problems.contains { $0.contains("audit row 2") })
    let fresh = try TempRegistry()
    _ = try Registry(storage: fresh.store).addEnterprise(firm(), asOf: testDay)
    _ = try Registry(storage: fresh.store).addEnterprise(
      firm(makeCode(1), name: "武汉一号有限公司", region: "420102", industry: "2614"), asOf: testDay)
    try fresh.execute("DELETE FROM audit WHERE id = 2")
    #expect(!(try fresh.store.verifyAudit().isIntact))
  }

  @Test(
    "List filters: province prefix covers its cities, industry prefix, key region as of a date, name in Chinese, paging"
  )
  func listFilters() throws {
    let registry = try TempRegistry()
    _ = try registry.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    func codes(_ configure: (inout EnterpriseFilter) -> Void) throws -> [Enterprise] {
      var filter = EnterpriseFilter(asOf: testDay)
      configure(&filter)
      var found: [Enterprise] = []
      try registry.store.forEachEnterprise(filter) { found.append($0) }
      return found
    }
    let hubei = try codes { $0.regionPrefix = "42" }
    #expect(!hubei.isEmpty && hubei.allSatisfy { $0.regionCode.hasPrefix("42") })
    let wuhan = try codes { $0.regionPrefix = "4201" }
    #expect(!wuhan.isEmpty && wuhan.count < hubei.count)
    let chemicals = try codes { $0.industryPrefix = "26" }
    #expect(chemicals.allSatisfy { $0.industryCode.hasPrefix("26") })
    let named = try codes { $0.nameContains = "化工" }
    #expect(!named.isEmpty && named.allSatisfy { $0.name.contains("化工") })
    // 温州 firms are in 长三角 before 2023-12-07 and not after (RULES §2).
    let yrdBefore = try codes {
      $0.keyRegion = .set(.yrd); $0.asOf = Day("2023-12-06") ?? testDay
    }
    let yrdAfter = try codes {
      $0.keyRegion = .set(.yrd); $0.asOf = Day("2023-12-07") ?? testDay
    }
    #expect(yrdBefore.contains { $0.regionCode.hasPrefix("3303") })
    #expect(!yrdAfter.contains { $0.regionCode.hasPrefix("3303") })
    let page1 = try codes {
      $0.limit = 10; $0.sort = .name
    }
    let page2 = try codes {
      $0.limit = 10; $0.offset = 10; $0.sort = .name
    }
    #expect(
      page1.count == 10 && page2.count == 10 && Set(page1.map(\.creditCode)).isDisjoint(with: page2.map(\.creditCode)))
    #expect(page1.map(\.name) == page1.map(\.name).sorted())
  }

  @Test("Two writers at once both succeed (WAL and busy timeout)")
  func concurrentWriters() async throws {
    let registry = try TempRegistry()
    let path = registry.path
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<2 {
        group.addTask {
          let store = try Store(path: path, actor: "writer\(writer)")
          for n in 0..<40 {
            let code = makeCode(writer * 1000 + n)
            _ = try Registry(storage: store).addEnterprise(
              firm(code, name: "并发\(writer)-\(n)有限公司", region: "420102", industry: "2614"), asOf: testDay)
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(try registry.store.countEnterprises(.init(asOf: testDay)) == 80)
    #expect(try registry.store.verifyAudit().isIntact)
  }
}
