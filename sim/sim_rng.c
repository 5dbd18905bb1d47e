#include "sim_rng.h"

#include <math.h>
#include <string.h>
#include <pthread.h>

/* Keys are 64-bit and pass through gsl_rng_set as unsigned long. */
_Static_assert(sizeof(unsigned long) >= 8, "unsigned long must hold 64 bits");

typedef struct {
    uint64_t s[4];
} xoshiro_state;

uint64_t sim_rng_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sim_rng_key(uint64_t seed, uint64_t point, uint64_t rep,
                     uint64_t stream)
{
    return sim_rng_mix(sim_rng_mix(sim_rng_mix(sim_rng_mix(seed) ^ point) ^ rep)
                       ^ stream);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t xo_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void zig_setup(void);
static void zign_setup(void);
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void expt_setup(void);

static void zig_setup_all(void)
{
    zig_setup();
    zign_setup();
    expt_setup();
}

static void xo_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    /* gsl_rng_alloc seeds every new generator, so the tables are ready
     * before any generator of this type can draw. */
    pthread_once(&zig_once, zig_setup_all);
    uint64_t z = (uint64_t)seed;
    /* SplitMix64 sequence from the key; never all zero. */
    for (int i = 0; i < 4; i++) {
        z += 0x9e3779b97f4a7c15ULL;
        uint64_t x = z;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        st->s[i] = x ^ (x >> 31);
    }
}

static unsigned long xo_get(void *vstate)
{
    return (unsigned long)(xo_next(vstate) >> 32);
}

/* Uniform on [0, 1) from the top 53 bits, and on (0, 1). */
static double xo_uniform(xoshiro_state *st)
{
    return (double)(xo_next(st) >> 11) * 0x1.0p-53;
}

static double xo_uniform_pos(xoshiro_state *st)
{
    double u;
    do {
        u = xo_uniform(st);
    } while (u == 0.0);
    return u;
}

static double xo_get_double(void *vstate)
{
    return xo_uniform(vstate);
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    &xo_set, &xo_get, &xo_get_double
};

const gsl_rng_type *sim_rng_xoshiro = &xoshiro_type;

gsl_rng *sim_rng_alloc(uint64_t seed, uint64_t point, uint64_t rep,
                       uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(sim_rng_xoshiro);
    if (r)
        gsl_rng_set(r, (unsigned long)sim_rng_key(seed, point, rep, stream));
    return r;
}

_Static_assert(sizeof(sim_rng_state) == sizeof(xoshiro_state), "bare state size");

void sim_rng_state_seed(sim_rng_state *st, uint64_t seed, uint64_t point, uint64_t rep,
                        uint64_t stream)
{
    /* What gsl_rng_set does for a gsl_rng (xo_set also sets the tables up). */
    xo_set((xoshiro_state *)st, (unsigned long)sim_rng_key(seed, point, rep, stream));
}

void sim_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t point, uint64_t rep,
                    uint64_t stream)
{
    gsl_rng_set(r, (unsigned long)sim_rng_key(seed, point, rep, stream));
}

double sim_rng_uniform_pos(gsl_rng *r)
{
    return xo_uniform_pos(r->state);
}

/*
 * Exponential variates by the ziggurat method (Marsaglia & Tsang 2000,
 * "The Ziggurat Method for Generating Random Variables", J. Stat. Softw.
 * 5(8)), with 256 layers.  Unlike their 32-bit version, the layer index
 * (low 8 bits) and the abscissa (top 53 bits) come from disjoint bits of
 * one 64-bit draw, which avoids the index/value correlation Doornik (2005)
 * pointed out.  About 98.9 % of draws cost one multiply and one compare;
 * the rest fall back to exact rejection with exp() or, in the tail, log().
 */
#define ZIG_N 256
#define ZIG_R 7.69711747013104972      /* start of the tail */
#define ZIG_V 3.949659822581572e-3     /* area of each layer */
#define ZIG_M 9007199254740992.0       /* 2^53 */

static uint64_t zig_k[ZIG_N];
static double zig_w[ZIG_N], zig_f[ZIG_N];
static void zig_setup(void)
{
    double de = ZIG_R, te = ZIG_R;
    double q = ZIG_V / exp(-de);
    zig_k[0] = (uint64_t)((de / q) * ZIG_M);
    zig_k[1] = 0;
    zig_w[0] = q / ZIG_M;
    zig_w[ZIG_N - 1] = de / ZIG_M;
    zig_f[0] = 1.0;
    zig_f[ZIG_N - 1] = exp(-de);
    for (int i = ZIG_N - 2; i >= 1; i--) {
        de = -log(ZIG_V / de + exp(-de));
        zig_k[i + 1] = (uint64_t)((de / te) * ZIG_M);
        te = de;
        zig_f[i] = exp(-de);
        zig_w[i] = de / ZIG_M;
    }
}

static double zig_exp_slow(xoshiro_state *st, uint64_t jz, unsigned iz)
{
    for (;;) {
        if (iz == 0)
            return ZIG_R - log(xo_uniform_pos(st));
        double x = (double)jz * zig_w[iz];
        double u = xo_uniform(st);
        if (zig_f[iz] + u * (zig_f[iz - 1] - zig_f[iz]) < exp(-x))
            return x;
        uint64_t b = xo_next(st);
        iz = (unsigned)(b & 0xff);
        jz = b >> 11;
        if (jz < zig_k[iz])
            return (double)jz * zig_w[iz];
    }
}

double sim_rng_exponential(gsl_rng *r, double mean)
{
    xoshiro_state *st = r->state;
    uint64_t b = xo_next(st);
    unsigned iz = (unsigned)(b & 0xff);
    uint64_t jz = b >> 11;
    if (jz < zig_k[iz])
        return mean * ((double)jz * zig_w[iz]);
    return mean * zig_exp_slow(st, jz, iz);
}

/*
 * Standard normal variates by the ziggurat method (Marsaglia & Tsang
 * 2000), 128 layers, with the same use of one 64-bit draw as above: layer
 * (low 7 bits), sign (bit 7) and abscissa (top 53 bits) from disjoint
 * bits.  About 98.8 % of draws cost one multiply and one compare; the
 * rest reject exactly against exp(-x^2 / 2), or sample the tail beyond
 * ZIGN_R by Marsaglia's method.  Replaces gsl_ran_gaussian_ziggurat on
 * hot paths: that one reaches the generator through two function
 * pointers per draw and keeps 24 bits of the abscissa.
 */
#define ZIGN_N 128
#define ZIGN_R 3.442619855899          /* start of the tail */
#define ZIGN_V 9.91256303526217e-3     /* area of each layer */

static uint64_t zign_k[ZIGN_N];
static double zign_w[ZIGN_N], zign_f[ZIGN_N];
static void zign_setup(void)
{
    double dn = ZIGN_R, tn = dn;
    double q = ZIGN_V / exp(-0.5 * dn * dn);
    zign_k[0] = (uint64_t)((dn / q) * ZIG_M);
    zign_k[1] = 0;
    zign_w[0] = q / ZIG_M;
    zign_w[ZIGN_N - 1] = dn / ZIG_M;
    zign_f[0] = 1.0;
    zign_f[ZIGN_N - 1] = exp(-0.5 * dn * dn);
    for (int i = ZIGN_N - 2; i >= 1; i--) {
        dn = sqrt(-2.0 * log(ZIGN_V / dn + exp(-0.5 * dn * dn)));
        zign_k[i + 1] = (uint64_t)((dn / tn) * ZIG_M);
        tn = dn;
        zign_f[i] = exp(-0.5 * dn * dn);
        zign_w[i] = dn / ZIG_M;
    }
}

/* |z| for a draw that missed its layer's rectangle. */
static double zign_slow(xoshiro_state *st, uint64_t jz, unsigned iz)
{
    for (;;) {
        if (iz == 0) {   /* the tail beyond ZIGN_R */
            double x, y;
            do {
                x = -log(xo_uniform_pos(st)) / ZIGN_R;
                y = -log(xo_uniform_pos(st));
            } while (y + y < x * x);
            return ZIGN_R + x;
        }
        double x = (double)jz * zign_w[iz];
        double u = xo_uniform(st);
        if (zign_f[iz] + u * (zign_f[iz - 1] - zign_f[iz]) < exp(-0.5 * x * x))
            return x;
        uint64_t b = xo_next(st);
        iz = (unsigned)(b & 0x7f);
        jz = b >> 11;
        if (jz < zign_k[iz])
            return (double)jz * zign_w[iz];
    }
}

static inline double gaussian(xoshiro_state *st)
{
    uint64_t b = xo_next(st);
    unsigned iz = (unsigned)(b & 0x7f);
    uint64_t jz = b >> 11;
    double x = jz < zign_k[iz] ? (double)jz * zign_w[iz] : zign_slow(st, jz, iz);
    return (b & 0x80) ? -x : x;
}

double sim_rng_gaussian(gsl_rng *r)
{
    return gaussian(r->state);
}

/*
 * e^x for lognormal variates (Tang's table method, as in ARM's optimized
 * routines and glibc): x = k ln2 / 64 + r with |r| <= ln2 / 128, e^x =
 * 2^(k / 64) e^r, 2^(j / 64) from a table, e^r by its Taylor series to
 * r^5 (truncation below 1e-17).  At most about one unit in the last place
 * from the correctly rounded value (test_rng compares it with libm), and
 * inline: libm's exp was 5 % of a replication's simulation.  Outside
 * |x| < 700 it defers to libm.
 */
#define EXPT_BITS 6
#define EXPT_N (1 << EXPT_BITS)
static uint64_t expt_bits[EXPT_N];   /* bits of 2^(j / 64), less j << 46 (see below) */

static void expt_setup(void)
{
    for (int j = 0; j < EXPT_N; j++) {
        double v = exp2((double)j / EXPT_N);
        uint64_t u;
        memcpy(&u, &v, 8);
        expt_bits[j] = u - ((uint64_t)j << (52 - EXPT_BITS));
    }
}

static double exp_inline(double x)
{
    if (!(fabs(x) < 700.0))
        return exp(x);
    /* ln2 / 64 in two parts, the first with 16 trailing zero bits so that
     * k times it is exact (Cody and Waite). */
    const double shift = 0x1.8p52, inv = 0x1.71547652b82fep6;   /* 64 / ln2 */
    const double ln2hi = 0x1.62e42fefa0000p-7, ln2lo = 0x1.cf79abc9e3b3ap-46;
    double kd = x * inv + shift;   /* k = x * 64 / ln2 rounded, in the low bits */
    uint64_t ki;
    memcpy(&ki, &kd, 8);
    kd -= shift;
    double r = x - kd * ln2hi - kd * ln2lo;
    /* 2^(k / 64) = 2^(j / 64) 2^(k >> 6), j = k & 63: the table entry plus
     * k << 46 puts k >> 6 in the exponent (the table took j << 46 off). */
    uint64_t sbits = expt_bits[ki & (EXPT_N - 1)] + (ki << (52 - EXPT_BITS));
    double scale;
    memcpy(&scale, &sbits, 8);
    double r2 = r * r;
    double p = r + r2 * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))));
    return scale + scale * p;
}

double sim_rng_state_lognormal(sim_rng_state *st, double sigma, double mu)
{
    return exp_inline(mu + sigma * gaussian((xoshiro_state *)st));
}

double sim_rng_exp(double x)
{
    /* The table is otherwise set up with the first generator seeded,
     * which sim_rng_state_lognormal's callers always have; this one may
     * come first. */
    pthread_once(&zig_once, zig_setup_all);
    return exp_inline(x);
}
