import ArgumentParser
import RegistryCore
import RegistryFiles
import RegistryService
import RegistryStore

/// The options every `... import FILE` command takes, and how each reports.
struct ImportOptionsGroup: ParsableArguments {
  @Argument(help: "The CSV file (UTF-8 with or without BOM, or GB18030) or Excel workbook (.xlsx).") var file: String
  @Option(help: ArgumentHelp("The sheet of a workbook to read (default: the first).", valueName: "name"))
  var sheet: String?
  @Option(
    name: .customLong("skip-invalid"),
    help: ArgumentHelp(
      """
      Load the good rows; write rejected rows with reasons to this new file (owner-only; never the registry or the \
      input).
      """,
      valueName: "file")) var skipInvalid: String?
  @Flag(help: "Let --skip-invalid replace an existing file.") var force = false
  @Option(help: "File encoding (auto: read the whole file first).") var encoding: TextEncoding = .auto

  func options(_ global: GlobalOptions, effective: Day? = nil) throws -> ImportOptions {
    var options = ImportOptions(effectiveOn: effective ?? global.asOf, asOf: global.asOf)
    options.encoding = encoding
    options.sheet = sheet
    options.rejectFile = skipInvalid
    options.force = force
    if stderrIsTerminal { options.progress = { note("... \($0) rows", zh: "……已读\($0)行") } }
    return options
  }

  /// Reads the file at the edge (its encoding, the reject file) and hands its records to the
  /// registry's import of `kind`; then prints the report.
  func run(_ global: GlobalOptions, effective: Day? = nil, _ kind: ImportKind) throws {
    let registry = try global.openRegistry()
    let options = try options(global, effective: effective)
    let report = try CSVImport.run(file, options: options, protected: registry.protectedPaths) {
      try registry.importRecords(kind, $0, rejects: $1, options: options)
    }
    finish(report, global)
  }

  /// Warnings and the reject count to stderr; the report to stdout.
  func finish(_ report: ImportReport, _ global: GlobalOptions) {
    report.warnings.forEach { warn($0) }
    if report.warningCount > report.warnings.count {
      warn(
        Messages.say(
          "... \(report.warningCount - report.warnings.count) more warnings",
          zh: "……另有\(report.warningCount - report.warnings.count)条警告"))
    }
    if report.rejected > 0, let skipInvalid {
      note("\(report.rejected) row(s) rejected; see \(skipInvalid).", zh: "\(report.rejected)行未导入，详见 \(skipInvalid)。")
    }
    emit(Render.render(.record(report.record), as: global.format, language: global.language))
  }
}
