/// User-supplied text for a project's facts (command-line options or an import row), and the one
/// validator that turns it into a `Project` version (EA-1). `project add`, `project update` and
/// `project import` share it. A field not given keeps the current version's value (an update), and
/// a new project needs its number, name, builder, region, industry and effective date.
public struct ProjectInput: Sendable {
  public var number: String?
  public var name: String?
  public var builderCode: String?
  public var builderName: String?
  public var region: String?
  public var industry: String?
  /// 总投资 in 万元 (up to six decimals: fen).
  public var investment: String?
  /// Directory items `EDITION:ITEM:TYPE`; replaces the current items when given.
  public var items: [String]?
  public var sensitive: String?
  public var urgent: String?
  public var process: String?
  public var route: String?
  public var contact: String?
  public var effective: String?

  public init() {}

  /// The version the input gives, on top of `existing` (nil for a new project), or every problem.
  /// `builderNameOnFile` is the registered builder's name, which a new project's builder name
  /// defaults to (a builder need not be registered; then the name is required).
  public func resolve(onto existing: Project?, asOf: Day, builderNameOnFile: (CreditCode) -> String?)
    -> Result<Project, RegistryError>
  {
    var problems: [FieldProblem] = []
    func problem(_ field: String, _ value: String, _ reason: String) {
      problems.append(FieldProblem(field: field, value: value, reason: reason))
    }
    func text(_ field: String, _ raw: String?, maxLength: Int = 200) -> String? {
      guard let raw else { return nil }
      let value = raw.trimmingSpaces()
      if let refusal = FreeText.refusal(value, field: field, maxLength: maxLength) {
        problem(field, raw, refusal)
        return nil
      }
      return value
    }
    func flag(_ field: String, _ raw: String?) -> Bool?? {
      guard let raw else { return nil }
      guard let value = YesNo.parse(raw, allowUnknown: true) else {
        problem(field, raw, YesNo.refusal(allowUnknown: true))
        return nil
      }
      return value
    }
    func vocabulary<V: Vocabulary>(_ field: String, _ raw: String?, _: V.Type) -> V? {
      guard let raw else { return nil }
      guard let value = V.parse(raw) else {
        problem(field, raw, "is not one of: \(V.allowedValues)")
        return nil
      }
      return value
    }

    var effective = existing == nil ? asOf : nil
    if let raw = self.effective, !raw.trimmingSpaces().isEmpty {
      if let day = Day.spreadsheet(raw) {
        if day > asOf { problem("effective", raw, "is after today (\(asOf))") } else { effective = day }
      } else {
        problem("effective", raw, Day.spreadsheetRefusal(raw))
      }
    } else if existing != nil {
      effective = asOf
    }
    let number = text("number", self.number, maxLength: 64)
    if existing == nil, number?.isEmpty ?? true { problem("number", self.number ?? "", "is required") }
    if let number, number.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
      problem("number", number, "may not hold /, ? or #")
    }
    let name = text("name", self.name)
    var builder = existing?.builderCode
    if let raw = builderCode {
      switch CreditCode.parse(raw) {
      case .success(let code): builder = code.value
      case .failure(let error): problem("builder", raw, error.reason)
      }
    }
    var builderName = text("builder_name", self.builderName)
    if existing == nil, builderName?.isEmpty ?? true, let builder, let code = CreditCode(stored: builder) {
      builderName = builderNameOnFile(code)
    }
    var region = existing?.regionCode
    if let raw = self.region {
      switch NamedCode.site(raw, on: effective ?? asOf) {
      case .found(let code): region = code
      case .refused(let reason): problem("region", raw, reason)
      }
    }
    var industry = existing?.industryCode
    if let raw = self.industry {
      switch NamedCode.industryClass(raw) {
      case .found(let code): industry = code
      case .refused(let reason): problem("industry", raw, reason)
      }
    }
    var investment = existing?.investmentFen
    if let raw = self.investment {
      let trimmed = normaliseWidth(raw).trimmingSpaces()
      if trimmed.isEmpty || trimmed == "未知" {
        investment = nil
      } else if let fen = ProjectInput.fen(wan: trimmed) {
        investment = fen
      } else {
        problem("investment", raw, "must be an amount in 万元 with at most six decimals, e.g. 12500 or 3.5")
      }
    }
    var items = existing?.items ?? []
    if let given = self.items {
      items = []
      for raw in given {
        if let item = ProjectItem(raw) {
          items.append(item)
        } else {
          problem(
            "item", raw,
            "must be EDITION:ITEM:TYPE, e.g. 2021:30-2614:report (type \(DocumentType.allowedValues))")
        }
      }
    }
    let sensitive = flag("sensitive", self.sensitive)
    let urgent = flag("urgent", self.urgent)
    let process = vocabulary("process", self.process, ProductionProcess.self)
    let route = vocabulary("route", self.route, ApprovalRoute.self)
    let contact = text("contact", self.contact, maxLength: 100)

    if existing == nil {
      for (field, value) in [
        ("name", name), ("builder", builder), ("builder_name", builderName), ("region", region),
        ("industry", industry),
      ] where (value ?? "").isEmpty && !problems.contains(where: { $0.field == field }) {
        problem(
          field, "",
          field == "builder_name"
            ? "is required when the builder is not registered" : "is required for a new project")
      }
    }
    guard problems.isEmpty, let builder, let region, let industry, let effective else {
      return .failure(.invalid(problems))
    }
    var project =
      existing
      ?? Project(
        number: number ?? "", name: name ?? "", builderCode: builder, builderName: builderName ?? "",
        regionCode: region, industryCode: industry, items: items, effective: effective)
    if let name { project.name = name }
    project.builderCode = builder
    if let builderName, !builderName.isEmpty { project.builderName = builderName }
    project.regionCode = region
    project.industryCode = industry
    project.investmentFen = investment
    project.items = items
    if let sensitive { project.sensitive = sensitive }
    if let urgent { project.urgent = urgent }
    if let process { project.process = process }
    if let route { project.route = route }
    if let contact { project.contact = contact }
    project.effective = effective
    return .success(project)
  }

  /// 万元 with up to six decimals → fen (1 万元 = 1,000,000 fen), overflow-checked.
  static func fen(wan text: String) -> Int64? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII),
      let units = Int64(whole), units >= 0
    else { return nil }
    var fraction: Int64 = 0
    if parts.count == 2 {
      let digits = parts[1]
      guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
        let value = Int64(digits + String(repeating: "0", count: 6 - digits.count))
      else { return nil }
      fraction = value
    }
    let (scaled, overflow) = units.multipliedReportingOverflow(by: 1_000_000)
    guard !overflow else { return nil }
    let (sum, overflowSum) = scaled.addingReportingOverflow(fraction)
    return overflowSum ? nil : sum
  }

  /// fen → 万元 as written (`12500`, `3.5`).
  public static func wan(_ fen: Int64) -> String {
    let whole = fen / 1_000_000, fraction = fen % 1_000_000
    guard fraction != 0 else { return String(whole) }
    var digits = String(fraction)
    digits = String(repeating: "0", count: 6 - digits.count) + digits
    while digits.hasSuffix("0") { digits.removeLast() }
    return "\(whole).\(digits)"
  }
}
