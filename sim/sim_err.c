#include "sim_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_ERR_LEN 1024

static _Thread_local char err_buf[SIM_ERR_LEN];

int sim_err_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    return code;
}

int sim_err_prefix(int code, const char *fmt, ...)
{
    char old[SIM_ERR_LEN], pre[SIM_ERR_LEN];
    va_list ap;
    memcpy(old, err_buf, sizeof old);
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    /* Truncation of very long messages is acceptable; say so to gcc. */
    size_t n = strnlen(pre, SIM_ERR_LEN - 3);
    memcpy(err_buf, pre, n);
    memcpy(err_buf + n, ": ", 2);
    size_t room = SIM_ERR_LEN - n - 3;
    size_t m = strnlen(old, room);
    memcpy(err_buf + n + 2, old, m);
    err_buf[n + 2 + m] = '\0';
    return code;
}

const char *sim_err_msg(void) { return err_buf; }

void sim_err_copy(const char *msg)
{
    if (msg != err_buf)
        snprintf(err_buf, sizeof err_buf, "%s", msg);
}

void sim_err_clear(void) { err_buf[0] = '\0'; }

void sim_err_first_init(sim_err_first *f)
{
    atomic_init(&f->code, 0);
    f->msg[0] = '\0';
}

void sim_err_first_keep(sim_err_first *f, int rc)
{
    int expected = 0;
    if (atomic_compare_exchange_strong(&f->code, &expected, rc))
        snprintf(f->msg, sizeof f->msg, "%s", err_buf);
}

int sim_err_first_code(sim_err_first *f)
{
    return atomic_load(&f->code);
}

int sim_err_first_take(sim_err_first *f)
{
    int rc = atomic_load(&f->code);
    if (rc != SIM_OK)
        sim_err_copy(f->msg);
    return rc;
}

const char *sim_err_name(int code)
{
    switch (code) {
    case SIM_OK: return "ok";
    case SIM_ENOMEM: return "out of memory";
    case SIM_EINVAL: return "invalid argument";
    case SIM_EINPUT: return "bad input";
    case SIM_EIO: return "input/output error";
    case SIM_ENOTFOUND: return "not found";
    case SIM_EBALANCE: return "mass balance violated";
    case SIM_EINTR: return "interrupted";
    default: return "runtime failure";
    }
}

int sim_err_exit_code(int code)
{
    if (code == SIM_OK)
        return 0;
    return code == SIM_EINPUT ? 2 : 1;
}

_Noreturn void sim_invariant_failed(const char *file, int line, const char *cond, const char *fmt, ...)
{
    fprintf(stderr, "anodesim: invariant failed at %s:%d: %s: ", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
