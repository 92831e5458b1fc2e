import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "An enterprise's whole profile: facts, key regions, history, and its records in every module.",
      discussion: "Example: envreg enterprise show 91350100M000100Y43 --as-of 2026-01-01 --format json")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument

    func run() throws {
      let registry = try global.openRegistry()
      let code = try code.resolve(in: registry)
      guard let firm = try registry.enterprise(code) else {
        throw RegistryError.notFound(
          kind: "enterprise with credit code", key: code.value,
          hint: "Run 'envreg enterprise list' to see registered enterprises.")
      }
      var profile = Report.profileFacts(firm, asOf: global.asOf)
      profile.append("as_of", .day(global.asOf))
      profile.append("history", .list(try registry.enterpriseHistory(code).map { .record(Report.change($0)) }))
      let memberships = try registry.memberships(of: code)
      profile.append(
        "list_memberships",
        .list(memberships.map { .record(Report.membership($0, asOf: global.asOf, withConsequences: true)) }))
      let policy = try registry.policyBook()
      // As of the date: permits issued by then, fines decided by then (Conventions).
      profile.append(
        "permits",
        .list(
          permitRows(
            try registry.permits(of: code).filter { $0.permit.issuedOn <= global.asOf }, on: global.asOf, window: 90,
            policy: policy)))
      var fines: [Value] = []
      try registry.forEachFine(debtor: code, decidedBy: global.asOf) { owed in
        let statement = FineRules.statement(owed.fine, region: owed.regionCode, asOf: global.asOf, policy: policy)
        fines.append(
          .record(Report.fineRow(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)))
      }
      profile.append("fines", .list(fines))
      var retrofits: [Value] = []
      try registry.forEachRetrofit(owner: code) { found in
        let verdict = RetrofitRules.check(found.retrofit, region: found.regionCode, policy: policy, asOf: global.asOf)
        retrofits.append(
          .record(
            Report.retrofitRow(
              found.retrofit, owner: found.owner.value, name: found.ownerName, region: found.regionCode,
              verdict: verdict, asOf: global.asOf)))
      }
      profile.append("retrofits", .list(retrofits))
      for (section, rows) in try registry.profileSections(code, asOf: global.asOf) { profile.append(section, rows) }
      emit(Render.render(.record(global.format == .table ? Report.unknownShown(profile) : profile), as: global.format))
    }
  }
}
