// libFuzzer target: the streaming CSV parser, fed the input in two chunks at a random split.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let split = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
  var parser = CSVParser()
  var records = 0
  parser.feed(Array(bytes[..<split])) { _ in records += 1 }
  parser.feed(Array(bytes[split...])) { _ in records += 1 }
  parser.finish { _ in records += 1 }
  return 0
}
