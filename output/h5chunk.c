#include "h5chunk.h"

#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "sim_err.h"

struct h5c_coder {
    struct libdeflate_compressor *z;
    struct libdeflate_decompressor *unz;   /* made when first decoding */
    unsigned char *shuf;    /* shuffled bytes of the chunk being encoded or decoded */
    size_t shuf_cap;
};

h5c_coder *h5c_coder_new(int level)
{
    h5c_coder *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* H5Z_filter_deflate reads a zlib stream (RFC 1950); any encoder's
     * stream decodes the same, and libdeflate's level 1 is two to three
     * times faster than zlib's (measured in docs/performance.md). */
    c->z = libdeflate_alloc_compressor(level);
    if (!c->z) {
        free(c);
        return NULL;
    }
    return c;
}

void h5c_coder_free(h5c_coder *c)
{
    if (!c)
        return;
    libdeflate_free_compressor(c->z);
    if (c->unz)
        libdeflate_free_decompressor(c->unz);
    free(c->shuf);
    free(c);
}

void h5c_chunks_clear(h5c_chunks *ch)
{
    ch->n = 0;
    ch->off[0] = 0;
}

void h5c_chunks_free(h5c_chunks *ch)
{
    free(ch->data);
    memset(ch, 0, sizeof *ch);
}

static int reserve(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return SIM_OK;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    unsigned char *nb = realloc(*buf, nc);
    if (!nb)
        return sim_err_set(SIM_ENOMEM, "out of memory for a compressed chunk of %zu bytes", need);
    *buf = nb;
    *cap = nc;
    return SIM_OK;
}

/* Convert and shuffle in one pass: byte b of element i goes to
 * shuf[b * n + i] (H5Z_filter_shuffle; little-endian host as HDF5's
 * native float types are). */
static void convert_shuffled(unsigned char *shuf, const double *src, size_t n, size_t stride, int elem_size)
{
    if (elem_size == 4) {
        for (size_t i = 0; i < n; i++) {
            float v = (float)src[i * stride];
            uint32_t u;
            memcpy(&u, &v, 4);
            shuf[i] = (unsigned char)u;
            shuf[n + i] = (unsigned char)(u >> 8);
            shuf[2 * n + i] = (unsigned char)(u >> 16);
            shuf[3 * n + i] = (unsigned char)(u >> 24);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &src[i * stride], 8);
        for (int b = 0; b < 8; b++)
            shuf[(size_t)b * n + i] = (unsigned char)(u >> (8 * b));
    }
}

int h5c_encode(h5c_coder *c, const double *src, size_t n, size_t stride, int elem_size, h5c_chunks *out)
{
    if (out->n >= H5C_MAX_CHUNKS || (elem_size != 4 && elem_size != 8))
        return sim_err_set(SIM_EINVAL, "h5c_encode: %d chunks already, element size %d", out->n, elem_size);
    size_t raw = n * (size_t)elem_size;
    SIM_CHECK(reserve(&c->shuf, &c->shuf_cap, raw + 1));
    convert_shuffled(c->shuf, src, n, stride, elem_size);
    size_t at = out->off[out->n], bound = libdeflate_zlib_compress_bound(c->z, raw) + 4;
    SIM_CHECK(reserve(&out->data, &out->cap, at + bound));
    size_t len = libdeflate_zlib_compress(c->z, c->shuf, raw, out->data + at, bound - 4);
    if (len == 0)
        return sim_err_set(SIM_ERUNTIME, "libdeflate: compressed chunk larger than its bound");
    /* H5Z_filter_fletcher32 appends the checksum little-endian. */
    uint32_t sum = h5c_fletcher32(out->data + at, len);
    unsigned char *tail = out->data + at + len;
    for (int b = 0; b < 4; b++)
        tail[b] = (unsigned char)(sum >> (8 * b));
    out->off[++out->n] = at + len + 4;
    return SIM_OK;
}

int h5c_append(h5c_chunks *out, size_t len, unsigned char **at)
{
    if (out->n >= H5C_MAX_CHUNKS)
        return sim_err_set(SIM_EINVAL, "h5c_append: %d chunks already", out->n);
    size_t off = out->off[out->n];
    SIM_CHECK(reserve(&out->data, &out->cap, off + len + 1));
    out->off[++out->n] = off + len;
    *at = out->data + off;
    return SIM_OK;
}

/* The inverse of convert_shuffled. */
static void unshuffle_convert(double *dst, size_t stride, const unsigned char *shuf, size_t n, int elem_size)
{
    if (elem_size == 4) {
        for (size_t i = 0; i < n; i++) {
            uint32_t u = (uint32_t)shuf[i] | (uint32_t)shuf[n + i] << 8 | (uint32_t)shuf[2 * n + i] << 16 |
                         (uint32_t)shuf[3 * n + i] << 24;
            float v;
            memcpy(&v, &u, 4);
            dst[i * stride] = v;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u = 0;
        for (int b = 0; b < 8; b++)
            u |= (uint64_t)shuf[(size_t)b * n + i] << (8 * b);
        memcpy(&dst[i * stride], &u, 8);
    }
}

int h5c_decode(h5c_coder *c, const unsigned char *chunk, size_t len, double *dst, size_t n, size_t stride,
               int elem_size)
{
    if ((elem_size != 4 && elem_size != 8) || len < 4)
        return sim_err_set(SIM_EINPUT, "a stored chunk of %zu bytes is too short or has elements of %d bytes", len,
                           elem_size);
    uint32_t want = (uint32_t)chunk[len - 4] | (uint32_t)chunk[len - 3] << 8 | (uint32_t)chunk[len - 2] << 16 |
                    (uint32_t)chunk[len - 1] << 24;
    if (h5c_fletcher32(chunk, len - 4) != want)
        return sim_err_set(SIM_EINPUT, "a stored chunk fails its Fletcher-32 checksum (the file is damaged)");
    if (!c->unz && !(c->unz = libdeflate_alloc_decompressor()))
        return sim_err_set(SIM_ENOMEM, "out of memory for a decompressor");
    size_t raw = n * (size_t)elem_size, got = 0;
    SIM_CHECK(reserve(&c->shuf, &c->shuf_cap, raw + 1));
    if (libdeflate_zlib_decompress(c->unz, chunk, len - 4, c->shuf, raw, &got) != LIBDEFLATE_SUCCESS || got != raw)
        return sim_err_set(SIM_EINPUT, "a stored chunk does not inflate to its %zu bytes (the file is damaged)", raw);
    unshuffle_convert(dst, stride, c->shuf, n, elem_size);
    return SIM_OK;
}

uint32_t h5c_fletcher32(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t words = len / 2;
    uint32_t s1 = 0, s2 = 0;
    while (words) {   /* 360 sums fit in 32 bits before folding */
        size_t t = words > 360 ? 360 : words;
        words -= t;
        do {
            s1 += (uint32_t)(p[0] << 8 | p[1]);
            p += 2;
            s2 += s1;
        } while (--t);
        s1 = (s1 & 0xffff) + (s1 >> 16);
        s2 = (s2 & 0xffff) + (s2 >> 16);
    }
    if (len % 2) {
        s1 += (uint32_t)(p[0] << 8);
        s2 += s1;
        s1 = (s1 & 0xffff) + (s1 >> 16);
        s2 = (s2 & 0xffff) + (s2 >> 16);
    }
    s1 = (s1 & 0xffff) + (s1 >> 16);
    s2 = (s2 & 0xffff) + (s2 >> 16);
    return s2 << 16 | s1;
}
