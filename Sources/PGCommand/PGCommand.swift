import PolicyGradient
/// Placeholder.
public enum PGCommand { public static func main(_ args: [String]) -> Int32 { 0 } }
