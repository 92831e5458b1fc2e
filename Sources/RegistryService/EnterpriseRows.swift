import RegistryCore

/// An enterprise file's rows judged as every storage imports them: the header mapped to fields
/// (English or Chinese names), each row resolved against the firm it names as it stands (`existing`,
/// looked up by the storage), and the importing account's rights checked on the old and new site.
public struct EnterpriseRows: Sendable {
  public let options: ImportOptions
  public private(set) var columns: [EnterpriseField?] = []
  public private(set) var warnings: [String] = []
  public private(set) var warningCount = 0
  private var headerCount = 0

  public init(options: ImportOptions) { self.options = options }

  /// What a row does.
  public enum Verdict {
    /// A firm not yet registered, with its final values.
    case new(Enterprise)
    /// A registered firm whose facts change (re-checked when the change is applied).
    case change(CreditCode)
    case unchanged
    case refused([String])
  }

  public mutating func warn(_ text: String) {
    warningCount += 1
    if warnings.count < 100 { warnings.append(text) }
  }

  public mutating func header(_ record: CSVParser.Record) throws {
    headerCount = record.fields.count
    var seen: Set<EnterpriseField> = []
    var ignored: [String] = []
    for header in record.fields {
      let field = EnterpriseField.forHeader(header)
      if let field {
        guard seen.insert(field).inserted else {
          throw RegistryError.input(
            """
            Line \(record.line): the header names \(field.rawValue) twice (\(header.quoted)); keep one column per \
            field.
            """
          )
        }
      } else if !header.trimmingSpaces().isEmpty {
        ignored.append(header)
      }
      columns.append(field)
    }
    let missing = EnterpriseField.allCases.filter { $0.isRequired && !seen.contains($0) }
    guard missing.isEmpty else {
      let accepted = EnterpriseField.allCases.map { "\($0.rawValue)/\($0.chineseHeader)" }.joined(separator: ", ")
      throw RegistryError.input(
        "Line \(record.line): the header lacks "
          + missing.map { "\($0.rawValue) (\($0.chineseHeader))" }.joined(separator: ", ")
          + ". Accepted columns: \(accepted).")
    }
    if !ignored.isEmpty {
      warn("line \(record.line): ignored columns \(ignored.map(\.quoted).joined(separator: ", "))")
    }
  }

  /// The row's cells as an input, by the header's columns.
  public func input(_ fields: [String]) -> EnterpriseInput {
    var input = EnterpriseInput()
    for case (let index, let field?) in columns.enumerated() where index < fields.count { input[field] = fields[index] }
    return input
  }

  /// The credit code a row names (for the storage's look-up), or the problems that keep it from
  /// naming one.
  public func code(of record: CSVParser.Record) -> Result<CreditCode, RowProblems> {
    guard record.fields.count == headerCount else {
      return .failure(RowProblems(["the row has \(record.fields.count) fields, the header has \(headerCount)"]))
    }
    let input = input(record.fields)
    if let raw = input[.creditCode], case .success(let parsed) = CreditCode.parse(raw) { return .success(parsed) }
    if case .invalid(let problems) = input.resolve(onto: nil, asOf: options.asOf, blankKeepsValue: true) {
      return .failure(RowProblems(problems.map(\.description)))
    }
    return .failure(RowProblems(["the row could not be read"]))
  }

  /// Judges a row against the firm its code names as it stands (`existing`, nil when none is
  /// registered); `staged`: an import still running has staged that code.
  public mutating func judge(_ record: CSVParser.Record, existing: Enterprise?, staged: Bool) -> Verdict {
    let input = input(record.fields)
    guard let old = existing else {
      if staged {
        return .refused([
          "credit_code \(input[.creditCode]?.quoted ?? "?"): is being registered by another import that has not "
            + "completed; import this row after it"
        ])
      }
      switch input.resolve(onto: nil, asOf: options.asOf, blankKeepsValue: true) {
      case .invalid(let problems): return .refused(problems.map(\.description))
      case .valid(let firm, let rowWarnings):
        if let refusal = outsideRights(firm) { return .refused([refusal]) }
        for warning in rowWarnings { warn("line \(record.line): \(warning)") }
        return .new(firm)
      }
    }
    switch input.resolve(onto: old, asOf: options.asOf, blankKeepsValue: true) {
    case .invalid(let problems): return .refused(problems.map(\.description))
    case .valid(let firm, _):
      // Its old site and (when the file moves it) its new one must both be the account's.
      if let refusal = outsideRights(old) ?? outsideRights(firm) { return .refused([refusal]) }
      if firm.changedFields(from: old).isEmpty { return .unchanged }
      guard old.status == .active else {
        return .refused([
          "credit_code \(old.creditCode.value.quoted): the enterprise was deregistered on "
            + "\(old.closedOn?.description ?? "?"); its facts are frozen"
        ])
      }
      return .change(old.creditCode)
    }
  }

  /// Why the importing account may not write this firm (`ImportOptions.account`), or nil.
  public func outsideRights(_ firm: Enterprise) -> String? {
    options.refusal(region: firm.regionCode).map { "region_code \(firm.regionCode.quoted): \($0)" }
  }

  public static func duplicate(_ code: CreditCode) -> [String] {
    ["credit_code \(code.value.quoted): appears more than once in this file; keep one row per enterprise"]
  }

  /// Applies a staged change when the import completes: the row's cells re-resolved onto the firm
  /// as it is then. Returns the new facts, nil when nothing changes, or the problems.
  public func completion(_ fields: [String], onto current: Enterprise) -> Result<Enterprise?, RowProblems> {
    switch input(fields).resolve(onto: current, asOf: options.asOf, blankKeepsValue: true) {
    case .invalid(let found): return .failure(RowProblems(found.map(\.description)))
    case .valid(let firm, _):
      if firm.changedFields(from: current).isEmpty { return .success(nil) }
      guard current.status == .active else {
        return .failure(
          RowProblems([
            "credit_code \(current.creditCode.value.quoted): the enterprise was deregistered on "
              + "\(current.closedOn?.description ?? "?") while this file was being read; its facts are frozen"
          ]))
      }
      return .success(firm)
    }
  }
}

/// A row's problems, as an error value.
public struct RowProblems: Error, Sendable {
  public let problems: [String]
  public init(_ problems: [String]) { self.problems = problems }
}
