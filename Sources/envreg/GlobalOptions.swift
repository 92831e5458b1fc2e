import ArgumentParser
import Foundation
import RegistryCore
import RegistryStore

/// Options every command takes: the registry options and `--format`.
struct GlobalOptions: ParsableArguments {
  @OptionGroup var registry: RegistryOptions

  @Option(name: .long, help: "Output format: table (for people), json (stable contract) or csv (RFC 4180).")
  var format: OutputFormat = .table

  var actor: String? { registry.actor }
  var today: Day { registry.today }
  func openStore(create: Bool = false) throws -> Store { try registry.openStore(create: create) }
}

/// Which registry, who is acting, and the evaluation date (commands with their own output formats,
/// such as `ledger report`, take these alone).
struct RegistryOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("Registry database file (default: $ENVREG_DB, else ./envreg.sqlite).", valueName: "path"))
  var db: String?

  @Option(name: .long, help: ArgumentHelp("Who is acting, for the audit trail (default: $ENVREG_ACTOR, else the login name).", valueName: "name"))
  var actor: String?

  @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate as of this date, YYYY-MM-DD (default: today, China Standard Time).", valueName: "date"))
  var asOf: Day?

  var databasePath: String {
    db ?? ProcessInfo.processInfo.environment["ENVREG_DB"] ?? "envreg.sqlite"
  }

  /// The evaluation date: `--as-of`, else today in China Standard Time (UTC+8).
  var today: Day { asOf ?? RegistryOptions.todayInChina() }

  static func todayInChina() -> Day {
    let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
    return Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
  }

  func openStore(create: Bool = false) throws -> Store {
    try Store(path: databasePath, create: create, actor: actor ?? Store.defaultActor)
  }
}

extension OutputFormat: ExpressibleByArgument {}

extension Day: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }
}

extension CreditCode: ExpressibleByArgument {
  /// Parsing happens in `CreditCodeArgument` so that the error names the expected check character.
  public init?(argument: String) { self.init(argument) }
}

/// Parses a credit code given on the command line, with the ID-1 message on failure.
func creditCode(_ raw: String) throws -> CreditCode {
  switch CreditCode.parse(raw) {
  case .success(let code): return code
  case .failure(let error): throw ValidationError("credit code \(error).")
  }
}

/// Standard output, buffered: listings write row by row, and one system call per row would cost
/// more than the rows. Flushed when the buffer fills and when the process exits.
final class BufferedStandardOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var buffer: [UInt8] = []

  func write(_ text: String) {
    lock.withLock {
      buffer.append(contentsOf: text.utf8)
      if buffer.count >= 1 << 16 { flushLocked() }
    }
  }

  func flush() { lock.withLock { flushLocked() } }

  private func flushLocked() {
    guard !buffer.isEmpty else { return }
    FileHandle.standardOutput.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }
}

let standardOutput = BufferedStandardOutput()

/// Writes data to stdout (data only; messages go to stderr).
func emit(_ text: String) { standardOutput.write(text) }

/// Writes a message to stderr.
func note(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// True when stderr is a terminal (progress is shown only then).
var stderrIsTerminal: Bool { isatty(2) == 1 }

/// A `--region` value as a prefix: a full code selects the division and everything inside it
/// (420000 -> 42, 420100 -> 4201); shorter input is already a prefix.
func regionPrefix(_ code: String) -> String { code.count == 6 ? Divisions.prefix(of: code) : code }
