import HawserCore
import HawserRegistry

/// A repository on one registry host, written through the distribution API.
public struct RegistryDestination: ImageDestination {
    public let client: RegistryClient
    public let place: TransferPlace
    public init(client: RegistryClient) {
        self.client = client
        self.place = TransferPlace(side: .destination, kind: .registry, location: client.attempt.endpoint.host,
                                   repository: client.attempt.repository)
    }

    public func existingManifest(_ reference: String) async throws -> Descriptor? {
        guard let found = try await client.existingManifest(reference), let digest = found.digest else { return nil }
        return Descriptor(mediaType: found.mediaType ?? "", digest: digest, size: found.size ?? 0)
    }

    public func hasBlob(_ descriptor: Descriptor) async throws -> Bool {
        try await client.blobExists(descriptor)
    }

    public func putBlob(_ descriptor: Descriptor, from source: any ImageSource, options: BlobCopyOptions,
                        progress: (@Sendable (Int) -> Void)?) async throws -> BlobOutcome {
        var location: String?
        // Same registry, same endpoint, another repository: ask for a mount; a
        // refusal (202) opens the session the upload then uses.
        if let origin = source.mountOrigin, origin.endpoint == client.attempt.endpoint, origin.repository != client.attempt.repository {
            switch try await client.startUpload(of: descriptor, mountFrom: origin.repository) {
            case .mounted: return .mounted
            case .session(let started): location = started
            }
        }
        return try await upload(descriptor, from: source, session: location, options: options, progress: progress)
    }

    public func putManifest(_ manifest: ManifestContent, tag: String?) async throws {
        let reference = tag ?? manifest.descriptor.digest.description
        let stored = try await client.putManifest(manifest.bytes, mediaType: manifest.descriptor.mediaType, reference: reference)
        if let stored, stored != manifest.descriptor.digest {
            throw RegistryError(.content, method: "PUT", url: client.attempt.url("manifests", reference),
                                reason: "the registry stored the manifest as \(stored), not as \(manifest.descriptor.digest): it changed the bytes")
        }
    }
}
