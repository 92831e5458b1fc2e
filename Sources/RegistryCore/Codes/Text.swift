/// Full-width ASCII variants (U+FF01...U+FF5E) and the ideographic space become their half-width
/// forms; everything else is kept.
public func normaliseWidth(_ text: String) -> String {
  guard text.unicodeScalars.contains(where: { $0.value >= 0x3000 && ($0.value == 0x3000 || (0xFF01...0xFF5E).contains($0.value)) }) else {
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
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{3000}" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(self[first...last])
  }

  /// Replaces every occurrence of `target` (Foundation-free).
  public func replacingOccurrences(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
    return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }

  /// Quoted for messages: `"value"`.
  public var quoted: String { "\"" + self + "\"" }
}
