import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg.EnterpriseGroup {
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        "Import enterprises from a CSV file, all or nothing (upsert by credit code).",
        zh: "从 CSV 或 Excel 文件导入企业，全部成功或全部不导入（按信用代码新增或更新）。"),
      discussion: """
        Columns are matched by header, English or Chinese (credit_code/统一社会信用代码, name/企业名称,
        region_code/行政区划代码, industry_code/行业代码, ...; see the README). UTF-8 with or without BOM and
        GB18030 (Chinese Excel) are read. Any bad row aborts the import with every bad row listed and the
        database untouched, unless --skip-invalid FILE is given: then the good rows load and each bad row is
        written to FILE with its reason. Importing the same file again changes nothing. The file is read and
        checked without locking the registry, and its new firms are written in short transactions, invisible
        until the import completes: other users can keep working while a large file loads.
        Example: envreg enterprise import samples/enterprises.csv --skip-invalid rejects.csv
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup
    @Option(help: "Date that changed facts take effect in the history (default: --as-of).", transform: dayArgument)
    var effective: Day?

    func run() throws {
      try source.run(global, effective: effective, .enterprises)
    }
  }
}
