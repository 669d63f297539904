// The hand-written layer over the generated bindings (Generated/Equally.swift):
// only what Swift code expects and uniffi does not generate. No rules live
// here; every decision is the core's.

import Foundation

extension EquallyError: LocalizedError, CustomStringConvertible {
    /// The core's sentence, e.g. "title is empty": fit for an alert.
    public var errorDescription: String? { sentence }

    public var description: String { sentence }

    /// The same sentence whatever the kind of error.
    public var sentence: String {
        switch self {
        case let .NotFound(text), let .Invalid(text), let .NotAllowed(text),
             let .Conflict(text), let .Busy(text), let .Corrupt(text),
             let .Interrupted(text), let .Storage(text), let .Offline(text),
             let .Network(text), let .Internal(text):
            return text
        }
    }
}

extension EquallyCore {
    /// Change notices as an async sequence, for a SwiftUI `.task`:
    /// `for await changes in try core.changes() { reload() }`.
    /// Ending the loop, or cancelling its task, cancels the listener.
    public func changes() throws -> AsyncStream<[Change]> {
        let (stream, continuation) = AsyncStream<[Change]>.makeStream()
        let handle = try subscribe(listener: StreamListener(continuation))
        continuation.onTermination = { _ in handle.cancel() }
        return stream
    }
}

private final class StreamListener: ChangeListener, @unchecked Sendable {
    private let continuation: AsyncStream<[Change]>.Continuation

    init(_ continuation: AsyncStream<[Change]>.Continuation) {
        self.continuation = continuation
    }

    func onChange(changes: [Change]) {
        continuation.yield(changes)
    }
}
