import Foundation

/// Base64 helpers that tolerate the forms docker config files use.
enum Base64 {
    /// Decodes standard or URL-safe base64, with or without padding.
    static func decode(_ text: String) -> [UInt8]? {
        var normalized = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while normalized.utf8.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized).map { [UInt8]($0) }
    }
}
