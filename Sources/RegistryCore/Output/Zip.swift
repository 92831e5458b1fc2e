/// A minimal ZIP archive writer (stored entries, no compression), enough for an .xlsx package.
/// Written here rather than adding a dependency: it is a file header, the data and a central
/// directory per entry (PKWARE APPNOTE 4.3).
public struct ZipArchive {
  private var body: [UInt8] = []
  private var directory: [UInt8] = []
  private var count = 0

  public init() {}

  public mutating func add(_ path: String, _ data: [UInt8]) {
    let name = Array(path.utf8)
    let crc = CRC32.checksum(data)
    let offset = UInt32(body.count)
    // Local file header.
    // version, UTF-8 names, stored, time, date (1980-01-01)
    body += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
    body += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(name.count)) + le16(0)
    body += name + data
    // Central directory entry.
    directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
    directory += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(name.count))
    directory += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
    count += 1
  }

  public var bytes: [UInt8] {
    let end =
      le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
      + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
    return body + directory + end
  }

  private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
  private func le32(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
  }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP requires.
public enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  public static func checksum(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}
