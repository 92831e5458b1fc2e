import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryPostgres
import RegistryService
import RegistryStore

extension EnvReg {
  struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "copy",
      abstract: Messages.say(
        "Copy a whole registry between engines (SQLite file ⇄ PostgreSQL), history and audit chain included.",
        zh: "在引擎之间（SQLite 文件 ⇄ PostgreSQL）整体复制登记库，含历史记录和审计链。"),
      discussion: Messages.say(
        """
        The source must pass 'envreg audit verify'; it is read in one snapshot while others keep working.
        The target is new: a file that does not exist yet, or an empty PostgreSQL database. Every row
        keeps its id, every audit row its hash; one audit row 'registry.copy' is added at the target's end,
        and the target is verified against the source's head before the command succeeds.
        """,
        zh: """
          源登记库须通过 'envreg audit verify'；读取在一个快照中进行，其他人可以继续工作。
          目标是新的：尚不存在的文件，或空的 PostgreSQL 数据库。每行保留其编号，每条审计记录保留其哈希；目标末尾追加一条
          'registry.copy' 审计记录，命令成功前按源库链头核验目标。
          """)
        + "\n" + """
          Examples: envreg copy --from hubei.sqlite --to postgres://envreg@db.example.gov.cn/hubei
                    envreg copy --from postgres://envreg@db.example.gov.cn/hubei --to hubei-2026-11-30.sqlite
          """)

    @Option(help: ArgumentHelp("The registry to copy: a SQLite file or a postgres:// URL.", valueName: "path|url"))
    var from: String
    @Option(
      help: ArgumentHelp(
        "The new registry: a file that does not exist, or an empty PostgreSQL database.",
        valueName: "path|url"))
    var to: String
    @Option(help: ArgumentHelp("Who is copying, for the audit trail.", valueName: "name")) var actor: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() throws {
      let actor = actor ?? AuditIdentity.defaultActor
      let source = try openRows(from, actor: actor, empty: false)
      if !PostgresLocation.isURL(to), FileManager.default.fileExists(atPath: to) {
        throw RegistryError.input("\(to.quoted) exists; a copy makes a new registry and never writes over a file.")
      }
      let outcome: RegistryCopy.Outcome
      do {
        let target = try openRows(to, actor: actor, empty: true)
        outcome = try RegistryCopy.copy(from: source, to: target, describing: PostgresLocation.redacted(from))
      } catch {
        if !PostgresLocation.isURL(to) {
          for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: to + suffix) }
        }
        throw error
      }
      var fields = Fields([
        ("from", .text(PostgresLocation.redacted(from))), ("to", .text(PostgresLocation.redacted(to))),
        ("source_head", .text(outcome.sourceHead.description)), ("target_head", .text(outcome.target.head.description)),
        ("verified", .bool(outcome.target.isIntact)),
      ])
      for table in RegistryCopy.tables { fields.append("rows.\(table)", .int(outcome.rows[table] ?? 0)) }
      emit(Render.render(.record(fields), as: format, language: Messages.language))
      guard outcome.target.isIntact else {
        throw RegistryError.database(
          "The copy does not verify: \(outcome.target.problems.joined(separator: "; ")).")
      }
    }

    private func openRows(_ location: String, actor: String, empty: Bool) throws -> any RegistryRows {
      if PostgresLocation.isURL(location) {
        return try PostgresStore(url: location, create: empty, empty: empty, actor: actor)
      }
      return try Store(path: location, create: empty, empty: empty, actor: actor)
    }
  }
}
