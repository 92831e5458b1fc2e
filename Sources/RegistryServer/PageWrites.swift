import Foundation
import Hummingbird
import RegistryCore
import RegistryService

// The form posts. Each calls one service write as the signed-in account (rights checked inside
// the write's transaction, audited under the account) and redirects to what it changed.
extension PageRoutes {
  /// The fields of the registration form, in the order the CLI documents them.
  static let formFields: [EnterpriseField] = [
    .creditCode, .name, .regionCode, .industryCode, .address, .legalRep, .contact, .process, .fuel, .permitClass,
    .keyDischargeUnit, .onlineMonitoring, .grade, .creditRating, .facilityType, .nearYangtze, .registeredOn,
  ]
  static let requiredFields: Set<EnterpriseField> = [.creditCode, .name, .regionCode, .industryCode]

  /// The registration form, or a firm's update form (with `effective`): `fields` with what was
  /// typed and each problem at its field; a problem of no field shown above the form.
  func firmForm(
    _ context: WebContext, fields: [EnterpriseField], values: [String: String], problems: [FieldProblem],
    title: String, action: String = "/firms", effective: Day? = nil, status: HTTPResponse.Status = .ok
  ) -> Response {
    let views = fields.map { field -> [String: Any] in
      let problem = problems.first { $0.field == field.rawValue }
      return [
        "key": field.rawValue, "label": context.language == .zh ? field.chineseHeader : field.rawValue,
        "value": values[field.rawValue] ?? "",
        "required": effective == nil && PageRoutes.requiredFields.contains(field),
        "problem": problem.map { problem in
          let reason = context.language == .zh ? Chinese.translate(problem.reason) : problem.reason
          return
            "\(problem.value.isEmpty ? "" : "\(problem.value.quoted)\(context.language == .zh ? "：" : ": ")")\(reason)"
        } as Any? ?? false,
      ]
    }
    let unplaced = problems.filter { problem in !fields.contains { $0.rawValue == problem.field } }
    return state.pages.page(
      "firm_form", title: title,
      data: ["fields": views, "action": action, "effective": effective?.description as Any? ?? false],
      context: context, status: status,
      error: unplaced.isEmpty ? nil : unplaced.map { $0.description(in: context.language) }.joined(separator: "; "))
  }

  func register(_ form: Form, _ context: WebContext) async throws -> Response {
    var input = EnterpriseInput()
    var values: [String: String] = [:]
    for field in PageRoutes.formFields {
      if let value = form.text(field.rawValue) {
        input[field] = value
        values[field.rawValue] = value
      }
    }
    let registry = try context.registry(state)
    let asOf = state.today
    do {
      let given = input
      let (firm, _) = try await state.run { try registry.addEnterprise(given, asOf: asOf) }
      return .redirect("/firms/\(firm.creditCode.value)")
    } catch RegistryError.invalid(let problems) {
      return firmForm(
        context, fields: PageRoutes.formFields, values: values, problems: problems,
        title: Words.label("register", context.language), status: .unprocessableContent)
    }
  }

  func admit(_ form: Form, _ context: WebContext) async throws -> Response {
    let firm = try await firm(context)
    let list = try form.required("list") { PositiveList(rawValue: $0) }
    let override = form.text("override")
    let registry = try context.registry(state)
    let day = state.today
    _ = try await state.run { try registry.admit(firm.creditCode, to: list, on: day, overrideReason: override) }
    return .redirect("/firms/\(firm.creditCode.value)/eligibility?done=admitted")
  }

  func revoke(_ form: Form, _ context: WebContext) async throws -> Response {
    let firm = try await firm(context)
    let list = try form.required("list") { PositiveList(rawValue: $0) }
    let reason = try form.required("reason") { $0 }
    let serious = form["serious"] == "1"
    let registry = try context.registry(state)
    let day = state.today
    _ = try await state.run {
      try registry.revoke(firm.creditCode, from: list, on: day, reason: reason, seriousViolation: serious)
    }
    return .redirect("/firms/\(firm.creditCode.value)/eligibility?done=revoked")
  }

  func addLedger(_ form: Form, _ context: WebContext) async throws -> Response {
    let firm = try await firm(context)
    let item = LedgerItem(
      id: 0, source: try form.required("source") { LedgerSource(rawValue: $0) },
      problemType: try form.required("type") { $0 }, description: try form.required("description") { $0 },
      foundOn: try form.day("found") ?? state.today,
      itemClass: try form.required("class") { LedgerClass(rawValue: $0) },
      measures: form.text("measures") ?? "", responsibleUnit: try form.required("unit") { $0 },
      responsiblePerson: try form.required("person") { $0 }, dueOn: try form.required("due") { Day($0) })
    let registry = try context.registry(state)
    _ = try await state.run { try registry.addLedgerItem(item, firm: firm.creditCode) }
    return .redirect("/ledger")
  }

  func ledgerEntry(_ form: Form, _ context: WebContext) async throws -> Response {
    guard let id = context.parameters.get("id", as: Int.self) else {
      throw RegistryError.notFound(kind: "ledger item", key: context.parameters.get("id") ?? "", hint: "")
    }
    let target: LedgerState? =
      try form.required("to") { $0 } == "reopen" ? nil : try form.required("to") { LedgerState(rawValue: $0) }
    let note = try form.required("note") { $0 }
    let registry = try context.registry(state)
    let day = state.today
    _ = try await state.run {
      try registry.ledgerEntry(id, on: day, to: target, note: note, reopen: target == nil)
    }
    return .redirect("/ledger")
  }

  func addUser(_ form: Form, _ context: WebContext) async throws -> Response {
    let registry = try context.registry(state)
    let name = form.text("name") ?? ""
    let role = try form.required("role") { Role(rawValue: $0) }
    let region = form.text("region")
    let password = form["password"] ?? ""
    let cost = state.configuration.bcryptCost
    _ = try await state.run {
      try registry.addAccount(name: name, role: role, region: region, password: password) {
        Secrets.hashPassword($0, cost: cost)
      }
    }
    return .redirect("/admin/users")
  }

  func disableUser(_ form: Form, _ context: WebContext) async throws -> Response {
    let registry = try context.registry(state)
    let name = try form.required("name") { $0 }
    _ = try await state.run { try registry.disableAccount(name: name) }
    state.sessions.end(account: name)
    return .redirect("/admin/users")
  }
}
