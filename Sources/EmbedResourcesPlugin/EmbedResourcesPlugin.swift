import Foundation
import PackagePlugin

/// Embeds text resources into the target as Swift string literals.
///
/// Every `.csv`, `.tsv`, `.sql`, `.mustache` and `.css` file in the target's `Embedded/` folder is embedded; the
/// `RegistryStore` target also embeds the package's top-level `schema.sql`, which stays the only
/// schema, and `RegistryPostgres` its PostgreSQL counterpart `schema-postgres.sql`; the `envreg`
/// executable embeds the UTF-8 CSV files and the workbook of `samples/` for
/// `envreg demo`.
/// The generated file declares `enum Embedded` with one `static let` per file.
@main
struct EmbedResourcesPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    guard let target = target as? SourceModuleTarget else { return [] }
    var inputs: [URL] = []
    let folder = target.directoryURL.appending(path: "Embedded")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names.sorted() where [".csv", ".tsv", ".sql", ".mustache", ".css"].contains(where: name.hasSuffix) {
      inputs.append(folder.appending(path: name))
    }
    if target.name == "RegistryStore" {
      inputs.append(context.package.directoryURL.appending(path: "schema.sql"))
    }
    if target.name == "RegistryPostgres" {
      inputs.append(context.package.directoryURL.appending(path: "schema-postgres.sql"))
    }
    if target.name == "envreg" {
      // The demo's data: the UTF-8 sample files (the GB18030 one is for tests, read from disk) and
      // the workbook as a bureau saves it (embedded as bytes).
      let samples = context.package.directoryURL.appending(path: "samples")
      let files = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
      for name in files.sorted()
      where (name.hasSuffix(".csv") && !name.contains("gb18030")) || name.hasSuffix(".xlsx") {
        inputs.append(samples.appending(path: name))
      }
    }
    guard !inputs.isEmpty else { return [] }
    let output = context.pluginWorkDirectoryURL.appending(path: "Embedded+\(target.name).swift")
    return [
      .buildCommand(
        displayName: "Embedding \(inputs.count) resource(s) into \(target.name)",
        executable: try context.tool(named: "embed-resources").url,
        arguments: [output.path] + inputs.map(\.path),
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }
}
