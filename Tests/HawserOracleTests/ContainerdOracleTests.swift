import Foundation
import HawserTestSupport
import Testing

/// Real containerd is the oracle (issue 9). Every situation (Situations.swift)
/// is set up live on loopback; real `ctr images pull --hosts-dir` runs against
/// it and the listeners record which hosts it reached, in order, over TLS or
/// plain HTTP, with which request; then Hawser predicts the same situation
/// with `--containerd VERSION --upstream` and both are compared.
///
/// - `live`: Debian's containerd (CI installs it), or the build in
///   `HAWSER_ORACLE_BIN`. Also checks that containerd still does what its
///   recorded fixture says. With `HAWSER_ORACLE_RECORD=<folder>` it records
///   fixtures instead of comparing (see Fixtures/containerd/README.md).
/// - `replay`: for every recorded version (1.6, 1.7, 2.1, 2.2), each situation
///   is set up live again and Hawser's prediction is checked against what that
///   containerd did. No containerd needed.
@Suite("containerd oracle")
struct ContainerdOracleTests {
    static let environment = ProcessInfo.processInfo.environment

    /// Every disagreement between Hawser and containerd is a failure, naming the situation and version.
    static func report(_ problems: [String], situation: String, version: String, strict: Bool) {
        for problem in problems { Issue.record(Comment(rawValue: "[\(situation) @ containerd \(version)] \(problem)")) }
    }

    // MARK: live

    struct LiveOutcome: Sendable {
        let situation: String
        let observation: Observation
        /// Differences from the recorded fixture of the same containerd version (hard failures).
        let fixtureProblems: [String]
        /// Differences from Hawser's prediction.
        let hawserProblems: [String]
        let hawserStrict: Bool
        let seconds: Double
        let ctrSeconds: Double
        var hawserSeconds: (resolve: Double, doctor: Double) = (0, 0)
    }

    @Test("live: real containerd vs Hawser, every situation", .timeLimit(.minutes(10)))
    func live() async throws {
        let binaries = try ContainerdBinaries.fromEnvironment()
        let daemon = try await ContainerdDaemon.start(binaries)
        defer { daemon.stop() }
        let recordFolder = Self.environment["HAWSER_ORACLE_RECORD"]
        let started = Date()

        let outcomes = try await withThrowingTaskGroup(of: LiveOutcome.self) { group in
            var results: [LiveOutcome] = []
            var pending = Situations.all[...]
            for _ in 0..<4 {
                guard let next = pending.popFirst() else { break }
                group.addTask { try await Slots.situations.run { try await Self.runLive(next, daemon: daemon, recordFolder: recordFolder) } }
            }
            while let outcome = try await group.next() {
                results.append(outcome)
                if let next = pending.popFirst() {
                    group.addTask { try await Slots.situations.run { try await Self.runLive(next, daemon: daemon, recordFolder: recordFolder) } }
                }
            }
            return results
        }

        #expect(outcomes.count == Situations.all.count)
        for outcome in outcomes.sorted(by: { $0.situation < $1.situation }) {
            for problem in outcome.fixtureProblems {
                Issue.record(Comment(rawValue: "[\(outcome.situation)] containerd \(daemon.version) no longer matches its fixture: \(problem)"))
            }
            Self.report(outcome.hawserProblems, situation: outcome.situation, version: daemon.version, strict: outcome.hawserStrict)
        }
        let slowest = outcomes.sorted { $0.seconds > $1.seconds }.prefix(5)
            .map { String(format: "%@ %.1f s (ctr %.1f s, resolve %.1f s, doctor %.1f s)", $0.situation, $0.seconds, $0.ctrSeconds,
                          $0.hawserSeconds.resolve, $0.hawserSeconds.doctor) }
        print("oracle live: containerd \(daemon.version), \(outcomes.count) situations in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
              + "; slowest: \(slowest.joined(separator: ", "))" + (recordFolder.map { "; recorded into \($0)" } ?? ""))
    }

    static func runLive(_ situation: Situation, daemon: ContainerdDaemon, recordFolder: String?) async throws -> LiveOutcome {
        let started = Date()
        let live = try await LiveSituation.setUp(situation)
        do {
            let pull = try await daemon.pull(image: live.image, hostsDir: live.hostsDir, namespace: "oracle-\(situation.id)")
            func tokenised(_ events: ArraySlice<ListenerEvent>) -> [ListenerEvent] {
                events.map { event in
                    var tokenised = event
                    tokenised.request = event.request.map { live.tokenise($0) }
                    return tokenised
                }
            }
            let localEvents = live.log.snapshot
            let events = tokenised(localEvents[...])
            let stderr = live.tokenise(pull.stderr) + (pull.timedOut ? "\n[hawser oracle: ctr killed after 30 s]\n" : "")
            var transfer: Observation.TransferObservation?
            if daemon.binaries.major >= 2 {
                let viaDaemon = try await daemon.pull(image: live.image, hostsDir: live.hostsDir, namespace: "oracle-transfer-\(situation.id)", transfer: true)
                let transferStderr = live.tokenise(viaDaemon.stderr) + (viaDaemon.timedOut ? "\n[hawser oracle: ctr killed after 30 s]\n" : "")
                transfer = Observation.TransferObservation(
                    command: "ctr images pull --snapshotter native --hosts-dir DIR IMAGE",
                    contacts: Contact.collapse(tokenised(live.log.snapshot.dropFirst(localEvents.count))),
                    exitStatus: viaDaemon.status, stderr: transferStderr, error: Observation.ctrError(in: transferStderr))
            }
            let observation = Observation(
                containerd: daemon.version,
                command: "ctr images pull --snapshotter native --hosts-dir DIR" + (daemon.binaries.major >= 2 ? " --local" : "") + " IMAGE",
                situation: situation.id, summary: situation.summary, image: situation.image, hostsToml: situation.hostsToml,
                contacts: Contact.collapse(events),
                exitStatus: pull.status, stderr: stderr, error: Observation.ctrError(in: stderr), transfer: transfer)

            var fixtureProblems: [String] = []
            var hawserProblems: [String] = []
            var strict = true
            var hawserSeconds: (resolve: Double, doctor: Double) = (0, 0)
            if let recordFolder {
                try FixtureFiles.write(observation, to: recordFolder)
            } else {
                if let recorded = try? FixtureFiles.load(version: observation.minorVersion, situation: situation.id),
                   recorded.versionForHawser == observation.versionForHawser {
                    fixtureProblems = Self.fixtureDifferences(recorded: recorded, live: observation)
                }
                let prediction = try await HawserPrediction.run(image: live.image, hostsDir: live.hostsDir, containerdVersion: observation.versionForHawser)
                strict = prediction.versionFlagsAccepted
                hawserSeconds = prediction.seconds
                hawserProblems = OracleComparison.disagreements(observed: observation, prediction: prediction, live: live)
            }
            await live.tearDown()
            return LiveOutcome(situation: situation.id, observation: observation, fixtureProblems: fixtureProblems,
                               hawserProblems: hawserProblems, hawserStrict: strict, seconds: Date().timeIntervalSince(started),
                               ctrSeconds: pull.seconds, hawserSeconds: hawserSeconds)
        } catch {
            await live.tearDown()
            throw error
        }
    }

    static func fixtureDifferences(recorded: Observation, live: Observation) -> [String] {
        var problems: [String] = []
        if recorded.contacts != live.contacts {
            problems.append("contacts: recorded \(recorded.contacts.map(\.description)), now \(live.contacts.map(\.description))")
        }
        if recorded.exitStatus != live.exitStatus { problems.append("exit status: recorded \(recorded.exitStatus), now \(live.exitStatus)") }
        if Observation.stableLines(recorded.stderr) != Observation.stableLines(live.stderr) {
            problems.append("stderr: recorded\n\(recorded.stderr)\nnow\n\(live.stderr)")
        }
        if recorded.transfer?.contacts != live.transfer?.contacts || recorded.transfer?.exitStatus != live.transfer?.exitStatus
            || recorded.transfer.map({ Observation.stableLines($0.stderr) }) != live.transfer.map({ Observation.stableLines($0.stderr) }) {
            problems.append("transfer-service pull: recorded \(String(describing: recorded.transfer)), now \(String(describing: live.transfer))")
        }
        return problems
    }

    // MARK: replay

    struct ReplayCase: Sendable, CustomTestStringConvertible {
        let version: String
        let situation: String
        var testDescription: String { "\(version)/\(situation)" }
    }

    static func replayCases() -> [ReplayCase] {
        FixtureFiles.versions().flatMap { version in Situations.all.map { ReplayCase(version: version, situation: $0.id) } }
    }

    @Test("replay: Hawser vs recorded containerd", .timeLimit(.minutes(5)), arguments: replayCases())
    func replay(_ replay: ReplayCase) async throws {
        let situation = try #require(Situations.named(replay.situation))
        let recorded: Observation
        do {
            recorded = try FixtureFiles.load(version: replay.version, situation: replay.situation)
        } catch {
            Issue.record("no fixture for \(replay.situation) in Fixtures/containerd/\(replay.version): record it (README there)")
            return
        }
        #expect(recorded.image == situation.image && recorded.hostsToml == situation.hostsToml,
                "the situation changed since it was recorded: record \(replay.version) again")
        let (problems, strict) = try await Slots.situations.run {
            let live = try await LiveSituation.setUp(situation)
            do {
                let prediction = try await HawserPrediction.run(image: live.image, hostsDir: live.hostsDir, containerdVersion: recorded.versionForHawser)
                let problems = OracleComparison.disagreements(observed: recorded, prediction: prediction, live: live)
                await live.tearDown()
                return (problems, prediction.versionFlagsAccepted)
            } catch {
                await live.tearDown()
                throw error
            }
        }
        Self.report(problems, situation: replay.situation, version: recorded.containerd, strict: strict)
    }

    @Test("fixtures: every recorded version has every situation, and nothing else")
    func fixturesComplete() throws {
        let versions = FixtureFiles.versions()
        #expect(Set(versions).isSuperset(of: ["1.6", "1.7", "2.1", "2.2"]), "recorded versions: \(versions)")
        let known = Set(Situations.all.map { "\($0.id).json" })
        for version in versions {
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: FixtureFiles.root.appendingPathComponent(version).path)
                .filter { $0.hasSuffix(".json") })
            #expect(files == known, "Fixtures/containerd/\(version): missing \(known.subtracting(files).sorted()), unknown \(files.subtracting(known).sorted())")
        }
        #expect(Situations.all.count >= 30)
        #expect(Set(Situations.all.map(\.id)).count == Situations.all.count, "situation ids are unique")
    }
}
