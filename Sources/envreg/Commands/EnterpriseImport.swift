import ArgumentParser
import RegistryCore
import RegistryStore

extension EnvReg.EnterpriseGroup {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import enterprises from a CSV file in one transaction (upsert by credit code).",
      discussion: """
        Columns are matched by header, English or Chinese (credit_code/统一社会信用代码, name/企业名称,
        region_code/行政区划代码, industry_code/行业代码, ...; see the README). UTF-8 with or without BOM and
        GB18030 (Chinese Excel) are read. Any bad row aborts the import with every bad row listed and the
        database untouched, unless --skip-invalid FILE is given: then the good rows load and each bad row is
        written to FILE with its reason. Importing the same file again changes nothing.
        Example: envreg enterprise import samples/enterprises.csv --skip-invalid rejects.csv
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("skip-invalid"), help: ArgumentHelp("Load the good rows; write rejected rows with reasons to this file.", valueName: "file")) var skipInvalid: String?
    @Option(help: "File encoding: auto, utf-8 or gb18030.") var encoding: String = "auto"
    @Option(help: "Date that changed facts take effect in the history (default: --as-of).") var effective: Day?

    func run() throws {
      let store = try global.openStore()
      guard let textEncoding = TextEncoding(rawValue: encoding.lowercased()) else {
        throw ValidationError("--encoding \(encoding.quoted) must be auto, utf-8 or gb18030.")
      }
      var options = ImportOptions(effectiveOn: effective ?? global.today, today: global.today)
      options.encoding = textEncoding
      options.rejectFile = skipInvalid
      if stderrIsTerminal { options.progress = { note("... \($0) rows") } }
      let report = try store.importEnterprises(from: file, options: options)
      report.warnings.forEach { note("warning: \($0)") }
      if report.warningCount > report.warnings.count { note("warning: ... \(report.warningCount - report.warnings.count) more warnings") }
      if report.rejected > 0, let skipInvalid { note("\(report.rejected) row(s) rejected; see \(skipInvalid).") }
      emit(Render.render(.record(report.record), as: global.format))
    }
  }
}
