import HawserCore

/// The error a failed pull ends in, chosen and worded as the modelled containerd
/// does it (core/remotes/docker/resolver.go Resolve):
/// - 2.0 and later rank what each host returned: a status above 399 other than
///   404 (priority 3) beats "not found" (2), which beats an error from the
///   request itself (1: transport, TLS, authorization); the first of equals wins.
/// - 1.7 and earlier keep the first error that is not a 404.
/// - "not found" only when every host answered 404 (or nothing better came).
struct ContainerdErrorModel {
    let containerd: Containerd
    let client: Containerd.Client
    /// Registry credentials in the CRI config keep 2.1+ off the transfer service (its wording).
    var registryAuthInCRIConfig = false

    /// The full message and the attempt it comes from (nil: "not found" or no host).
    func reported(_ attempts: [AttemptDiagnosis], image: ImageReference) -> (message: String, attempt: Int?)? {
        guard attempts.allSatisfy({ !$0.succeeded }) else { return nil }
        let chosen = choose(attempts)
        let inner: String
        if attempts.isEmpty {
            inner = "no resolve hosts: not found"
        } else if let chosen, let failure = chosen.failure {
            inner = message(of: failure)
        } else {
            inner = "\(image): not found"
        }
        return (containerd.pullError(image: image.description, resolveError: inner, client: client, registryAuthInCRIConfig: registryAuthInCRIConfig), chosen?.attempt.position)
    }

    func choose(_ attempts: [AttemptDiagnosis]) -> AttemptDiagnosis? {
        if containerd.has(.errorRanking) {
            var best: (diagnosis: AttemptDiagnosis, priority: Int)?
            for diagnosis in attempts {
                guard let failure = diagnosis.failure else { continue }
                let value = priority(of: failure)
                if value > (best?.priority ?? 0) { best = (diagnosis, value) }
            }
            return best?.priority == 2 ? nil : best?.diagnosis
        }
        return attempts.first { $0.failure?.kind != .notFound }
    }

    /// The attempt's error in this version's words (ctr and the CRI share the resolver's).
    func message(of failure: Failure) -> String {
        failure.resolverError.text(for: containerd)
    }

    /// firstErrPriority: 3 for a status error, 2 for a 404, 1 for an error the request itself returned.
    func priority(of failure: Failure) -> Int {
        failure.kind == .notFound ? 2 : failure.resolverError.priority(for: containerd)
    }
}
