import GRDB

extension Row {
  /// The text at `index`, or `nil` for NULL.
  ///
  /// Decoding `String?` through GRDB's generic subscript asks the Swift runtime whether
  /// `Optional<String>` conforms to `StatementColumnConvertible`; that negative answer is not
  /// cached and cost 13% of a listing under callgrind. Testing for NULL and decoding `String`
  /// keeps to the cached, positive path.
  func text(_ index: Int) -> String? { hasNull(atIndex: index) ? nil : (self[index] as String) }

  /// The integer at `index`, or `nil` for NULL (see `text(_:)`).
  func integer(_ index: Int) -> Int64? { hasNull(atIndex: index) ? nil : (self[index] as Int64) }

  /// The flag at `index`, or `nil` for NULL (see `text(_:)`).
  func flag(_ index: Int) -> Bool? { hasNull(atIndex: index) ? nil : (self[index] as Bool) }
}
