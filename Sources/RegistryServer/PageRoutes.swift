import Foundation
import Hummingbird
import RegistryCore
import RegistryService

/// The pages: each the web form of a command. A handler reads the form, calls the service as the
/// signed-in account on a worker thread, and renders a template; `page` and `post` do the rest
/// (sign-in, CSRF, errors as pages with their status).
struct PageRoutes: Sendable {
  static let sessionCookie = "envreg_session"
  let state: ServerState

  func register(on router: Router<WebContext>) {
    router.get("/static/site.css") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
        body: .init(byteBuffer: ByteBuffer(string: Embedded.site)))
    }
    router.get("/lang") { request, context in language(request, context) }
    router.get("/login") { _, context in
      context.account == nil
        ? state.pages.page(
          "login", title: Words.label("login", context.language), data: [:],
          context: context) : .redirect("/")
    }
    router.post("/login") { request, context in try await login(request, context) }
    router.post("/logout") { request, context in
      try await post(request, context) { _, context in
        if let session = context.session { state.sessions.end(session.id) }
        var response = Response.redirect("/login")
        response.setCookie(sessionCookie(value: "", maxAge: 0))
        return response
      }
    }
    router.get("/") { request, context in try await page(context) { try await dashboard(request, $0) } }
    router.get("/charts") { request, context in try await page(context) { try await charts(request, $0) } }
    router.get("/firms") { request, context in try await page(context) { try await search(request, $0) } }
    router.get("/firms/new") { _, context in
      try await page(context) {
        firmForm(
          $0, fields: PageRoutes.formFields, values: [:], problems: [], title: Words.label("register", $0.language))
      }
    }
    router.post("/firms") { request, context in try await post(request, context, register) }
    router.get("/firms/:code") { _, context in try await page(context) { try await profile($0) } }
    router.get("/firms/:code/eligibility") { request, context in
      try await page(context) { try await eligibility(request, $0) }
    }
    router.post("/firms/:code/admit") { request, context in try await post(request, context, admit) }
    router.post("/firms/:code/revoke") { request, context in try await post(request, context, revoke) }
    router.post("/firms/:code/ledger") { request, context in try await post(request, context, addLedger) }
    router.get("/ledger") { _, context in try await page(context) { try await ledger($0) } }
    router.post("/ledger/:id/entry") { request, context in try await post(request, context, ledgerEntry) }
    router.get("/audit") { request, context in try await page(context) { try await audit(request, $0) } }
    router.get("/admin/users") { _, context in try await page(context) { try await users($0) } }
    router.post("/admin/users") { request, context in try await post(request, context, addUser) }
    router.post("/admin/users/disable") { request, context in try await post(request, context, disableUser) }
    registerReports(on: router)
    registerUploads(on: router)
  }

  // MARK: Frame: sign-in, CSRF, errors

  /// A page for a signed-in account; any error becomes a page with its status.
  func page(_ context: WebContext, _ body: (WebContext) async throws -> Response) async throws -> Response {
    guard context.account != nil else { return .redirect("/login") }
    do { return try await body(context) } catch { return failure(error, context) }
  }

  /// A form post: signed in, its CSRF token matching the session's, then `body`.
  func post(
    _ request: Request, _ context: WebContext, _ body: (Form, WebContext) async throws -> Response
  ) async throws -> Response {
    guard let session = context.session else { return .redirect("/login") }
    let form = try await Form.read(request, limit: state.configuration.bodyLimit)
    guard let token = form["_csrf"], Secrets.equal(token, session.csrf) else {
      context.logger.warning("refused: missing or wrong CSRF token on \(request.uri.path)")
      return state.pages.page(
        "message", title: "403",
        data: ["message": "The form's security token is missing or out of date; reload the page."],
        context: context, status: .forbidden)
    }
    do { return try await body(form, context) } catch { return failure(error, context) }
  }

  func failure(_ error: any Error, _ context: WebContext) -> Response {
    let status = Failure.status(error)
    if status == .forbidden { context.logger.warning("refused: \(Failure.message(error))") }
    if status == .internalServerError { context.logger.error("failed: \(error)") }
    return state.pages.page(
      "message", title: String(status.code), data: ["message": Failure.message(error, in: context.language)],
      context: context,
      status: status)
  }

  func sessionCookie(value: String, maxAge: Int) -> Cookie {
    Cookie(
      name: PageRoutes.sessionCookie, value: value, maxAge: maxAge, path: "/",
      secure: state.configuration.secureCookies, httpOnly: true, sameSite: .strict)
  }

  func language(_ request: Request, _ context: WebContext) -> Response {
    let chosen = Language(rawValue: Form(query: request)["to"] ?? "") ?? .zh
    var response = Response.redirect("/")
    response.setCookie(
      Cookie(
        name: "envreg_lang", value: chosen.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true,
        sameSite: .strict))
    return response
  }

  // MARK: Sign-in

  func login(_ request: Request, _ context: WebContext) async throws -> Response {
    let form = try await Form.read(request, limit: 16 * 1024)
    let name = form.text("name") ?? ""
    let keys = ["name:" + name, "address:" + context.remote]
    let title = Words.label("login", context.language)
    if let wait = state.throttle.wait(keys) {
      context.logger.warning("refused: sign-in for \(name) throttled after repeated failures")
      var response = state.pages.page(
        "login", title: title, data: ["name": name], context: context, status: .tooManyRequests,
        error: "Too many failed sign-ins; try again in \(wait) s.")
      response.headers[.retryAfter] = String(wait)
      return response
    }
    let password = form["password"] ?? ""
    let account = try await state.run { try self.state.registry.storage.account(named: name) }
    // A missing account costs the same bcrypt work as a wrong password: timing tells nothing.
    let verified = Secrets.verify(password, hash: account?.passwordHash ?? PageRoutes.decoyHash)
    guard let account, verified, !account.isDisabled else {
      state.throttle.fail(keys)
      context.logger.warning("refused: sign-in failed for \(name)")
      return state.pages.page(
        "login", title: title, data: ["name": name], context: context, status: .unauthorized,
        error: "Account or password is wrong, or the account is disabled.")
    }
    state.throttle.succeed(keys[0])
    // A new session id at every sign-in; any id the browser brought is dropped.
    if let old = request.cookies[PageRoutes.sessionCookie]?.value { state.sessions.end(old) }
    let session = state.sessions.start(account: account.name)
    context.logger.info("signed in: \(account.name)")
    var response = Response.redirect("/")
    response.setCookie(sessionCookie(value: session.id, maxAge: Int(state.configuration.sessionLifetime)))
    return response
  }

  /// bcrypt of a random password, checked against when the account does not exist.
  static let decoyHash = Secrets.hashPassword(Secrets.random(bytes: 16), cost: Secrets.defaultCost)

  // MARK: Reads

  /// The region selection of a read: the one asked for (checked against the account), else the
  /// account's province.
  func selection(_ asked: String?, _ context: WebContext) throws -> String? {
    guard let account = context.account else { return nil }
    var prefix = AccessRules.defaultSelection(account)
    if let asked {
      switch Divisions.bundled.selection(asked) {
      case .success(let selected): prefix = selected
      case .failure(let refusal):
        throw RegistryError.invalid([FieldProblem(field: "region", value: asked, reason: refusal.reason)])
      }
    }
    if let refusal = AccessRules.refusal(account, .readSelection(regionPrefix: prefix)) {
      throw RegistryError.forbidden(refusal)
    }
    return prefix
  }

  /// The pictures (a page of its own: a year of permits is a long read for a whole registry, and the
  /// dashboard stays quick): permits expiring per month for 12 months, retrofit stages by region.
  func charts(_ request: Request, _ context: WebContext) async throws -> Response {
    let prefix = try selection(Form(query: request).text("region"), context)
    let asOf = state.today
    let charts = try await state.run {
      [
        try self.state.registry.permitExpiryChart(asOf: asOf, regionPrefix: prefix),
        try self.state.registry.retrofitStageChart(asOf: asOf, regionPrefix: prefix),
      ]
    }
    return state.pages.page(
      "charts", title: Words.label("charts", context.language),
      data: [
        "selection": PageRoutes.selectionName(prefix),
        "asOf": asOf.description,
        // Our own SVG, every text in it escaped (BarChart).
        "charts": charts.map(\.svg).joined(),
      ], context: context)
  }

  /// A selection's place name (全国 for the whole registry).
  static func selectionName(_ prefix: String?) -> String {
    prefix.map { Divisions.bundled.fullName(of: $0.padding(toLength: 6, withPad: "0", startingAt: 0)) } ?? "全国"
  }

  func dashboard(_ request: Request, _ context: WebContext) async throws -> Response {
    let prefix = try selection(Form(query: request).text("region"), context)
    let asOf = state.today
    let (items, lapsed) = try await state.run {
      (
        try self.state.registry.due(asOf: asOf, within: 30, regionPrefix: prefix),
        try self.state.registry.lapsedMembers(since: asOf.adding(days: -30), asOf: asOf, regionPrefix: prefix)
      )
    }
    let kinds = Array(Set(items.map(\.clock))).sorted()
    var byRegion: [String: [String: Int]] = [:]
    for item in items { byRegion[String(item.regionCode.prefix(4)), default: [:]][item.clock, default: 0] += 1 }
    let regions = byRegion.keys.sorted().map { region -> [String: Any] in
      let counts = byRegion[region] ?? [:]
      return [
        "name": Divisions.bundled.fullName(of: region + "00"), "counts": kinds.map { counts[$0] ?? 0 },
        "total": counts.values.reduce(0, +),
      ]
    }
    let overdue = items.filter { $0.date < asOf }.prefix(200).map { item -> Value in
      .record(
        Fields([
          ("due_on", .day(item.date)), ("kind", .text(Words.label(item.clock, context.language))),
          ("rule", .text(item.rule)),
          ("credit_code", .text(item.creditCode)), ("name", .text(item.name)), ("region_code", .text(item.regionCode)),
          ("item", .text(item.item)), ("detail", .text(item.detail)),
        ]))
    }
    var data: [String: Any] = ["overdue": Pages.view(.list(Array(overdue)), context.language)]
    data["hasDue"] = !items.isEmpty
    data["hasLapsed"] = !lapsed.isEmpty
    data["lapsed"] = Pages.view(
      .list(
        lapsed.map { member in
          .record(
            Fields([
              ("credit_code", .text(member.creditCode)), ("name", .text(member.name)),
              ("region_code", .text(member.regionCode)), ("list", .text(member.list.label)),
              ("valid_until", .day(member.validUntil)),
            ]))
        }), context.language)
    data["kinds"] = kinds.map { Words.label($0, context.language) }
    data["regions"] = regions
    data["selection"] = PageRoutes.selectionName(prefix)
    data["asOf"] = asOf.description
    return state.pages.page(
      "dashboard", title: Words.label("dashboard", context.language), data: data, context: context)
  }

  func search(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = Form(query: request)
    var filter = EnterpriseFilter(asOf: state.today)
    filter.regionPrefix = try selection(query.text("region"), context)
    filter.industryPrefix = query.text("industry")
    filter.nameContains = query.text("name")
    let pageSize = 50
    let page = max(0, min(Int(query["page"] ?? "") ?? 0, 100_000))
    filter.limit = pageSize
    filter.offset = page * pageSize
    let selected = filter
    let (firms, total) = try await state.run {
      var firms: [Enterprise] = []
      try self.state.registry.forEachEnterprise(selected) { firms.append($0) }
      return (firms, try self.state.registry.countEnterprises(selected))
    }
    func link(_ page: Int) -> String {
      var parts = ["page=\(page)"]
      for key in ["name", "region", "industry"] {
        if let value = query.text(key), let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        {
          parts.append("\(key)=\(encoded)")
        }
      }
      return "/firms?" + parts.joined(separator: "&")
    }
    let data: [String: Any] = [
      "name": query.text("name") ?? "", "region": query.text("region") ?? "", "industry": query.text("industry") ?? "",
      "total": total, "hasFirms": !firms.isEmpty,
      "firms": firms.map {
        [
          "code": $0.creditCode.value, "name": $0.name, "region": Divisions.bundled.fullName(of: $0.regionCode),
          "industry": $0.industryCode, "status": $0.status.label,
        ]
      },
      "previous": page > 0 ? link(page - 1) : false, "next": (page + 1) * pageSize < total ? link(page + 1) : false,
    ]
    return state.pages.page("firms", title: Words.label("firms", context.language), data: data, context: context)
  }

  /// The firm named in the path, readable by the account.
  func firm(_ context: WebContext) async throws -> Enterprise {
    try await withFirm(context) { _, _ in () }.firm
  }

  /// The firm named in the path, readable by the account, and what `then` reads of it: one trip to
  /// the workers and one snapshot for both.
  func withFirm<T: Sendable>(
    _ context: WebContext, _ then: @escaping @Sendable (Registry, Enterprise) throws -> T
  ) async throws -> (firm: Enterprise, value: T) {
    let text = context.parameters.get("code") ?? ""
    let registry = try context.registry(state)
    return try await state.run {
      try registry.storage.snapshot {
        let code = try PageRoutes.creditCode(text, registry)
        guard let firm = try registry.enterprise(code) else {
          throw RegistryError.notFound(
            kind: "enterprise with credit code", key: code.value, hint: "Search for it first.")
        }
        try registry.authorize(.readFirm(region: firm.regionCode))
        return (firm, try then(registry, firm))
      }
    }
  }

  static func creditCode(_ text: String, _ registry: Registry) throws -> CreditCode {
    switch CreditCode.parse(text) {
    case .success(let code): return code
    case .failure(let error):
      if case .checkCharacter = error, let code = CreditCode(stored: text), try registry.hasCodeOverride(code) {
        return code
      }
      throw RegistryError.invalid([FieldProblem(field: "credit_code", value: text, reason: error.reason)])
    }
  }

  func canWrite(_ firm: Enterprise, _ context: WebContext) -> Bool {
    guard let account = context.account else { return false }
    return AccessRules.refusal(account, .writeFirm(region: firm.regionCode)) == nil
  }

  func profile(_ context: WebContext) async throws -> Response {
    let asOf = state.today
    let (firm, profile) = try await withFirm(context) { registry, firm in
      try registry.profile(firm.creditCode, asOf: asOf)
    }
    let data: [String: Any] = [
      "code": firm.creditCode.value, "profile": Pages.view(.record(profile), context.language),
      "canWrite": canWrite(firm, context), "sources": LedgerSource.allCases.map(\.rawValue),
      "classes": LedgerClass.allCases.map(\.rawValue),
    ]
    return state.pages.page("firm", title: firm.name, data: data, context: context)
  }

  func eligibility(_ request: Request, _ context: WebContext) async throws -> Response {
    let asOf = state.today
    let (firm, (facts, verdicts)) = try await withFirm(context) { registry, firm in
      try registry.eligibility(firm.creditCode, lists: PositiveList.allCases, asOf: asOf)
    }
    let writable = canWrite(firm, context)
    let views = verdicts.map { verdict -> [String: Any] in
      let member = facts.memberships.contains {
        $0.list == verdict.list && $0.revokedOn == nil && $0.admittedOn <= asOf && asOf <= $0.validUntil
      }
      return [
        "list": verdict.list.rawValue, "listLabel": verdict.list.label, "status": verdict.status.rawValue,
        "statusLabel": PageRoutes.statusLabel(verdict.status, context.language),
        "trace": Pages.view(.list(verdict.trace.map { .record($0.fields) }), context.language),
        "canAdmit": writable && !member, "canRevoke": writable && member, "code": firm.creditCode.value,
      ]
    }
    let flash = Form(query: request)["done"].flatMap { PageRoutes.flashes[$0] }
    return state.pages.page(
      "eligibility", title: Words.label("eligibility", context.language),
      data: ["code": firm.creditCode.value, "firmName": firm.name, "asOf": asOf.description, "verdicts": views],
      context: context, flash: flash)
  }

  static let flashes = ["admitted": "已纳入清单 (admitted)", "revoked": "已移出清单 (revoked)"]

  static func statusLabel(_ status: Verdict.Status, _ language: Language) -> String {
    guard language == .zh else { return status.rawValue }
    switch status {
    case .eligible: return "符合"
    case .ineligible: return "不符合"
    case .undetermined: return "无法判定（缺少事实）"
    }
  }

  func ledger(_ context: WebContext) async throws -> Response {
    var filter = LedgerFilter(asOf: state.today)
    filter.regionPrefix = try selection(nil, context)
    let selected = filter
    let lines = try await state.run {
      var lines: [LedgerLine] = []
      try self.state.registry.forEachLedgerLine(selected) { if lines.count < 500 { lines.append($0) } }
      return lines
    }
    let targets: [[String: String]] =
      [LedgerState.inProgress, .awaitingAcceptance, .closed].map { ["value": $0.rawValue, "label": $0.rawValue] }
      + [["value": "reopen", "label": "重启 (reopen)"]]
    let items = lines.map { line -> [String: Any] in
      [
        "id": line.item.id, "code": line.creditCode, "name": line.name, "problem": line.item.description,
        "dueOn": line.item.dueOn.description, "stateLabel": line.item.state(asOf: state.today).rawValue,
        "targets": targets,
        "canWrite": context.account.map { AccessRules.refusal($0, .writeFirm(region: line.regionCode)) == nil }
          ?? false,
      ]
    }
    return state.pages.page(
      "ledger", title: Words.label("ledger", context.language), data: ["items": items], context: context)
  }

  func audit(_ request: Request, _ context: WebContext) async throws -> Response {
    let registry = try context.registry(state)
    try registry.authorize(.administer)
    let since = try Form(query: request).day("since") ?? state.today.adding(days: -7)
    let entries = try await state.run { try registry.auditLog(since: since).suffix(500) }
    let log = Value.list(entries.reversed().map { .record(Report.audit($0)) })
    return state.pages.page(
      "listing", title: Words.label("audit", context.language),
      data: ["value": Pages.view(log, context.language), "hasRows": !entries.isEmpty],
      context: context)
  }

  func users(_ context: WebContext) async throws -> Response {
    let registry = try context.registry(state)
    try registry.authorize(.administer)
    let accounts = try await state.run { try registry.storage.accounts() }
    let list = Value.list(accounts.map { .record(Report.account($0)) })
    return state.pages.page(
      "users", title: Words.label("users", context.language),
      data: ["accounts": Pages.view(list, context.language)], context: context)
  }
}
