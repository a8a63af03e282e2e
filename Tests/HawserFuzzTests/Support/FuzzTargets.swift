import Foundation

/// The parsers under fuzzing. Each `run` takes raw bytes, as they would come
/// from a file or the network, through everything that reads them.
enum FuzzTargets {
    static var all: [FuzzTarget] {
        [registriesYAML, hostsTOML, imageReferences, manifests, challenges, tokenResponses]
    }

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: max(0, count)) }

    /// Numbers at and past every edge a size or count might hit.
    static let hugeNumbers = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1e400", "-1e400", "1.7976931348623157e308", "4.9e-324", "-1", "-0", "0", "1", "0x7fffffffffffffff",
        "99999999999999999999999999999999999999", "1_000", "+inf", "nan", "NaN", "Infinity", "4294967296", "2147483648",
    ]
}
