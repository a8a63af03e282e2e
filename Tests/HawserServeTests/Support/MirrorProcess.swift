import Foundation
import Testing
import HawserTestSupport

/// `hawser serve` as a separate process on a free loopback port, stopped with
/// SIGTERM (its graceful shutdown), SIGKILL past 10 s.
final class MirrorProcess: @unchecked Sendable {
    let port: Int
    let process: Process
    let logPath: String
    let scheme: String

    var host: String { "127.0.0.1:\(port)" }
    var baseURL: String { "\(scheme)://\(host)" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private init(port: Int, process: Process, logPath: String, scheme: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
        self.scheme = scheme
    }

    static func start(store: String, arguments: [String] = [], log: String) async throws -> MirrorProcess {
        for _ in 0..<5 {
            let port = try FreePort.next()
            let process = try HawserExecutable.launch(["serve", "--store", store, "--listen", "127.0.0.1:\(port)"] + arguments, log: log)
            let mirror = MirrorProcess(port: port, process: process, logPath: log, scheme: arguments.contains("--tls-cert") ? "https" : "http")
            for _ in 0..<300 {
                if !process.isRunning { break }
                if FreePort.isListening(port) { return mirror }
                try await Task.sleep(for: .milliseconds(50))
            }
            _ = mirror.stop()
            if mirror.log.lowercased().contains("error:") { throw TestSupportError("hawser serve did not start: \(mirror.log)") }
        }
        throw TestSupportError("hawser serve did not start")
    }

    /// SIGTERM, then waits (SIGKILL after 10 s); returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Runs `body` with a started mirror, stopped afterwards also on failure.
func withMirror<T>(store: String, arguments: [String] = [], log: String, _ body: (MirrorProcess) async throws -> T) async throws -> T {
    let mirror = try await MirrorProcess.start(store: store, arguments: arguments, log: log)
    defer {
        // The mirror's log (access log, warnings, errors) is swept for dumps as every hawser run is (issue 12).
        for finding in OutputSweep.findings(in: mirror.log) { Issue.record("hawser serve logged \(finding)") }
    }
    do {
        let result = try await body(mirror)
        mirror.stop()
        return result
    } catch {
        mirror.stop()
        throw error
    }
}
