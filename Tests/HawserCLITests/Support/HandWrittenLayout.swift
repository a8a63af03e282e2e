import Crypto
import Foundation
import HawserTestSupport

/// An OCI image layout written by the test itself, byte by byte (not by
/// hawser's store), so that what `hawser push` sends and `hawser pull` writes
/// are compared with something hawser did not produce.
struct HandWrittenLayout {
    struct Blob: Equatable {
        let mediaType: String
        let digest: String
        let size: Int
    }

    static let manifestType = "application/vnd.oci.image.manifest.v1+json"
    static let configType = "application/vnd.oci.image.config.v1+json"
    static let layerType = "application/vnd.oci.image.layer.v1.tar+gzip"

    let path: String
    let manifest: Blob
    let config: Blob
    let layers: [Blob]

    /// Config, layers and manifest: what a pull or push of the image moves.
    var totalSize: Int { manifest.size + config.size + layers.reduce(0) { $0 + $1.size } }

    static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func platformArchitecture() -> String {
        #if arch(arm64)
        return "arm64"
        #else
        return "amd64"
        #endif
    }

    /// Writes a one-platform image named `name` with random layers of the given payload sizes.
    static func write(at path: String, name: String, layerSizes: [Int]) throws -> HandWrittenLayout {
        let blobs = path + "/blobs/sha256"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        func store(_ bytes: [UInt8], _ mediaType: String) throws -> Blob {
            let digest = sha256(bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: blobs + "/" + digest.dropFirst("sha256:".count)))
            return Blob(mediaType: mediaType, digest: digest, size: bytes.count)
        }
        var generator = SystemRandomNumberGenerator()
        var layers: [Blob] = []
        var diffIDs: [String] = []
        for size in layerSizes {
            let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            diffIDs.append(sha256(payload))
            layers.append(try store(StoredGzip.wrap(payload), layerType))
        }
        let configObject: [String: Any] = [
            "architecture": platformArchitecture(), "os": "linux",
            "config": ["Labels": ["hawser.cli-test": UUID().uuidString]],
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ]
        let config = try store([UInt8](try JSONSerialization.data(withJSONObject: configObject, options: [.sortedKeys])), configType)
        func descriptor(_ blob: Blob) -> [String: Any] { ["mediaType": blob.mediaType, "digest": blob.digest, "size": blob.size] }
        let manifestObject: [String: Any] = [
            "schemaVersion": 2, "mediaType": manifestType,
            "config": descriptor(config), "layers": layers.map(descriptor),
        ]
        let manifest = try store([UInt8](try JSONSerialization.data(withJSONObject: manifestObject, options: [.sortedKeys])), manifestType)
        var entry = descriptor(manifest)
        entry["annotations"] = ["org.opencontainers.image.ref.name": name]
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [entry]]
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path + "/index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: path + "/oci-layout"))
        return HandWrittenLayout(path: path, manifest: manifest, config: config, layers: layers)
    }

    /// Every blob file under `layoutPath` whose bytes do not hash to its name.
    static func corruptBlobs(in layoutPath: String) throws -> [String] {
        let directory = layoutPath + "/blobs/sha256"
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            return sha256(bytes) != "sha256:" + name
        }
    }
}
