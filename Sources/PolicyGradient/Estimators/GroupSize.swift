/// The group size K of the estimators that draw a group of K episodes from each start
/// (leave-one-out, group-relative baselines, the unordered set, sum-and-sample): one setting,
/// `samples`, stated once, so that `--samples` means the same thing for all of them.
public enum GroupSize {
    /// `samples`: K, episodes per group (default 4, at least 2).
    public static let setting = Setting(key: "samples", integer: 4, placeholder: "K",
                                        help: "K, episodes per group of the estimators that draw groups; batch must be a multiple of K") {
        (2...1_000_000).contains($0) ? nil : "must be in 2...1000000 episodes per group"
    }
}
