#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

int sum_acc_init(sum_acc *a, size_t n)
{
    memset(a, 0, sizeof *a);
    a->n = n;
    a->mean = calloc(n + 1, sizeof(double));
    a->m2 = calloc(n + 1, sizeof(double));
    a->min = calloc(n + 1, sizeof(double));
    a->max = calloc(n + 1, sizeof(double));
    if (!a->mean || !a->m2 || !a->min || !a->max) {
        sum_acc_free(a);
        return sim_err_set(SIM_ENOMEM, "out of memory for %zu summary values", n);
    }
    return SIM_OK;
}

void sum_acc_free(sum_acc *a)
{
    free(a->mean);
    free(a->m2);
    free(a->min);
    free(a->max);
    memset(a, 0, sizeof *a);
}

void sum_acc_add(sum_acc *a, const double *x)
{
    a->count++;
    double k = (double)a->count;
    for (size_t i = 0; i < a->n; i++) {
        double d = x[i] - a->mean[i];
        a->mean[i] += d / k;
        a->m2[i] += d * (x[i] - a->mean[i]);
        if (a->count == 1 || x[i] < a->min[i])
            a->min[i] = x[i];
        if (a->count == 1 || x[i] > a->max[i])
            a->max[i] = x[i];
    }
}

double sum_acc_mean(const sum_acc *a, size_t i)
{
    return a->mean[i];
}

double sum_acc_sd(const sum_acc *a, size_t i)
{
    return a->count > 1 ? sqrt(a->m2[i] / (double)(a->count - 1)) : 0.0;
}
