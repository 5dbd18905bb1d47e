/*
 * buckets — items grouped by an integer key, in index order within each
 * group: a counting sort, linear in items + groups.  The network's
 * out-links by node, the plants each smelter owns, the places in each
 * cell of `anodesim generate`'s grid: each a search per group would make
 * quadratic in the network's size.
 *
 * Ownership: the caller owns both arrays.
 */
#ifndef BUCKETS_H
#define BUCKETS_H

#include <stddef.h>
#include <string.h>

/* Item i's key is the int at (const char *)key + i * stride (key may be
 * NULL when n is 0); items with a negative key are left out.  Afterwards
 * the items of group g are item[start[g] .. start[g + 1]), in index
 * order.  start: ngroups + 1 entries; item: room for every item kept. */
static inline void bucket_sort(const void *key, size_t stride, int n, int ngroups, int *start, int *item)
{
    const char *k = key;
#define BUCKET_KEY(i) (*(const int *)(const void *)(k + (size_t)(i) * stride))
    memset(start, 0, ((size_t)ngroups + 1) * sizeof *start);
    for (int i = 0; i < n; i++)
        if (BUCKET_KEY(i) >= 0)
            start[BUCKET_KEY(i) + 1]++;
    for (int g = 0; g < ngroups; g++)
        start[g + 1] += start[g];
    for (int i = 0; i < n; i++)   /* start[g] runs to the end of group g ... */
        if (BUCKET_KEY(i) >= 0)
            item[start[BUCKET_KEY(i)]++] = i;
    for (int g = ngroups; g > 0; g--)   /* ... and is put back */
        start[g] = start[g - 1];
    start[0] = 0;
#undef BUCKET_KEY
}

#endif
