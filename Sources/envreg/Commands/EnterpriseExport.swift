import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

extension EnvReg.EnterpriseGroup {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: Messages.say(
        "Write every fact of the selected enterprises as CSV or JSON, streaming.", zh: "以 CSV 或 JSON 流式导出所选企业的全部信息。"),
      discussion: Messages.say(
        """
        Takes the same selection options as 'list'. The CSV columns are the import columns, so an export
        imports back unchanged. Default format: csv.
        """,
        zh: """
          筛选选项与 'list' 相同。CSV 的列就是导入的列，因此导出的文件可原样导回。默认格式：csv。
          """)
        + "\n" + """
          Example: envreg enterprise export --region 42 --output hubei.csv
          """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: EnterpriseFilterOptions
    @Option(
      help: ArgumentHelp("Write to this file instead of stdout (owner-only; never the registry).", valueName: "file"))
    var output: String?
    @Flag(help: "Replace --output if it exists.") var force = false
    @Option(help: "Encoding of a CSV --output file: utf-8-bom (Excel reads the Chinese), utf-8 or gb18030.")
    var encoding: OutputEncoding = .utf8BOM

    func run() throws {
      let registry = try global.openRegistry()
      let filter = try selection.filter(asOf: global.asOf)
      let format: OutputFormat = global.format == .table ? .csv : global.format
      let sink = try OutputSink(
        path: output, force: force, protected: registry.protectedPaths, encoding: format == .csv ? encoding : .utf8)
      var writer = ListWriter(format: format)
      var count = 0
      try registry.forEachEnterprise(filter) { firm in
        try sink.write(writer.write(Report.facts(firm)))
        count += 1
        if count % 100_000 == 0, stderrIsTerminal { note("... \(count) exported", zh: "……已导出\(count)家") }
      }
      try sink.write(writer.finish())
      try sink.close()
      note(
        "Exported \(count) enterprise(s)\(output.map { " to \($0)" } ?? "").",
        zh: "已导出\(count)家企业\(output.map { "至 \($0)" } ?? "")。")
    }
  }
}

/// A buffered writer to a file (an `OutputFile`: checked, owner-only, whole or absent) or to stdout.
final class OutputSink {
  private let file: OutputFile?
  private var buffer: [UInt8] = []
  /// The encoding of a file (a CSV for people); standard output is always plain UTF-8.
  private let encoding: OutputEncoding

  /// `protected`: the registry's files and any input; an existing file needs `force`. `encoding`
  /// applies to a file only (its byte-order mark, or GB18030).
  init(path: String?, force: Bool, protected: [String], encoding: OutputEncoding = .utf8) throws {
    file = try path.map { try OutputFile(path: $0, force: force, protected: protected) }
    self.encoding = file == nil ? .utf8 : encoding
    buffer.reserveCapacity(1 << 16)
    buffer.append(contentsOf: self.encoding.preamble)
  }

  func write(_ text: String) throws {
    if encoding == .gb18030 {
      buffer.append(contentsOf: try encoding.bytes(text))
    } else {
      buffer.append(contentsOf: text.utf8)
    }
    if buffer.count >= 1 << 16 { try flush() }
  }

  func write(bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    try flush()
  }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    if let file {
      try file.write(buffer)
    } else {
      standardOutput.write(bytes: buffer)
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered and puts the file in place.
  func close() throws {
    try flush()
    try file?.commit()
  }
}
