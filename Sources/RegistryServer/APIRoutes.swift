import Foundation
import Hummingbird
import RegistryCore
import RegistryService

/// The JSON API under `/api/v1`: the CLI's JSON contracts over HTTP (the same `Value` rendered by
/// the same renderer), for a bearer token or a signed-in browser session (which must then send its
/// CSRF token in `X-CSRF-Token` on writes). Errors are `{"error": {"status": ..., "message": ...}}`.
struct APIRoutes: Sendable {
  let state: ServerState

  /// Every route, as the OpenAPI document lists it (a test checks both agree).
  static let routes: [(method: String, path: String, summary: String)] = [
    ("get", "/api/v1/enterprises", "Firms selected by name, region and industry, paged"),
    ("post", "/api/v1/enterprises", "Register a firm (fields as `enterprise add`)"),
    ("get", "/api/v1/enterprises/{code}", "A firm's whole profile (as `enterprise show --format json`)"),
    ("get", "/api/v1/enterprises/{code}/eligibility", "Verdicts with their traces (as `eligibility --format json`)"),
    ("get", "/api/v1/due", "Deadlines within a window (as `due --format json`)"),
    ("get", "/api/v1/permits/expiring", "The expiry notice, or with overdue=1 the lapses (as `permit expiring`)"),
    ("get", "/api/v1/fines/overdue", "Unpaid amounts and missed instalments (as `fine overdue`)"),
    ("get", "/api/v1/ledger", "Ledger items with state and days overdue (as `ledger list`)"),
    ("get", "/api/v1/audit", "Audit rows since a date, admins only (as `audit log`)"),
    ("get", "/api/v1/me", "The calling account"),
  ]

  func register(on router: Router<WebContext>) {
    let api = router.group("/api/v1")
    registerListings(on: api)
    api.get("/openapi.json") { _, _ in json(OpenAPI.document) }
    api.get("/me") { _, context in
      try await call(context) { _, context in
        .record(Report.account(try APIRoutes.account(context)))
      }
    }
    api.get("/enterprises") { request, context in
      try await call(context) { registry, context in
        try await enterprises(request, registry, context)
      }
    }
    api.post("/enterprises") { request, context in
      try await write(request, context) { body, registry in
        try await addEnterprise(body, registry)
      }
    }
    api.get("/enterprises/:code") { _, context in
      try await call(context) { registry, context in
        let asOf = state.today
        return .record(
          try await PageRoutes(state: state).withFirm(context) { registry, firm in
            try registry.profile(firm.creditCode, asOf: asOf)
          }.value)
      }
    }
    api.get("/enterprises/:code/eligibility") { request, context in
      try await call(context) { registry, context in
        let asOf = try Form(query: request).day("as_of") ?? state.today
        let lists =
          try Form(query: request).text("list").map { text in
            guard let list = PositiveList(rawValue: text) else {
              throw RegistryError.invalid([FieldProblem(field: "list", value: text, reason: "is not a positive list")])
            }
            return [list]
          } ?? PositiveList.allCases
        let (firm, (_, verdicts)) = try await PageRoutes(state: state).withFirm(context) { registry, firm in
          try registry.eligibility(firm.creditCode, lists: lists, asOf: asOf)
        }
        return .list(verdicts.map { .record(Report.verdict($0, firm: firm)) })
      }
    }
    api.get("/due") { request, context in
      try await call(context) { registry, context in
        let query = Form(query: request)
        let prefix = try PageRoutes(state: state).selection(query.text("region"), context)
        let within = min(max(Int(query["within"] ?? "") ?? 30, 0), 36_500)
        let asOf = try query.day("as_of") ?? state.today
        let items = try await state.run { try registry.due(asOf: asOf, within: within, regionPrefix: prefix) }
        return .list(items.map { .record($0.fields(asOf: asOf)) })
      }
    }
  }

  func registerListings(on api: RouterGroup<WebContext>) {
    api.get("/permits/expiring") { request, context in
      try await call(context) { registry, context in
        let query = Form(query: request)
        let prefix = try PageRoutes(state: state).selection(query.text("region"), context)
        let within = min(max(Int(query["within"] ?? "") ?? 90, 0), 36_500)
        let overdue = query["overdue"] == "1"
        let asOf = try query.day("as_of") ?? state.today
        return .list(
          try await state.run {
            try PageRoutes.permitRows(registry, asOf: asOf, within: within, overdue: overdue, prefix: prefix)
          })
      }
    }
    api.get("/fines/overdue") { request, context in
      try await call(context) { registry, context in
        let query = Form(query: request)
        let prefix = try PageRoutes(state: state).selection(query.text("region"), context)
        let asOf = try query.day("as_of") ?? state.today
        return .list(
          try await state.run {
            var rows: [Value] = []
            try registry.forEachOverdueFine(asOf: asOf, regionPrefix: prefix) { owed, statement, obligation in
              rows.append(.record(Report.overdueRow(owed, statement, obligation)))
            }
            return rows
          })
      }
    }
    api.get("/ledger") { request, context in
      try await call(context) { registry, context in
        let query = Form(query: request)
        var filter = LedgerFilter(asOf: try query.day("as_of") ?? state.today)
        filter.regionPrefix = try PageRoutes(state: state).selection(query.text("region"), context)
        filter.overdueOnly = query["overdue"] == "1"
        let selected = filter
        return .list(
          try await state.run {
            var rows: [Value] = []
            try registry.forEachLedgerLine(selected) { rows.append(.record(Report.ledgerRow($0, asOf: selected.asOf))) }
            return rows
          })
      }
    }
    api.get("/audit") { request, context in
      try await call(context) { registry, _ in
        try registry.authorize(.administer)
        let since = try Form(query: request).day("since")
        return .list(try await state.run { try registry.auditLog(since: since).map { .record(Report.audit($0)) } })
      }
    }
  }

  static func account(_ context: WebContext) throws -> Account {
    guard let account = context.account else { throw HTTPError(.unauthorized) }
    return account
  }

  func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  /// A read as the calling account; its value as JSON, or the error as JSON with its status.
  func call(_ context: WebContext, _ body: (Registry, WebContext) async throws -> Value) async throws -> Response {
    do {
      guard context.account != nil else {
        throw HTTPError(.unauthorized, message: "Send 'Authorization: Bearer TOKEN' or sign in.")
      }
      return json(Render.render(try await body(try context.registry(state), context), as: .json))
    } catch {
      return failure(error, context)
    }
  }

  /// A write: a JSON object body; a browser session must send its CSRF token.
  func write(
    _ request: Request, _ context: WebContext, _ body: ([String: Any], Registry) async throws -> Value
  ) async throws -> Response {
    do {
      guard context.account != nil else {
        throw HTTPError(.unauthorized, message: "Send 'Authorization: Bearer TOKEN' or sign in.")
      }
      if let session = context.session {
        guard let token = request.headers[.init("X-CSRF-Token")!], Secrets.equal(token, session.csrf) else {
          throw RegistryError.forbidden("a signed-in browser must send its CSRF token in X-CSRF-Token")
        }
      }
      let buffer = try await request.body.collect(upTo: state.configuration.bodyLimit)
      guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
      else {
        throw RegistryError.input("The body must be a JSON object.")
      }
      return json(Render.render(try await body(object, try context.registry(state)), as: .json), status: .created)
    } catch {
      return failure(error, context)
    }
  }

  func failure(_ error: any Error, _ context: WebContext) -> Response {
    let status = Failure.status(error)
    if status == .forbidden { context.logger.warning("refused: \(Failure.message(error))") }
    if status == .internalServerError { context.logger.error("failed: \(error)") }
    var fields = Fields([("status", .int(Int(status.code))), ("message", .text(Failure.message(error)))])
    if case RegistryError.invalid(let problems) = error {
      fields.append(
        "problems",
        .list(
          problems.map {
            .record(Fields([("field", .text($0.field)), ("value", .text($0.value)), ("reason", .text($0.reason))]))
          }))
    }
    return json(Render.render(.record(Fields([("error", .record(fields))])), as: .json), status: status)
  }

  func enterprises(_ request: Request, _ registry: Registry, _ context: WebContext) async throws -> Value {
    let query = Form(query: request)
    var filter = EnterpriseFilter(asOf: try query.day("as_of") ?? state.today)
    filter.regionPrefix = try PageRoutes(state: state).selection(query.text("region"), context)
    filter.industryPrefix = query.text("industry")
    filter.nameContains = query.text("name")
    filter.limit = min(max(Int(query["limit"] ?? "") ?? 50, 1), 1000)
    filter.offset = max(Int(query["offset"] ?? "") ?? 0, 0)
    let selected = filter
    let (firms, total) = try await state.run {
      var firms: [Value] = []
      try registry.forEachEnterprise(selected) { firms.append(.record(Report.facts($0))) }
      return (firms, try registry.countEnterprises(selected))
    }
    return .record(
      Fields([
        ("total", .int(total)), ("offset", .int(selected.offset)), ("limit", .int(selected.limit ?? 0)),
        ("enterprises", .list(firms)),
      ]))
  }

  func addEnterprise(_ body: [String: Any], _ registry: Registry) async throws -> Value {
    var input = EnterpriseInput()
    for field in EnterpriseField.allCases {
      guard let value = body[field.rawValue] else { continue }
      switch value {
      case let text as String: input[field] = text
      case let number as NSNumber: input[field] = number.stringValue
      default:
        throw RegistryError.invalid([FieldProblem(field: field.rawValue, value: "\(value)", reason: "must be text")])
      }
    }
    let given = input
    let asOf = state.today
    let (firm, warnings) = try await state.run { try registry.addEnterprise(given, asOf: asOf) }
    return .record(
      Fields([("enterprise", .record(Report.facts(firm))), ("warnings", .list(warnings.map(Value.text)))]))
  }
}
