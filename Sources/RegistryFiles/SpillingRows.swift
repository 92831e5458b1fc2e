import Foundation
import RegistryCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Sorted rows that keep memory flat at any size (issue 12): rows are sorted in memory up to
/// `budget` bytes, then each such run is written to a temporary file, and `drain` merges the runs.
/// Memory holds one run plus one buffered block per run. The file is owner-only and unlinked as soon
/// as it is opened, so nothing is left behind even when the process is killed.
///
/// A record on disk: key (Int64), sequence (Int64), length (UInt32), then the row's UTF-8 bytes,
/// little-endian; runs lie one after another.
public final class SpillingRows: SortedRows {
  private var run: [(key: Int, sequence: Int, text: String)] = []
  private var runBytes = 0
  private let budget: Int
  private var descriptor: Int32 = -1
  private var written: Int64 = 0
  private var runs: [(start: Int64, end: Int64)] = []

  public init(budget: Int = 8 << 20) { self.budget = max(budget, 1) }

  deinit { if descriptor >= 0 { close(descriptor) } }

  public func add(key: Int, sequence: Int, text: String) throws {
    run.append((key, sequence, text))
    runBytes += text.utf8.count + 48
    if runBytes >= budget { try spill() }
  }

  public func drain(_ body: (String) throws -> Void) throws {
    defer { reset() }
    if runs.isEmpty {
      sortRun()
      for row in run { try body(row.text) }
      return
    }
    try spill()
    var readers = runs.map { RunReader(offset: $0.start, end: $0.end) }
    var heads = try readers.indices.map { try readers[$0].next(descriptor) }
    while true {
      // Runs are few (one per budget of rows): a linear pick of the least head is enough.
      var least: Int?
      for index in heads.indices {
        guard let head = heads[index] else { continue }
        if let best = least.flatMap({ heads[$0] }), (best.key, best.sequence) <= (head.key, head.sequence) {
          continue
        }
        least = index
      }
      guard let index = least, let head = heads[index] else { return }
      try body(head.text)
      heads[index] = try readers[index].next(descriptor)
    }
  }

  private func sortRun() {
    run.sort { $0.key != $1.key ? $0.key < $1.key : $0.sequence < $1.sequence }
  }

  private func reset() {
    run.removeAll()
    runBytes = 0
    runs.removeAll()
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    written = 0
  }

  /// Writes the rows in memory, sorted, as one run.
  private func spill() throws {
    guard !run.isEmpty else { return }
    if descriptor < 0 { descriptor = try SpillingRows.openTemporary() }
    sortRun()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    let start = written
    for row in run {
      SpillingRows.append(Int64(row.key), to: &buffer)
      SpillingRows.append(Int64(row.sequence), to: &buffer)
      let bytes = Array(row.text.utf8)
      withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).littleEndian) { buffer += $0 }
      buffer += bytes
      if buffer.count >= 1 << 20 { try flush(&buffer) }
    }
    try flush(&buffer)
    runs.append((start, written))
    run.removeAll(keepingCapacity: true)
    runBytes = 0
  }

  private func flush(_ buffer: inout [UInt8]) throws {
    var done = 0
    while done < buffer.count {
      let count = buffer[done...].withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(written)) }
      guard count > 0 else {
        throw RegistryError.input("Cannot write the sort's temporary file: \(String(cString: strerror(errno))).")
      }
      done += count
      written += Int64(count)
    }
    buffer.removeAll(keepingCapacity: true)
  }

  private static func append(_ value: Int64, to buffer: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
  }

  /// An owner-only file in the temporary folder, unlinked at once (it lives while it is open).
  private static func openTemporary() throws -> Int32 {
    let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((folder + "/envreg-sort-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
    guard descriptor >= 0 else {
      throw RegistryError.input(
        "Cannot create a temporary file in \(folder.quoted) to sort the list: \(String(cString: strerror(errno))).")
    }
    fchmod(descriptor, 0o600)
    template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
    return descriptor
  }
}

/// Reads one run's records back through a block buffer.
private struct RunReader {
  var offset: Int64
  let end: Int64
  var buffer: [UInt8] = []
  var position = 0

  /// Makes at least `count` unread bytes available (fewer only at the run's end).
  mutating func fill(_ count: Int, _ descriptor: Int32) throws -> Bool {
    if buffer.count - position >= count { return true }
    buffer.removeFirst(position)
    position = 0
    let wanted = Int(min(Int64(max(count - buffer.count, 64 << 10)), end - offset))
    guard wanted > 0 else { return buffer.count >= count }
    let old = buffer.count
    buffer += repeatElement(0, count: wanted)
    let got = buffer[old...].withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
    guard got == wanted else {
      throw RegistryError.input("Cannot read the sort's temporary file: \(String(cString: strerror(errno))).")
    }
    offset += Int64(got)
    return buffer.count >= count
  }

  mutating func next(_ descriptor: Int32) throws -> (key: Int, sequence: Int, text: String)? {
    guard try fill(20, descriptor) else { return nil }
    func int64(_ at: Int) -> Int64 {
      var value: Int64 = 0
      withUnsafeMutableBytes(of: &value) { target in
        for index in 0..<8 { target[index] = buffer[at + index] }
      }
      return Int64(littleEndian: value)
    }
    let key = int64(position), sequence = int64(position + 8)
    var length: UInt32 = 0
    withUnsafeMutableBytes(of: &length) { target in
      for index in 0..<4 { target[index] = buffer[position + 16 + index] }
    }
    let count = Int(UInt32(littleEndian: length))
    guard try fill(20 + count, descriptor) else {
      throw RegistryError.input("The sort's temporary file ended inside a row.")
    }
    let text = String(decoding: buffer[(position + 20)..<(position + 20 + count)], as: UTF8.self)
    position += 20 + count
    return (Int(truncatingIfNeeded: key), Int(truncatingIfNeeded: sequence), text)
  }
}
