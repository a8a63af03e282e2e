import HawserRegistry

/// A failure on one side of a transfer: the place (side, kind, host or folder)
/// and what went wrong there, in words, with the underlying code.
public struct TransferError: Error, Sendable, CustomStringConvertible {
    public let place: TransferPlace
    /// The failure itself (a registry, content or store error), for codes and JSON.
    public let underlying: any Error
    /// What was being done ("uploading blob sha256:…").
    public let action: String

    public init(_ place: TransferPlace, action: String, underlying: any Error) {
        self.place = place
        self.action = action
        self.underlying = underlying
    }

    /// The underlying error as a sentence, never a library's dump (issue 12).
    public var description: String { "\(place): \(action): \(NetworkErrorText.sentence(underlying))" }

    /// Runs `body`, naming `place` in any failure (an error already naming a place is kept).
    public static func at<T>(_ place: TransferPlace, _ action: @autoclosure () -> String,
                             _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TransferError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransferError(place, action: action(), underlying: error)
        }
    }
}
