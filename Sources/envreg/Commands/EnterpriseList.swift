import ArgumentParser
import RegistryCore
import RegistryService

extension EnvReg.EnterpriseGroup {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: Messages.say(
        "List enterprises by region, industry, key region, permit class, grade, status or name.",
        zh: "按地区、行业、重点区域、许可类别、绩效分级、状态或名称查询企业。"),
      discussion: """
        Examples:
          envreg enterprise list --region 42 --industry 26          (Hubei chemical firms)
          envreg enterprise list --key-region jjj --as-of 2023-01-01 --permit-class key
          envreg enterprise list --name 化工 --sort name --limit 20 --offset 20
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: EnterpriseFilterOptions
    @Option(help: "Rows per page (0 = all). Default: 50 in a table; every row in json and csv (paging is for people).")
    var limit: Int?
    @Option(help: "Rows to skip (paging).") var offset: Int = 0

    func validate() throws {
      guard (0...1_000_000_000).contains(limit ?? 0), (0...1_000_000_000).contains(offset) else {
        throw ValidationError("--limit and --offset must be between 0 and 1,000,000,000.")
      }
    }

    func run() throws {
      let registry = try global.openRegistry()
      var filter = try selection.filter(asOf: global.asOf)
      let pageSize = limit ?? (global.format == .table ? 50 : 0)
      filter.limit = pageSize == 0 ? nil : pageSize
      filter.offset = offset
      var writer = ListWriter(format: global.format, language: global.language)
      var shown = 0
      try registry.forEachEnterprise(filter) { firm in
        emit(writer.write(Report.listRow(firm)))
        shown += 1
      }
      emit(writer.finish())
      // Counted only when the page is full: otherwise the rows shown are the rest of the answer.
      let total =
        shown == pageSize || (shown == 0 && offset > 0) ? try registry.countEnterprises(filter) : offset + shown
      let first = shown == 0 ? 0 : offset + 1
      note(
        shown == total
          ? "\(total) enterprise(s)."
          : "Showing \(first)-\(offset + shown) of \(total); \(total - shown) left out; use --offset/--limit "
            + "to page (--limit 0 for all).",
        zh: shown == total
          ? "共\(total)家企业。"
          : "显示第\(first)-\(offset + shown)家，共\(total)家；另有\(total - shown)家未显示，用 --offset/--limit 翻页（--limit 0 显示全部）。")
    }
  }
}
