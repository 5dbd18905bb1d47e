/*
 * sim_err — status codes and the per-thread error message.
 *
 * Every fallible function in anodesim returns an int status: SIM_OK (0) on
 * success, one of the codes below otherwise.  The function that detects the
 * problem writes a full sentence with sim_err_set(); callers propagate the
 * code (SIM_CHECK) and the top level prints sim_err_msg().  Nothing below
 * the command line prints to stderr.
 *
 * The message buffer is thread-local, so replications running on different
 * OpenMP threads never overwrite each other's messages.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stdatomic.h>
#include <stddef.h>

enum sim_status {
    SIM_OK = 0,
    SIM_ENOMEM,     /* allocation failed */
    SIM_EINVAL,     /* a caller broke a function's contract */
    SIM_EINPUT,     /* bad user input: scenario, table, option */
    SIM_EIO,        /* file could not be read or written */
    SIM_ENOTFOUND,  /* a handle or name that does not exist */
    SIM_EBALANCE,   /* a model invariant (mass balance) failed */
    SIM_EINTR,      /* interrupted by a signal; results are partial */
    SIM_ERUNTIME    /* any other failure while running */
};

/* Record a message (printf-style) for the current thread and return code,
 * so that `return sim_err_set(SIM_EINPUT, "...")` reads naturally. */
int sim_err_set(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "<prefix>: ", keeping the code.  Used by
 * callers that know context (a file name) the callee did not. */
int sim_err_prefix(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The last message set on this thread ("" when none).  Owned by the
 * library; valid until the next sim_err_* call on this thread. */
const char *sim_err_msg(void);

/* Copy another thread's message into this thread's buffer. */
void sim_err_copy(const char *msg);

void sim_err_clear(void);

/* Debug-build invariants (compiled out with NDEBUG, as in Release): a
 * state that must never be (an event before the clock, a negative
 * stock) stops the program with file, line and what failed, so that
 * the tests' Debug pass (scripts/test, under the sanitizers) catches a
 * wrong answer where it starts, not where a result looks odd. */
#ifndef NDEBUG
#define SIM_INVARIANT(cond, ...)                                         \
    do {                                                                 \
        if (!(cond))                                                     \
            sim_invariant_failed(__FILE__, __LINE__, #cond, __VA_ARGS__); \
    } while (0)
#else
#define SIM_INVARIANT(cond, ...) ((void)0)
#endif
_Noreturn void sim_invariant_failed(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The first failure among threads that work together: its status and
 * the message of the thread that failed (messages are thread-local).
 * sim_err_first_keep records rc and this thread's message unless a
 * failure is already recorded; sim_err_first_code reads the status (0:
 * none); sim_err_first_take returns it and, when there is one, makes its
 * message this thread's. */
typedef struct sim_err_first {
    atomic_int code;
    char msg[1024];
} sim_err_first;

void sim_err_first_init(sim_err_first *f);
void sim_err_first_keep(sim_err_first *f, int rc);
int sim_err_first_code(sim_err_first *f);
int sim_err_first_take(sim_err_first *f);

/* A short name for a status code ("bad input", "out of memory", ...). */
const char *sim_err_name(int code);

/* Process exit code for a status: 0 ok, 2 bad input, 1 anything else. */
int sim_err_exit_code(int code);

/* Propagate a non-zero status to the caller. */
#define SIM_CHECK(expr)                      \
    do {                                     \
        int sim_check_rc_ = (expr);          \
        if (sim_check_rc_ != SIM_OK)         \
            return sim_check_rc_;            \
    } while (0)

#endif
