/*
 * summary — statistics across replications, accumulated as replications
 * stream in (Welford's algorithm): memory is one mean and one sum of
 * squares per value, whatever the number of replications.
 *
 * Ownership: sum_acc_init/sum_acc_free pair.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stddef.h>

typedef struct sum_acc {
    size_t n;        /* values per replication */
    long count;      /* replications added */
    double *mean, *m2, *min, *max;
} sum_acc;

int sum_acc_init(sum_acc *a, size_t n);
void sum_acc_free(sum_acc *a);

/* Add one replication's values x[0..n). */
void sum_acc_add(sum_acc *a, const double *x);

double sum_acc_mean(const sum_acc *a, size_t i);
/* Sample standard deviation; 0 with fewer than two replications. */
double sum_acc_sd(const sum_acc *a, size_t i);

#endif
