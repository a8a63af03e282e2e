/// What containerd may do with a host (`capabilities` in hosts.toml).
public struct Capabilities: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let pull = Capabilities(rawValue: 1)
    public static let resolve = Capabilities(rawValue: 2)
    public static let push = Capabilities(rawValue: 4)
    /// OCI referrers (containerd 2.2+; earlier versions refuse a file that names it).
    public static let referrers = Capabilities(rawValue: 8)
    public static let all: Capabilities = [.pull, .resolve, .push]

    /// Parses hosts.toml names; unknown names are ignored, as containerd does.
    public init(names: [String]) {
        var value: Capabilities = []
        for name in names {
            switch name {
            case "pull": value.insert(.pull)
            case "resolve": value.insert(.resolve)
            case "push": value.insert(.push)
            case "referrers": value.insert(.referrers)
            default: break
            }
        }
        self = value
    }

    public var names: [String] {
        var result: [String] = []
        if contains(.pull) { result.append("pull") }
        if contains(.resolve) { result.append("resolve") }
        if contains(.push) { result.append("push") }
        if contains(.referrers) { result.append("referrers") }
        return result
    }

    public var description: String { names.joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        self.init(names: try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(names)
    }
}
