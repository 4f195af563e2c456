/// Every provider client family eskit has (each declared in its own folder, `<Family>/<Family>ClientFactory.swift`),
/// sorted by family name.
let builtInFactories: [any ProviderClientFactory] = [
    AWSClientFactory(),
    AzureClientFactory(),
    FakeClientFactory(),
    GCPClientFactory(),
    PulumiClientFactory(),
    VaultClientFactory(),
]
