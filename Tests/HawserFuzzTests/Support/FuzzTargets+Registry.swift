import Foundation
@testable import HawserCore
@testable import HawserRegistry

extension FuzzTargets {
    static let digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

    /// Manifests and indexes as a registry serves them (and its error bodies):
    /// decoding, the size checks, choosing a platform, and the totals a pull shows.
    static var manifests: FuzzTarget {
        FuzzTarget(
            name: "manifests",
            seeds: FuzzSeeds.own("manifests", suffixes: [".json"]),
            tokens: ["[", "{", "\"size\":", "\"layers\":[", "\"manifests\":[", "\"mediaType\":\"application/vnd.oci.image.index.v1+json\"",
                     "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}", "null", "\\u0000", ",", "\"schemaVersion\":1"].map { Array($0.utf8) }
                + hugeNumbers.map { Array($0.utf8) },
            generators: [
                { random in
                    let layers = (0..<(1 + random.size(max: 3000))).map { _ in
                        "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"\(digest)\",\"size\":\(random.pick(hugeNumbers))}"
                    }
                    return Array(("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"x\",\"digest\":\"\(digest)\",\"size\":\(random.pick(hugeNumbers))},\"layers\":[" + layers.joined(separator: ",") + "]}").utf8)
                },
                { random in
                    let depth = random.size(max: 100_000)
                    return Array(("{\"schemaVersion\":2,\"layers\":" + repeated("[", depth) + repeated("]", random.chance(50) ? depth : random.below(depth + 1)) + "}").utf8)
                },
                { random in Array((repeated("{\"a\":", random.size(max: 100_000)) + "1" + repeated("}", random.size(max: 100))).utf8) },
                { random in
                    let types = [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, "", "text/plain"]
                    let entries = (0..<(1 + random.size(max: 500))).map { _ in
                        "{\"mediaType\":\"\(random.pick(types))\",\"digest\":\"\(digest)\",\"size\":\(random.pick(hugeNumbers)),\"platform\":{\"os\":\"\(random.pick(["linux", "", "windows"]))\",\"architecture\":\"\(random.pick(["amd64", "arm64", ""]))\"\(random.chance(30) ? ",\"variant\":\"v8\"" : "")}}"
                    }
                    return Array(("{\"schemaVersion\":2,\"mediaType\":\"\(random.pick(types))\",\"manifests\":[" + entries.joined(separator: ",") + "]}").utf8)
                },
            ],
            run: { bytes in
                // A registry's error body is JSON from the same place.
                _ = DistributionErrorBody.decode(bytes)
                guard let expected = try? Digest(parsing: digest) else { return }
                for mediaType in ["", MediaType.ociManifest, MediaType.ociIndex] {
                    let descriptor = Descriptor(mediaType: mediaType, digest: expected, size: Int64(bytes.count))
                    guard let content = try? ManifestContent(bytes: bytes, descriptor: descriptor) else { continue }
                    switch content.kind {
                    case .manifest(let manifest):
                        _ = manifest.blobs.reduce(Int64(bytes.count)) { $0.saturatingAdding($1.size) }
                    case .index(let index):
                        for platform in [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")] {
                            _ = try? PlatformSelector.select(from: index, platform: platform, indexDigest: expected)
                        }
                    }
                }
            })
    }

    /// `WWW-Authenticate` header values.
    static var challenges: FuzzTarget {
        FuzzTarget(
            name: "www-authenticate",
            seeds: FuzzSeeds.lines("challenges"),
            tokens: ["\"", "\\", ",", "=", " ", "Bearer ", "Basic ", "realm=", "scope=\"", "\t", "\r\n"].map { Array($0.utf8) },
            generators: [
                { random in Array(("Bearer " + repeated("a=\"b\",", random.size(max: 20000))).utf8) },
                { random in Array(("Bearer realm=\"" + repeated("\\", random.size(max: 20000))).utf8) },
                { random in Array(repeated(random.pick(["Bearer,", ",", "=", "\"", "Basic realm=x "]), random.size(max: 20000)).utf8) },
            ],
            run: { bytes in
                for challenge in AuthChallenge.parse(text(bytes)) {
                    _ = challenge.realm
                    _ = challenge.service
                    _ = challenge.scopes
                }
            })
    }

    /// Token service answers.
    static var tokenResponses: FuzzTarget {
        FuzzTarget(
            name: "token-responses",
            seeds: FuzzSeeds.own("tokens", suffixes: [".json"]),
            tokens: ["\"expires_in\":", "\"token\":", "\"access_token\":", "null", "{", "[", "\"", ","].map { Array($0.utf8) }
                + hugeNumbers.map { Array($0.utf8) },
            generators: [
                { random in Array("{\"token\":\"t\",\"expires_in\":\(random.pick(hugeNumbers))}".utf8) },
                { random in Array(("{\"token\":" + repeated("[", random.size(max: 100_000))).utf8) },
                { random in Array("{\"access_token\":\"\(repeated("x", random.size(max: 100_000)))\",\"expires_in\":\(random.pick(hugeNumbers))}".utf8) },
            ],
            run: { bytes in
                _ = BearerToken.decode(bytes)?.isValid()
            })
    }
}
