import Crypto
import Foundation
import HawserCore
@testable import HawserRegistry
import HawserTestSupport

/// Builds small images in an OCI layout without any network: random layer
/// payloads (gzip-wrapped), a valid config, an OCI manifest; optionally an
/// index over several platforms.
enum ImageFactory {
    struct Image {
        let manifest: Descriptor
        let config: Descriptor
        let layers: [Descriptor]
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            let value = generator.next()
            withUnsafeBytes(of: value) { word in
                for byte in word where index < count {
                    bytes[index] = byte
                    index += 1
                }
            }
        }
        return bytes
    }

    static func descriptor(of bytes: [UInt8], mediaType: String) throws -> Descriptor {
        let hex = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let digest = try Digest(algorithm: .sha256, encoded: hex)
        return Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// An image with layers of the given payload sizes, stored (not named) in `layout`.
    static func makeImage(in layout: OCILayout, layerSizes: [Int] = [2048, 70_000], platform: Platform = .current) throws -> Image {
        var layers: [Descriptor] = []
        var diffIDs: [String] = []
        for size in layerSizes {
            let payload = randomBytes(size)
            diffIDs.append(try descriptor(of: payload, mediaType: "").digest.description)
            let blob = StoredGzip.wrap(payload)
            let layer = try descriptor(of: blob, mediaType: MediaType.ociLayerGzip)
            try layout.writeBlob(blob, as: layer)
            layers.append(layer)
        }
        var configObject: [String: Any] = [
            "architecture": platform.architecture, "os": platform.os,
            "config": ["Env": ["PATH=/usr/bin"], "Labels": ["hawser.test": UUID().uuidString]],
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
            "created": "2024-01-01T00:00:00Z",
        ]
        if let variant = platform.variant { configObject["variant"] = variant }
        let configBytes = [UInt8](try JSONSerialization.data(withJSONObject: configObject, options: [.sortedKeys]))
        let config = try descriptor(of: configBytes, mediaType: MediaType.ociConfig)
        try layout.writeBlob(configBytes, as: config)
        let manifest = ImageManifest(schemaVersion: 2, mediaType: MediaType.ociManifest, config: config, layers: layers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let manifestBytes = [UInt8](try encoder.encode(manifest))
        var manifestDescriptor = try descriptor(of: manifestBytes, mediaType: MediaType.ociManifest)
        try layout.writeBlob(manifestBytes, as: manifestDescriptor)
        manifestDescriptor.platform = platform
        return Image(manifest: manifestDescriptor, config: config, layers: layers)
    }

    /// An image named `name` in the layout's index.json.
    @discardableResult
    static func makeNamedImage(in layout: OCILayout, name: String, layerSizes: [Int] = [2048, 70_000]) async throws -> Image {
        let image = try makeImage(in: layout, layerSizes: layerSizes)
        var top = image.manifest
        top.platform = nil
        try await layout.addReference(top, name: name)
        return image
    }

    /// An index over one image per platform, named `name`.
    static func makeIndex(in layout: OCILayout, name: String, platforms: [Platform]) async throws -> (index: Descriptor, images: [Image]) {
        var images: [Image] = []
        for platform in platforms {
            images.append(try makeImage(in: layout, layerSizes: [1024 + images.count], platform: platform))
        }
        let index = ImageIndex(mediaType: MediaType.ociIndex, manifests: images.map(\.manifest))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = [UInt8](try encoder.encode(index))
        let descriptor = try descriptor(of: bytes, mediaType: MediaType.ociIndex)
        try layout.writeBlob(bytes, as: descriptor)
        try await layout.addReference(descriptor, name: name)
        return (descriptor, images)
    }
}
