/// An OCI platform such as `linux/amd64` or `linux/arm64/v8`.
public struct Platform: Sendable, Hashable, Codable, CustomStringConvertible {
    public let os: String
    public let architecture: String
    public let variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]`.
    public init(parsing text: String) throws(ReferenceError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw ReferenceError(.invalidPlatform, input: text, reason: "a platform is written os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm64/v8")
        }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// The platform of the machine running this code, in OCI's names.
    public static var current: Platform {
        #if arch(arm64)
        return Platform(os: "linux", architecture: "arm64", variant: "v8")
        #elseif arch(x86_64)
        return Platform(os: "linux", architecture: "amd64")
        #else
        return Platform(os: "linux", architecture: "unknown")
        #endif
    }

    /// Whether an index entry's platform satisfies this requested one. A requested
    /// platform without a variant accepts any variant (as containerd's matcher does
    /// for the common arm64 case).
    public func matches(_ candidate: Platform) -> Bool {
        guard os == candidate.os, architecture == candidate.architecture else { return false }
        guard let variant else { return true }
        return candidate.variant == variant || (candidate.variant == nil && architecture == "arm64" && variant == "v8")
    }
}
