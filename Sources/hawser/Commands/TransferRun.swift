import ArgumentParser
import HawserCore
import HawserRegistry

/// What `pull` and `push` share around the transfer itself: a client pool with
/// a connection per blob in flight, the progress display, and the failure report
/// (text on stderr, or the `hawser.<verb>/v1` document with `--json`).
enum TransferRun {
    static func perform<Result>(
        _ verb: String, image: ImageReference, concurrency: Int, quiet: Bool, json: Bool, readTimeout: Int64 = 60,
        _ transfer: (HTTPClientPool, TransferObserver?) async throws -> Result
    ) async throws -> Result {
        let display = ProgressDisplay.make(verb: verb, image: image.description, quiet: quiet)
        let pool = HTTPClientPool(readTimeout: .seconds(max(1, readTimeout)), connectionsPerHost: concurrency)
        display?.start()
        do {
            let result = try await transfer(pool, display?.observer)
            display?.finish()
            await pool.shutdown()
            return result
        } catch {
            display?.finish()
            await pool.shutdown()
            if json { try JSONOutput.print(ProgressSummary.failure(schema: "hawser.\(verb)/v1", image: image, error: error)) }
            Terminal.error("hawser \(verb): \(UserFacingError.text(error) ?? "\(error)")")
            throw ExitCode(1)
        }
    }
}
