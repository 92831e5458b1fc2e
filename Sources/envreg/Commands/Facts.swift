import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct DesignationGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "designation",
      abstract: Messages.say(
        "Designations that establish list categories (epidemic supplier, major project, key component ...).",
        zh: "据以列入清单类别的认定（防疫物资生产、重大项目、关键零部件等）。"),
      subcommands: [Add.self, Import.self])
  }

  struct IncidentGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "incident",
      abstract: Messages.say(
        "Incidents the lists look back at: environmental emergencies, crimes, serious violations, penalties.",
        zh: "清单回溯审查的事件：突发环境事件、环境犯罪、严重违法、行政处罚。"),
      subcommands: [Add.self, Import.self])
  }
}

extension EnvReg.DesignationGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Record a designation on an enterprise.", zh: "为企业记录一项认定。"),
      discussion: Messages.say(
        """
        Kinds: \(DesignationKind.allowedValues).
        """,
        zh: """
          认定类别：\(DesignationKind.allowedValues)。
          """)
        + "\n" + """
          Example: envreg designation add 91350100M000100Y43 --kind key-component --by 福建省工信厅 --from 2020-06-10
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "Designation kind.") var kind: DesignationKind
    @Option(help: "Who designated it (认定单位).") var by: String
    @Option(help: "First day in force.", transform: dayArgument) var from: Day
    @Option(help: "Last day in force (optional).", transform: dayArgument) var until: Day?
    @Option(help: "Document number (文号).") var reference: String = ""

    func run() throws {
      let designation = DesignationFact(kind: kind, grantedBy: by, validFrom: from, validUntil: until)
      let registry = try global.openRegistry()
      try registry.addDesignation(try code.resolve(in: registry), designation, reference: reference)
      emit(
        Render.render(
          .record(Report.designation(designation, reference: reference)), as: global.format, language: global.language))
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        "Import designations: credit_code, kind, granted_by, valid_from, valid_until, reference.",
        zh: "导入认定：信用代码、类别、认定单位、起始日期、截止日期、文号。"),
      discussion: Messages.say(
        """
        Chinese headers: 统一社会信用代码, 认定类别, 认定单位, 起始日期, 截止日期, 文号.
        """,
        zh: """
          中文表头：统一社会信用代码、认定类别、认定单位、起始日期、截止日期、文号。
          """)
        + "\n" + """
          Example: envreg designation import \
          samples/designations.csv
          """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .designations)
    }
  }
}

extension EnvReg.IncidentGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say("Record an incident on an enterprise.", zh: "为企业记录一起事件。"),
      discussion: Messages.say(
        """
        Kinds: \(IncidentKind.allowedValues).
        """,
        zh: """
          事件类型：\(IncidentKind.allowedValues)。
          """)
        + "\n" + """
          Example: envreg incident add 91350100M000100Y43 --kind emergency --on 2025-08-02 --reference 榕环应急〔2025〕3号
          """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Unified social credit code.", transform: creditCodeArgument) var code: CreditCodeArgument
    @Option(help: "Incident kind.") var kind: IncidentKind
    @Option(help: "Date it occurred (for a penalty: the decision date).", transform: dayArgument) var on: Day
    @Option(help: "Document number.") var reference: String = ""
    @Option(help: "Note.") var note: String = ""

    func run() throws {
      let incident = IncidentFact(kind: kind, occurredOn: on, reference: reference)
      let registry = try global.openRegistry()
      try registry.addIncident(try code.resolve(in: registry), incident, note: note)
      emit(Render.render(.record(Report.incident(incident, note: note)), as: global.format, language: global.language))
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: Messages.say(
        "Import incidents: credit_code, kind, occurred_on, reference, note.", zh: "导入事件：信用代码、类型、发生日期、文号、备注。"),
      discussion: Messages.say(
        """
        Chinese headers: 统一社会信用代码, 类型, 发生日期, 文号, 备注.
        """,
        zh: """
          中文表头：统一社会信用代码、类型、发生日期、文号、备注。
          """)
        + "\n" + """
          Example: envreg incident import samples/incidents.csv
          """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: ImportOptionsGroup

    func run() throws {
      try source.run(global, .incidents)
    }
  }
}
