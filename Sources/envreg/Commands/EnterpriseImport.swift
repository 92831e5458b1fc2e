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
      discussion: Messages.say(
        """
        Columns are matched by header, English or Chinese (credit_code/统一社会信用代码, name/企业名称,
        region_code/行政区划代码, industry_code/行业代码, ...; see the README). UTF-8 with or without BOM and
        GB18030 (Chinese Excel) are read. Any bad row aborts the import with every bad row listed and the
        database untouched, unless --skip-invalid FILE is given: then the good rows load and each bad row is
        written to FILE with its reason. Importing the same file again changes nothing. The file is read and
        checked without locking the registry, and its new firms are written in short transactions, invisible
        until the import completes: other users can keep working while a large file loads.
        """,
        zh: """
          按表头匹配列，英文或中文均可（credit_code/统一社会信用代码、name/企业名称、region_code/行政区划代码、
          industry_code/行业代码……；见 README）。可读 UTF-8（带或不带 BOM）和 GB18030（中文 Excel）。任何一行有误，
          整个导入即中止，列出所有有误的行，数据库不变；除非给出 --skip-invalid FILE：此时导入正确的行，每个有误的行连同
          理由写入 FILE。再次导入同一文件不会改变任何内容。读取和检查文件时不锁定登记库，新企业分小事务写入，
          在导入完成前不可见：大文件导入期间其他用户可以继续工作。
          """)
        + "\n" + """
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
