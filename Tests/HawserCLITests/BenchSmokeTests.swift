import Foundation
import Testing

/// The benchmark's smoke mode (tiny images, one run) so that bench/bench.py cannot rot.
/// No timing is asserted: only that it runs to the end and reports every case.
@Suite("benchmark smoke")
struct BenchSmokeTests {
    /// Runs `bench/SCRIPT --smoke` against the built hawser; its JSON report.
    static func smoke(_ script: String) throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-\(script)-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("bench/\(script)").path, "--smoke",
                             "--hawser", try HawserProcess.executable.path, "--json", output.path]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // A watchdog: the smoke run takes seconds; never let it hang the suite.
        let running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 300) { if running.isRunning { running.terminate() } }
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(script) failed:\n\(text)")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
    }

    static func cases(_ document: [String: Any]) -> [String]? {
        (document["results"] as? [[String: Any]])?.compactMap { $0["case"] as? String }
    }

    @Test("bench/bench.py --smoke runs against a real registry and reports every case") func smoke() throws {
        let document = try Self.smoke("bench.py")
        #expect(Self.cases(document) == ["big", "small", "medium", "multi"])
        #expect(document["sha256_mib_s"] is Double)
    }

    @Test("bench/bench_copy.py --smoke copies and syncs between two real registries and reports every case") func copySmoke() throws {
        #expect(Self.cases(try Self.smoke("bench_copy.py")) == ["copy-big", "copy-small", "sync"])
    }
}
