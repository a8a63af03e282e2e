import Foundation

/// External programs the integration tests drive. A missing one fails the test
/// with the package to install (CI installs them).
public enum Tools {
    public static let registry = "/usr/bin/docker-registry"
    public static let skopeo = "/usr/bin/skopeo"
    public static let openssl = "/usr/bin/openssl"
    public static let htpasswd = "/usr/bin/htpasswd"

    public static func require(_ path: String, package: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: install it with `apt-get install -y \(package)` (the integration tests need it)")
        }
        return path
    }

    /// Runs a program to completion; throws with its output when it fails.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus):\n\(text)")
        }
        return text
    }
}
