import Foundation
import RegistryCore

/// The encoding of a CSV file written for people (`--encoding`, issue 15): UTF-8 with a byte-order
/// mark by default, so that Excel shows Chinese text (without one it reads the file as the system's
/// code page: `搴忓彿,浼佷笟…`); plain UTF-8 for tools; GB18030 for old systems. Standard output stays
/// plain UTF-8 whatever is chosen: it feeds pipes.
public enum OutputEncoding: String, CaseIterable, Sendable {
  case utf8 = "utf-8"
  case utf8BOM = "utf-8-bom"
  case gb18030

  /// What a file starts with.
  public var preamble: [UInt8] { self == .utf8BOM ? [0xEF, 0xBB, 0xBF] : [] }

  /// `text` in this encoding. GB18030 covers all of Unicode, so nothing is lost; the conversion is
  /// the system's iconv, as for reading.
  public func bytes(_ text: String) throws -> [UInt8] {
    guard self == .gb18030 else { return Array(text.utf8) }
    return try OutputEncoding.gb18030Bytes(text)
  }

  static func gb18030Bytes(_ text: String) throws -> [UInt8] {
    let handle = iconv_open("GB18030", "UTF-8")
    guard handle != iconv_t(bitPattern: -1) else {
      throw RegistryError.input("This system's iconv cannot write GB18030; use --encoding utf-8-bom.")
    }
    defer { iconv_close(handle) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
        var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
        var inLeft = inBuffer.count
        var outLeft = outBuffer.count
        let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        return result == -1 || inLeft != 0 ? -1 : outBuffer.count - outLeft
      }
    }
    guard produced >= 0 else { throw RegistryError.input("The text cannot be written as GB18030.") }
    return Array(output.prefix(produced))
  }
}
