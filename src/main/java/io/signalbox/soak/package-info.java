/**
 * The soak run behind {@code signalbox soak}: a thousand SDK clients against one server in a process
 * of its own, for as long as asked, with broadcasts, private signals, REST signals and random link
 * drops; every signal checked for loss, doubling and order ({@link io.signalbox.soak.Ledger}), and the
 * server's heap after collection, open files and resident memory read at intervals.
 */
package io.signalbox.soak;
