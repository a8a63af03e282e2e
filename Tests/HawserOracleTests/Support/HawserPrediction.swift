import Foundation
import Testing
import HawserTestSupport

/// What Hawser predicts for a live situation: `hawser resolve --json` (the
/// plan) and `hawser doctor --json` (the error), both with
/// `--containerd VERSION --upstream`.
struct HawserPrediction: Sendable {
    struct Attempt: Sendable {
        let url: String
        let scheme: String
        let mode: String
        let httpFallback: Bool
        let caFiles: [String]
        let skipVerify: Bool
    }

    /// Always true: kept so that a comparison can say it was strict.
    let versionFlagsAccepted: Bool
    let attempts: [Attempt]
    /// `resolve` failed (exit status, stderr) instead of planning.
    let resolveFailure: String?
    /// doctor's `ctrError` (what `ctr images pull` prints after `ctr: `), when the field exists.
    let ctrError: String?
    let ctrErrorFieldPresent: Bool
    /// doctor's `containerdError` (what K3s/CRI shows).
    let containerdError: String?
    let doctorExitStatus: Int32
    let doctorJSON: String
    let seconds: (resolve: Double, doctor: Double)

    /// The hawser built next to the test bundle, or `HAWSER_ORACLE_HAWSER` (e.g. a release build).
    static var executable: String {
        get throws {
            if let chosen = ProcessInfo.processInfo.environment["HAWSER_ORACLE_HAWSER"] {
                guard FileManager.default.isExecutableFile(atPath: chosen) else { throw TestSupportError("HAWSER_ORACLE_HAWSER=\(chosen) is not executable") }
                return chosen
            }
            return try HawserExecutable.url.path
        }
    }

    static func run(image: String, hostsDir: String, containerdVersion: String) async throws -> HawserPrediction {
        let hawser = try executable
        let versionFlags = ["--containerd", containerdVersion, "--upstream"]
        func invoke(_ command: String, _ flags: [String]) async throws -> BoundedProcess.Result {
            let result = try await BoundedProcess.run(hawser, [command, image, "--hosts-dir", hostsDir, "--json"] + flags, timeout: 60)
            // Every run is swept for library dumps (issue 12).
            for finding in OutputSweep.findings(in: result.stdout + "\n" + result.stderr) {
                Issue.record("hawser \(command) \(image) printed \(finding)")
            }
            return result
        }
        let accepted = true
        let resolve = try await invoke("resolve", versionFlags)
        let doctor = try await invoke("doctor", versionFlags)

        var attempts: [Attempt] = []
        var resolveFailure: String?
        if resolve.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(resolve.stdout.utf8)) as? [String: Any] {
            // The manifest pass, then (by digest) the /blobs pass containerd makes on every host.
            for item in (object["attempts"] as? [[String: Any]] ?? []) + (object["blobsFallback"] as? [[String: Any]] ?? []) {
                let transport = item["transport"] as? [String: Any] ?? [:]
                attempts.append(Attempt(url: item["url"] as? String ?? "", scheme: item["scheme"] as? String ?? "",
                                        mode: transport["mode"] as? String ?? "", httpFallback: transport["httpFallback"] as? Bool ?? false,
                                        caFiles: transport["caFiles"] as? [String] ?? [], skipVerify: transport["skipVerify"] as? Bool ?? false))
            }
        } else {
            resolveFailure = "exit \(resolve.status): \(resolve.stderr)\(resolve.stdout)"
        }
        let doctorObject = (try? JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8))) as? [String: Any] ?? [:]
        return HawserPrediction(versionFlagsAccepted: accepted, attempts: attempts, resolveFailure: resolveFailure,
                                ctrError: doctorObject["ctrError"] as? String, ctrErrorFieldPresent: doctorObject.keys.contains("ctrError"),
                                containerdError: doctorObject["containerdError"] as? String,
                                doctorExitStatus: doctor.status, doctorJSON: doctor.stdout + doctor.stderr,
                                seconds: (resolve.seconds, doctor.seconds))
    }


    /// The contacts the plan implies on these listeners: each attempt's host over
    /// its scheme; for HTTPS-then-HTTP, HTTPS and then, where the HTTPS try gets an
    /// HTTP answer or is refused, plain HTTP. Hosts without a listener are left out
    /// (nothing can be recorded there).
    func expectedContacts(on live: LiveSituation) -> [Contact] {
        var contacts: [Contact] = []
        for attempt in attempts {
            guard let components = URLComponents(string: attempt.url), let host = components.host, host == "127.0.0.1" else { continue }
            let request = (components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")).removingPercentEncoding
            let fallback = attempt.httpFallback || attempt.mode == "https-then-http"
            let verifies = !attempt.caFiles.isEmpty || attempt.skipVerify
            if attempt.scheme == "http" && !fallback {
                if let target = live.listener(onPort: components.port ?? 80) {
                    contacts.append(Contact(listener: target.name, transport: "plain", request: request))
                }
                continue
            }
            let tlsPort = components.port ?? 443
            let tlsTarget = live.listener(onPort: tlsPort)
            if let tlsTarget {
                let handshakeCompletes = tlsTarget.tls == .untrusted ? attempt.skipVerify : (tlsTarget.tls == .trusted && verifies)
                contacts.append(Contact(listener: tlsTarget.name, transport: "tls", request: handshakeCompletes ? request : nil))
            }
            guard fallback else { continue }
            let fallsBack = tlsTarget == nil || tlsTarget?.tls == ListenerTLS.none
            if fallsBack, let plainTarget = live.listener(onPort: components.port ?? 80) {
                contacts.append(Contact(listener: plainTarget.name, transport: "plain", request: request))
            }
        }
        // The same collapse as for what was recorded.
        var collapsed: [Contact] = []
        for contact in contacts {
            if let last = collapsed.last, last.listener == contact.listener, last.transport == contact.transport { continue }
            collapsed.append(contact)
        }
        return collapsed
    }
}

/// Compares what containerd did with what Hawser predicts; returns the disagreements.
enum OracleComparison {
    static func disagreements(observed: Observation, prediction: HawserPrediction, live: LiveSituation) -> [String] {
        var problems: [String] = []
        let expected = prediction.expectedContacts(on: live).map { tokenised($0, live) }
        let seen = observed.contacts
        let prefixAgrees = seen.count <= expected.count && zip(seen, expected).allSatisfy { $0.agrees(with: $1) }
        let stoppedEarlyOnSuccess = seen.count == expected.count || observed.exitStatus == 0
        if !(prefixAgrees && stoppedEarlyOnSuccess) {
            problems.append("""
                hosts contacted differ
                  containerd \(observed.containerd): \(seen.map(\.description))
                  hawser plan:        \(expected.map(\.description))\(prediction.resolveFailure.map { "\n  hawser resolve failed: \($0)" } ?? "")
                """)
        }
        if observed.exitStatus == 0 {
            if prediction.doctorExitStatus != 0 {
                problems.append("containerd pulled the image; hawser doctor exited \(prediction.doctorExitStatus)")
            }
        } else {
            let predicted = prediction.ctrError.map { live.tokenise($0) }
            let actual = observed.error
            if !prediction.ctrErrorFieldPresent {
                problems.append("hawser doctor --json has no ctrError; containerd \(observed.containerd) printed: \(actual ?? "<nothing>")")
            } else if predicted != actual && predicted != actual.map({ "ctr: " + $0 }) {
                problems.append("""
                    ctr error differs
                      containerd \(observed.containerd): \(actual ?? "<none>")
                      hawser ctrError:    \(predicted ?? "<none>")
                    """)
            }
        }
        if observed.exitStatus != 0, let expected = criError(observed, image: live.tokenise(live.image)) {
            let predicted = prediction.containerdError.map { live.tokenise($0) }
            if predicted != expected {
                problems.append("""
                    K3s/CRI error differs (derived from what ctr printed, see FINDINGS.md §2)
                      containerd \(observed.containerd) CRI: \(expected)
                      hawser containerdError: \(predicted ?? "<none>")
                    """)
            }
        }
        return problems
    }

    /// What CRI's PullImage returns for the same failure, derived from the recorded ctr
    /// output by the rules read in containerd's source (FINDINGS.md §2): CRI wraps the
    /// pull error as `failed to pull and unpack image "REF": ERR`; ERR is the client-side
    /// (`--local`) error up to 2.0 and the transfer service's error from 2.1 (its default
    /// path); from 1.7.30, 2.0.8, 2.1.6 and 2.2.1 the query values of the URL in a
    /// transport error (`failed to do request: Head "URL": ...`) are redacted.
    static func criError(_ observed: Observation, image: String) -> String? {
        let numbers = observed.versionForHawser.split(separator: ".").compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let (major, minor, patch) = (numbers[0], numbers[1], numbers[2])
        let transferPath = major > 2 || (major == 2 && minor >= 1)
        guard let base = transferPath ? observed.transfer?.error : observed.error else { return nil }
        let redacts = switch (major, minor) {
        case (1, 7): patch >= 30
        case (2, 0): patch >= 8
        case (2, 1): patch >= 6
        case (2, 2): patch >= 1
        case (1, _): false
        default: major >= 2
        }
        var text = base
        if redacts, let request = text.range(of: "failed to do request: ") {
            // `Head "URL": ...`: every query value becomes [REDACTED], keys sorted (url.Values.Encode).
            let rest = text[request.upperBound...]
            if let open = rest.firstIndex(of: "\""), let close = rest[rest.index(after: open)...].firstIndex(of: "\"") {
                let url = String(rest[rest.index(after: open)..<close])
                if let question = url.firstIndex(of: "?") {
                    let keys = url[url.index(after: question)...].split(separator: "&").map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
                    let query = Set(keys).sorted().map { "\($0)=%5BREDACTED%5D" }.joined(separator: "&")
                    text = text.replacingOccurrences(of: url, with: String(url[..<question]) + "?" + query)
                }
            }
        }
        return "failed to pull and unpack image \"\(image)\": " + text
    }

    private static func tokenised(_ contact: Contact, _ live: LiveSituation) -> Contact {
        Contact(listener: contact.listener, transport: contact.transport, request: contact.request.map { live.tokenise($0) })
    }
}
