import ArgumentParser
import Foundation
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct AuditGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "audit",
      abstract: Messages.say(
        "Read and verify the audit trail (every mutation, who, when, before and after).",
        zh: "查阅并核验审计记录（每次变更的操作人、时间、变更前后）。"),
      subcommands: [Log.self, Verify.self, Head.self])
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: Messages.say(
        """
        Check the whole registry: the audit chain, every data row's seal, SQLite's integrity and foreign keys (exit \
        3 on any finding).
        """, zh: "检查整个登记库：审计链、每行数据的封印、SQLite 完整性和外键（发现问题时退出码为3）。"),
      discussion: Messages.say(
        """
        Same checks as 'audit verify'.
        """,
        zh: """
          与 'audit verify' 的检查相同。
          """)
        + "\n" + """
          Example: envreg check --anchor 1532:9f2c…  (the head a bureau kept)
          """)
    @OptionGroup var global: GlobalOptions
    @Option(
      help: ArgumentHelp("An earlier 'audit head' (ROWS:HASH) the chain must still extend.", valueName: "rows:hash"),
      transform: anchorArgument) var anchor: AuditHead?

    func run() throws { try verify(global, anchor: anchor) }
  }

  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "backup",
      abstract: Messages.say(
        "Copy the registry to a new file with SQLite's online backup: consistent while others write.",
        zh: "用 SQLite 在线备份将登记库复制为新文件：他人写入时亦保持一致。"),
      discussion: Messages.say(
        """
        The copy is owner-only, is checked (audit chain, integrity, foreign keys) before the command
        succeeds, and never replaces an existing file. To restore: stop every envreg process, keep the
        damaged file aside, copy the backup over the registry path (cp backup.sqlite reg.sqlite), then run
        'envreg check --db reg.sqlite' (and --anchor with the head the bureau kept).
        A PostgreSQL registry (--db postgres://…) is backed up into a new SQLite file the same way as
        'envreg copy' (verified against its head); its own backups are PostgreSQL's (pg_dump, WAL archiving).
        """,
        zh: """
          副本仅属主可读写，命令成功前会检查（审计链、完整性、外键），且从不替换已有文件。恢复方法：停止所有 envreg
          进程，把损坏的文件另存一旁，把备份复制到登记库路径（cp backup.sqlite reg.sqlite），然后运行
          'envreg check --db reg.sqlite'（并用 --anchor 给出部门保存的链头）。
          PostgreSQL 登记库（--db postgres://…）按 'envreg copy' 的方式备份为一个新的 SQLite 文件（按其链头核验）；
          PostgreSQL 自身的备份用 PostgreSQL 的工具（pg_dump、WAL 归档）。
          """)
        + "\n" + """
          Example: envreg backup /backups/registry-2026-11-30.sqlite
          """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new file.") var file: String

    func run() throws {
      let head = global.registry.isPostgres ? try backupFromPostgres() : try global.openRegistry().backup(to: file)
      emit(
        Render.render(
          .record(Fields([("file", .text(file)), ("audit_head", .text(head.description)), ("verified", .bool(true))])),
          as: global.format, language: global.language))
    }
  }
}

extension EnvReg.Backup {
  /// A PostgreSQL registry into a new SQLite file: `envreg copy`'s path (the file removed on failure).
  func backupFromPostgres() throws -> AuditHead {
    guard let source = try global.registry.openStorage() as? any RegistryRows else {
      throw RegistryError.input("This registry cannot be copied.")
    }
    if FileManager.default.fileExists(atPath: file) {
      throw RegistryError.input("\(file.quoted) exists; a backup is a new file and never replaces one.")
    }
    do {
      let target = try Store(path: file, create: true, empty: true, actor: global.actor ?? Store.defaultActor)
      let outcome = try RegistryCopy.copy(from: source, to: target, describing: global.registry.databaseName)
      guard outcome.target.isIntact else {
        throw RegistryError.database("The backup does not verify: \(outcome.target.problems.joined(separator: "; ")).")
      }
      return outcome.target.head
    } catch {
      for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) }
      throw error
    }
  }
}

/// Runs every check and prints the findings; exit 3 when any.
private func verify(_ global: GlobalOptions, anchor: AuditHead?) throws {
  let result = try global.openRegistry().verifyAudit(anchor: anchor)
  let fields = Fields([
    ("rows_checked", .int(result.rowsChecked)), ("head", .text(result.head.description)),
    ("intact", .bool(result.isIntact)),
    ("problems", .list(result.problems.map(Value.text))),
  ])
  emit(Render.render(.record(fields), as: global.format, language: global.language))
  result.notes.forEach { note("note: \($0)", zh: "说明：\($0)") }
  if !result.isIntact { throw negativeResult }
}

/// `--anchor ROWS:HASH`.
func anchorArgument(_ text: String) throws -> AuditHead {
  guard let head = AuditHead(text) else {
    throw ValidationError("--anchor \(text.quoted) must be ROWS:HASH as 'envreg audit head' prints it.")
  }
  return head
}

extension EnvReg.AuditGroup {
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: Messages.say(
        "Audit rows, oldest first; for one credit code, every row that touched that enterprise.",
        zh: "审计记录，按时间先后；给出信用代码时列出涉及该企业的全部记录。"),
      discussion: "Examples: envreg audit log 91350100M000100Y43    envreg audit log --since 2026-11-01 --format json")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A credit code or other entity key (optional).") var key: String?
    @Option(help: "Only rows written on or after this date.", transform: dayArgument) var since: Day?
    @Option(help: "At most this many rows.") var limit: Int?

    func validate() throws {
      if let limit, !(0...1_000_000_000).contains(limit) {
        throw ValidationError("--limit \(limit) must be between 0 and 1,000,000,000.")
      }
    }

    func run() throws {
      let registry = try global.openRegistry()
      let normalised = key.map(creditCodeOrKey)
      let entries = try registry.auditLog(entityKey: normalised, since: since, limit: limit)
      emit(
        Render.render(.list(entries.map { .record(Report.audit($0)) }), as: global.format, language: global.language))
    }
  }

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: Messages.say(
        "Recompute the audit hash chain and check the file; exit 3 if anything was edited, removed or damaged.",
        zh: "重算审计哈希链并检查文件；有篡改、删除或损坏时退出码为3。"),
      discussion: Messages.say(
        """
        Checks (a) the chain: every row's hash and its link to the row before; (b) with --anchor, that the
        chain still holds the head kept earlier (rows removed from the end, or a chain recomputed after
        edits, are found only this way); (d) SQLite's integrity check and foreign keys (a data row whose
        audit row is gone, a damaged page). Keep the output of 'envreg audit head' outside the file.
        """,
        zh: """
          检查：(a) 审计链：每条记录的哈希及其与前一条的链接；(b) 给出 --anchor 时，审计链仍包含此前保存的链头
          （末尾记录被删除、或改动后重算审计链，只有这样才能发现）；(d) SQLite 的完整性检查和外键（审计记录已不存在的
          数据行、损坏的页）。请把 'envreg audit head' 的输出保存在文件之外。
          """)
        + "\n" + """
          Example: envreg audit verify --anchor 1532:9f2c…
          """)

    @OptionGroup var global: GlobalOptions
    @Option(
      help: ArgumentHelp("An earlier 'audit head' (ROWS:HASH) the chain must still extend.", valueName: "rows:hash"),
      transform: anchorArgument) var anchor: AuditHead?

    func run() throws { try verify(global, anchor: anchor) }
  }

  struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "head",
      abstract: Messages.say(
        "Print the audit head (ROWS:HASH) to keep or publish outside the file; 'audit verify --anchor' "
          + "checks it later.",
        zh: "输出审计链头（行数:哈希），留存或公开于文件之外；日后用 'audit verify --anchor' 核对。")
    )
    @OptionGroup var global: GlobalOptions

    func run() throws { emit(try global.openRegistry().auditHead().description + "\n") }
  }
}
