/// A response's status as Go's net/http prints it (`resp.Status`): the code and
/// the reason phrase. Registries written in Go (distribution, Harbor) send the
/// standard phrases, which are these (net/http/status.go).
public enum GoStatus {
    public static func line(_ code: Int) -> String {
        let text: String
        switch code {
        case 400: text = "Bad Request"
        case 401: text = "Unauthorized"
        case 402: text = "Payment Required"
        case 403: text = "Forbidden"
        case 404: text = "Not Found"
        case 405: text = "Method Not Allowed"
        case 406: text = "Not Acceptable"
        case 407: text = "Proxy Authentication Required"
        case 408: text = "Request Timeout"
        case 409: text = "Conflict"
        case 410: text = "Gone"
        case 411: text = "Length Required"
        case 412: text = "Precondition Failed"
        case 413: text = "Request Entity Too Large"
        case 414: text = "Request URI Too Long"
        case 415: text = "Unsupported Media Type"
        case 416: text = "Requested Range Not Satisfiable"
        case 418: text = "I'm a teapot"
        case 421: text = "Misdirected Request"
        case 429: text = "Too Many Requests"
        case 451: text = "Unavailable For Legal Reasons"
        case 500: text = "Internal Server Error"
        case 501: text = "Not Implemented"
        case 502: text = "Bad Gateway"
        case 503: text = "Service Unavailable"
        case 504: text = "Gateway Timeout"
        case 505: text = "HTTP Version Not Supported"
        default: text = ""
        }
        return text.isEmpty ? "\(code) status code \(code)" : "\(code) \(text)"
    }
}
