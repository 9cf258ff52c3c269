extension FactorisedCategorical {
    /// `variables`: D, the factorised problem's variables (default 4).
    public static let variablesSetting = Setting(key: "variables", integer: 4, placeholder: "D",
                                                 help: "factorised: the number D of categorical variables (K^D <= 1048576)") {
        (1...20).contains($0) ? nil : "the factorised problem has 1...20 variables"
    }
    /// `categories`: K, the categories of each variable (default 3).
    public static let categoriesSetting = Setting(key: "categories", integer: 3, placeholder: "K",
                                                  help: "factorised: the categories K of each variable (K^D <= 1048576)") {
        (2...1_048_576).contains($0) ? nil : "each variable has 2...1048576 categories"
    }
    /// `interaction`: λ, the loss of each pair of neighbouring variables that disagree (default 1).
    public static let interactionSetting = Setting(key: "interaction", number: 1, placeholder: "L",
                                                   help: "factorised: the loss of each pair of neighbouring variables that disagree")

    /// `factorised`: D variables × K categories, f(z) = Σ_d ‖onehot(z_d) − t_d‖² + λ #{z_d ≠ z_(d+1)}.
    public static let descriptor = EnvironmentDescriptor(
        name: "factorised",
        description: "D categorical variables x K categories, one per step, loss on the joint paid at the end: "
            + "sum_d |onehot(z_d) - t_d|^2 + L #{z_d != z_(d+1)} (exact J by enumeration)",
        settings: [variablesSetting, categoriesSetting, interactionSetting], source: "built-in") { o in
        try FactorisedCategorical(variables: o.settings.integer(variablesSetting), categories: o.settings.integer(categoriesSetting),
                                  interaction: o.settings.number(interactionSetting))
    }

    /// `shared-logit`: three Bernoullis sharing one logit, f = Σ (x_i − p_i)², p = (0.6, 0.51, 0.48).
    public static let oracleDescriptor = EnvironmentDescriptor(
        name: "shared-logit",
        description: "oracle toy: three Bernoullis sharing one logit, loss sum (x_i - p_i)^2, p = (0.6, 0.51, 0.48); "
            + "dE[f]/d eta = -0.045 at eta = 0 (Liu et al. 2019)",
        source: "built-in") { _ in sharedLogitOracle() }
}
