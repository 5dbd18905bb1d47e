#include "h5writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "sim_err.h"

struct h5w {
    h5o_file *f;
    pthread_t th;
    pthread_mutex_t mu;       /* the queue */
    pthread_mutex_t file;     /* every call on f */
    pthread_cond_t more, room;
    void **q;
    long cap, head, n;
    int stop;
    atomic_int bad;           /* a write failed: take no more */
    sim_err_first failed;
    h5w_item_fn item;
    h5w_release_fn release;
    void *ctx;
};

static void *writer_main(void *arg)
{
    h5w *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->n == 0 && !w->stop)
            pthread_cond_wait(&w->more, &w->mu);
        if (w->n == 0) {   /* (stopped, and nothing left) */
            pthread_mutex_unlock(&w->mu);
            return NULL;
        }
        void *it = w->q[w->head];
        w->head = (w->head + 1) % w->cap;
        w->n--;
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->mu);
        if (!atomic_load(&w->bad)) {
            rs_record rec;
            const h5c_chunks *packed = NULL;
            w->item(w->ctx, it, &rec, &packed);
            pthread_mutex_lock(&w->file);
            int rc = h5o_write(w->f, &rec, packed);
            pthread_mutex_unlock(&w->file);
            if (rc != SIM_OK) {
                sim_err_first_keep(&w->failed, rc);
                atomic_store(&w->bad, 1);
            }
        }
        w->release(w->ctx, it);
    }
}

static void writer_free(h5w *w)
{
    pthread_cond_destroy(&w->more);
    pthread_cond_destroy(&w->room);
    pthread_mutex_destroy(&w->mu);
    pthread_mutex_destroy(&w->file);
    free(w->q);
    free(w);
}

int h5w_start(h5w **out, h5o_file *f, long cap, h5w_item_fn item, h5w_release_fn release, void *ctx)
{
    *out = NULL;
    h5w *w = calloc(1, sizeof *w);
    if (!w || !(w->q = calloc((size_t)cap, sizeof *w->q))) {
        free(w);
        return sim_err_set(SIM_ENOMEM, "out of memory for the writer thread");
    }
    w->f = f;
    w->cap = cap;
    w->item = item;
    w->release = release;
    w->ctx = ctx;
    atomic_init(&w->bad, 0);
    sim_err_first_init(&w->failed);
    pthread_mutex_init(&w->mu, NULL);
    pthread_mutex_init(&w->file, NULL);
    pthread_cond_init(&w->more, NULL);
    pthread_cond_init(&w->room, NULL);
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        writer_free(w);
        return sim_err_set(SIM_ENOMEM, "cannot start the writer thread");
    }
    *out = w;
    return SIM_OK;
}

int h5w_put(h5w *w, void *item)
{
    if (atomic_load(&w->bad))
        return sim_err_first_take(&w->failed);
    pthread_mutex_lock(&w->mu);
    while (w->n == w->cap)
        pthread_cond_wait(&w->room, &w->mu);
    w->q[(w->head + w->n) % w->cap] = item;
    w->n++;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->mu);
    return SIM_OK;
}

void h5w_lock(h5w *w)
{
    if (w)
        pthread_mutex_lock(&w->file);
}

void h5w_unlock(h5w *w)
{
    if (w)
        pthread_mutex_unlock(&w->file);
}

int h5w_finish(h5w *w)
{
    if (!w)
        return SIM_OK;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    int rc = atomic_load(&w->bad) ? sim_err_first_take(&w->failed) : SIM_OK;
    writer_free(w);
    return rc;
}
