/// A test environment problem, reported as a failure (never a silent skip).
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
