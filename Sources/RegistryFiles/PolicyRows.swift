import Foundation
import RegistryCore

/// A policy parameter's value as both storages keep it: JSON text (`{"integer": 3}`, `{"day": …}` …).
public enum PolicyRows {
  public static func value(json: String) -> ParameterValue? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
    if let n = object["integer"] as? Int { return .integer(n) }
    if let n = object["basis_points"] as? Int { return .basisPoints(n) }
    if let codes = object["codes"] as? [String] { return .codes(codes) }
    if let text = object["day"] as? String, let day = Day(text) { return .day(day) }
    if let text = object["text"] as? String { return .text(text) }
    if let mg = object["mg_m3"] as? Double { return .limit(milligrams: mg, oxygen: object["o2"] as? Double) }
    return nil
  }
}
