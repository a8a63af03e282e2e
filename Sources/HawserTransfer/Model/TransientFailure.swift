import HawserRegistry

/// Whether a failed blob transfer is worth another attempt: the connection
/// broke, the server had a passing failure (5xx, 408, 429), or a layer tried to
/// resend a stream already sent. Refusals (4xx) and wrong content are final.
enum TransientFailure {
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case is ByteStreamReplayed:
            return true
        case let error as SourceStreamError:
            return isTransient(error.error)
        case let error as TransferError:
            return isTransient(error.underlying)
        case let error as RegistryError:
            if error.code == .transport { return true }
            guard let status = error.status else { return false }
            return status >= 500 || status == 408 || status == 429
        default:
            return false
        }
    }
}
