import Foundation
import HawserTestSupport

/// External programs the oracle drives, and a process runner bounded in time.
enum Tools {
    static let openssl = "/usr/bin/openssl"

    static func require(_ path: String, package: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) is missing: install it with `apt-get install -y \(package)` (the oracle tests need it)")
        }
        return path
    }

    /// Runs a program to completion (bounded to 60 s); throws with its output when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try BoundedProcess.runBlocking(executable, arguments, timeout: 60)
        guard result.status == 0, !result.timedOut else {
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) exited \(result.status):\n\(result.stdout)\(result.stderr)")
        }
        return result.stdout + result.stderr
    }
}

/// Runs a process with its output in files (no pipe can fill up), killed after `timeout`.
enum BoundedProcess {
    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        let timedOut: Bool
        let seconds: Double
    }

    static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                            timeout: TimeInterval) throws -> Result {
        let scratch = NSTemporaryDirectory() + "/hawser-oracle-proc-\(UUID().uuidString.prefix(12))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw TestSupportError("cannot open output files in \(scratch)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        try? out.close()
        try? err.close()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 3) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = done.wait(timeout: .now() + 3)
            }
        }
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: process.isRunning ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr,
                      timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    }

    /// The same, off the cooperative thread pool.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: TimeInterval) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result(catching: { try runBlocking(executable, arguments, environment: environment, timeout: timeout) }))
            }
        }
    }
}
