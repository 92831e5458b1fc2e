import Foundation
import Hummingbird
import RegistryCore
import RegistryService

// The listings and reports of the modules (the web form of `permit expiring`, `fine overdue`,
// `fine show`, `ledger report`) and the firm update form.
extension PageRoutes {
  func registerReports(on router: Router<WebContext>) {
    router.get("/permits") { request, context in try await page(context) { try await permits(request, $0) } }
    router.get("/fines") { _, context in try await page(context) { try await fines($0) } }
    router.get("/fines/detail") { request, context in try await page(context) { try await fine(request, $0) } }
    router.get("/ledger/report") { request, context in try await page(context) { try await ledgerReport(request, $0) } }
    router.get("/firms/:code/edit") { _, context in
      try await page(context) { context in
        let firm = try await firm(context)
        try await context.registry(state).authorize(.writeFirm(region: firm.regionCode))
        return editForm(firm, context, values: PageRoutes.values(of: firm), problems: [])
      }
    }
    router.post("/firms/:code/edit") { request, context in try await post(request, context, update) }
  }

  func listing(
    _ title: String, _ rows: [Value], _ context: WebContext, intro: String? = nil, links: [(String, String)] = []
  ) -> Response {
    state.pages.page(
      "listing", title: title,
      data: [
        "value": Pages.view(.list(rows), context.language), "hasRows": !rows.isEmpty, "intro": intro ?? false,
        "links": links.map { ["href": $0.0, "label": $0.1] },
      ], context: context)
  }

  func permits(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = Form(query: request)
    let overdue = query["overdue"] == "1"
    let within = min(max(Int(query["within"] ?? "") ?? 90, 0), 36_500)
    let prefix = try selection(query.text("region"), context)
    let asOf = state.today
    let registry = try context.registry(state)
    let rows = try await state.run {
      try PageRoutes.permitRows(registry, asOf: asOf, within: within, overdue: overdue, prefix: prefix, limit: 1000)
    }
    let zh = context.language == .zh
    return listing(
      overdue ? (zh ? "排污许可证：逾期未延续或过期" : "Permits overdue") : (zh ? "排污许可证：即将到期" : "Permits expiring"), rows,
      context, intro: overdue ? "PM-3, PM-5, RG-1" : (zh ? "\(within)日内到期（PM-2）" : "within \(within) days (PM-2)"),
      links: [("/permits", zh ? "即将到期" : "Expiring"), ("/permits?overdue=1", zh ? "已逾期" : "Overdue")])
  }

  /// The expiry notice (or the lapses) as rows, at most `limit` (pages) or all (the API).
  static func permitRows(
    _ registry: Registry, asOf: Day, within: Int, overdue: Bool, prefix: String?, limit: Int = .max
  ) throws -> [Value] {
    var rows: [Value] = []
    try registry.expiryNotice(asOf: asOf, within: within, overdue: overdue, regionPrefix: prefix, permitClass: nil) {
      held, standing in
      guard rows.count < limit else { return }
      rows.append(
        .record(
          Report.permitRow(
            held.permit, holder: held.holder.value, name: held.holderName, region: held.regionCode, standing: standing
          )))
    }
    return rows
  }

  func fines(_ context: WebContext) async throws -> Response {
    let prefix = try selection(nil, context)
    let asOf = state.today
    let rows = try await state.run {
      var rows: [(Int, Value)] = []
      try self.state.registry.forEachOverdueFine(asOf: asOf, regionPrefix: prefix) { owed, statement, obligation in
        rows.append((obligation.daysOverdue, .record(Report.overdueRow(owed, statement, obligation))))
      }
      return rows.sorted { $0.0 > $1.0 }.prefix(1000).map(\.1)
    }
    let zh = context.language == .zh
    return listing(
      zh ? "逾期未缴罚款" : "Overdue fines", rows, context,
      intro: zh ? "截至 \(asOf)，逾期天数由多到少；点击决定书文号查看加处罚款计算依据（FN-1..4）。" : "As of \(asOf), most overdue first (FN-1..4).")
  }

  func fine(_ request: Request, _ context: WebContext) async throws -> Response {
    let decision = try Form(query: request).required("decision") { $0 }
    let registry = try context.registry(state)
    let asOf = state.today
    let (owed, statement) = try await state.run {
      let owed = try registry.fine(decision)
      try registry.authorize(.readFirm(region: owed.regionCode))
      return (owed, try registry.statement(owed, asOf: asOf))
    }
    let fields = Report.fineStatement(
      owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)
    return state.pages.page(
      "listing", title: owed.fine.decisionNumber,
      data: ["value": Pages.view(.record(fields), context.language), "hasRows": true], context: context)
  }

  /// `ledger report` as a download: xlsx, html or csv (with a BOM, so Excel reads the Chinese).
  func ledgerReport(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = Form(query: request)
    let format = try query.required("format") { ["xlsx", "html", "csv"].contains($0) ? $0 : nil }
    var filter = LedgerFilter(asOf: state.today)
    filter.regionPrefix = try selection(query.text("region"), context)
    filter.activeFrom = try query.day("from")
    filter.activeTo = try query.day("to")
    let selected = filter
    let english = context.language == .en
    let region =
      selected.regionPrefix.map { Divisions.bundled.fullName(of: $0.padding(toLength: 6, withPad: "0", startingAt: 0)) }
      ?? (english ? "all" : "全部")
    let (report, _) = try await state.run {
      try self.state.registry.ledgerReport(
        selected, asOf: selected.asOf, from: selected.activeFrom, to: selected.activeTo, region: region,
        english: english, signOff: LedgerReport.SignOff(preparer: context.account?.name ?? ""))
    }
    let body: ByteBuffer
    let type: String
    switch format {
    case "xlsx":
      body = ByteBuffer(bytes: report.xlsx)
      type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    case "html":
      body = ByteBuffer(string: report.html)
      type = "text/html; charset=utf-8"
    default:
      body = ByteBuffer(string: "\u{FEFF}" + report.csv)
      type = "text/csv; charset=utf-8"
    }
    let name = "台账-\(selected.asOf).\(format)"
    let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "ledger.\(format)"
    return Response(
      status: .ok,
      headers: [
        .contentType: type,
        .contentDisposition: "attachment; filename=\"ledger.\(format)\"; filename*=UTF-8''\(encoded)",
      ], body: .init(byteBuffer: body))
  }

  static let editable: [EnterpriseField] = PageRoutes.formFields.filter { $0 != .creditCode }

  static func values(of firm: Enterprise) -> [String: String] {
    var values: [String: String] = [:]
    for field in editable { values[field.rawValue] = firm[field] }
    return values
  }

  func editForm(
    _ firm: Enterprise, _ context: WebContext, values: [String: String], problems: [FieldProblem],
    status: HTTPResponse.Status = .ok
  ) -> Response {
    firmForm(
      context, fields: PageRoutes.editable, values: values, problems: problems, title: firm.name,
      action: "/firms/\(firm.creditCode.value)/edit", effective: state.today, status: status)
  }

  /// `enterprise update`: only the fields that changed are given, so each becomes one dated history row.
  func update(_ form: Form, _ context: WebContext) async throws -> Response {
    let firm = try await firm(context)
    let old = PageRoutes.values(of: firm)
    var input = EnterpriseInput()
    var values = old
    for field in PageRoutes.editable {
      // A field the post leaves out is unchanged; one it sends is the new value (blank clears).
      guard let raw = form[field.rawValue] else { continue }
      let given = raw.trimmingCharacters(in: .whitespaces)
      values[field.rawValue] = given
      if given != (old[field.rawValue] ?? "") { input[field] = given }
    }
    guard !input.isEmpty else { return .redirect("/firms/\(firm.creditCode.value)") }
    let registry = try context.registry(state)
    let effective = try form.day("effective") ?? state.today
    let asOf = state.today
    let given = input
    do {
      _ = try await state.run {
        try registry.updateEnterprise(firm.creditCode, given, effectiveOn: effective, asOf: asOf)
      }
      return .redirect("/firms/\(firm.creditCode.value)")
    } catch RegistryError.invalid(let problems) {
      return editForm(firm, context, values: values, problems: problems, status: .unprocessableContent)
    }
  }
}
