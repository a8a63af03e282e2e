import Foundation
import Testing

/// The benchmark's smoke mode (tiny images, one run) so that bench/bench.py cannot rot.
/// No timing is asserted: only that it runs to the end and reports every case.
@Suite("benchmark smoke")
struct BenchSmokeTests {
    @Test("bench/bench.py --smoke runs against a real registry and reports every case") func smoke() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-bench-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("bench/bench.py").path, "--smoke",
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
        #expect(process.terminationStatus == 0, "bench.py failed:\n\(text)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let cases = (document["results"] as? [[String: Any]])?.compactMap { $0["case"] as? String }
        #expect(cases == ["big", "small", "medium", "multi"])
        #expect(document["sha256_mib_s"] is Double)
    }

    @Test("bench/bench_copy.py --smoke copies and syncs between two real registries and reports every case") func copySmoke() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-bench-copy-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("bench/bench_copy.py").path, "--smoke",
                             "--hawser", try HawserProcess.executable.path, "--json", output.path]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 300) { if running.isRunning { running.terminate() } }
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "bench_copy.py failed:\n\(text)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let cases = (document["results"] as? [[String: Any]])?.compactMap { $0["case"] as? String }
        #expect(cases == ["copy-big", "copy-small", "sync"])
    }
}
