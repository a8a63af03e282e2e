import Foundation
import Testing

/// Seeded mutation fuzzing of every parser that reads untrusted input:
/// registries.yaml, hosts.toml, image references, manifests and indexes,
/// WWW-Authenticate challenges and token responses (issue 10). Deterministic:
/// the same seed gives the same inputs. A crash prints the seed, iteration and
/// the saved input first (CrashReporter).
///
/// HAWSER_FUZZ_ITERATIONS=N runs N inputs per target (default 2,000);
/// HAWSER_FUZZ_SEED=0x… another sequence (default 0x4841575345520a).
@Suite("fuzzing: no input crashes a parser", .serialized)
struct FuzzTests {
    static let defaultIterations = 2000
    static let defaultSeed: UInt64 = 0x48_4157_5345_520A

    static var iterations: Int {
        ProcessInfo.processInfo.environment["HAWSER_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? defaultIterations
    }

    static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment["HAWSER_FUZZ_SEED"] else { return defaultSeed }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }

    @Test("random and hostile inputs: errors, never a crash", arguments: FuzzTargets.all.map(\.name))
    func fuzz(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        #expect(!target.seeds.isEmpty, "no seeds for \(name)")
        // Each target its own sequence, derived from the one seed.
        let seed = Self.seed ^ name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        var random = FuzzRandom(seed: seed)
        let iterations = Self.iterations
        let start = ContinuousClock.now
        var bytes = 0
        CrashReporter.guarding {
            for iteration in 0..<iterations {
                let input = target.input(&random)
                bytes += input.count
                CrashReporter.willRun(target: name, seed: Self.seed, iteration: iteration, input: input)
                target.run(input)
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("hawser fuzz: \(name): \(iterations) inputs (\(bytes >> 10) KiB), 0 crashes, \(String(format: "%.2f", seconds)) s")
    }

    @Test("every input that once crashed Hawser is read again without a crash")
    func regressions() throws {
        let root = FuzzSeeds.fixtures.appendingPathComponent("crashes")
        var count = 0
        CrashReporter.guarding {
            for target in FuzzTargets.all {
                let directory = root.appendingPathComponent(target.name)
                for input in FuzzSeeds.files(under: directory, suffixes: [""]) {
                    CrashReporter.willRun(target: target.name, seed: 0, iteration: count, input: input)
                    target.run(input)
                    count += 1
                }
            }
        }
        print("hawser fuzz: \(count) regression input(s) read without a crash")
    }
}
