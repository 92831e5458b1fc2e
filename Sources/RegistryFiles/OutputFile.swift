import Foundation
import RegistryCore
import RegistryService

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every file envreg writes (exports, reports, reject files) goes through here:
/// - the registry, its -wal/-shm/-journal companions and the input file are refused as targets;
/// - an existing file is refused unless `force`, and a non-regular one (a device, a folder) always;
/// - the bytes go to a temporary file in the same folder, created owner-only (0600 whatever the
///   umask), fsynced, then renamed over the target, so a reader never sees half a file;
/// - an I/O error (a full disk) is a message, and the temporary file is removed. envreg never
///   deletes a file it did not create.
public final class OutputFile {
  public let path: String
  private let temporary: String
  private var descriptor: Int32
  private var finished = false
  private let force: Bool

  /// Opens a temporary file beside `path` after the checks above. `protected` lists files that must
  /// never be written (the registry is added with its companions by `Store.protectedPaths`).
  public init(path: String, force: Bool, protected: [String]) throws {
    guard !path.isEmpty else { throw RegistryError.input("An output path is empty.") }
    self.path = path
    self.force = force
    let target = OutputFile.resolved(path)
    for other in protected where OutputFile.resolved(other) == target {
      throw RegistryError.input(
        """
        Refusing to write \(path.quoted): it is \(other.quoted), the registry, one of its companion files or this \
        command's input, which envreg never overwrites. Choose another output file.
        """
      )
    }
    var info = stat()
    if lstat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw RegistryError.input("Refusing to write \(path.quoted): it is not a regular file.")
      }
      guard force else {
        throw RegistryError.input(
          "\(path.quoted) already exists; envreg does not overwrite a file unless you pass --force.")
      }
    }
    let folder = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    temporary =
      (folder.isEmpty ? "" : folder + "/") + ".\(name).envreg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw RegistryError.input("Cannot write \(path.quoted): \(OutputFile.reason()).") }
  }

  deinit { if !finished { abandon() } }

  /// Writes all of `bytes`; on an error the temporary file is removed and the error thrown.
  public func write(_ bytes: [UInt8]) throws {
    if let failure = OutputFile.writeAll(descriptor, bytes) {
      abandon()
      throw RegistryError.input("Cannot write \(path.quoted): \(failure); nothing was written.")
    }
  }

  /// Writes all of `bytes` to a descriptor; the reason on failure (a full disk, a closed pipe).
  public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> String? {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        return reason()
      }
      offset += written
    }
    return nil
  }

  /// fsync, rename over the target, fsync the folder: the file is whole or absent.
  public func commit() throws {
    guard !finished else { return }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let reason = OutputFile.reason()
      descriptor = -1
      abandon()
      throw RegistryError.input("Cannot write \(path.quoted): \(reason); nothing was written.")
    }
    descriptor = -1
    // Without --force the file must still be absent: link() refuses an existing name (no race with
    // a file created since the check); with --force, rename() replaces it in one step.
    guard (force ? rename(temporary, path) : OutputFile.linkNew(temporary, path)) == 0 else {
      let reason = errno == EEXIST ? "it was created by someone else meanwhile" : OutputFile.reason()
      abandon()
      throw RegistryError.input("Cannot write \(path.quoted): \(reason); nothing was written.")
    }
    finished = true
    let folder = (path as NSString).deletingLastPathComponent
    let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
      _ = fsync(directory)
      close(directory)
    }
  }

  /// The temporary file's path (a backup writes it through SQLite, then `place`s it).
  public var temporaryPath: String { temporary }

  /// Closes the temporary file and leaves it for another writer (SQLite's backup).
  public func abandonKeepingFile() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    finished = true
  }

  /// fsyncs `temporary` and renames it to `path` (never over an existing file: checked on creation).
  public static func place(_ temporary: String, at path: String) throws {
    let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
    if descriptor >= 0 {
      _ = fsync(descriptor)
      close(descriptor)
    }
    guard linkNew(temporary, path) == 0 else { throw RegistryError.input("Cannot write \(path.quoted): \(reason()).") }
  }

  /// Gives `temporary` the name `path` only if no file has it, then drops the temporary name.
  static func linkNew(_ temporary: String, _ path: String) -> Int32 {
    guard link(temporary, path) == 0 else { return -1 }
    unlink(temporary)
    return 0
  }

  /// Removes a temporary file this process created.
  public static func remove(_ temporary: String) {
    unlink(temporary)
    for suffix in ["-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
  }

  /// Removes the temporary file (only ever the one this object created).
  public func abandon() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    if !finished { unlink(temporary) }
    finished = true
  }

  /// The absolute path with its folder's symbolic links resolved (the file itself may not exist).
  static func resolved(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    let folder = (absolute as NSString).deletingLastPathComponent
    let name = (absolute as NSString).lastPathComponent
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    if let real = realpath(absolute, &buffer) { return String(cString: real) }
    if let real = realpath(folder, &buffer) { return String(cString: real) + "/" + name }
    return absolute
  }

  static func reason() -> String { String(cString: strerror(errno)) }
}
