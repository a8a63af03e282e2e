/// A place in a configuration file, for messages (`file:line:column`).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let file: String
    /// 1-based.
    public let line: Int
    /// 1-based.
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
