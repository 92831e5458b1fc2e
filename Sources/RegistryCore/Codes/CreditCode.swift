/// A unified social credit code (统一社会信用代码, GB 32100-2015) that passed the check-character
/// test of RULES ID-1.
///
/// ```swift
/// let code = try CreditCode.parse(" 91350100m000100y43 ").get()   // normalised, checked
/// ```
public struct CreditCode: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let value: String

  /// The 31 characters a code may use, in value order (I, O, Z, S, V are left out).
  public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
  /// Byte -> character value, -1 for bytes a code may not contain (a table, not a dictionary: this
  /// runs for every imported row).
  static let valueOf: [Int] = {
    var table = [Int](repeating: -1, count: 256)
    for (index, character) in alphabet.enumerated() {
      if let byte = character.asciiValue { table[Int(byte)] = index }
    }
    return table
  }()
  static let weights: [Int] = (0..<17).map { position in
    var weight = 1
    for _ in 0..<position { weight = weight * 3 % 31 }
    return weight
  }

  /// Accepts a normalised, valid code; use `parse` for user input.
  public init?(_ text: String) {
    guard case .success(let code) = CreditCode.parse(text), code.value == text else { return nil }
    self = code
  }

  private init(checked value: String) { self.value = value }

  /// A code read back from the registry, which admitted it under ID-1 or an audited ID-7 override:
  /// its shape is checked (18 characters of the alphabet), its check character is not.
  public init?(stored text: String) {
    guard text.utf8.count == 18, text.utf8.allSatisfy({ CreditCode.valueOf[Int($0)] >= 0 }) else { return nil }
    value = text
  }

  /// Whether the check character verifies (false only for an ID-7 override).
  public var conforms: Bool { CreditCode(value) != nil }

  /// ID-7: a code whose only error is its check character (ID-2 and ID-3 hold) may be registered by
  /// an audited override; any other error is refused as under ID-1.
  public static func overridable(_ raw: String, divisions: Divisions = .bundled) -> Result<CreditCode, CodeError> {
    switch parse(raw) {
    case .success(let code): return .success(code)
    case .failure(.checkCharacter(let text, let expected)):
      guard let code = CreditCode(stored: text) else { return .failure(.checkCharacter(text, expected: expected)) }
      let bytes = Array(text.utf8)
      guard let organisation = organisationCheck(bytes[8..<16]),
        UInt8(ascii: organisation.unicodeScalars.first ?? "0") == bytes[16]
      else {
        return .failure(.overrideNotAllowed(text, reason: "its organisation code also fails GB 11714 (ID-2)"))
      }
      guard divisions.everListed(code.divisionCode) else {
        return .failure(
          .overrideNotAllowed(text, reason: "its division \(code.divisionCode) was never a GB/T 2260 code (ID-3)"))
      }
      return .success(code)
    case .failure(let error): return .failure(error)
    }
  }

  public var description: String { value }
  public static func < (lhs: CreditCode, rhs: CreditCode) -> Bool { lhs.value < rhs.value }

  /// Positions 3-8: the GB/T 2260 division of the registering authority (ID-3).
  public var divisionCode: String { String(value.dropFirst(2).prefix(6)) }
  /// Positions 9-17: the GB 11714 organisation code (ID-2).
  public var organisationCode: String { String(value.dropFirst(8).prefix(9)) }

  /// Normalises (full-width to half-width, upper-case, every space, hyphen and dash removed: ID-6)
  /// and checks a code (RULES ID-1). No look-alikes are guessed (O is not 0, I is not 1).
  public static func parse(_ raw: String) -> Result<CreditCode, CodeError> {
    var trimmed = normaliseWidth(raw).trimmingSpaces()
    if anyByte(trimmed, { $0 == 0x20 || $0 == 0x2D || $0 == 0x09 || $0 >= 0x80 }) {
      trimmed = String(
        trimmed.unicodeScalars.filter { !CreditCode.separators.contains($0) && !$0.properties.isWhitespace }.map(
          Character.init))
    }
    let text = anyByte(trimmed, { $0 >= 0x61 && $0 <= 0x7A }) ? trimmed.uppercased() : trimmed
    guard !text.isEmpty else { return .failure(.empty) }
    let count = text.utf8.count
    guard count == 18 else {
      // Excel shows an 18-digit number as 9.14102E+17: the code was stored as a number.
      if text.contains("E+"), text.first?.isNumber == true { return .failure(.excelNumber(text)) }
      return .failure(.length(text, count))
    }
    // Weighted sum straight off the UTF-8 view: codes are checked for every row read or imported.
    var sum = 0, position = 0, last: UInt8 = 0
    for byte in text.utf8 {
      let value = valueOf[Int(byte)]
      guard value >= 0 else {
        let character = String(text.dropFirst(position).prefix(1))
        return .failure(.character(text, position: position + 1, character: character))
      }
      if position < 17 { sum += value * weights[position] } else { last = byte }
      position += 1
    }
    let expected = alphabet[(31 - sum % 31) % 31]
    guard Character(Unicode.Scalar(last)) == expected else {
      return .failure(.checkCharacter(text, expected: expected))
    }
    return .success(CreditCode(checked: text))
  }

  /// Hyphens and dashes people type inside codes (ID-6): - ‐ – — －.
  static let separators: Set<Unicode.Scalar> = ["-", "\u{2010}", "\u{2013}", "\u{2014}", "\u{FF0D}"]

  /// The check character that completes the first 17 characters, or `nil` if one is not allowed.
  public static func checkCharacter(for first17: String) -> Character? {
    let bytes = Array(first17.utf8)
    guard bytes.count == 17 else { return nil }
    var sum = 0
    for position in 0..<17 {
      let value = valueOf[Int(bytes[position])]
      guard value >= 0 else { return nil }
      sum += value * weights[position]
    }
    return alphabet[(31 - sum % 31) % 31]
  }

  /// Soft findings that do not reject the code: a GB 11714 mismatch (ID-2) or an unknown
  /// division (ID-3).
  public func warnings(divisions: Divisions = .bundled) -> [String] {
    var found: [String] = []
    let bytes = Array(value.utf8)
    switch CreditCode.organisationCheck(bytes[8..<16]) {
    case .some(let expected) where UInt8(ascii: expected.unicodeScalars.first ?? "0") != bytes[16]:
      found.append(
        """
        credit code \(value.quoted): the organisation code \(organisationCode) has check character \
        \(organisationCode.suffix(1)), GB 11714 expects \(expected) (ID-2, warning only)
        """
      )
    case .none:
      found.append(
        """
        credit code \(value.quoted): the organisation code \(organisationCode) uses characters GB 11714 does not \
        allow (ID-2, warning only)
        """
      )
    default: break
    }
    if !divisions.everListed(divisionCode) {
      found.append(
        "credit code \(value.quoted): division \(divisionCode) is not a known GB/T 2260 code (ID-3, warning only)")
    }
    return found
  }

  /// The GB 11714 check character for an 8-character organisation code body (RULES ID-2).
  public static func organisationCheck(for body: String) -> Character? {
    let bytes = Array(body.utf8)
    return organisationCheck(bytes[...])
  }

  static func organisationCheck(_ bytes: ArraySlice<UInt8>) -> Character? {
    let weights = [3, 7, 9, 10, 5, 8, 4, 2]
    guard bytes.count == 8 else { return nil }
    var sum = 0
    for (index, byte) in bytes.enumerated() {
      switch byte {
      case 48...57: sum += Int(byte - 48) * weights[index]
      case 65...90: sum += (Int(byte - 65) + 10) * weights[index]
      default: return nil
      }
    }
    let check = 11 - sum % 11
    switch check {
    case 10: return "X"
    case 11: return "0"
    default: return Character(String(check))
    }
  }
}

/// Why a code was rejected; each message names the value and, where there is one, the fix.
public enum CodeError: Error, Equatable, Sendable, CustomStringConvertible {
  case empty
  case length(String, Int)
  case character(String, position: Int, character: String)
  case checkCharacter(String, expected: Character)
  case permitFormat(String)
  case permitHolder(String, holder: String)
  case excelNumber(String)
  case overrideNotAllowed(String, reason: String)

  /// The reason alone, for messages that already name the field and value.
  public var reason: String {
    switch self {
    case .empty: "is empty; a unified social credit code has 18 characters (ID-1)"
    case .length(_, let count): "has \(count) characters; a unified social credit code has 18 (ID-1)"
    case .character(_, let position, let character):
      "has \(character.quoted) at position \(position); allowed are 0-9 and A-Y without I, O, S, V, Z (ID-1)"
    case .checkCharacter(let text, let expected):
      "has a wrong check character \(text.suffix(1)); expected \(expected) (ID-1)"
    case .permitFormat:
      "is not a credit code + 3-digit site sequence + capital letter, e.g. 91130200699229617X001P (ID-4)"
    case .permitHolder(let number, let holder):
      "belongs to credit code \(String(number.prefix(18))), not to the holder \(holder) (ID-4)"
    case .overrideNotAllowed(_, let reason):
      "cannot be registered by an override: the check character must be its only error, but \(reason) (ID-7)"
    case .excelNumber:
      """
      looks like a number Excel rewrote in scientific notation, which loses the last digits; format the column as \
      Text (设置单元格格式 → 文本) before typing or pasting codes, or save from the original data, then import again (ID-1)
      """
    }
  }

  /// The normalised text that was checked.
  public var text: String {
    switch self {
    case .empty: ""
    case .length(let text, _), .character(let text, _, _), .checkCharacter(let text, _), .permitFormat(let text),
      .permitHolder(let text, _), .excelNumber(let text), .overrideNotAllowed(let text, _):
      text
    }
  }

  public var description: String { text.isEmpty ? reason : "\(text.quoted) \(reason)" }
}

/// A pollutant-discharge permit number (HJ 608-2017, RULES ID-4): credit code, 3-digit site
/// sequence, one capital letter (`P` for permits).
public struct PermitNumber: Hashable, Sendable, CustomStringConvertible {
  public let value: String
  public let holder: CreditCode

  public var description: String { value }

  private init(value: String, holder: CreditCode) {
    self.value = value
    self.holder = holder
  }

  public static func parse(_ raw: String) -> Result<PermitNumber, CodeError> {
    let text = normaliseWidth(raw).trimmingSpaces().uppercased()
    let bytes = Array(text.utf8)
    guard bytes.count == 22, bytes[18...20].allSatisfy({ (48...57).contains($0) }), (65...90).contains(bytes[21]) else {
      return .failure(.permitFormat(text))
    }
    switch CreditCode.parse(String(text.prefix(18))) {
    case .failure(let error): return .failure(error)
    case .success(let holder): return .success(PermitNumber(value: text, holder: holder))
    }
  }

  /// A permit number read back from the registry, which checked it when it was recorded: its shape
  /// is checked again, its credit-code part is taken as stored.
  public init?(stored text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 22, bytes[18...20].allSatisfy({ (48...57).contains($0) }), (65...90).contains(bytes[21]),
      let holder = CreditCode(stored: String(text.prefix(18)))
    else { return nil }
    self.init(value: text, holder: holder)
  }

  /// ID-4 for the permit of a firm registered by an ID-7 override: the number's body is that
  /// firm's code, whose check character does not verify.
  public static func parse(_ raw: String, overriddenHolder holder: CreditCode) -> Result<PermitNumber, CodeError> {
    let text = normaliseWidth(raw).trimmingSpaces().uppercased()
    guard !holder.conforms, text.hasPrefix(holder.value) else { return parse(raw) }
    let bytes = Array(text.utf8)
    guard bytes.count == 22, bytes[18...20].allSatisfy({ (48...57).contains($0) }), (65...90).contains(bytes[21]) else {
      return .failure(.permitFormat(text))
    }
    return .success(PermitNumber(value: text, holder: holder))
  }
}
