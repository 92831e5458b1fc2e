import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryPostgres
import RegistryService
import RegistryStore

/// Options every command takes: the registry options and `--format`.
struct GlobalOptions: ParsableArguments {
  @OptionGroup var registry: RegistryOptions

  @Option(name: .long, help: "Output format: table (for people), json (stable contract) or csv (RFC 4180).")
  var format: OutputFormat = .table

  /// `--lang`, else the locale's (LC_ALL, LC_MESSAGES, LANG).
  var language: Language { registry.language }

  var actor: String? { registry.actor }
  var asOf: Day { registry.asOf }
  /// The registry service over the storage `--db` names (a SQLite file or a PostgreSQL URL).
  func openRegistry() throws -> Registry { try registry.openRegistry() }
}

/// Which registry, who is acting, and the evaluation date (commands with their own output formats,
/// such as `ledger report`, take these alone).
struct RegistryOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      """
      Registry: a SQLite file, or a PostgreSQL database as postgres://user@host:port/database (password from \
      PGPASSWORD or ~/.pgpass). Default: $ENVREG_DB, else ./envreg.sqlite.
      """, valueName: "path|url"))
  var db: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Who is acting, for the audit trail (default: $ENVREG_ACTOR, else the login name).", valueName: "name"))
  var actor: String?

  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Evaluate as of this date, YYYY-MM-DD (default: today, China Standard Time).", valueName: "date"),
    transform: dayArgument)
  var asOfArgument: Day?

  @Option(
    name: .long,
    help: """
      Language of tables for people: zh or en (default: the locale's, zh for zh_CN.* and other zh_*). JSON and \
      CSV keep their English keys and codes.
      """)
  var lang: Language?

  /// `--lang`, else the locale's (LC_ALL, LC_MESSAGES, LANG).
  var language: Language { lang ?? Language.fromLocale(ProcessInfo.processInfo.environment) }

  var databasePath: String {
    db ?? ProcessInfo.processInfo.environment["ENVREG_DB"] ?? "envreg.sqlite"
  }

  /// The evaluation date: `--as-of`, else today in China Standard Time (UTC+8).
  var asOf: Day { asOfArgument ?? RegistryOptions.todayInChina() }

  static func todayInChina() -> Day {
    let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
    return Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
  }

  /// Whether `--db` names a PostgreSQL registry.
  var isPostgres: Bool { PostgresLocation.isURL(databasePath) }

  /// `--db` as it may be shown: a URL's password left out.
  var databaseName: String { PostgresLocation.redacted(databasePath) }

  /// The storage `--db` names: a SQLite file, or a PostgreSQL database by URL. `connections`: how
  /// many requests may read at once (a server's pool; one for a command).
  func openStorage(create: Bool = false, connections: Int = 1) throws -> any RegistryStorage {
    if isPostgres {
      return try PostgresStore(
        url: databasePath, create: create, actor: actor ?? AuditIdentity.defaultActor, connections: connections)
    }
    let store = try Store(
      path: databasePath, create: create, actor: actor ?? Store.defaultActor,
      statementObserver: ProcessInfo.processInfo.environment["ENVREG_TRACE_SQL"] == "1" ? traceStatement : nil)
    return connections > 1 ? try store.concurrentReads(connections) : store
  }

  /// The registry service over the storage at `--db`.
  func openRegistry() throws -> Registry { Registry(storage: try openStorage()) }
}

extension OutputFormat: ExpressibleByArgument {}

extension OutputEncoding: ExpressibleByArgument {}

extension Day: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }
}

/// A date option: the value and why it is refused (every `Day` option parses through this).
func dayArgument(_ text: String) throws -> Day {
  guard let day = Day(text) else { throw ValidationError("\(text.quoted) \(Day.refusal(text)).") }
  return day
}

extension CreditCode: ExpressibleByArgument {
  /// Parsing happens in `CreditCodeArgument` so that the error names the expected check character.
  public init?(argument: String) { self.init(argument) }
}

/// Parses a credit code given on the command line, with the ID-1 message on failure. With the
/// registry, a code whose check character fails names a firm registered by an ID-7 override.
/// A credit code given on the command line, typed: read when the arguments are parsed (ID-6
/// normalisation, ID-1 checks), so a malformed code is a usage error naming the reason before
/// anything runs. A code whose only error is its check character is kept for `resolve`, which
/// accepts it when the firm was registered by an ID-7 override.
struct CreditCodeArgument: Sendable {
  let raw: String
  let parsed: Result<CreditCode, CodeError>

  /// The registered firm's code: the parsed code, or an ID-7 override's stored code.
  func resolve(in registry: Registry?) throws -> CreditCode {
    switch parsed {
    case .success(let code): return code
    case .failure(let error):
      if case .checkCharacter(let text, _) = error, let registry, let code = CreditCode(stored: text),
        try registry.hasCodeOverride(code)
      {
        return code
      }
      throw ValidationError("credit code \(error).")
    }
  }
}

/// `transform:` for credit-code arguments and options.
func creditCodeArgument(_ text: String) throws -> CreditCodeArgument {
  let parsed = CreditCode.parse(text)
  if case .failure(let error) = parsed {
    if case .checkCharacter = error {
    } else {
      throw ValidationError("credit code \(error).")
    }
  }
  return CreditCodeArgument(raw: text, parsed: parsed)
}

/// A credit code or other key (`audit log KEY`): normalised when it reads as a credit code.
func creditCodeOrKey(_ text: String) -> String { (try? CreditCode.parse(text).get().value) ?? text }

/// Standard output, buffered: listings write row by row, and one system call per row would cost
/// more than the rows. Flushed when the buffer fills and when the process exits.
final class BufferedStandardOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var buffer: [UInt8] = []
  private var isMuted = false

  /// Drops everything written (data and messages): the in-process fuzz test runs commands by the
  /// thousand.
  var muted: Bool {
    get { lock.withLock { isMuted } }
    set { lock.withLock { isMuted = newValue } }
  }

  func write(_ text: String) { append(text.utf8) }

  func write(bytes: [UInt8]) { append(bytes) }

  private func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    lock.withLock {
      guard !isMuted else { return }
      buffer.append(contentsOf: bytes)
      guard buffer.count >= 1 << 16 else { return }
      if let failure = OutputFile.writeAll(1, buffer) {
        FileHandle.standardError.write(Data("Error: cannot write to standard output: \(failure).\n".utf8))
        _exit(1)
      }
      buffer.removeAll(keepingCapacity: true)
    }
  }

  /// Writes what is buffered. A failure (a full disk, a closed pipe) is reported on stderr and ends
  /// the process with exit code 1: output cannot go on.
  func flush() {
    do { try flushOrThrow() } catch {
      FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
      _exit(1)
    }
  }

  func flushOrThrow() throws {
    try lock.withLock {
      guard !buffer.isEmpty else { return }
      defer { buffer.removeAll(keepingCapacity: true) }
      if let failure = OutputFile.writeAll(1, buffer) {
        throw RegistryError.input("Cannot write to standard output: \(failure).")
      }
    }
  }
}

let standardOutput = BufferedStandardOutput()

/// Writes data to stdout (data only; messages go to stderr).
func emit(_ text: String) { standardOutput.write(text) }

/// Writes a message to stderr.
func note(_ text: String) {
  guard !standardOutput.muted else { return }
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// True when stderr is a terminal (progress is shown only then).
var stderrIsTerminal: Bool { isatty(2) == 1 }

/// The longest look-ahead a `--within` may ask for: 100 years of days.
let maximumWindow = 36_500

/// `--within DAYS`: 0 ... 36,500.
func checkWindow(_ days: Int) throws {
  guard (0...maximumWindow).contains(days) else {
    throw ValidationError("--within \(days) must be between 0 and \(maximumWindow) days.")
  }
}

/// A `--region` value as a prefix: a full code selects the division and everything inside it
/// (420000 -> 42, 420100 -> 4201); 2 or 4 digits are already a prefix. Anything else is refused.
func regionPrefix(_ code: String) throws -> String {
  switch Divisions.bundled.selection(code) {
  case .success(let prefix): return prefix
  case .failure(let refusal): throw ValidationError("--region \(code.quoted) \(refusal.reason).")
  }
}

/// `ENVREG_TRACE_SQL=1`: every SQL statement on standard error, with its values and the time since
/// the process started (to see where a slow command spends its time).
@Sendable func traceStatement(_ sql: String) {
  let elapsed = ProcessInfo.processInfo.systemUptime - traceStart
  FileHandle.standardError.write(Data("[sql +\(Int(elapsed * 1000)) ms] \(sql)\n".utf8))
}

private let traceStart = ProcessInfo.processInfo.systemUptime
