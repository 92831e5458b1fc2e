import ArgumentParser
import RegistryCore
import RegistryPostgres
import RegistryService
import RegistryStore

extension EnvReg {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: Messages.say("Create a registry database, or upgrade an older one in place.", zh: "新建登记库，或就地升级旧版登记库。"),
      discussion: Messages.say(
        """
        Applies the embedded schema.sql and loads the bundled GB/T 2260 divisions, GB/T 4754-2017
        industries and key-region sets. On an existing registry it only upgrades the schema; data is kept.
        """,
        zh: """
          执行内置的 schema.sql，并载入内置的 GB/T 2260 行政区划、GB/T 4754-2017 行业和重点区域。对已有登记库只升级结构；
          数据保留。
          """)
        + "\n" + """
          Example: envreg init --db hubei.sqlite
                   envreg init --db postgres://envreg@db.example.gov.cn:5432/hubei
          """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
      let storage = try global.registry.openStorage(create: true)
      let counts = try storage.referenceCounts()
      let version = global.registry.isPostgres ? PostgresStore.schemaVersion : Store.schemaVersion
      var fields = Fields([("database", .text(global.registry.databaseName)), ("schema_version", .int(version))])
      for key in counts.keys.sorted() { fields.append(key, .int(counts[key] ?? 0)) }
      emit(Render.render(.record(fields), as: global.format, language: global.language))
    }
  }
}
