/// HawserRegistry: transport, auth, the distribution API, the OCI layout store,
/// pull and push, walking a `HawserCore.Plan` the way containerd does.
public enum HawserRegistry {
    public static let userAgent = "hawser/0.1 (containerd-compatible)"
}
