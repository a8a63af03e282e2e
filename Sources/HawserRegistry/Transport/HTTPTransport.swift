/// One layer of the request stack (in the spirit of go-containerregistry's
/// RoundTrippers): each adds one concern (scheme, retry, auth, logging) and
/// hands the request down. Failures to get any response throw `RegistryError`;
/// an HTTP error status is a response, judged by the caller.
public protocol HTTPTransport: Sendable {
    func send(_ request: RegistryRequest) async throws -> RegistryResponse
}
