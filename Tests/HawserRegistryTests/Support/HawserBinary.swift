import HawserTestSupport
import Foundation
import Testing

/// The `hawser` executable built next to the test bundle, run as a separate
/// process (for what only several processes can show: a shared layout).
enum HawserBinary {
    static var url: URL { get throws { try HawserExecutable.url } }

    struct Result: Sendable {
        let status: Int32
        let output: String
        let crashed: Bool
    }

    /// Starts `hawser arguments`; output (stdout and stderr) goes to a file read at the end.
    static func start(_ arguments: [String], log: String) throws -> Process {
        try HawserExecutable.launch(arguments, log: log)
    }

    /// Waits for `process` at most `timeout`, killing it past that.
    static func wait(_ process: Process, log: String, timeout: Duration = .seconds(60)) async throws -> Result {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestSupportError("hawser \(process.arguments?.joined(separator: " ") ?? "") did not finish within \(timeout)")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // Every run is swept for library dumps (issue 12).
        for finding in OutputSweep.findings(in: output) {
            Issue.record("hawser \(process.arguments?.joined(separator: " ") ?? "") printed \(finding)")
        }
        return Result(status: process.terminationStatus, output: output, crashed: process.terminationReason == .uncaughtSignal)
    }

    static func run(_ arguments: [String], log: String, timeout: Duration = .seconds(60)) async throws -> Result {
        try await wait(try start(arguments, log: log), log: log, timeout: timeout)
    }
}
