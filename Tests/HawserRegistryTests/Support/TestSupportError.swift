/// A test environment problem, reported as a failure (never a silent skip).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
