import Foundation

/// The distribution API's error body: `{"errors":[{"code":"…","message":"…"}]}`.
public struct DistributionErrorBody: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable, CustomStringConvertible {
        public var code: String
        public var message: String?

        public init(code: String, message: String?) {
            self.code = code
            self.message = message
        }

        public var description: String { message.map { "\(code): \($0)" } ?? code }
    }

    public var errors: [Entry]

    /// Decodes a registry error body, nil when the bytes are not one.
    public static func decode(_ bytes: [UInt8]) -> DistributionErrorBody? {
        struct Lenient: Decodable {
            struct Item: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Item]?
        }
        // JSONNesting first: a Foundation trap on some deeply nested input.
        guard !JSONNesting.exceedsLimit(bytes),
              let lenient = try? JSONDecoder().decode(Lenient.self, from: Data(bytes)), let items = lenient.errors else { return nil }
        return DistributionErrorBody(errors: items.map { Entry(code: $0.code ?? "UNKNOWN", message: $0.message) })
    }
}
