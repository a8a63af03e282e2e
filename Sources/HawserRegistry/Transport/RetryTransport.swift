import Foundation

/// Retries on the same host when the server asks to wait (408 Request Timeout,
/// 429 Too Many Requests), honouring Retry-After, with a bounded backoff.
struct RetryTransport: HTTPTransport {
    let next: any HTTPTransport
    var maximumRetries = 3
    var initialDelay: Duration = .milliseconds(250)
    var maximumDelay: Duration = .seconds(10)

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        var delay = initialDelay
        var retries = 0
        while true {
            let response = try await next.send(request)
            guard response.status == 408 || response.status == 429, retries < maximumRetries else { return response }
            _ = try? await response.collect(limit: 64 << 10)
            let wait = min(Self.retryAfter(response.headers.first(name: "Retry-After")) ?? delay, maximumDelay)
            try await Task.sleep(for: wait)
            delay = min(delay * 2, maximumDelay)
            retries += 1
        }
    }

    /// Retry-After is either seconds or an HTTP date.
    static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}
