import EskitScanning
import Foundation

/// A one-line progress display on stderr for history scans (the caller only creates it when stderr is a
/// terminal and `--no-progress` is not given): phase, blobs done, rate and ETA, redrawn five times a second.
final class ProgressBar: ScanProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var phase = ""
    private var total = 0
    private var done = 0
    private var started = Date()
    private var timer: DispatchSourceTimer?
    private var active = false

    func start(phase: String, total: Int = 0) {
        lock.withLock {
            self.phase = phase
            self.total = total
            done = 0
            started = Date()
            active = true
        }
        draw()
        if timer == nil {
            let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            t.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(200))
            t.setEventHandler { [weak self] in self?.draw() }
            t.resume()
            timer = t
        }
    }

    /// Changes the phase text and the total without resetting the count or the clock.
    func update(phase: String, total: Int) {
        lock.withLock {
            self.phase = phase
            self.total = total
        }
    }

    func advance() { lock.withLock { done += 1 } }

    func finish() {
        timer?.cancel()
        timer = nil
        lock.withLock {
            if active { Terminal.writeStderr("\r\u{1B}[2K") }
            active = false
        }
    }

    private func draw() {
        lock.withLock {
            guard active else { return }
            let elapsed = max(Date().timeIntervalSince(started), 0.001)
            var line = "eskit: \(phase)"
            if total > 0 {
                let rate = Double(done) / elapsed
                let width = 24
                let filled = min(width, done * width / max(total, 1))
                line +=
                    " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
                line += " \(done)/\(total) blobs, \(Int(rate))/s"
                if rate > 0, done < total { line += ", ETA \(Self.duration(Double(total - done) / rate))" }
            } else {
                line += " (\(String(format: "%.1f", elapsed))s)"
            }
            Terminal.writeStderr("\r\u{1B}[2K" + line)
        }
    }

    private static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
