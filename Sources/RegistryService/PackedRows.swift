import RegistryCore

/// Child rows a storage packs into one text column of their parent's row (one pass, no query per
/// parent), unpacked alike whichever engine packed them.
extension PermitFact {
  /// Deferrals packed as consecutive 20-character "grantedUntil" pairs of dates (no separators:
  /// both are fixed-width YYYY-MM-DD).
  public static func unpackDeferrals(_ packed: String?) -> [(grantedOn: Day, until: Day)] {
    guard let packed, !packed.isEmpty else { return [] }
    let bytes = Array(packed.utf8)
    return stride(from: 0, to: bytes.count - 19, by: 20).compactMap { start in
      guard let granted = Day(String(decoding: bytes[start..<start + 10], as: UTF8.self)),
        let until = Day(String(decoding: bytes[start + 10..<start + 20], as: UTF8.self))
      else { return nil }
      return (granted, until)
    }
  }
}

extension PermitEvent {
  /// Events packed as fields separated by U+001F and events by U+001E (both removed from the free
  /// text first): kind, event_on, until_on, basis, approver, note.
  public static func unpack(_ packed: String?) -> [PermitEvent] {
    guard let packed, !packed.isEmpty else { return [] }
    // Split on the separator bytes (splitting Characters would run grapheme breaking on every byte).
    return packed.utf8.split(separator: 0x1E).compactMap { record in
      let f = record.split(separator: 0x1F, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
      }
      guard f.count == 6, let kind = PermitEvent.Kind(rawValue: f[0]), let on = Day(f[1]) else { return nil }
      return PermitEvent(kind: kind, on: on, until: Day(f[2]), basis: f[3], approver: f[4], note: f[5])
    }
  }
}
