import ArgumentParser
import RegistryCore

extension EnvReg {
  struct AuditGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract: "Read and verify the audit trail (every mutation, who, when, before and after).",
      subcommands: [Log.self, Verify.self])
  }
}

extension EnvReg.AuditGroup {
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Audit rows, oldest first; for one credit code, every row that touched that enterprise.",
      discussion: "Examples: envreg audit log 91350100M000100Y43    envreg audit log --since 2026-11-01 --format json")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A credit code or other entity key (optional).") var key: String?
    @Option(help: "Only rows written on or after this date.", transform: dayArgument) var since: Day?
    @Option(help: "At most this many rows.") var limit: Int?

    func validate() throws {
      if let limit, !(0...1_000_000_000).contains(limit) { throw ValidationError("--limit \(limit) must be between 0 and 1,000,000,000.") }
    }

    func run() throws {
      let store = try global.openStore()
      let normalised = key.map { key in (try? creditCode(key).value) ?? key }
      let entries = try store.auditLog(entityKey: normalised, since: since, limit: limit)
      emit(Render.render(.list(entries.map { .record(Report.audit($0)) }), as: global.format))
    }
  }

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Recompute the audit hash chain; exit 3 if any row was edited, removed or inserted.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
      let result = try global.openStore().verifyAudit()
      let fields = Fields([("rows_checked", .int(result.rowsChecked)), ("intact", .bool(result.isIntact)), ("problems", .list(result.problems.map(Value.text)))])
      emit(Render.render(.record(fields), as: global.format))
      if !result.isIntact { throw negativeResult }
    }
  }
}
