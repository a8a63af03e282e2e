import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport
import HawserTransfer
import Testing

/// `ImageCopier` between two real docker-registry instances (plain; TLS with a
/// generated CA and htpasswd), and OCI layouts, with skopeo as the independent
/// reader: bytes and digests equal, an index whole, mounts within one registry
/// (the access log shows them), chunked uploads past the threshold, referrers.
@Suite("copy between registries and layouts")
struct CopyTests {
    static let username = "copier"
    static let password = "c0py-secret"

    @discardableResult
    static func skopeo(_ arguments: [String]) throws -> String {
        try Tools.run(try Tools.require(Tools.skopeo, package: "skopeo"), arguments)
    }

    static func client(_ registry: RegistryServer, _ repository: String, pool: HTTPClientPool, transport: TransportMode? = nil,
                       credentials: RegistryCredentials? = nil, access: RegistryClient.Access) -> RegistryClient {
        let attempt = PlanFactory.attempt(1, registry.baseURL, transport: transport, repository: repository,
                                          credentialsKey: credentials == nil ? nil : registry.host, server: true)
        return RegistryClient(attempt: attempt, credentials: credentials, access: access, pool: pool, tokenCache: TokenCache())
    }

    /// An index over two platforms whose layers are `layerSize` bytes, named `name` in `layout`.
    static func makeIndex(in layout: OCILayout, name: String, layerSize: Int) async throws -> (index: Descriptor, bytes: [UInt8], images: [ImageFactory.Image]) {
        let platforms = [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")]
        let images = try platforms.map { try ImageFactory.makeImage(in: layout, layerSizes: [layerSize, 3000], platform: $0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = [UInt8](try encoder.encode(ImageIndex(mediaType: MediaType.ociIndex, manifests: images.map(\.manifest))))
        let descriptor = try ImageFactory.descriptor(of: bytes, mediaType: MediaType.ociIndex)
        try layout.writeBlob(bytes, as: descriptor)
        try await layout.addReference(descriptor, name: name)
        return (descriptor, bytes, images)
    }

    @Test("registry to registry (TLS with a CA, htpasswd): an index whole, its bytes unchanged, chunked past the threshold; skopeo reads it")
    func registryToRegistry() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let line = try Tools.run(try Tools.require(Tools.htpasswd, package: "apache2-utils"), ["-Bbn", Self.username, Self.password])
        try line.write(toFile: work.file("htpasswd"), atomically: true, encoding: .utf8)
        let layout = try OCILayout(creatingAt: work.file("seed"))
        let built = try await Self.makeIndex(in: layout, name: "multi", layerSize: 200_000)
        try await withRegistry { source in
            try await withRegistry(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey),
                                   auth: .htpasswd(path: work.file("htpasswd"))) { destination in
                try await withPool { pool in
                    let from = RegistrySource(client: Self.client(source, "copy/app", pool: pool, access: .push))
                    try await ImageCopier(source: LayoutSource(layout: layout), destination: RegistryDestination(client: from.client))
                        .copy("multi", to: "v1")
                    let to = RegistryDestination(client: Self.client(
                        destination, "mirror/app", pool: pool, transport: .https(TLSSettings(caFiles: [certificates.caCertificate])),
                        credentials: RegistryCredentials(username: Self.username, password: Self.password), access: .push))
                    let options = CopyOptions(blobs: BlobCopyOptions(chunkThreshold: 64 << 10))
                    let result = try await ImageCopier(source: from, destination: to, options: options).copy("v1", to: "v1")
                    #expect(result.manifest.digest == built.index.digest)
                    #expect(result.manifests == 2)
                    #expect(result.uploadedBlobs == 6)
                    #expect(result.mountedBlobs == 0)

                    // skopeo reads the destination: the index's own bytes, every child, every blob.
                    let creds = ["--tls-verify=false", "--creds", "\(Self.username):\(Self.password)"]
                    let raw = try Self.skopeo(["inspect", "--raw"] + creds + ["docker://\(destination.host)/mirror/app:v1"])
                    #expect(Array(raw.utf8) == built.bytes)
                    for image in built.images {
                        let child = try Self.skopeo(["inspect", "--raw"] + creds + ["docker://\(destination.host)/mirror/app@\(image.manifest.digest)"])
                        #expect(ImageFactory.descriptorDigest(Array(child.utf8)) == image.manifest.digest)
                    }
                    try Self.skopeo(["copy", "--all", "--src-tls-verify=false", "--src-creds", "\(Self.username):\(Self.password)",
                                     "docker://\(destination.host)/mirror/app:v1", "oci:\(work.file("read-back")):v1"])
                    // 200 000 bytes past a 64 KiB threshold: PATCH chunks, then the closing PUT.
                    #expect(destination.log.contains("\"PATCH /v2/mirror/app/blobs/uploads/"))

                    // Again: every blob is there (HEAD), nothing sent.
                    let again = try await ImageCopier(source: from, destination: to, options: options).copy("v1", to: "v1")
                    #expect(again.presentBlobs == 6)
                    #expect(again.transferredBytes == 0)
                }
            }
        }
    }

    @Test("within one registry, blobs are mounted across repositories (the access log shows it)")
    func mountWithinRegistry() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("seed"))
        let image = try await ImageFactory.makeNamedImage(in: layout, name: "v1")
        try await withRegistry { registry in
            try await withPool { pool in
                let first = Self.client(registry, "team/one", pool: pool, access: .push)
                try await ImageCopier(source: LayoutSource(layout: layout), destination: RegistryDestination(client: first)).copy("v1", to: "v1")
                let second = RegistryDestination(client: Self.client(registry, "team/two", pool: pool, access: .push))
                let result = try await ImageCopier(source: RegistrySource(client: first), destination: second).copy("v1", to: "v1")
                #expect(result.mountedBlobs == image.layers.count + 1)
                #expect(result.uploadedBlobs == 0)
                #expect(result.manifest.digest == image.manifest.digest)
                let log = registry.log
                #expect(log.contains("\"POST /v2/team/two/blobs/uploads/?mount=sha256%3A"))
                #expect(log.contains("from=team%2Fone"))
                #expect(!log.contains("\"PUT /v2/team/two/blobs/uploads/"))
                let remote = try Self.skopeo(["inspect", "--tls-verify=false", "docker://\(registry.host)/team/two:v1"])
                #expect(remote.contains(image.manifest.digest.description))
            }
        }
    }

    @Test("skopeo reads what hawser copied, hawser reads what skopeo copied: digests equal; --platform narrows an index")
    func skopeoBothWays() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("seed"))
        let built = try await Self.makeIndex(in: layout, name: "multi", layerSize: 5000)
        try await withRegistry { source in
            try await withRegistry { destination in
                try await withPool { pool in
                    // skopeo puts the index in the source; hawser copies it on.
                    try Self.skopeo(["copy", "--all", "--dest-tls-verify=false", "oci:\(layout.root):multi", "docker://\(source.host)/by/skopeo:v1"])
                    let from = RegistrySource(client: Self.client(source, "by/skopeo", pool: pool, access: .pull))
                    let to = RegistryDestination(client: Self.client(destination, "by/hawser", pool: pool, access: .push))
                    let copied = try await ImageCopier(source: from, destination: to).copy("v1", to: "v1")
                    let sourceDigest = try Self.skopeo(["inspect", "--raw", "--tls-verify=false", "docker://\(source.host)/by/skopeo:v1"])
                    let destinationDigest = try Self.skopeo(["inspect", "--raw", "--tls-verify=false", "docker://\(destination.host)/by/hawser:v1"])
                    #expect(sourceDigest == destinationDigest)
                    #expect(copied.manifest.digest == ImageFactory.descriptorDigest(Array(sourceDigest.utf8)))

                    // skopeo copies registry to registry; hawser reads that into a layout.
                    try Self.skopeo(["copy", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
                                     "docker://\(destination.host)/by/hawser:v1", "docker://\(source.host)/back/skopeo:v1"])
                    let back = RegistrySource(client: Self.client(source, "back/skopeo", pool: pool, access: .pull))
                    let local = try OCILayout(creatingAt: work.file("local"))
                    let pulled = try await ImageCopier(source: back, destination: LayoutDestination(layout: local)).copy("v1", to: "v1")
                    #expect(pulled.manifest.digest == built.index.digest)
                    let inspected = try Self.skopeo(["inspect", "--raw", "oci:\(local.root):v1"])
                    #expect(Array(inspected.utf8) == built.bytes)
                    try Self.skopeo(["copy", "--all", "oci:\(local.root):v1", "oci:\(work.file("verified")):v1"])

                    // --platform: one platform is that image manifest alone, unchanged.
                    let arm = Platform(os: "linux", architecture: "arm64", variant: "v8")
                    let narrowed = try await ImageCopier(source: from, destination: to, options: CopyOptions(platforms: [arm])).copy("v1", to: "arm")
                    let expected = try #require(built.images.first { $0.manifest.platform == arm })
                    #expect(narrowed.manifest.digest == expected.manifest.digest)
                    #expect(narrowed.manifests == 1)
                }
            }
        }
    }

    @Test("--referrers copies a signature-like referrer and the tag-schema index (a registry without the referrers API)")
    func referrers() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let layout = try OCILayout(creatingAt: work.file("seed"))
        let image = try await ImageFactory.makeNamedImage(in: layout, name: "v1")
        // A referrer: an artifact manifest whose subject is the image, and the `sha256-<hex>` index listing it.
        let empty: [UInt8] = Array("{}".utf8)
        let emptyConfig = try ImageFactory.descriptor(of: empty, mediaType: "application/vnd.oci.empty.v1+json")
        try layout.writeBlob(empty, as: emptyConfig)
        let payload = Array(#"{"sbom":"test"}"#.utf8)
        let payloadBlob = try ImageFactory.descriptor(of: payload, mediaType: "application/spdx+json")
        try layout.writeBlob(payload, as: payloadBlob)
        func json(_ descriptor: Descriptor) -> String {
            #"{"digest":"\#(descriptor.digest)","mediaType":"\#(descriptor.mediaType)","size":\#(descriptor.size)}"#
        }
        let referrerText = #"{"artifactType":"application/spdx+json","config":\#(json(emptyConfig)),"layers":[\#(json(payloadBlob))],"#
            + #""mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2,"subject":\#(json(image.manifest))}"#
        let referrerBytes = Array(referrerText.utf8)
        var referrer = try ImageFactory.descriptor(of: referrerBytes, mediaType: MediaType.ociManifest)
        try layout.writeBlob(referrerBytes, as: referrer)
        referrer.artifactType = "application/spdx+json"
        let indexText = #"{"manifests":[{"artifactType":"application/spdx+json","digest":"\#(referrer.digest)","#
            + #""mediaType":"application/vnd.oci.image.manifest.v1+json","size":\#(referrer.size)}],"#
            + #""mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}"#
        let indexBytes = Array(indexText.utf8)
        let tagIndex = try ImageFactory.descriptor(of: indexBytes, mediaType: MediaType.ociIndex)
        try layout.writeBlob(indexBytes, as: tagIndex)
        try await layout.addReference(tagIndex, name: ReferrersTag.name(for: image.manifest.digest))
        try await withRegistry { source in
            try await withRegistry { destination in
                try await withPool { pool in
                    let seedClient = Self.client(source, "signed/app", pool: pool, access: .push)
                    let seeded = try await ImageCopier(source: LayoutSource(layout: layout), destination: RegistryDestination(client: seedClient),
                                                       options: CopyOptions(referrers: true)).copy("v1", to: "v1")
                    #expect(seeded.referrers == 1)
                    let to = RegistryDestination(client: Self.client(destination, "signed/copy", pool: pool, access: .push))
                    let result = try await ImageCopier(source: RegistrySource(client: seedClient), destination: to,
                                                       options: CopyOptions(referrers: true)).copy("v1", to: "v1")
                    #expect(result.referrers == 1)
                    let copiedReferrer = try Self.skopeo(["inspect", "--raw", "--tls-verify=false", "docker://\(destination.host)/signed/copy@\(referrer.digest)"])
                    #expect(Array(copiedReferrer.utf8) == referrerBytes)
                    let tag = ReferrersTag.name(for: image.manifest.digest)
                    let copiedIndex = try Self.skopeo(["inspect", "--raw", "--tls-verify=false", "docker://\(destination.host)/signed/copy:\(tag)"])
                    #expect(Array(copiedIndex.utf8) == indexBytes)
                    // Without --referrers, none.
                    let plain = RegistryDestination(client: Self.client(destination, "unsigned/copy", pool: pool, access: .push))
                    #expect(try await ImageCopier(source: RegistrySource(client: seedClient), destination: plain).copy("v1", to: "v1").referrers == 0)
                    #expect(try await plain.existingManifest(tag) == nil)
                }
            }
        }
    }
}

extension ImageFactory {
    /// The sha256 digest of bytes as read back (e.g. skopeo's `--raw` output).
    static func descriptorDigest(_ bytes: [UInt8]) -> Digest? {
        try? descriptor(of: bytes, mediaType: "").digest
    }
}
