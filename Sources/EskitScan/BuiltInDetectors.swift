/// The registry of built-in detectors, sorted by id. Add a detector: write `Detectors/<Name>Detector.swift`
/// with inline positive and negative examples, then list it here.
public enum BuiltInDetectors {
    public static let all: [any Detector] = unsorted.sorted { $0.id < $1.id }

    static let unsorted: [any Detector] = [
    ]
}
