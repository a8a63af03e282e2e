// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Hawser",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HawserCore", targets: ["HawserCore"]),
        .library(name: "HawserRegistry", targets: ["HawserRegistry"]),
        .library(name: "HawserDoctor", targets: ["HawserDoctor"]),
        .library(name: "HawserTransfer", targets: ["HawserTransfer"]),
        .library(name: "HawserServe", targets: ["HawserServe"]),
        .executable(name: "hawser", targets: ["hawser"]),
    ],
    dependencies: [
        // Exact versions: Package.resolved is not committed here, so these lines are what
        // pins what a node runs. Each is the version the offline package mirror holds
        // and the suite was run with; move them together, on purpose.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // 3.12.3 (the mirror also has 4.5.2): the version the whole graph was tested with.
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // Yams 5.0.1, not 6.x: 6.x rejects duplicate mapping keys, and K3s (go-yaml) lets the last one win.
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
        // hawser serve (issue 14): the HTTP server, bcrypt for --htpasswd, /metrics and
        // graceful shutdown. Exact, for the same reason as above: the mirror's versions.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // Pure logic: references, configuration, rendering, the plan, lint. No network.
        .target(
            name: "HawserCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                // hosts.toml is read by HawserCore's own TOMLParser (not TOMLKit: its
                // C++ core aborts the process on some input; see TOMLParser).
            ]
        ),
        // Transport, auth, the distribution API, the OCI layout store, pull and push.
        .target(
            name: "HawserRegistry",
            dependencies: [
                "HawserCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One image source/destination abstraction (registry, OCI layout, mirror store)
        // for copy, sync and serve: manifests as stored bytes, blobs as streams.
        .target(
            name: "HawserTransfer",
            dependencies: [
                "HawserCore",
                "HawserRegistry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Probes each attempt of a plan (DNS, TCP, TLS, HTTP, auth, manifest) and names the root cause.
        .target(
            name: "HawserDoctor",
            dependencies: [
                "HawserCore",
                "HawserRegistry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The commit `hawser --version` names, set by scripts/package (C: a -D define can carry a string).
        .target(name: "HawserBuildInfo"),
        // A read that never waits for the disk (preadv2 RWF_NOWAIT): the mirror serves
        // page-cached blobs inline and sends only disk reads to a thread pool.
        .target(name: "HawserFileIO"),
        // hawser serve: a read-only pull-through mirror that picks its upstream by containerd's
        // ?ns=, streams a missing blob to every client while it is verified and stored once.
        .target(
            name: "HawserServe",
            dependencies: [
                "HawserCore",
                "HawserRegistry",
                // Upstreams and the store are read through the one source/destination abstraction.
                "HawserTransfer",
                "HawserFileIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "hawser",
            dependencies: [
                "HawserBuildInfo",
                "HawserCore",
                "HawserRegistry",
                "HawserDoctor",
                "HawserTransfer",
                "HawserServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the integration tests share: a real docker-registry on loopback, test
        // certificates, free ports, external tools, the sniffing proxy. Not a product.
        .target(
            name: "HawserTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/HawserTestSupport"
        ),
        .testTarget(
            name: "HawserCoreTests",
            dependencies: ["HawserCore"],
            resources: [.copy("Fixtures")]
        ),
        // Seeded mutation fuzzing of every parser of untrusted input (HAWSER_FUZZ_ITERATIONS runs it longer).
        .testTarget(
            name: "HawserFuzzTests",
            dependencies: ["HawserCore", "HawserRegistry"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "HawserDoctorTests",
            dependencies: ["HawserDoctor", "HawserCore"],
            resources: [.copy("Fixtures")]
        ),
        // Runs the built `hawser` binary: exit statuses, output, files written.
        .testTarget(
            name: "HawserCLITests",
            dependencies: [
                "hawser", "HawserTestSupport",
                // Digests of the layouts the tests write themselves (independently of hawser's store).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "HawserRegistryTests",
            dependencies: [
                "HawserRegistry", "HawserCore", "HawserDoctor", "HawserTransfer", "HawserTestSupport",
                // The built binary, for tests across processes (two pulls sharing one layout).
                "hawser",
                // Test servers (404 mirror, bad-digest server, token issuer) and JWT signing.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // hawser serve: routes and htpasswd in process; the mirror itself as a separate
        // process between real clients (hawser pull, skopeo) and two docker-registry upstreams.
        .testTarget(
            name: "HawserServeTests",
            dependencies: [
                "HawserServe", "HawserRegistry", "HawserCore", "HawserTestSupport",
                "hawser",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Real containerd as the oracle (issue 9): live against Debian's containerd, and
        // replays of fixtures recorded from upstream builds. Runs the built `hawser`.
        .testTarget(
            name: "HawserOracleTests",
            dependencies: [
                "hawser", "HawserTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
