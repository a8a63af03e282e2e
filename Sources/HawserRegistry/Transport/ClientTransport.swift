import AsyncHTTPClient
import HawserCore
import NIOCore
import NIOHTTP1

/// The bottom of the stack: sends through the pooled client for the request's
/// scheme. `https` URLs use the attempt's TLS settings (also for its token
/// realm and redirect targets, as containerd uses one client per host);
/// `http` URLs use the plain client, which never tries TLS.
struct ClientTransport: HTTPTransport {
    let pool: HTTPClientPool
    let tls: TLSSettings
    /// Upper bound for a whole exchange; stalls are caught earlier by the read timeout.
    let deadline: TimeAmount

    init(pool: HTTPClientPool, tls: TLSSettings?, deadline: TimeAmount = .hours(2)) {
        self.pool = pool
        self.tls = tls ?? TLSSettings()
        self.deadline = deadline
    }

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        let isHTTPS = request.url.lowercased().hasPrefix("https://")
        let client = try await pool.client(tls: isHTTPS ? tls : nil)
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if !outgoing.headers.contains(name: "User-Agent") {
            outgoing.headers.add(name: "User-Agent", value: HawserRegistry.userAgent)
        }
        switch request.body {
        case .empty:
            if request.method == .PUT || request.method == .POST || request.method == .PATCH {
                outgoing.headers.replaceOrAdd(name: "Content-Length", value: "0")
            }
        case .bytes(let buffer):
            outgoing.body = .bytes(buffer)
        case .file(let path, let offset, let length):
            let chunks = FileChunks(path: path, offset: offset, length: length, onChunk: request.onBodyChunkSent)
            outgoing.body = .stream(chunks, length: .known(length))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: deadline)
        } catch {
            throw TransportErrorMapper.map(error, method: request.method.rawValue, url: request.url)
        }
        return RegistryResponse(status: Int(response.status.code), headers: response.headers, url: request.url, body: response.body)
    }
}
