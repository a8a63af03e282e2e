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

    /// Starts `hawser arguments` with NO_COLOR; stdout and stderr go to the file `log`
    /// (created empty), so no pipe can fill up while the test waits.
    public static func launch(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = try url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
