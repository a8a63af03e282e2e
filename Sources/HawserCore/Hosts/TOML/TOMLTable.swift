/// A TOML table: keys in the order they were first written, and the line each
/// key was first written on (containerd orders `[host."…"]` entries by line).
public struct TOMLTable: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// 1-based line where `key` first appears (its `[table]` header, or its
    /// `key = value` line), or nil when the key is absent.
    public func line(of key: String) -> Int? { lines[key] }

    public var isEmpty: Bool { keys.isEmpty }

    mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if values[key] == nil {
            keys.append(key)
            lines[key] = line
        }
        values[key] = value
    }
}
