/// Terminal columns a string takes: East Asian wide and full-width characters take two, combining
/// marks and zero-width characters none, everything else one.
public func displayWidth(_ text: String) -> Int {
  var width = 0
  for scalar in text.unicodeScalars { width += columns(of: scalar) }
  return width
}

func columns(of scalar: Unicode.Scalar) -> Int {
  let v = scalar.value
  if v < 0x300 { return v < 0x20 || v == 0x7F ? 0 : 1 }
  switch v {
  case 0x300...0x36F, 0x200B...0x200F, 0xFE00...0xFE0F, 0x20D0...0x20FF: return 0
  case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
    return 2
  default: return 1
  }
}

/// Pads `text` with spaces to `width` display columns (left- or right-aligned).
func pad(_ text: String, toWidth width: Int, right: Bool = false) -> String {
  let gap = max(0, width - displayWidth(text))
  let spaces = String(repeating: " ", count: gap)
  return right ? spaces + text : text + spaces
}

/// Cuts `text` to at most `width` display columns, ending in "…" when cut.
func truncate(_ text: String, toWidth width: Int) -> String {
  guard displayWidth(text) > width else { return text }
  var out = ""
  var used = 0
  for character in text {
    let w = displayWidth(String(character))
    if used + w > width - 1 { break }
    out.append(character)
    used += w
  }
  return out + "…"
}
