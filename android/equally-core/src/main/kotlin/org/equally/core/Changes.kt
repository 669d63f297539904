// The hand-written Kotlin layer over the generated bindings (same package,
// generated at build time): only what Kotlin code expects and uniffi does
// not generate. Plain Kotlin, so the desktop suite compiles and tests it.

package org.equally.core

import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow

/**
 * Change notices as a Flow, for a ViewModel or a screen's `collectAsState`:
 * collecting subscribes, and the collector going away cancels the listener.
 * The buffer is unbounded so a slow collector misses no notice (the core
 * sends one batch per saved write, and batches that queue are merged).
 */
fun EquallyCore.changes(): Flow<List<Change>> = callbackFlow {
    val handle = subscribe(object : ChangeListener {
        override fun onChange(changes: List<Change>) {
            trySend(changes)
        }
    })
    awaitClose {
        handle.cancel()
        handle.close()
    }
}.buffer(Channel.UNLIMITED)
