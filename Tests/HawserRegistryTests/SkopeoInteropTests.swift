import Foundation
import HawserCore
@testable import HawserRegistry
import Testing
import HawserTestSupport

/// skopeo (containers/image), from Debian, as the independent peer.
@Suite("skopeo interoperability")
struct SkopeoInteropTests {
    @discardableResult
    static func skopeo(_ arguments: [String]) throws -> String {
        try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"), arguments)
    }

    static func inspectedDigest(_ json: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return try #require(object?["Digest"] as? String)
    }

    @Test("what skopeo pushes, hawser pulls (same digest); skopeo accepts hawser's layout")
    func skopeoPushesHawserPulls() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let source = try OCILayout(creatingAt: work.file("source"))
                try await ImageFactory.makeNamedImage(in: source, name: "v1")
                try Self.skopeo(["copy", "--dest-tls-verify=false", "oci:\(source.root):v1", "docker://\(registry.host)/interop/from-skopeo:v1"])
                let remote = try Self.inspectedDigest(try Self.skopeo(["inspect", "--tls-verify=false", "docker://\(registry.host)/interop/from-skopeo:v1"]))

                let plan = try PlanFactory.direct("\(registry.host)/interop/from-skopeo:v1", url: registry.baseURL)
                let pulled = try await pull(plan, pool: pool, in: work)
                #expect(pulled.manifest.digest.description == remote)

                let local = try Self.inspectedDigest(try Self.skopeo(["inspect", "oci:\(pulled.layoutPath):v1"]))
                #expect(local == remote)
                // skopeo can also copy out of hawser's layout (reads every blob).
                try Self.skopeo(["copy", "oci:\(pulled.layoutPath):v1", "oci:\(work.file("copied")):v1"])
            }
        }
    }

    @Test("what hawser pushes, skopeo reads (same digest), a multi-platform index included")
    func hawserPushesSkopeoReads() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try await withRegistry { registry in
            try await withPool { pool in
                let source = try OCILayout(creatingAt: work.file("source"))
                let image = try await ImageFactory.makeNamedImage(in: source, name: "v1")
                let plan = try PlanFactory.direct("\(registry.host)/interop/from-hawser:v1", url: registry.baseURL)
                try await ImagePusher(plan: plan, credentials: noCredentials, layout: source, sourceName: "v1", pool: pool).push()
                let remote = try Self.inspectedDigest(try Self.skopeo(["inspect", "--tls-verify=false", "docker://\(registry.host)/interop/from-hawser:v1"]))
                #expect(remote == image.manifest.digest.description)

                let built = try await ImageFactory.makeIndex(in: source, name: "multi",
                                                             platforms: [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")])
                let multi = try PlanFactory.direct("\(registry.host)/interop/multi:v1", url: registry.baseURL)
                try await ImagePusher(plan: multi, credentials: noCredentials, layout: source, sourceName: "multi", pool: pool).push()
                let raw = try Self.skopeo(["inspect", "--raw", "--tls-verify=false", "docker://\(registry.host)/interop/multi:v1"])
                #expect(StreamingDigester.digest(of: Array(raw.utf8)) == built.index.digest)
                try Self.skopeo(["copy", "--all", "--src-tls-verify=false", "docker://\(registry.host)/interop/multi:v1", "oci:\(work.file("all")):v1"])
            }
        }
    }
}
