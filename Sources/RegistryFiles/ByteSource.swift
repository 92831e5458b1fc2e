import Foundation
import RegistryCore
import RegistryService

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file in fixed-size chunks and hands out UTF-8 bytes, transcoding GB18030 on the fly with
/// iconv. Memory stays constant whatever the file size.
public final class ByteSource {
  private let file: UnsafeMutablePointer<FILE>
  private let chunkSize = 1 << 20
  private var converter: iconv_t?
  private var carry: [UInt8] = []
  public let encoding: TextEncoding
  private(set) var bytesRead = 0

  public init(path: String, encoding: TextEncoding) throws {
    guard let file = fopen(path, "rb") else {
      throw RegistryError.input("Cannot open \(path.quoted): \(String(cString: strerror(errno))).")
    }
    self.file = file
    var chosen = encoding
    if encoding == .auto {
      let survey = ByteSource.survey(file, chunkSize: chunkSize)
      rewind(file)
      switch survey.verdict {
      case .utf8: chosen = .utf8
      case .gb18030: chosen = .gb18030
      case .mixed(let line, let utf8Lines, let otherLines):
        fclose(file)
        throw RegistryError.input(
          """
          \(path.quoted) mixes encodings: \(utf8Lines) line(s) are UTF-8 and \(otherLines) are not (GB18030?), first at line \(line). \
          Save the whole file in one encoding (Excel: 另存为 CSV UTF-8), or pass --encoding utf-8 or gb18030.
          """)
      }
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
  public func next() throws -> [UInt8]? {
    let raw = ByteSource.readChunk(file, size: chunkSize)
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
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(
          to: CChar.self)
        var inLeft = total
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(
          to: CChar.self)
        var outLeft = outBuffer.count
        let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        consumed = total - inLeft
        produced = outBuffer.count - outLeft
        if result == -1 && errno == EILSEQ {
          throw RegistryError.input(
            """
            Byte \(bytesRead - raw.count + consumed + 1) of the file is not valid GB18030; check the file's \
            encoding (--encoding utf-8 or gb18030).
            """
          )
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

  /// What a whole-file look found: each line is ASCII, UTF-8 with other characters, or not UTF-8.
  struct Survey {
    enum Verdict { case utf8, gb18030, mixed(line: Int, utf8Lines: Int, otherLines: Int) }
    var utf8Lines = 0, otherLines = 0
    var firstUTF8Line: Int?, firstOtherLine: Int?
    var bom = false

    var verdict: Verdict {
      if bom || otherLines == 0 { return .utf8 }
      if utf8Lines == 0 { return .gb18030 }
      // The odd ones out are named: the first line of the smaller group.
      let line = (utf8Lines >= otherLines ? firstOtherLine : firstUTF8Line) ?? 1
      return .mixed(line: line, utf8Lines: utf8Lines, otherLines: otherLines)
    }
  }

  /// Reads the whole file once, validating UTF-8 line by line (no character of either encoding
  /// contains the byte 0x0A, so lines can be told apart before decoding).
  static func survey(_ file: UnsafeMutablePointer<FILE>, chunkSize: Int) -> Survey {
    var survey = Survey()
    var line = 1, need = 0
    var nonASCII = false, invalid = false, first = true
    func endLine() {
      if need > 0 { invalid = true }
      if invalid {
        survey.otherLines += 1
        if survey.firstOtherLine == nil { survey.firstOtherLine = line }
      } else if nonASCII {
        survey.utf8Lines += 1
        if survey.firstUTF8Line == nil { survey.firstUTF8Line = line }
      }
      line += 1
      need = 0
      nonASCII = false
      invalid = false
    }
    while true {
      let chunk = readChunk(file, size: chunkSize)
      if chunk.isEmpty { break }
      if first {
        survey.bom = chunk.starts(with: [0xEF, 0xBB, 0xBF])
        first = false
      }
      for byte in chunk {
        if byte == 0x0A {
          endLine()
          continue
        }
        if need > 0 {
          if byte & 0xC0 == 0x80 {
            need -= 1
            continue
          }
          invalid = true
          need = 0
        }
        switch byte {
        case 0x00...0x7F: break
        case 0xC2...0xDF: need = 1; nonASCII = true
        case 0xE0...0xEF: need = 2; nonASCII = true
        case 0xF0...0xF4: need = 3; nonASCII = true
        default: invalid = true
        }
      }
    }
    if nonASCII || invalid || need > 0 { endLine() }
    return survey
  }
}
