// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "envreg",
  products: [
    .executable(name: "envreg", targets: ["envreg"]),
    .library(name: "RegistryCore", targets: ["RegistryCore"]),
    .library(name: "RegistryService", targets: ["RegistryService"]),
    .library(name: "RegistryStore", targets: ["RegistryStore"]),
    .library(name: "RegistryPostgres", targets: ["RegistryPostgres"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // SHA-256 and HMAC for row seals at import speed (BoringSSL's assembly, also in debug builds).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // The served registry (issue 14): HTTP server, bcrypt for passwords, server-rendered templates.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    // Excel workbooks in (issue 15): the ZIP container; the XML inside is scanned by our own code.
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // The PostgreSQL storage (issue 13): the wire protocol, COPY, TLS.
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // Build-time helper: turns schema.sql and the bundled code tables into Swift string literals,
    // so the binary is self-contained and schema.sql stays the one source of truth.
    .executableTarget(name: "embed-resources", path: "Sources/embed-resources"),
    .plugin(
      name: "EmbedResourcesPlugin",
      capability: .buildTool(),
      dependencies: ["embed-resources"],
      path: "Sources/EmbedResourcesPlugin"
    ),
    // Pure Swift: codes, rules, parameters, renderers. No SQLite, no files, no clock.
    .target(
      name: "RegistryCore",
      exclude: ["Embedded"],
      plugins: ["EmbedResourcesPlugin"]
    ),
    // The use cases over a storage protocol: calls rules in RegistryCore, imports no database library.
    .target(name: "RegistryService", dependencies: ["RegistryCore"]),
    // Files at the edge: CSV read in either encoding as records, outputs written whole and owner-only.
    .target(
      name: "RegistryFiles",
      dependencies: ["RegistryCore", "RegistryService", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    // The SQLite storage: GRDB over the system libsqlite3; domain types only in its public API.
    .target(
      name: "RegistryStore",
      dependencies: [
        "RegistryCore",
        "RegistryService",
        "RegistryFiles",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      plugins: ["EmbedResourcesPlugin"]
    ),
    // The PostgreSQL storage: PostgresNIO over PostgreSQL 15, the same protocol as the SQLite one.
    // Depends on the core and the service only; its schema (schema-postgres.sql) sits beside schema.sql.
    .target(
      name: "RegistryPostgres",
      dependencies: [
        "RegistryCore",
        "RegistryService",
        "RegistryFiles",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      plugins: ["EmbedResourcesPlugin"]
    ),
    // The served registry: pages and the JSON API over the service, accounts and sessions. No
    // database library: it runs on whichever storage it is given.
    .target(
      name: "RegistryServer",
      dependencies: [
        "RegistryCore",
        "RegistryService",
        "RegistryFiles",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      plugins: ["EmbedResourcesPlugin"]
    ),
    .executableTarget(
      name: "envreg",
      dependencies: [
        "RegistryCore",
        "RegistryService",
        "RegistryFiles",
        "RegistryStore",
        "RegistryPostgres",
        "RegistryServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["EmbedResourcesPlugin"]
    ),
    .testTarget(name: "RegistryCoreTests", dependencies: ["RegistryCore"]),
    // The service's use cases on the SQLite storage, on temporary files.
    .testTarget(
      name: "RegistryServiceTests",
      dependencies: ["RegistryService", "RegistryStore", "RegistryPostgres", "RegistryFiles", "RegistryCore"]),
    .testTarget(
      name: "RegistryStoreTests",
      dependencies: [
        "RegistryStore", "RegistryService", "RegistryFiles", "RegistryCore",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "RegistryServerTests",
      dependencies: [
        "RegistryServer", "RegistryStore", "RegistryPostgres", "RegistryService", "RegistryCore",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
    .testTarget(
      name: "envregTests",
      dependencies: [
        "envreg", "RegistryCore", "RegistryService", "RegistryFiles", "RegistryStore", "RegistryPostgres",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["Snapshots"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
