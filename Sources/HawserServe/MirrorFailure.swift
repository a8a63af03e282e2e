import HawserCore
import HawserRegistry
import HawserTransfer

/// Turns what went wrong upstream or in the store into what the client is told:
/// a 404 when every host said the content is not there, a 502 when upstream
/// could not be reached or misbehaved, a 500 for the mirror's own store. The
/// message lists the hosts tried (never credentials: plans hold only key names).
enum MirrorFailure {
    static func response(for error: any Error, notFound: MirrorError.Code) -> MirrorError {
        switch error {
        case let error as MirrorError:
            return error
        case let error as TransferError:
            return response(for: error.underlying, notFound: notFound)
        case let error as AttemptsFailedError:
            let summary = error.attempts.map { "\($0.endpoint): \($0.summary)" }.joined(separator: "; ")
            if error.isNotFound {
                return MirrorError(status: 404, notFound, "not found upstream (\(summary))")
            }
            return MirrorError(status: 502, .unknown, "upstream failed (\(summary))")
        case let error as ConfigError:
            return MirrorError(status: 502, .unknown, "the mirror's own configuration for this registry is unusable: \(error.message)")
        case let error as StoreError:
            return MirrorError(status: 500, .unknown, "the mirror's store failed: \(error.reason)")
        case let error as ContentError:
            return MirrorError(status: 502, .unknown, "upstream sent content that does not verify: \(error.reason)")
        case let error as RegistryError:
            return MirrorError(status: 502, .unknown, "upstream failed: \(error.reason)")
        default:
            return MirrorError(status: 500, .unknown, "the mirror failed: \(words(error))")
        }
    }

    /// One line for the log.
    static func words(_ error: any Error) -> String {
        switch error {
        case let error as MirrorError: error.message
        case let error as TransferError: words(error.underlying)
        case let error as AttemptsFailedError: error.attempts.map { "\($0.endpoint): \($0.summary)" }.joined(separator: "; ")
        case let error as StoreError: error.reason
        case let error as ContentError: error.reason
        case let error as RegistryError: error.reason
        default: String(describing: error)
        }
    }
}
