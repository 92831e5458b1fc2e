import Foundation

/// A workbook's shared strings (every distinct text, which cells name by index), held so that a
/// sheet of a million distinct names reads in flat memory: the UTF-8 bytes gather in memory up to
/// `limit`, then go to an unlinked temporary file that is memory-mapped once the table is read
/// (the system pages it in and out); only one offset per string stays on the heap.
final class SharedStrings {
  private var offsets: [Int] = [0]
  private var pending: [UInt8] = []
  private var spill: FileHandle?
  private var spilled = 0
  private var mapped = Data()
  private let limit: Int

  init(limit: Int = 8 << 20) { self.limit = limit }

  var count: Int { offsets.count - 1 }

  /// Whether the strings went to a file (for tests).
  var isSpilled: Bool { spill != nil || !mapped.isEmpty }

  func append(_ text: String) throws {
    pending.append(contentsOf: text.utf8)
    offsets.append(spilled + pending.count)
    if pending.count >= limit { try flush() }
  }

  private func flush() throws {
    if spill == nil {
      let path = NSTemporaryDirectory() + "envreg-strings-\(UUID().uuidString)"
      guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
        let handle = FileHandle(forUpdatingAtPath: path)
      else { throw CocoaError(.fileWriteNoPermission) }
      // Unlinked at once: nothing is left behind whatever happens to the import.
      unlink(path)
      spill = handle
    }
    try spill?.write(contentsOf: pending)
    spilled += pending.count
    pending.removeAll(keepingCapacity: true)
  }

  /// The table is complete: a spilled one is mapped from its file.
  func finish() throws {
    guard let spill else { return }
    try flush()
    let descriptor = spill.fileDescriptor
    guard spilled > 0, let address = mmap(nil, spilled, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED
    else {
      throw CocoaError(.fileReadUnknown)
    }
    let length = spilled
    mapped = Data(bytesNoCopy: address, count: length, deallocator: .custom { pointer, size in munmap(pointer, size) })
    try spill.close()
    self.spill = nil
  }

  subscript(index: Int) -> String? {
    guard index >= 0, index < count else { return nil }
    let start = offsets[index], end = offsets[index + 1]
    if mapped.isEmpty { return String(decoding: pending[start..<end], as: UTF8.self) }
    return String(decoding: mapped[start..<end], as: UTF8.self)
  }
}
