import Foundation

/// Runs the `hawser` executable built next to the test bundle.
struct HawserProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Killed by a signal (a crash: SIGSEGV, SIGABRT, SIGILL…) rather than exiting.
        var crashed = false
    }

    static var executable: URL {
        get throws {
            // .build/<config>/HawserPackageTests.xctest -> .build/<config>/hawser
            var directory = Bundle.main.bundleURL
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("hawser")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw CLIError.missingExecutable
        }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), crashed: process.terminationReason == .uncaughtSignal)
    }

    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else { throw CLIError.missingFixture(name) }
        return url.path
    }
}

enum CLIError: Error { case missingExecutable, missingFixture(String) }
