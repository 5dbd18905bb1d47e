/*
 * h5writer — a thread that stores replications in a results file while
 * the caller goes on.
 *
 * The serial consumer of a batch delivers replications in order; storing
 * one (its chunks through HDF5) took most of its time, and that time
 * caps the throughput whatever the cores.  h5w_put queues an item; the
 * thread stores the items in queue order with h5o_write, then gives each
 * back through the release callback.  Every other call on the file while
 * the thread runs must be made between h5w_lock and h5w_unlock, so that
 * HDF5 and the file's handle see one call at a time.  Items are opaque:
 * the item callback says which record and which encoded chunks to store.
 *
 * Ownership: h5w_start/h5w_finish pair; the file stays the caller's.
 */
#ifndef H5WRITER_H
#define H5WRITER_H

#include "h5out.h"

typedef struct h5w h5w;

/* The record of an item and its chunks as h5o_pack encoded them (NULL:
 * to be encoded by the writer). */
typedef void (*h5w_item_fn)(void *ctx, void *item, rs_record *rec, const h5c_chunks **packed);
/* The writer is done with an item (stored, or dropped after a failure). */
typedef void (*h5w_release_fn)(void *ctx, void *item);

/* Start the thread, with room for `cap` queued items.  SIM_OK or SIM_ENOMEM. */
int h5w_start(h5w **out, h5o_file *f, long cap, h5w_item_fn item, h5w_release_fn release, void *ctx);

/* Queue an item (waits for room).  Returns the first failure of an
 * earlier write, if any (then the item is not queued). */
int h5w_put(h5w *w, void *item);

/* Around any other call on the file while the thread runs (w may be NULL). */
void h5w_lock(h5w *w);
void h5w_unlock(h5w *w);

/* Store what is queued, stop and free the thread (w may be NULL); the
 * first failure of a write, if any. */
int h5w_finish(h5w *w);

#endif
