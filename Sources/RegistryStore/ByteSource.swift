import Foundation
import RegistryCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The text encodings envreg reads CSV in: UTF-8 (with or without BOM) and GB18030, the default of
/// Chinese Excel. `auto` looks at the first megabyte: valid UTF-8 (or a BOM) means UTF-8, else
/// GB18030.
public enum TextEncoding: String, CaseIterable, Sendable {
  case auto, utf8 = "utf-8", gb18030
}

/// Reads a file in fixed-size chunks and hands out UTF-8 bytes, transcoding GB18030 on the fly with
/// iconv. Memory stays constant whatever the file size.
final class ByteSource {
  private let file: UnsafeMutablePointer<FILE>
  private let chunkSize = 1 << 20
  private var converter: iconv_t?
  private var carry: [UInt8] = []
  private var firstChunk: [UInt8]?
  let encoding: TextEncoding
  private(set) var bytesRead = 0

  init(path: String, encoding: TextEncoding) throws {
    guard let file = fopen(path, "rb") else {
      throw RegistryError.input("Cannot open \(path.quoted): \(String(cString: strerror(errno))).")
    }
    self.file = file
    var chosen = encoding
    if encoding == .auto {
      let head = ByteSource.readChunk(file, size: chunkSize)
      firstChunk = head
      chosen = ByteSource.looksLikeUTF8(head) ? .utf8 : .gb18030
    }
    self.encoding = chosen
    if chosen == .gb18030 {
      let handle = iconv_open("UTF-8", "GB18030")
      guard let handle, Int(bitPattern: handle) != -1 else {
        fclose(file)
        throw RegistryError.input("This system's iconv cannot convert GB18030; save the file as UTF-8 instead.")
      }
      converter = handle
    }
  }

  deinit {
    fclose(file)
    if let converter { iconv_close(converter) }
  }

  /// The next chunk of UTF-8 bytes, or `nil` at the end of the file.
  func next() throws -> [UInt8]? {
    let raw: [UInt8]
    if let head = firstChunk {
      firstChunk = nil
      raw = head
    } else {
      raw = ByteSource.readChunk(file, size: chunkSize)
    }
    bytesRead += raw.count
    guard let converter else { return raw.isEmpty ? nil : raw }
    if raw.isEmpty {
      guard carry.isEmpty else {
        throw RegistryError.input("The file ends inside a GB18030 character (byte \(bytesRead - carry.count + 1)).")
      }
      return nil
    }
    var input = carry + raw
    carry = []
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let total = input.count
    var consumed = 0
    var produced = 0
    try input.withUnsafeMutableBufferPointer { inBuffer in
      try output.withUnsafeMutableBufferPointer { outBuffer in
        guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
        var inLeft = total
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
        var outLeft = outBuffer.count
        let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        consumed = total - inLeft
        produced = outBuffer.count - outLeft
        if result == -1 && errno == EILSEQ {
          throw RegistryError.input("Byte \(bytesRead - raw.count + consumed + 1) of the file is not valid GB18030; check the file's encoding (--encoding utf-8 or gb18030).")
        }
      }
    }
    if consumed < total { carry = Array(input[consumed...]) }
    return Array(output[0..<produced])
  }

  private static func readChunk(_ file: UnsafeMutablePointer<FILE>, size: Int) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: size)
    let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
    if count < size { buffer.removeSubrange(count...) }
    return buffer
  }

  /// True when the bytes are UTF-8 (a sequence cut at the very end is allowed).
  static func looksLikeUTF8(_ bytes: [UInt8]) -> Bool {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return true }
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      let length: Int
      switch byte {
      case 0x00...0x7F: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return false
      }
      if index + length > bytes.count { return true }
      for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
      index += length
    }
    return true
  }
}
