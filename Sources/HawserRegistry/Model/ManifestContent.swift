import Foundation
import HawserCore

/// A manifest as fetched: its bytes, its descriptor, and what the bytes decode to.
public struct ManifestContent: Sendable {
    public enum Kind: Sendable {
        case manifest(ImageManifest)
        case index(ImageIndex)
    }

    public let descriptor: Descriptor
    public let bytes: [UInt8]
    public let kind: Kind

    /// Decodes `bytes`, deciding the kind from the media type (the registry's
    /// Content-Type or the document's own `mediaType`), else from its shape.
    public init(bytes: [UInt8], descriptor: Descriptor) throws(ContentError) {
        self.bytes = bytes
        // Before any JSONDecoder: see JSONNesting (a Foundation trap).
        if JSONNesting.exceedsLimit(bytes) {
            throw ContentError(.invalidManifest, digest: descriptor.digest,
                               reason: "the manifest nests arrays and objects more than \(JSONNesting.limit) levels deep (a manifest needs 5)")
        }
        let decoder = JSONDecoder()
        let data = Data(bytes)
        struct Probe: Decodable {
            var mediaType: String?
            var schemaVersion: Int?
            var manifests: [IgnoredValue]?
            var layers: [IgnoredValue]?
        }
        struct IgnoredValue: Decodable { init(from decoder: any Decoder) throws {} }
        let probe: Probe
        do { probe = try decoder.decode(Probe.self, from: data) } catch {
            throw ContentError(.invalidManifest, digest: descriptor.digest, reason: "the manifest is not valid JSON: \(SystemErrorText.describe(error))")
        }
        if probe.schemaVersion == 1 {
            throw ContentError(.unsupportedMediaType, digest: descriptor.digest, reason: "Docker schema 1 manifests are not supported")
        }
        let declared = probe.mediaType ?? descriptor.mediaType
        var resolved = descriptor
        do {
            if MediaType.isIndex(declared) || (!MediaType.isManifest(declared) && probe.manifests != nil) {
                kind = .index(try decoder.decode(ImageIndex.self, from: data))
                if !MediaType.isIndex(resolved.mediaType) { resolved.mediaType = probe.mediaType ?? MediaType.ociIndex }
            } else if MediaType.isManifest(declared) || probe.layers != nil {
                kind = .manifest(try decoder.decode(ImageManifest.self, from: data))
                if !MediaType.isManifest(resolved.mediaType) { resolved.mediaType = probe.mediaType ?? MediaType.ociManifest }
            } else {
                throw ContentError(.unsupportedMediaType, digest: descriptor.digest, reason: "unsupported manifest media type '\(declared)'")
            }
        } catch let error as ContentError {
            throw error
        } catch {
            throw ContentError(.invalidManifest, digest: descriptor.digest, reason: "the manifest does not decode: \(SystemErrorText.describe(error))")
        }
        try Self.checkSizes(kind, manifestSize: Int64(bytes.count), digest: descriptor.digest)
        self.descriptor = resolved
    }
}
