import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport

/// A registries.yaml written to a file and read the way `hawser --config` reads
/// it: K3s's generator, the hosts.toml K3s would write, containerd's planner.
/// Tests of K3s/containerd behaviour start here rather than from hand-built
/// plans, so that they hold the whole chain to the behaviour, not one layer.
struct K3sConfig {
    let path: String
    let options: RenderOptions
    let configuration: HostsConfiguration

    init(_ yaml: String, in work: TemporaryDirectory, name: String = "registries.yaml", options: RenderOptions = .init()) throws {
        path = work.file(name)
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        self.options = options
        configuration = try HostsConfiguration.registriesYAML(atPath: path, options: options)
    }

    func plan(_ image: String) throws -> Plan {
        try configuration.plan(for: ImageReference(parsing: image))
    }

    /// Pulls `image` along this configuration's plan, with its credentials, into a new layout.
    func pull(_ image: String, pool: HTTPClientPool, in work: TemporaryDirectory, name: String = "pulled") async throws -> PullResult {
        let configuration = configuration
        let layout = try OCILayout(creatingAt: work.file(name))
        return try await ImagePuller(plan: plan(image), credentials: { configuration.credentials(forKey: $0) }, layout: layout, pool: pool).pull()
    }
}
