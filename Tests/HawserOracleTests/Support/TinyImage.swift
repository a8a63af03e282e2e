import Crypto
import Foundation
import HawserTestSupport

/// A real, tiny, byte-for-byte deterministic linux/amd64 OCI image: one gzip
/// layer holding one file. Deterministic so that its digest can appear in
/// recorded fixtures.
struct TinyImage: Sendable {
    struct Blob: Sendable {
        let digest: String
        let mediaType: String
        let bytes: [UInt8]
    }

    let manifest: Blob
    let config: Blob
    let layer: Blob

    static let shared: TinyImage = make()

    func blob(_ digest: String) -> Blob? {
        [manifest, config, layer].first { $0.digest == digest }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private static func make() -> TinyImage {
        let tar = tarball(name: "hawser-oracle.txt", contents: Array("hawser oracle\n".utf8))
        let layerBytes = StoredGzip.wrap(tar)
        let layer = Blob(digest: sha256(layerBytes), mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", bytes: layerBytes)
        let configText = """
        {"architecture":"amd64","config":{"Env":["PATH=/usr/bin"]},"created":"2024-01-01T00:00:00Z",\
        "os":"linux","rootfs":{"diff_ids":["\(sha256(tar))"],"type":"layers"}}
        """
        let configBytes = Array(configText.utf8)
        let config = Blob(digest: sha256(configBytes), mediaType: "application/vnd.oci.image.config.v1+json", bytes: configBytes)
        let manifestText = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
        "config":{"mediaType":"\(config.mediaType)","digest":"\(config.digest)","size":\(config.bytes.count)},\
        "layers":[{"mediaType":"\(layer.mediaType)","digest":"\(layer.digest)","size":\(layer.bytes.count)}]}
        """
        let manifestBytes = Array(manifestText.utf8)
        let manifest = Blob(digest: sha256(manifestBytes), mediaType: "application/vnd.oci.image.manifest.v1+json", bytes: manifestBytes)
        return TinyImage(manifest: manifest, config: config, layer: layer)
    }

    /// A ustar archive with one regular file.
    private static func tarball(name: String, contents: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(contents.count, width: 12), at: 124)
        put(octal(1_704_067_200, width: 12), at: 136)
        put("        ", at: 148)
        put("0", at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7), at: 148)
        header[154] = 0
        header[155] = 0x20
        var out = header + contents
        out += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }
}
