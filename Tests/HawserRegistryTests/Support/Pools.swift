import HawserCore
@testable import HawserRegistry
import HawserTestSupport

/// Runs `body` with a client pool, shut down afterwards.
func withPool<T>(_ body: (HTTPClientPool) async throws -> T) async throws -> T {
    let pool = HTTPClientPool()
    do {
        let result = try await body(pool)
        await pool.shutdown()
        return result
    } catch {
        await pool.shutdown()
        throw error
    }
}

let noCredentials: @Sendable (String) -> RegistryCredentials? = { _ in nil }
