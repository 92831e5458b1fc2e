/// Whether any UTF-8 byte of `text` satisfies `predicate`, scanning the contiguous buffer (native
/// strings always have one) rather than iterating the UTF-8 view through generic witnesses.
@inline(__always)
func anyByte(_ text: String, _ predicate: (UInt8) -> Bool) -> Bool {
  text.utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) } ?? text.utf8.contains(where: predicate)
}

/// Full-width ASCII variants (U+FF01...U+FF5E) and the ideographic space become their half-width
/// forms; everything else is kept.
public func normaliseWidth(_ text: String) -> String {
  // Fast path: U+3000 encodes as E3 80 80 and U+FF01...U+FF5E as EF BC 81 ... EF BD 9E, so text
  // without an E3 or EF byte has nothing to change.
  guard anyByte(text, { $0 == 0xE3 || $0 == 0xEF }) else { return text }
  guard text.unicodeScalars.contains(where: { $0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value) }) else {
    return text
  }
  var scalars = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    if scalar.value == 0x3000 {
      scalars.append(" ")
    } else if (0xFF01...0xFF5E).contains(scalar.value), let half = Unicode.Scalar(scalar.value - 0xFEE0) {
      scalars.append(half)
    } else {
      scalars.append(scalar)
    }
  }
  return String(scalars)
}

extension String {
  /// Trims ASCII white space and the ideographic space at both ends.
  public func trimmingSpaces() -> String {
    // Fast path: nothing to trim when the first and last bytes are neither ASCII white space nor
    // the lead byte of U+3000 (E3).
    let utf8 = self.utf8
    guard let first = utf8.first, let last = utf8.last else { return self }
    let edge: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xE3 || $0 == 0x80 }
    if !edge(first) && !edge(last) { return self }
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{3000}" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[first...last])
  }

  /// Replaces every occurrence of `target` (Foundation-free).
  public func replacingOccurrences(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
    return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }

  /// Quoted for messages: `"value"`, with control characters shown as `\u{1B}` so that a value
  /// echoed in an error cannot drive the terminal, and very long values cut to 200 characters.
  public var quoted: String {
    guard anyByte(self, { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) || utf8.count > 200 else {
      return "\"" + self + "\""
    }
    var shown = ""
    for scalar in unicodeScalars.prefix(200) {
      if FreeText.isControl(scalar) {
        shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return "\"" + shown + (unicodeScalars.count > 200 ? "…" : "") + "\""
  }
}

/// Free text that users type (names, notes, reasons, references, the actor): no control
/// characters (a line break only in multi-line fields) and a documented maximum length.
/// A yes/no fact as bureaus write it: yes/no, 是/否, 1/0, y/n, true/false. With `allowUnknown`, also
/// unknown (未知, or blank), as `.some(nil)`: a fact never supplied stays unknown. One reader for
/// every importer and command (enterprise and project facts).
public enum YesNo {
  /// The value, `.some(nil)` for unknown, or nil when the text is none of these.
  public static func parse(_ raw: String, allowUnknown: Bool) -> Bool?? {
    let text = normaliseWidth(raw).trimmingSpaces().lowercased()
    if allowUnknown, ["", "unknown", "未知"].contains(text) { return .some(nil) }
    switch text {
    case "1", "yes", "y", "true", "是": return .some(true)
    case "0", "no", "n", "false", "否", "": return .some(false)
    default: return nil
    }
  }

  public static func refusal(allowUnknown: Bool) -> String {
    allowUnknown ? "must be yes/no (是/否, 1/0) or unknown (未知)" : "must be yes/no (是/否, 1/0)"
  }
}

public enum FreeText {
  /// The longest value of a one-line field, and of a multi-line field, in characters.
  public static let maxLength = 500
  public static let maxMultilineLength = 4_000
  /// Fields that may hold line breaks (ledger texts and notes).
  public static let multilineFields: Set<String> = [
    "description", "measures", "note", "progress", "remarks", "问题描述", "帮扶措施", "整改进展", "备注",
  ]

  /// C0 controls, DEL and C1 controls (ESC, BEL, CR, backspace, …).
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// Why `value` is refused for `field`, or `nil`.
  public static func refusal(_ value: String, field: String, maxLength: Int? = nil) -> String? {
    let multiline = multilineFields.contains(field)
    let limit = maxLength ?? (multiline ? maxMultilineLength : FreeText.maxLength)
    if anyByte(value, { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }),
      let bad = value.unicodeScalars.first(where: { isControl($0) && !(multiline && $0 == "\n") })
    {
      let name =
        bad == "\n" || bad == "\r"
        ? "a line break"
        : bad == "\t" ? "a tab" : "a control character U+\(String(bad.value, radix: 16, uppercase: true))"
      return "contains \(name)\(multiline ? "" : "; this field is one line") (control characters are not allowed)"
    }
    if value.utf8.count > limit, value.count > limit {
      return "is \(value.count) characters long; at most \(limit) are allowed"
    }
    return nil
  }
}
