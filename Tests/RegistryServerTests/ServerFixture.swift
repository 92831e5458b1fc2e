import Foundation
import Hummingbird
import HummingbirdTesting
import RegistryCore
import RegistryPostgres
import RegistryServer
import RegistryService
import RegistryStore
import Testing

/// The storage engines the server runs on: SQLite, and PostgreSQL on the cluster `.ci/run` starts
/// (ENVREG_TEST_POSTGRES; CI fails without it, elsewhere only SQLite runs when it is not set).
enum Engine: String, CaseIterable, Sendable {
  case sqlite, postgres

  static let server = ProcessInfo.processInfo.environment["ENVREG_TEST_POSTGRES"]
  static let available: [Engine] =
    server != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? allCases : [.sqlite]
}

/// A registry on a temporary file (or a new PostgreSQL database) with three firms (Wuhan 江岸 and
/// 硚口 inside officer `wuhan`'s
/// region 4201, Yichang outside it, Beijing outside the province) and one account per role.
final class ServerFixture: @unchecked Sendable {
  static let asOf = Day("2026-11-30")!
  static let password = "Correct-Horse-42"
  let directory: String
  let store: any RegistryStorage
  let registry: Registry
  private var database: (server: String, name: String)?
  var configuration = ServerConfiguration()

  /// Firms by place: inside Wuhan (4201), in Hubei outside Wuhan (4205), outside Hubei (11).
  let wuhan: CreditCode, yichang: CreditCode, beijing: CreditCode

  init(_ engine: Engine = .sqlite) throws {
    directory = NSTemporaryDirectory() + "envreg-server-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    switch engine {
    case .sqlite: store = try Store(path: directory + "/reg.sqlite", create: true, actor: "fixture")
    case .postgres:
      guard let server = Engine.server, let slash = server.lastIndex(of: "/") else {
        throw RegistryError.input("ENVREG_TEST_POSTGRES is not set: start a cluster with 'bash .ci/postgres start'")
      }
      let name = "envreg_h_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
      try ServerFixture.psql(server, "CREATE DATABASE \(name)")
      database = (server, String(name))
      store = try PostgresStore(
        url: String(server[..<slash]) + "/" + name, create: true, actor: "fixture", connections: 4)
    }
    registry = Registry(storage: store)
    wuhan = try ServerFixture.addFirm(registry, region: "420104", serial: 1, name: "武汉宝丰钢铁有限公司")
    yichang = try ServerFixture.addFirm(registry, region: "420503", serial: 2, name: "宜昌长江化工有限公司")
    beijing = try ServerFixture.addFirm(registry, region: "110115", serial: 3, name: "北京康健医疗用品有限公司")
    for (name, role, region) in [
      ("root", Role.admin, nil), ("wuhan", .officer, "4201"), ("hubei-viewer", .viewer, "42"),
      ("yichang", .officer, "420503"),
    ] as [(String, Role, String?)] {
      _ = try registry.addAccount(name: name, role: role, region: region, password: ServerFixture.password) {
        Secrets.hashPassword($0, cost: 4)
      }
    }
    configuration.asOf = ServerFixture.asOf
    configuration.bcryptCost = 4
    configuration.logLevel = .error
  }

  deinit {
    try? FileManager.default.removeItem(atPath: directory)
    (store as? PostgresStore)?.close()
    if let database { try? ServerFixture.psql(database.server, "DROP DATABASE \(database.name) WITH (FORCE)") }
  }

  /// One statement on the cluster's maintenance database.
  static func psql(_ server: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw RegistryError.input("psql failed: \(sql)") }
  }

  /// A valid credit code in `region` (GB 11714 part arbitrary: a warning only, ID-2).
  static func code(region: String, serial: Int) throws -> CreditCode {
    let body = "91" + region + "MA" + String(format: "%07d", serial)
    return try CreditCode.parse(body + String(CreditCode.checkCharacter(for: body) ?? "0")).get()
  }

  @discardableResult
  static func addFirm(_ registry: Registry, region: String, serial: Int, name: String) throws -> CreditCode {
    let code = try code(region: region, serial: serial)
    var input = EnterpriseInput()
    input[.creditCode] = code.value
    input[.name] = name
    input[.regionCode] = region
    input[.industryCode] = "3120"
    input[.registeredOn] = "2020-01-01"
    _ = try registry.addEnterprise(input, asOf: asOf)
    return code
  }

  func application() throws -> some ApplicationProtocol {
    try RegistryServer.application(registry: registry, configuration: configuration)
  }

  var auditCount: Int { (try? registry.auditHead().rows) ?? -1 }

  func lastAudit() throws -> AuditEntry? { try registry.auditLog().last }
}

/// A browser: keeps the session cookie and the page's CSRF token.
struct Browser {
  let client: any TestClientProtocol
  var cookie = ""
  var csrf = ""

  static func body(_ response: TestResponse) -> String { String(buffer: response.body) }

  /// Signs in; returns the response status.
  @discardableResult
  mutating func signIn(_ name: String, password: String = ServerFixture.password) async throws -> HTTPResponse.Status {
    let response = try await client.execute(
      uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
      body: ByteBuffer(string: "name=\(name)&password=\(password)"))
    if let set = response.headers[.setCookie], let value = set.split(separator: ";").first {
      cookie = String(value)
      let page = try await get("/")
      csrf = Browser.csrf(in: Browser.body(page)) ?? ""
    }
    return response.head.status
  }

  func get(_ uri: String) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .get, headers: cookie.isEmpty ? [:] : [.cookie: cookie])
  }

  /// A form post with this browser's CSRF token (unless `csrf` is given).
  func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
    let all = [("_csrf", csrf ?? self.csrf)] + fields
    let body = all.map { "\($0.0)=\(Browser.encode($0.1))" }.joined(separator: "&")
    return try await client.execute(
      uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
      body: ByteBuffer(string: body))
  }

  /// An import upload (multipart, as the import page's form sends it) of a CSV file.
  func upload(kind: String, csv: String, skip: Bool, csrf: String? = nil) async throws -> TestResponse {
    let boundary = "envregTestBoundary"
    var body = ""
    for (name, value) in [("_csrf", csrf ?? self.csrf), ("kind", kind)] + (skip ? [("skip", "1")] : []) {
      body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }
    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(kind).csv\"\r\n"
    body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
    return try await client.execute(
      uri: "/import", method: .post,
      headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
      body: ByteBuffer(string: body))
  }

  /// The reject file a successful upload's page links to.
  func rejects(of response: TestResponse) async throws -> String {
    let page = Browser.body(response)
    let link = try #require(page.range(of: "/import/rejects/")).lowerBound
    return Browser.body(try await get(String(page[link...].prefix { $0 != "\"" })))
  }

  static func encode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  static func csrf(in html: String) -> String? {
    guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
  }
}
