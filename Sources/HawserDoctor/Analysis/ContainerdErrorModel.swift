import HawserCore

/// The error K3s shows for a failed pull, chosen as containerd's resolver does:
/// the FIRST failure that is not a 404 (a transport error or a status above
/// 399); when every host answered 404, "not found".
enum ContainerdErrorModel {
    static func reported(_ attempts: [AttemptDiagnosis], image: ImageReference) -> (message: String, attempt: Int?)? {
        guard !attempts.isEmpty, attempts.allSatisfy({ !$0.succeeded }) else { return nil }
        let prefix = "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": "
        if let first = attempts.first(where: { $0.failure?.kind != .notFound }), let failure = first.failure {
            return (prefix + failure.containerdMessage, first.attempt.position)
        }
        return (prefix + "\(image): not found", nil)
    }

    static func noHosts(image: ImageReference) -> String {
        "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": no resolver hosts: not found"
    }
}
