import Logging

/// Logs each exchange (method, URL, status) at debug level. Headers are never
/// logged: they carry credentials.
struct LoggingTransport: HTTPTransport {
    let next: any HTTPTransport
    let logger: Logger

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        logger.debug("request", metadata: ["method": "\(request.method.rawValue)", "url": "\(request.url)"])
        do {
            let response = try await next.send(request)
            logger.debug("response", metadata: ["method": "\(request.method.rawValue)", "url": "\(request.url)", "status": "\(response.status)"])
            return response
        } catch {
            logger.debug("failed", metadata: ["method": "\(request.method.rawValue)", "url": "\(request.url)", "error": "\(error)"])
            throw error
        }
    }
}
