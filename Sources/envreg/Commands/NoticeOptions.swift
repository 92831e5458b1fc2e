import ArgumentParser
import Foundation
import RegistryCore
import RegistryFiles
import RegistryService

/// `--notice` on the listings a bureau publishes or serves (permit expiring, lists members, fine
/// overdue): the printable document instead of the listing, as HTML or an Excel workbook.
struct NoticeOptions: ParsableArguments {
  @Flag(help: "Write the printable notice instead of the listing (HTML; a workbook when --output ends in .xlsx).")
  var notice = false
  @Option(help: "发布机关 signing the notice (blank: a line to fill in by hand).") var issuer = ""
  @Option(
    help: ArgumentHelp(
      "Write the notice to this file (.html, .xlsx, or .csv for its table; owner-only; never the registry).",
      valueName: "file"))
  var output: String?
  @Flag(help: "Replace --output if it exists.") var force = false

  func validate() throws {
    if !notice && (output != nil || !issuer.isEmpty || force) {
      throw ValidationError("--issuer, --output and --force go with --notice.")
    }
    if let refusal = FreeText.refusal(issuer, field: "issuer", maxLength: 100) {
      throw ValidationError("--issuer \(issuer.quoted): \(refusal)")
    }
  }

  /// Writes the notice: the workbook to a .xlsx --output, its table to a .csv one (with the BOM
  /// Excel needs), else the HTML to --output or stdout.
  func write(_ document: Notice, _ registry: Registry) throws {
    let suffix = output?.lowercased()
    let workbook = suffix?.hasSuffix(".xlsx") ?? false, table = suffix?.hasSuffix(".csv") ?? false
    let sink = try OutputSink(
      path: output, force: force, protected: registry.protectedPaths, encoding: table ? .utf8BOM : .utf8)
    if workbook {
      try sink.write(bytes: document.xlsx)
    } else {
      try sink.write(table ? document.csv : document.html)
    }
    try sink.close()
    if let output {
      note(
        "Wrote \(document.title) (\(document.rows.count) row(s)) to \(output).",
        zh: "已将《\(document.title)》（\(document.rows.count)行）写入 \(output)。")
    }
  }
}
