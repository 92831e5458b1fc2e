import ArgumentParser
import Foundation
import RegistryCore

extension EnvReg.EnterpriseGroup {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write every fact of the selected enterprises as CSV or JSON, streaming.",
      discussion: """
        Takes the same selection options as 'list'. The CSV columns are the import columns, so an export
        imports back unchanged. Default format: csv.
        Example: envreg enterprise export --region 42 --output hubei.csv
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: EnterpriseFilterOptions
    @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var output: String?

    func run() throws {
      let store = try global.openStore()
      let filter = try selection.filter(asOf: global.today)
      let format: OutputFormat = global.format == .table ? .csv : global.format
      let sink = try OutputSink(path: output)
      var writer = ListWriter(format: format)
      var count = 0
      try store.forEachEnterprise(filter) { firm in
        sink.write(writer.write(Report.facts(firm)))
        count += 1
        if count % 100_000 == 0, stderrIsTerminal { note("... \(count) exported") }
      }
      sink.write(writer.finish())
      try sink.close()
      note("Exported \(count) enterprise(s)\(output.map { " to \($0)" } ?? "").")
    }
  }
}

/// A buffered writer to a file, or to stdout (through the process's buffered standard output).
final class OutputSink {
  private let handle: FileHandle
  private let ownsHandle: Bool
  private var buffer: [UInt8] = []

  init(path: String?) throws {
    if let path {
      guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
        throw RegistryError.input("Cannot write \(path.quoted).")
      }
      self.handle = handle
      ownsHandle = true
    } else {
      handle = FileHandle.standardOutput
      ownsHandle = false
    }
    buffer.reserveCapacity(1 << 16)
  }

  func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  func write(bytes: [UInt8]) {
    buffer.append(contentsOf: bytes)
    flush()
  }

  func flush() {
    guard !buffer.isEmpty else { return }
    if ownsHandle {
      handle.write(Data(buffer))
    } else {
      standardOutput.flush()
      handle.write(Data(buffer))
    }
    buffer.removeAll(keepingCapacity: true)
  }

  func close() throws {
    flush()
    if ownsHandle { try handle.close() }
  }
}
