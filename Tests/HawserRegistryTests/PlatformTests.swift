import Foundation
import HawserCore
@testable import HawserRegistry
import Testing
import HawserTestSupport

@Suite("Multi-platform images")
struct PlatformTests {
    @Test("an index is pushed with its manifests; a pull picks the requested platform, by default this machine's")
    func picksPlatform() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let source = try OCILayout(creatingAt: work.file("source"))
                let platforms = [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8"),
                                 Platform(os: "linux", architecture: "s390x")]
                let built = try await ImageFactory.makeIndex(in: source, name: "multi", platforms: platforms)
                let plan = try PlanFactory.direct("\(registry.host)/multi/app:v1", url: registry.baseURL)
                let pushed = try await ImagePusher(plan: plan, credentials: noCredentials, layout: source, sourceName: "multi", pool: pool).push()
                #expect(pushed.manifest.digest == built.index.digest)

                let arm = try await pull(plan, pool: pool, in: work, name: "arm",
                                         options: PullOptions(platform: try Platform(parsing: "linux/arm64")))
                #expect(arm.manifest.digest == built.images[1].manifest.digest)
                #expect(arm.index?.digest == built.index.digest)
                #expect(arm.manifest.platform?.architecture == "arm64")

                let native = try await pull(plan, pool: pool, in: work, name: "native")
                let expected = built.images.first { Platform.current.matches($0.manifest.platform ?? Platform(os: "", architecture: "")) }
                #expect(native.manifest.digest == expected?.manifest.digest)

                await #expect {
                    try await pull(plan, pool: pool, in: work, name: "none", options: PullOptions(platform: Platform(os: "windows", architecture: "amd64")))
                } throws: { ($0 as? ContentError)?.code == .platformNotFound }

                // The index itself can be pulled by digest, and pushed again from a layout holding all platforms.
                let byDigest = try PlanFactory.direct("\(registry.host)/multi/app@\(built.index.digest)", url: registry.baseURL)
                #expect(try await pull(byDigest, pool: pool, in: work, name: "digest").index?.digest == built.index.digest)
            }
        }
    }
}
