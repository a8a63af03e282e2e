import HawserCore
@testable import HawserRegistry
import HawserTestSupport

/// Pushes a fresh test image to `plan`'s host and returns it (tests seed registries with hawser's push).
func seed(_ plan: Plan, pool: HTTPClientPool, in work: TemporaryDirectory,
          credentials: @escaping @Sendable (String) -> RegistryCredentials? = noCredentials) async throws -> ImageFactory.Image {
    let source = try OCILayout(creatingAt: work.file("seed-\(plan.image.repository.replacingOccurrences(of: "/", with: "-"))"))
    let image = try await ImageFactory.makeNamedImage(in: source, name: "seed")
    try await ImagePusher(plan: plan, credentials: credentials, layout: source, sourceName: "seed", pool: pool).push()
    return image
}

/// Pulls `plan` into a new layout and returns the result.
func pull(_ plan: Plan, pool: HTTPClientPool, in work: TemporaryDirectory, name: String = "pulled",
          credentials: @escaping @Sendable (String) -> RegistryCredentials? = noCredentials,
          options: PullOptions = PullOptions()) async throws -> PullResult {
    let layout = try OCILayout(creatingAt: work.file(name))
    return try await ImagePuller(plan: plan, credentials: credentials, layout: layout, pool: pool, options: options).pull()
}

/// The error code of the most telling failure of an `AttemptsFailedError`.
func primaryCode(_ error: any Error) -> RegistryError.Code? {
    (error as? AttemptsFailedError)?.primary?.error?.code
}
