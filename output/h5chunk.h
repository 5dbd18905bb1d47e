/*
 * h5chunk — HDF5 chunks encoded without HDF5: values converted to 32- or
 * 64-bit floats, then the shuffle, deflate and Fletcher-32 filters applied
 * byte for byte as HDF5's own filters would (H5Z_filter_shuffle,
 * H5Z_filter_deflate, H5Z_filter_fletcher32), so that H5Dwrite_chunk can
 * store them and any HDF5 or netCDF reader decodes them.
 *
 * Why: HDF5 is not thread-safe, so chunks it compresses are compressed in
 * the one thread that writes.  Encoding here runs in the worker threads,
 * next to the simulation, and the writer only appends bytes.
 *
 * Ownership: h5c_coder_new/h5c_coder_free pair (one coder per thread);
 * h5c_chunks are caller-owned, released with h5c_chunks_free.
 */
#ifndef H5CHUNK_H
#define H5CHUNK_H

#include <stddef.h>
#include <stdint.h>

typedef struct h5c_coder h5c_coder;

/* Encoded chunks of one replication, back to back in `data`. */
#define H5C_MAX_CHUNKS 64
typedef struct h5c_chunks {
    int n;
    size_t off[H5C_MAX_CHUNKS + 1];   /* chunk i is data[off[i] .. off[i+1]) */
    unsigned char *data;
    size_t cap;
} h5c_chunks;

/* A coder for deflate level `level` (1-9).  NULL when out of memory. */
h5c_coder *h5c_coder_new(int level);
void h5c_coder_free(h5c_coder *c);

/* Append one chunk to `out`: the n values src[0], src[stride], ...
 * stored as float (elem_size 4; callers round beforehand if exactness
 * matters) or double (elem_size 8), shuffled, deflated and checksummed.
 * Returns SIM_OK, SIM_ENOMEM or SIM_EINVAL (too many chunks, bad size). */
int h5c_encode(h5c_coder *c, const double *src, size_t n, size_t stride, int elem_size, h5c_chunks *out);

/* Decode a chunk as h5c_encode (or HDF5's shuffle, deflate and
 * Fletcher-32 filters) stored it: the n values, of elem_size bytes in the
 * chunk, go to dst[0], dst[stride], ...  SIM_EINPUT when the checksum,
 * the stream or the size is wrong, SIM_ENOMEM. */
int h5c_decode(h5c_coder *c, const unsigned char *chunk, size_t len, double *dst, size_t n, size_t stride,
               int elem_size);

/* Room for one more chunk of len bytes at the end of `out`, counted as
 * its next chunk, at *at (for the caller to fill).  Returns SIM_OK,
 * SIM_ENOMEM or SIM_EINVAL (full). */
int h5c_append(h5c_chunks *out, size_t len, unsigned char **at);

void h5c_chunks_clear(h5c_chunks *ch);
void h5c_chunks_free(h5c_chunks *ch);

/* HDF5's Fletcher-32 checksum (H5_checksum_fletcher32). */
uint32_t h5c_fletcher32(const void *data, size_t len);

#endif
