import HawserTestSupport
import Foundation
import Testing

/// Runs the `hawser` executable built next to the test bundle.
struct HawserProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Killed by a signal (a crash: SIGSEGV, SIGABRT, SIGILL…) rather than exiting.
        var crashed = false
    }

    static var executable: URL { get throws { try HawserExecutable.url } }

    static func run(_ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Int = 180) throws -> Result {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        // Both streams go to files: reading two pipes one after the other can deadlock
        // when the second fills up first.
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout"), errURL = capture.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // A watchdog: no command of the suite takes minutes; never let one hang it.
        let running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeoutSeconds)) { if running.isRunning { running.terminate() } }
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", crashed: process.terminationReason == .uncaughtSignal)
        // Every run is swept for library dumps (issue 12): any error path a test reaches counts.
        for finding in OutputSweep.findings(in: result.stdout + "\n" + result.stderr) {
            Issue.record("hawser \(arguments.joined(separator: " ")) printed \(finding)")
        }
        return result
    }

    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else { throw CLIError.missingFixture(name) }
        return url.path
    }
}

enum CLIError: Error { case missingFixture(String) }
