#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's driver (compiler-rt's `int LLVMFuzzerRunDriver(int *, char ***, int (*)(const uint8_t *, size_t))`):
/// the loop `main` would run, with the same flags (`-runs=`, `-max_len=`, corpus folders...).
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The entry point of every target. SwiftPM's debug builds link an executable with its entry point renamed
/// (`--defsym main=<Target>_main`, for `@testable` executables), so the `main` of libFuzzer's runtime cannot be
/// the program's: each target's `@main` calls this instead, handing it the function it also exports as
/// `LLVMFuzzerTestOneInput`.
public enum FuzzDriver {
    public static func run(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, callback))
    }
}
