/// Every provider client family eskit has (each declared in its own folder, `<Family>/<Family>ClientFactory.swift`).
let builtInFactories: [any ProviderClientFactory] = [
    FakeClientFactory(),
    VaultClientFactory(),
]
