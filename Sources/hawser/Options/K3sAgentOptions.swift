import ArgumentParser
import HawserCore

/// K3s agent flags that change what is generated from registries.yaml.
struct K3sAgentOptions: ParsableArguments {
    @Flag(name: .long, help: "As K3s's --disable-default-registry-endpoint.")
    var disableDefaultEndpoint = false

    @Option(name: .long, help: "Address (HOST:PORT) of K3s's embedded registry mirror, as with --embedded-registry.")
    var embeddedRegistry: String?

    @Option(name: .long, help: "CA file the agent trusts for the embedded registry.")
    var embeddedCa: String = RenderOptions.EmbeddedRegistry.defaultCAFile

    @Option(name: .long, help: "Client certificate the agent presents to the embedded registry.")
    var embeddedClientCert: String = RenderOptions.EmbeddedRegistry.defaultCertFile

    @Option(name: .long, help: "Key of that client certificate.")
    var embeddedClientKey: String = RenderOptions.EmbeddedRegistry.defaultKeyFile

    var renderOptions: RenderOptions {
        RenderOptions(
            disableDefaultEndpoint: disableDefaultEndpoint,
            embeddedRegistry: embeddedRegistry.map {
                .init(address: $0, caFile: embeddedCa, certFile: embeddedClientCert, keyFile: embeddedClientKey)
            })
    }
}
