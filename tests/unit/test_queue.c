/* The pending-event set against a reference: 10^6 random operations (push,
 * pop, cancel) with many ties in time and priority, events near and far,
 * and time scales that change; every pop must return exactly the event a
 * sorted reference would. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "sim_err.h"
#include "sim_queue.h"
#include "sim_rng.h"

typedef struct {
    double time;
    int prio;
    long id;       /* insertion order, the tie-breaker */
    sim_handle h;
    int live;
} ref_ev;

/* Linear scan for the reference minimum: slow but obviously right. */
static long ref_min(const ref_ev *r, long n)
{
    long best = -1;
    for (long i = 0; i < n; i++) {
        if (!r[i].live)
            continue;
        if (best < 0 || r[i].time < r[best].time ||
            (r[i].time == r[best].time &&
             (r[i].prio < r[best].prio ||
              (r[i].prio == r[best].prio && r[i].id < r[best].id))))
            best = i;
    }
    return best;
}

/* Debug builds: a failed invariant stops the process (SIGABRT) with
 * file, line and message; Release builds compile the checks out. */
static void invariants(void)
{
#ifndef NDEBUG
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, 2);
        double stock = -1.0;
        SIM_INVARIANT(stock >= 0, "stock %g t", stock);
        _exit(0);
    }
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
#else
    SIM_INVARIANT(0, "compiled out");
#endif
}

int main(void)
{
    invariants();
    const long nops = 1000000;
    sim_queue q;
    CHECK(sim_queue_init(&q, 0) == SIM_OK);
    gsl_rng *rng = sim_rng_alloc(42, 0, 0, 0);
    ref_ev *ref = calloc((size_t)nops, sizeof *ref);
    long *live_idx = malloc((size_t)nops * sizeof *live_idx);
    long nref = 0, nlive = 0, pops = 0, cancels = 0, mismatches = 0;
    double now = 0.0;
    /* live_idx holds the live reference entries, compacted lazily. */
    for (long op = 0; op < nops; op++) {
        unsigned long u = gsl_rng_uniform_int(rng, 100);
        /* Keep the pending set small enough for the linear reference. */
        if (nlive > 400)
            u = 70;
        if (u < 55 || nlive == 0) {
            ref_ev *e = &ref[nref];
            /* Coarse times and priorities make ties frequent; some events
             * far ahead (beyond the calendar's ring), and time scales that
             * change by phase, so that bucket widths must adapt. */
            double scale = op < nops / 3 ? 1.0 : op < 2 * nops / 3 ? 1e-3 : 50.0;
            unsigned long kind = gsl_rng_uniform_int(rng, 20);
            double ahead = kind < 12   ? (double)gsl_rng_uniform_int(rng, 20)
                           : kind < 16 ? gsl_rng_uniform(rng)
                           : kind < 19 ? 2000.0 * gsl_rng_uniform(rng)
                                       : 1e6 * gsl_rng_uniform(rng);
            e->time = now + scale * ahead;
            e->prio = (int)gsl_rng_uniform_int(rng, 3);
            e->id = nref;
            e->live = 1;
            sim_event ev = { .time = e->time, .prio = e->prio, .target = (int32_t)nref };
            CHECK(sim_queue_push(&q, &ev, &e->h) == SIM_OK);
            live_idx[nlive++] = nref++;
        } else if (u < 85) {
            long want = -1;
            /* reference minimum among live entries */
            double bt = 0;
            int bp = 0;
            long bid = 0, bpos = -1;
            for (long k = 0; k < nlive; k++) {
                ref_ev *e = &ref[live_idx[k]];
                if (bpos < 0 || e->time < bt ||
                    (e->time == bt && (e->prio < bp || (e->prio == bp && e->id < bid)))) {
                    bt = e->time; bp = e->prio; bid = e->id; bpos = k;
                }
            }
            want = live_idx[bpos];
            sim_event out;
            CHECK(sim_queue_pop(&q, &out) == 1);
            if (out.target != want)
                mismatches++;
            now = out.time;
            ref[want].live = 0;
            live_idx[bpos] = live_idx[--nlive];
            pops++;
        } else {
            long k = (long)gsl_rng_uniform_int(rng, (unsigned long)nlive);
            ref_ev *e = &ref[live_idx[k]];
            CHECK(sim_queue_cancel(&q, e->h) == SIM_OK);
            /* A second cancel of the same handle is stale. */
            CHECK(sim_queue_cancel(&q, e->h) == SIM_ENOTFOUND);
            e->live = 0;
            live_idx[k] = live_idx[--nlive];
            cancels++;
        }
        CHECK(sim_queue_size(&q) == (size_t)nlive);
    }
    /* Drain: the rest must also come out in reference order. */
    while (nlive > 0) {
        long want = ref_min(ref, nref);
        sim_event out;
        CHECK(sim_queue_pop(&q, &out) == 1);
        if (out.target != want)
            mismatches++;
        ref[want].live = 0;
        nlive--;
    }
    sim_event out;
    CHECK(sim_queue_pop(&q, &out) == 0);
    CHECK_MSG(mismatches == 0, "%ld pops out of order", mismatches);
    CHECK(pops > 200000 && cancels > 100000);
    /* A handle of a popped event is stale; the null handle too. */
    CHECK(sim_queue_cancel(&q, ref[0].h) == SIM_ENOTFOUND);
    CHECK(sim_queue_cancel(&q, SIM_HANDLE_NONE) == SIM_ENOTFOUND);
    printf("pushes %ld, pops %ld, cancels %ld\n", nref, pops, cancels);

    /* After clear the queue behaves as new: same order for same input. */
    sim_queue_clear(&q);
    for (int i = 0; i < 5; i++) {
        sim_event ev = { .time = 1.0, .prio = 0, .target = i };
        CHECK(sim_queue_push(&q, &ev, NULL) == SIM_OK);
    }
    for (int i = 0; i < 5; i++) {
        CHECK(sim_queue_pop(&q, &out) == 1);
        CHECK(out.target == i);
    }
    free(ref);
    free(live_idx);
    gsl_rng_free(rng);
    sim_queue_destroy(&q);
    return check_done("test_queue");
}
