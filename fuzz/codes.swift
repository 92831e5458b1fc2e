// libFuzzer target: every parser of a typed value (credit code, permit number, date, money,
// decision number, region selection, free text) on the same input; none may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = CreditCode.parse(text)
  _ = PermitNumber.parse(text)
  _ = Fen(yuan: text)
  if Day(text) == nil { _ = Day.refusal(text) }
  _ = DecisionNumber.parse(text, decidedOn: Day(year: 2026, month: 1, day: 1))
  _ = Divisions.bundled.selection(text)
  _ = Divisions.bundled.siteRefusal(String(text.prefix(6)), on: Day(year: 2026, month: 1, day: 1) ?? Day(ordinal: 0))
  _ = FreeText.refusal(text, field: "note")
  _ = text.quoted
  _ = Industries.bundled.validate(text)
  return 0
}
