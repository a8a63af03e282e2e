// Copied from Tests/HawserRegistryTests/Support (test targets cannot share sources without a support target).
/// A test environment problem, reported as a failure (never a silent skip).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
