import Foundation
import Hummingbird
import HummingbirdTesting
import RegistryCore
import RegistryServer
import RegistryService
import RegistryStore
import Testing

@Suite("envreg serve: sign-in, rights, CSRF, sessions, escaping, API")
struct ServerTests {
  /// What a write route does to a firm of a region, for the rights matrix.
  enum Write: String, CaseIterable, Sendable {
    case register, ledgerAdd, ledgerEntry, revoke
  }

  struct Cell: Sendable, CustomStringConvertible {
    let account: String
    let write: Write
    let inside: Bool
    let allowed: Bool
    var description: String { "\(account) \(write) \(inside ? "inside" : "outside") → \(allowed ? "303" : "403")" }
  }

  /// The rights matrix: each role × each write route × a firm inside / outside officer `wuhan`'s
  /// region (4201). Admin writes anywhere; the officer inside its region only; the viewer nowhere.
  static let matrix: [Cell] = {
    var cells: [Cell] = []
    for write in Write.allCases {
      for inside in [true, false] {
        cells.append(Cell(account: "root", write: write, inside: inside, allowed: true))
        cells.append(Cell(account: "wuhan", write: write, inside: inside, allowed: inside))
        cells.append(Cell(account: "hubei-viewer", write: write, inside: inside, allowed: false))
      }
    }
    return cells
  }()

  @Test(
    "Rights matrix: role × write route × firm inside/outside the region; an audit row naming the user where allowed",
    arguments: Engine.available, matrix)
  func rightsMatrix(_ engine: Engine, cell: Cell) async throws {
    try await rightsMatrix(cell: cell, fixture: try ServerFixture(engine))
  }

  func rightsMatrix(cell: Cell, fixture: ServerFixture) async throws {
    let target = cell.inside ? fixture.wuhan : fixture.yichang
    let region = cell.inside ? "420104" : "420503"
    // Preconditions written by the file's owner: a ledger item and a membership to act on.
    let item = try fixture.registry.addLedgerItem(
      LedgerItem(
        id: 0, source: .inspection, problemType: "治污设施", description: "废气收集效率低", foundOn: ServerFixture.asOf,
        itemClass: .tracked, measures: "", responsibleUnit: "分局", responsiblePerson: "张伟",
        dueOn: ServerFixture.asOf.adding(days: 30)), firm: target)
    _ = try fixture.registry.admit(
      target, to: .inspectionExemption, on: ServerFixture.asOf, overrideReason: "test precondition")
    let before = fixture.auditCount
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      #expect(try await browser.signIn(cell.account) == .seeOther)
      let response: TestResponse
      switch cell.write {
      case .register:
        let code = try ServerFixture.code(region: region, serial: 900)
        response = try await browser.post(
          "/firms",
          [("credit_code", code.value), ("name", "新登记测试企业有限公司"), ("region_code", region), ("industry_code", "2614")])
      case .ledgerAdd:
        response = try await browser.post(
          "/firms/\(target.value)/ledger",
          [
            ("source", "执法检查"), ("type", "台账"), ("description", "未按要求记录"), ("class", "跟踪督办"), ("unit", "分局"),
            ("person", "李明"), ("due", "2026-12-31"),
          ])
      case .ledgerEntry:
        response = try await browser.post("/ledger/\(item.item.id)/entry", [("to", "整改中"), ("note", "已开始整改")])
      case .revoke:
        response = try await browser.post(
          "/firms/\(target.value)/revoke", [("list", "inspection-exemption"), ("reason", "复查不再符合")])
      }
      #expect(response.status == (cell.allowed ? .seeOther : .forbidden), "\(cell): \(Browser.body(response))")
    }
    if cell.allowed {
      #expect(fixture.auditCount == before + 1, "\(cell)")
      #expect(try fixture.lastAudit()?.actor == "user:\(cell.account)", "\(cell)")
    } else {
      #expect(fixture.auditCount == before, "\(cell): a refused write leaves no row")
    }
  }

  @Test("An officer cannot move a firm out of its region, nor read a firm outside its province")
  func readsAndMoves() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("wuhan")
      #expect(try await browser.get("/firms/\(fixture.yichang.value)").status == .ok)  // same province: reads
      let outside = try await browser.get("/firms/\(fixture.beijing.value)")
      #expect(outside.status == .forbidden)
      // Pages speak the reader's language: the refusal's reason in Chinese too.
      #expect(Browser.body(outside).contains("不在") && Browser.body(outside).contains("无权操作"))
      // Listing another province: refused; its own province: fine.
      #expect(try await browser.get("/firms?region=11").status == .forbidden)
      #expect(try await browser.get("/firms?region=42").status == .ok)
    }
    // The service check inside the transaction: an officer's update moving a firm out is refused.
    let officer = try #require(try fixture.store.account(named: "wuhan"))
    var input = EnterpriseInput()
    input[.regionCode] = "420503"
    #expect(throws: RegistryError.self) {
      _ = try fixture.registry.acting(as: officer).updateEnterprise(
        fixture.wuhan, input, effectiveOn: ServerFixture.asOf, asOf: ServerFixture.asOf)
    }
    #expect(try fixture.registry.enterprise(fixture.wuhan)?.regionCode == "420104")
  }

  @Test("CSRF: a form post without the session's token, or with another's, is refused and writes nothing")
  func csrf() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    let before = fixture.auditCount
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      #expect(!browser.csrf.isEmpty)
      let fields = [("list", "inspection-exemption"), ("override", "x")]
      #expect(try await browser.post("/firms/\(fixture.wuhan.value)/admit", fields, csrf: "").status == .forbidden)
      #expect(
        try await browser.post("/firms/\(fixture.wuhan.value)/admit", fields, csrf: String(repeating: "0", count: 64))
          .status == .forbidden)
      // Another session's token does not pass either.
      var other = Browser(client: client)
      try await other.signIn("wuhan")
      #expect(
        try await browser.post("/firms/\(fixture.wuhan.value)/admit", fields, csrf: other.csrf).status == .forbidden)
    }
    #expect(fixture.auditCount == before)
  }

  @Test("Sessions: a planted id is never promoted at sign-in; logout and idle expiry end the session")
  func sessions() async throws {
    let fixture = try ServerFixture()
    let clock = ManualClock()
    fixture.configuration.clock = { clock.now }
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      browser.cookie = "envreg_session=" + String(repeating: "a", count: 64)
      try await browser.signIn("root")
      #expect(browser.cookie != "envreg_session=" + String(repeating: "a", count: 64))
      var planted = Browser(client: client)
      planted.cookie = "envreg_session=" + String(repeating: "a", count: 64)
      #expect(try await planted.get("/").status == .seeOther)  // to /login
      #expect(try await browser.get("/").status == .ok)
      // Idle past the limit: signed out.
      clock.advance(29 * 60)
      #expect(try await browser.get("/").status == .ok)  // each request restarts the idle clock
      clock.advance(29 * 60)
      #expect(try await browser.get("/").status == .ok)
      clock.advance(30 * 60 + 1)
      #expect(try await browser.get("/").status == .seeOther)
      // Sign in again, then log out: the old cookie no longer works.
      try await browser.signIn("root")
      let cookie = browser.cookie
      #expect(try await browser.post("/logout", []).status == .seeOther)
      var replay = Browser(client: client)
      replay.cookie = cookie
      #expect(try await replay.get("/").status == .seeOther)
    }
  }

  @Test("Sessions end 12 hours after sign-in however busy; the sign-in throttle forgets failures after its window")
  func lifetimeAndWindow() async throws {
    let fixture = try ServerFixture()
    let clock = ManualClock()
    fixture.configuration.clock = { clock.now }
    fixture.configuration.loginLimit = 2
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      for _ in 0..<25 {
        clock.advance(29 * 60)
        _ = try await browser.get("/")
      }
      #expect(try await browser.get("/").status == .seeOther)
      var other = Browser(client: client)
      #expect(try await other.signIn("wuhan", password: "wrong-password-1") == .unauthorized)
      #expect(try await other.signIn("wuhan", password: "wrong-password-1") == .unauthorized)
      #expect(try await other.signIn("wuhan") == .tooManyRequests)
      clock.advance(15 * 60 + 1)
      #expect(try await other.signIn("wuhan") == .seeOther)
    }
  }

  @Test("Cookies: HttpOnly, SameSite=Strict, Secure when configured")
  func cookieFlags() async throws {
    let fixture = try ServerFixture()
    fixture.configuration.secureCookies = true
    let app = try fixture.application()
    try await app.test(.router) { client in
      let response = try await client.execute(
        uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: "name=root&password=\(ServerFixture.password)"))
      let cookie = try #require(response.headers[.setCookie])
      #expect(cookie.contains("HttpOnly"))
      #expect(cookie.contains("SameSite=Strict"))
      #expect(cookie.contains("Secure"))
    }
  }

  @Test("Sign-in is rate-limited per account name: after the limit even the right password waits (429, Retry-After)")
  func rateLimit() async throws {
    let fixture = try ServerFixture()
    fixture.configuration.loginLimit = 3
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      for _ in 0..<3 { #expect(try await browser.signIn("root", password: "wrong-password-1") == .unauthorized) }
      let response = try await client.execute(
        uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
        body: ByteBuffer(string: "name=root&password=\(ServerFixture.password)"))
      #expect(response.status == .tooManyRequests)
      #expect(response.headers[.retryAfter] != nil)
      // Another account is not locked by root's failures... unless from the same address past the limit.
      #expect(try await browser.signIn("hubei-viewer") == .tooManyRequests)
    }
  }

  @Test("A disabled account cannot sign in, and its open session ends at its next request")
  func disabled() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    try await app.test(.router) { client in
      var officer = Browser(client: client)
      try await officer.signIn("wuhan")
      #expect(try await officer.get("/").status == .ok)
      _ = try fixture.registry.disableAccount(name: "wuhan")
      #expect(try await officer.get("/").status == .seeOther)
      var again = Browser(client: client)
      #expect(try await again.signIn("wuhan") == .unauthorized)
    }
  }

  @Test("Every user-supplied value is escaped: a firm named <script>…</script> renders as text on every page")
  func escaping() async throws {
    let fixture = try ServerFixture()
    let evil = "<script>alert(1)</script>\"'&"
    let code = try ServerFixture.addFirm(fixture.registry, region: "420102", serial: 77, name: evil)
    _ = try fixture.registry.addLedgerItem(
      LedgerItem(
        id: 0, source: .inspection, problemType: "<b>type</b>", description: "<img src=x onerror=alert(2)>",
        foundOn: ServerFixture.asOf.adding(days: -10), itemClass: .tracked, measures: "", responsibleUnit: "u",
        responsiblePerson: "p",
        dueOn: ServerFixture.asOf.adding(days: -1)), firm: code)
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      for uri in [
        "/firms?name=%3Cscript%3E", "/firms/\(code.value)", "/firms/\(code.value)/eligibility", "/ledger", "/",
        "/audit", "/firms?name=%3Cscript%3Ealert(3)%3C%2Fscript%3E",
      ] {
        let html = Browser.body(try await browser.get(uri))
        #expect(!html.contains("<script>"), "\(uri)")
        #expect(!html.contains("<img src=x"), "\(uri)")
        #expect(!html.contains("<b>type"), "\(uri)")
      }
      let profile = Browser.body(try await browser.get("/firms/\(code.value)"))
      #expect(profile.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
  }

  @Test("Register a firm: every validation message at its field (422), the form keeps what was typed")
  func registerValidation() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      let response = try await browser.post(
        "/firms",
        [("credit_code", "91420104MA0000001X"), ("name", "某某公司"), ("region_code", "999999"), ("industry_code", "2614")])
      #expect(response.status == .unprocessableContent)
      let html = Browser.body(response)
      #expect(html.contains("field invalid"))
      #expect(html.contains("value=\"某某公司\""))
      #expect(html.contains("999999"))
    }
  }

  @Test(
    "The API: bearer tokens act with their account's rights; revoked or disabled → 401; errors as JSON",
    arguments: Engine.available)
  func api(_ engine: Engine) async throws {
    let fixture = try ServerFixture(engine)
    let officerToken = Secrets.newToken()
    let tokenID = try fixture.registry.addToken(
      account: "wuhan", label: "sync", tokenHash: Secrets.tokenHash(officerToken))
    let app = try fixture.application()
    try await app.test(.router) { client in
      func call(_ uri: String, _ method: HTTPRequest.Method = .get, body: String? = nil, token: String? = nil)
        async throws -> TestResponse
      {
        try await client.execute(
          uri: uri, method: method,
          headers: [.authorization: "Bearer \(token ?? officerToken)", .contentType: "application/json"],
          body: body.map { ByteBuffer(string: $0) })
      }
      let profile = try await call("/api/v1/enterprises/\(fixture.wuhan.value)")
      #expect(profile.status == .ok)
      let expected = Render.render(
        .record(try fixture.registry.profile(fixture.wuhan, asOf: ServerFixture.asOf)), as: .json)
      #expect(String(buffer: profile.body) == expected)
      let outside = try await call("/api/v1/enterprises/\(fixture.beijing.value)")
      #expect(outside.status == .forbidden)
      #expect(String(buffer: outside.body).contains("\"status\": 403"))
      let created = try await call(
        "/api/v1/enterprises", .post,
        body: """
          {"credit_code": "\(try ServerFixture.code(region: "420102", serial: 55).value)", "name": "API登记企业有限公司",
           "region_code": "420102", "industry_code": "2614"}
          """)
      #expect(created.status == .created, "\(String(buffer: created.body))")
      #expect(try fixture.lastAudit()?.actor == "user:wuhan")
      let invalid = try await call("/api/v1/enterprises", .post, body: #"{"credit_code": "x"}"#)
      #expect(invalid.status == .unprocessableContent)
      #expect(String(buffer: invalid.body).contains("\"problems\""))
      try fixture.registry.revokeToken(account: "wuhan", id: tokenID)
      #expect(try await call("/api/v1/me").status == .unauthorized)
      #expect(
        try await call("/api/v1/me", token: "envreg_" + String(repeating: "0", count: 64)).status == .unauthorized)
    }
  }

  @Test("OpenAPI 3.1: the document parses, and every route it lists answers with JSON (no route is missing)")
  func openAPI() async throws {
    let fixture = try ServerFixture()
    let token = Secrets.newToken()
    _ = try fixture.registry.addToken(account: "root", label: "t", tokenHash: Secrets.tokenHash(token))
    let app = try fixture.application()
    try await app.test(.router) { client in
      let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
      #expect(document["openapi"] as? String == "3.1.0")
      let paths = try #require(document["paths"] as? [String: [String: Any]])
      #expect(paths.count >= 5)
      for (path, operations) in paths {
        for method in operations.keys {
          let uri = path.replacingOccurrences(of: "{code}", with: fixture.wuhan.value)
          let answer = try await client.execute(
            uri: uri, method: method == "post" ? .post : .get,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: method == "post" ? ByteBuffer(string: "{}") : nil)
          #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true, "\(method) \(path)")
          #expect(answer.status != .notFound, "\(method) \(path)")
        }
      }
    }
  }

  @Test(
    "Every page answers for an admin; the ledger report downloads as xlsx, html and csv (with a BOM)",
    arguments: Engine.available)
  func everyPage(_ engine: Engine) async throws {
    let fixture = try ServerFixture(engine)
    _ = try fixture.registry.addLedgerItem(
      LedgerItem(
        id: 0, source: .inspection, problemType: "台账", description: "记录不全", foundOn: ServerFixture.asOf,
        itemClass: .tracked, measures: "", responsibleUnit: "分局", responsiblePerson: "张伟",
        dueOn: ServerFixture.asOf.adding(days: 10)), firm: fixture.wuhan)
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      for (uri, marker) in [
        ("/", "30日内到期事项"), ("/firms?region=42", "\(fixture.wuhan.value)"), ("/firms/new", "f-credit_code"),
        ("/firms/\(fixture.wuhan.value)", "武汉宝丰钢铁有限公司"), ("/firms/\(fixture.wuhan.value)/edit", "f-legal_rep"),
        ("/firms/\(fixture.wuhan.value)/eligibility", "EX-K1"), ("/permits", "PM-2"), ("/permits?overdue=1", "PM-3"),
        ("/fines", "FN-1"), ("/ledger", "记录不全"), ("/audit", "user.add"), ("/admin/users", "hubei-viewer"),
        ("/import", "multipart/form-data"), ("/static/site.css", "font-family"),
      ] {
        let response = try await browser.get(uri)
        #expect(response.status == .ok, "\(uri)")
        #expect(Browser.body(response).contains(marker), "\(uri) shows \(marker)")
      }
      #expect(try await browser.get("/fines/detail?decision=none").status == .notFound)
      // The dashboard's pictures: permits expiring per month, retrofit stages by region (inline SVG).
      #expect(Browser.body(try await browser.get("/")).contains("href=\"/charts\""))
      let charts = Browser.body(try await browser.get("/charts"))
      #expect(charts.components(separatedBy: "<svg xmlns=").count - 1 == 2)
      #expect(charts.contains("未来12个月到期的排污许可证") && charts.contains("超低排放改造项目所处阶段"))
      #expect(Browser.body(try await browser.get("/ledger/report?format=html")).contains("每月销号问题数"))
      let xlsx = try await browser.get("/ledger/report?format=xlsx")
      #expect(Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8))
      #expect(xlsx.headers[.contentDisposition]?.contains("attachment") == true)
      #expect(Browser.body(try await browser.get("/ledger/report?format=html")).contains("记录不全"))
      let csv = try await browser.get("/ledger/report?format=csv")
      #expect(Array(csv.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
      #expect(try await browser.get("/ledger/report?format=pdf").status == .unprocessableContent)
    }
  }

  @Test("Update a firm through its form: each changed field one dated history row, audited under the user")
  func updateFirm() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("wuhan")
      var fields = [("effective", "2026-11-01")]
      for field in ["name", "region_code", "industry_code", "registered_on"] {
        let firm = try #require(try fixture.registry.enterprise(fixture.wuhan))
        let value = firm[try #require(EnterpriseField(rawValue: field))]
        fields.append((field, value))
      }
      fields.append(("legal_rep", "王建国"))
      let response = try await browser.post("/firms/\(fixture.wuhan.value)/edit", fields)
      #expect(response.status == .seeOther, "\(Browser.body(response))")
      let bad = try await browser.post("/firms/\(fixture.wuhan.value)/edit", [("registered_on", "2021-02-30")])
      #expect(bad.status == .unprocessableContent)
      #expect(Browser.body(bad).contains("2021-02-30"))
    }
    let history = try fixture.registry.enterpriseHistory(fixture.wuhan)
    #expect(history.count == 1)
    #expect(history.first?.field == "legal_rep")
    #expect(history.first?.effectiveOn == Day("2026-11-01"))
    #expect(history.first?.actor == "user:wuhan")
  }

  @Test(
    "Import upload: a file with a bad row is refused whole; with skip, the good rows land and the bad ones download")
  func importUpload() async throws {
    let fixture = try ServerFixture()
    let good = try ServerFixture.code(region: "420102", serial: 301).value
    let csv = """
      credit_code,name,region_code,industry_code
      \(good),上传测试企业有限公司,420102,2614
      91420102MA0000000X,错误代码企业,420102,2614

      """
    let app = try fixture.application()
    try await app.test(.router) { client in
      var browser = Browser(client: client)
      try await browser.signIn("root")
      func upload(skip: Bool, csrf: String) async throws -> TestResponse {
        try await browser.upload(kind: "enterprises", csv: csv, skip: skip, csrf: csrf)
      }
      #expect(try await upload(skip: true, csrf: "wrong").status == .forbidden)
      let refused = try await upload(skip: false, csrf: browser.csrf)
      #expect(refused.status == .unprocessableContent)
      #expect(Browser.body(refused).contains("第 3 行"))
      #expect(try fixture.registry.enterprise(CreditCode.parse(good).get()) == nil)
      let accepted = try await upload(skip: true, csrf: browser.csrf)
      #expect(accepted.status == .ok)
      let page = Browser.body(accepted)
      let link = try #require(page.range(of: "/import/rejects/")).lowerBound
      let href = String(page[link...].prefix { $0 != "\"" })
      let rejects = Browser.body(try await browser.get(href))
      #expect(rejects.contains("91420102MA0000000X"))
      #expect(try fixture.registry.enterprise(CreditCode.parse(good).get())?.name == "上传测试企业有限公司")
      // Another session cannot fetch this session's reject file.
      var other = Browser(client: client)
      try await other.signIn("hubei-viewer")
      #expect(try await other.get(href).status == .notFound)
    }
  }

  @Test(
    """
    Import upload by an officer: rows about firms of its region land under its name; a row about any other firm \
    (sited, moved or referenced outside) is refused like a bad value; viewers may not import
    """)
  func officerImport() async throws {
    let fixture = try ServerFixture()
    let inside = try ServerFixture.code(region: "420102", serial: 401).value
    let outside = try ServerFixture.code(region: "420503", serial: 402).value
    let firms = """
      credit_code,name,region_code,industry_code
      \(inside),江岸新登记企业有限公司,420102,2614
      \(outside),宜昌新登记企业有限公司,420503,2614
      \(fixture.wuhan.value),武汉宝丰钢铁有限公司,420503,3120

      """
    let designations = """
      credit_code,kind,granted_by,valid_from
      \(fixture.wuhan.value),epidemic-supplier,湖北省经信厅,2026-01-01
      \(fixture.yichang.value),epidemic-supplier,湖北省经信厅,2026-01-01

      """
    let app = try fixture.application()
    try await app.test(.router) { client in
      var officer = Browser(client: client)
      try await officer.signIn("wuhan")
      #expect(try await officer.get("/import").status == .ok)
      let refused = try await officer.upload(kind: "enterprises", csv: firms, skip: false)
      #expect(refused.status == .unprocessableContent)
      #expect(Browser.body(refused).contains("第 3 行") && Browser.body(refused).contains("第 4 行"))
      #expect(!Browser.body(refused).contains("第 2 行"))
      #expect(try fixture.registry.enterprise(CreditCode.parse(inside).get()) == nil)
      let accepted = try await officer.upload(kind: "enterprises", csv: firms, skip: true)
      #expect(accepted.status == .ok)
      let rejects = try await officer.rejects(of: accepted)
      #expect(rejects.contains(outside) && rejects.contains(fixture.wuhan.value) && !rejects.contains(inside))
      #expect(rejects.contains("outside"))
      #expect(try fixture.registry.enterprise(CreditCode.parse(inside).get())?.regionCode == "420102")
      #expect(try fixture.registry.enterprise(CreditCode.parse(outside).get()) == nil)
      #expect(try fixture.registry.enterprise(fixture.wuhan)?.regionCode == "420104")
      let audited = try fixture.registry.auditLog().last { $0.action == "enterprise.import" }
      #expect(audited?.actor == "user:wuhan" && audited?.entityKey == "enterprises.csv")
      // The facts importers check the firm each row names.
      let facts = try await officer.upload(kind: "designations", csv: designations, skip: true)
      #expect(facts.status == .ok)
      #expect(try await officer.rejects(of: facts).contains(fixture.yichang.value))
      #expect(try fixture.registry.facts(fixture.wuhan).designations.count == 1)
      #expect(try fixture.registry.facts(fixture.yichang).designations.isEmpty)
      var viewer = Browser(client: client)
      try await viewer.signIn("hubei-viewer")
      #expect(try await viewer.get("/import").status == .forbidden)
      #expect(try await viewer.upload(kind: "designations", csv: designations, skip: true).status == .forbidden)
    }
  }

  @Test("Pages answer in Chinese by default and in English by choice; /healthz answers without sign-in")
  func languageAndHealth() async throws {
    let fixture = try ServerFixture()
    let app = try fixture.application()
    try await app.test(.router) { client in
      #expect(String(buffer: try await client.execute(uri: "/healthz", method: .get).body) == "ok\n")
      var browser = Browser(client: client)
      try await browser.signIn("hubei-viewer")
      #expect(Browser.body(try await browser.get("/")).contains("工作台"))
      browser.cookie += "; envreg_lang=en"
      #expect(Browser.body(try await browser.get("/")).contains("Dashboard"))
      // A viewer is shown no write forms and its writes are refused.
      #expect(!Browser.body(try await browser.get("/firms/\(fixture.wuhan.value)")).contains("ledger-add"))
    }
  }
}

/// A clock the test moves.
final class ManualClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_796_000_000)
  var now: Date { lock.withLock { current } }
  func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

@Suite("Accounts in the registry: audited, validated, never the password")
struct AccountServiceTests {
  @Test("user.add is audited without the password or its hash; a second account of that name is refused")
  func audited() throws {
    let fixture = try ServerFixture()
    let entry = try #require(try fixture.registry.auditLog(entityKey: "root").first)
    #expect(entry.action == "user.add")
    #expect(entry.actor == "fixture")
    let hash = try #require(try fixture.store.account(named: "root")?.passwordHash)
    #expect(hash.hasPrefix("$2b$04$"))
    #expect(!(entry.after ?? "").contains(hash))
    #expect(!(entry.after ?? "").contains(ServerFixture.password))
    #expect(throws: RegistryError.self) {
      _ = try fixture.registry.addAccount(name: "root", role: .viewer, region: nil, password: "another-pass-1") { $0 }
    }
    #expect(try fixture.registry.verifyAudit().isIntact)
  }

  @Test("An officer needs a region; a bad region or password is refused with its field, nothing written")
  func validation() throws {
    let fixture = try ServerFixture()
    let before = try fixture.registry.auditHead().rows
    for (role, region, password, field) in [
      (Role.officer, nil, "long-enough-1", "region"), (.viewer, "4299", "long-enough-1", "region"),
      (.viewer, "42", "short", "password"),
    ] as [(Role, String?, String, String)] {
      do {
        _ = try fixture.registry.addAccount(name: "new-user", role: role, region: region, password: password) { $0 }
        Issue.record("accepted \(role) \(region ?? "-")")
      } catch RegistryError.invalid(let problems) {
        #expect(problems.map(\.field).contains(field))
      }
    }
    #expect(try fixture.registry.auditHead().rows == before)
  }

  @Test("--actor cannot claim a signed-in account: 'user:' is refused when a registry is opened")
  func actorPrefix() throws {
    let fixture = try ServerFixture()
    #expect(throws: RegistryError.self) { _ = try Store(path: fixture.directory + "/reg.sqlite", actor: "user:root") }
  }

  @Test("A user may change its own password through the service, but not its role; an admin may")
  func ownPassword() throws {
    let fixture = try ServerFixture()
    let officer = try #require(try fixture.store.account(named: "wuhan"))
    let acting = fixture.registry.acting(as: officer)
    try acting.setPassword(name: "wuhan", password: "New-Password-7") { Secrets.hashPassword($0, cost: 4) }
    #expect(try fixture.registry.auditLog().last?.actor == "user:wuhan")
    #expect(throws: RegistryError.self) { try acting.setPassword(name: "root", password: "New-Password-7") { $0 } }
    #expect(throws: RegistryError.self) { _ = try acting.disableAccount(name: "yichang") }
    let admin = try #require(try fixture.store.account(named: "root"))
    _ = try fixture.registry.acting(as: admin).disableAccount(name: "yichang")
    #expect(try fixture.store.account(named: "yichang")?.isDisabled == true)
  }
}

@Suite("The dashboard's lapsed members")
struct LapsedMembersTests {
  @Test("A membership whose validity ended in the window is lapsed; before its end, revoked, or renewed it is not")
  func lapsed() throws {
    let fixture = try ServerFixture()
    let admitted = ServerFixture.asOf.adding(days: -800)
    let (_, membership) = try fixture.registry.admit(
      fixture.wuhan, to: .inspectionExemption, on: admitted, overrideReason: "test")
    let end = membership.validUntil
    func lapsed(since: Day, asOf: Day) throws -> [String] {
      try fixture.registry.lapsedMembers(since: since, asOf: asOf, regionPrefix: "42").map(\.creditCode)
    }
    #expect(try lapsed(since: end.adding(days: -30), asOf: end).isEmpty)  // its last valid day
    #expect(try lapsed(since: end.adding(days: -30), asOf: end.adding(days: 1)) == [fixture.wuhan.value])
    #expect(try lapsed(since: end.adding(days: 1), asOf: end.adding(days: 30)).isEmpty)  // ended before the window
    #expect(
      try fixture.registry.lapsedMembers(since: end.adding(days: -30), asOf: end.adding(days: 1), regionPrefix: "11")
        .isEmpty)
    _ = try fixture.registry.revoke(
      fixture.wuhan, from: .inspectionExemption, on: end.adding(days: -5), reason: "复查", seriousViolation: false)
    #expect(try lapsed(since: end.adding(days: -30), asOf: end.adding(days: 1)).isEmpty)  // revoked, not lapsed
  }
}
