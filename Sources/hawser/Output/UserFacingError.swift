import HawserRegistry
import HawserTransfer

/// The one place an error becomes text for a person: Hawser's own errors say
/// what, where and what to do in their description; anything else (the file
/// system, the network library) is put in plain words. Never a type name.
enum UserFacingError {
    /// The text for `error`, or nil for the argument parser's own errors (usage,
    /// `--help`, exit codes), which it prints itself.
    static func text(_ error: any Error) -> String? {
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
        if let error = error as? TransferError { return error.description }
        return NetworkErrorText.sentence(error)
    }

    /// `text` with "error: " in front unless it already names where and says "error:" (ConfigError does).
    static func line(_ error: any Error) -> String? {
        guard let text = text(error) else { return nil }
        return text.hasPrefix("error:") || text.contains(": error: ") ? text : "error: " + text
    }
}
