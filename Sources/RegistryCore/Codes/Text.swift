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
