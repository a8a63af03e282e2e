import Foundation

/// The `hawser` executable that `swift build --build-tests` puts next to the test
/// bundle (.build/<config>/HawserPackageTests.xctest → .build/<config>/hawser), for
/// the suites that run it as a separate process.
public enum HawserExecutable {
    public static var url: URL {
        get throws {
            var directory = Bundle.main.bundleURL
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("hawser")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw TestSupportError("the hawser executable is not next to the test bundle; build with `swift build --build-tests`")
        }
    }
}
