import Dispatch

/// Two stages of a sweep on two cores: the caller's thread reads (the storage's stream) and `add`s
/// each input, while a second thread applies the rules (`transform`) to the batch read before; the
/// results come back on the caller's thread, to `deliver`, in the order the inputs were read. The
/// rules are pure functions of values, so they need nothing from the reading thread; memory holds
/// two batches.
///
/// A national sweep spends about as long in SQLite and decoding as in the rules: overlapping the two
/// takes its time from their sum towards the larger of them.
final class Pipeline<Input: Sendable, Output: Sendable> {
  private let transform: @Sendable (Input) -> [Output]
  private let batchSize: Int
  private let worker = DispatchQueue(label: "envreg.sweep.rules")
  private var batch: [Input] = []
  private var inFlight: (done: DispatchSemaphore, results: BatchResults<Output>)?

  init(batchSize: Int = 1_024, transform: @escaping @Sendable (Input) -> [Output]) {
    self.batchSize = batchSize
    self.transform = transform
    batch.reserveCapacity(batchSize)
  }

  func add(_ input: Input, deliver: (Output) throws -> Void) throws {
    batch.append(input)
    if batch.count >= batchSize { try submit(deliver) }
  }

  /// Delivers everything still pending; call once after the last `add`.
  func finish(deliver: (Output) throws -> Void) throws {
    if !batch.isEmpty { try submit(deliver) }
    try collect(deliver)
  }

  private func submit(_ deliver: (Output) throws -> Void) throws {
    let inputs = batch
    batch.removeAll(keepingCapacity: true)
    let results = BatchResults<Output>()
    let done = DispatchSemaphore(value: 0)
    let transform = self.transform
    worker.async {
      results.outputs = inputs.flatMap(transform)
      done.signal()
    }
    try collect(deliver)  // the batch before this one, while the worker has this one
    inFlight = (done, results)
  }

  private func collect(_ deliver: (Output) throws -> Void) throws {
    guard let (done, results) = inFlight else { return }
    inFlight = nil
    done.wait()
    for output in results.outputs { try deliver(output) }
  }
}

/// One batch's results, written by the worker before it signals and read by the caller after it
/// waits (the semaphore orders the two).
private final class BatchResults<Output: Sendable>: @unchecked Sendable {
  var outputs: [Output] = []
}
