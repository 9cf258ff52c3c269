// pg bench's workloads written in plain C, as a careful C programmer would: the C side of
// scripts/bench-peers.sh. Double precision and SplitMix64 streams, as pg; no allocation in the
// timed loops. What each workload computes is pg bench's (Sources/PGCommand/BenchCommand+Rows.swift):
//
//   bandit      bandit10 (q* ~ N(0,1) drawn once, rewards ~ N(q*,1)), tabular softmax policy,
//               REINFORCE with an exponential-moving-average baseline (decay 0.9, started at the
//               first batch's mean), 1024 samples per update, SGD lr 0.01          -> samples/s
//   single      Sutton & Barto's gradient bandit (q* ~ N(4,1)): one sample per update, SGD
//               lr 0.1, running-mean baseline including the current reward, one learner
//                                                                                  -> updates/s
//   figure      Sutton & Barto's Figure 2.5: alpha 0.1 and 0.4, with and without the baseline,
//               2000 runs x 1000 steps each (runs split over the threads)         -> seconds
//   frozenlake  FrozenLake 8x8 slippery (read from envs/FrozenLake-v1-8x8.txt: success rate
//               1/3, the two other outcomes perpendicular, time limit 200), tabular softmax,
//               REINFORCE + EMA baseline, 1024 episodes per update, SGD lr 1e-9 (the policy
//               stays uniform)                                     -> steps actually taken/s
//   gumbel      straight-through Gumbel-softmax: per draw 10 Gumbel perturbations, the
//               relaxed sample y = softmax(logits + g) (tau 1), the hard sample argmax, and the
//               gradient of f(x) = -sum_k (x_k - k/10)^2 at the hard sample back through y;
//               1024 draws per update, SGD lr 0.01                                 -> draws/s
//
// Build: gcc -O3 -march=native -fopenmp c_workloads.c -lm -o c_workloads
//        (add -ffast-math for vectorised log/exp: scripts/bench-peers.sh does for gumbel)
// Run:   OMP_NUM_THREADS=1 ./c_workloads WORKLOAD [--seconds S] [--map FILE]
// Prints one JSON line: {"peer": "c", "workload": ..., "threads": ..., "value": ..., "unit": ...}.
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARMS 10
#define BATCH 1024
#define MAX_THREADS 64

static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// ------------------------------------------------------------------ random numbers
// SplitMix64 (Steele, Lea & Flood 2014): one stream per thread or run.
typedef struct { uint64_t state; } Stream;

static inline uint64_t stream_next(Stream *s) {
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// In [0, 1), 53 random bits.
static inline double stream_uniform(Stream *s) { return (double)(stream_next(s) >> 11) * (1.0 / 9007199254740992.0); }

// In (0, 1): never 0 or 1, so that log(u) and log(-log(u)) are finite.
static inline double stream_open_uniform(Stream *s) {
    return ((double)(stream_next(s) >> 12) + 0.5) * (1.0 / 4503599627370496.0);
}

// Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000) with 128 layers, the
// number pg uses (256 layers take about 6% fewer cycles per bandit sample here).
#define LAYERS 128
static const double ZIG_R = 3.442619855899, ZIG_AREA = 9.91256303526217e-3;
static double zig_edge[LAYERS + 1], zig_height[LAYERS + 1];

static void ziggurat_setup(void) {
    double f = exp(-0.5 * ZIG_R * ZIG_R);
    zig_edge[0] = ZIG_AREA / f;  // the base layer's equivalent width (it includes the tail)
    zig_edge[1] = ZIG_R;
    for (int i = 2; i < LAYERS; i++) {
        zig_edge[i] = sqrt(-2.0 * log(ZIG_AREA / zig_edge[i - 1] + f));
        f = exp(-0.5 * zig_edge[i] * zig_edge[i]);
    }
    zig_edge[LAYERS] = 0;
    for (int i = 0; i <= LAYERS; i++) zig_height[i] = exp(-0.5 * zig_edge[i] * zig_edge[i]);
}

static double normal_rare(Stream *s, int layer, double x) {
    for (;;) {
        if (layer == 0) {  // the tail beyond R (Marsaglia 1964)
            double a, b;
            do {
                a = -log(stream_open_uniform(s)) / ZIG_R;
                b = -log(stream_open_uniform(s));
            } while (b + b < a * a);
            return x < 0 ? -(ZIG_R + a) : ZIG_R + a;
        }
        double y = zig_height[layer] + stream_uniform(s) * (zig_height[layer + 1] - zig_height[layer]);
        if (y < exp(-0.5 * x * x)) return x;
        uint64_t bits = stream_next(s);
        layer = (int)(bits & (LAYERS - 1));
        x = ((double)(bits >> 11) * (1.0 / 4503599627370496.0) - 1.0) * zig_edge[layer];  // in (-edge, edge)
        if (fabs(x) < zig_edge[layer + 1]) return x;
    }
}

static inline double stream_normal(Stream *s) {
    uint64_t bits = stream_next(s);
    int layer = (int)(bits & (LAYERS - 1));
    double x = ((double)(bits >> 11) * (1.0 / 4503599627370496.0) - 1.0) * zig_edge[layer];
    if (__builtin_expect(fabs(x) < zig_edge[layer + 1], 1)) return x;
    return normal_rare(s, layer, x);
}

// ------------------------------------------------------------------ the policy
// p = softmax(logits), cumulative[k] = p[0] + ... + p[k] with cumulative[n-1] = 1 exactly.
static void softmax_with_cumulative(const double *logits, int n, double *p, double *cumulative) {
    double top = logits[0];
    for (int k = 1; k < n; k++) top = logits[k] > top ? logits[k] : top;
    double sum = 0;
    for (int k = 0; k < n; k++) sum += (p[k] = exp(logits[k] - top));
    double running = 0, scale = 1 / sum;
    for (int k = 0; k < n; k++) {
        p[k] *= scale;
        cumulative[k] = (running += p[k]);
    }
    cumulative[n - 1] = 1;
}

// The action whose cumulative interval holds u (inverse CDF), without branches.
static inline int sample_action(const double *cumulative, int n, double u) {
    int a = 0;
    for (int k = 0; k < n - 1; k++) a += u >= cumulative[k];
    return a;
}

static volatile double keep;  // results the compiler must not discard

// ------------------------------------------------------------------ bandit: batches of 1024
static long run_bandit(double budget, double *elapsed) {
    Stream setup = {2024};
    double q[ARMS], logits[ARMS] = {0}, p[ARMS], cumulative[ARMS];
    for (int k = 0; k < ARMS; k++) q[k] = stream_normal(&setup);
    double baseline = 0;
    int seen = 0, threads = omp_get_max_threads();
    Stream streams[MAX_THREADS];
    for (int t = 0; t < threads; t++) streams[t].state = 7919u * (uint64_t)(t + 1);
    long samples = 0;
    double start = seconds_now();
    do {
        for (int rep = 0; rep < 64; rep++) {
            softmax_with_cumulative(logits, ARMS, p, cumulative);
            double signal[ARMS] = {0}, signal_sum = 0, reward_sum = 0;
            #pragma omp parallel reduction(+ : signal_sum, reward_sum) reduction(+ : signal[:ARMS])
            {
                Stream *s = &streams[omp_get_thread_num()];
                #pragma omp for schedule(static)
                for (int i = 0; i < BATCH; i++) {
                    int a = sample_action(cumulative, ARMS, stream_uniform(s));
                    double r = q[a] + stream_normal(s);
                    signal[a] += r - baseline;
                    signal_sum += r - baseline;
                    reward_sum += r;
                }
            }
            // REINFORCE for a tabular softmax: sum_i (r_i - b)(e_{a_i} - p), averaged.
            for (int k = 0; k < ARMS; k++) logits[k] += 0.01 * (signal[k] - p[k] * signal_sum) / BATCH;
            double mean = reward_sum / BATCH;
            baseline = seen ? 0.9 * baseline + 0.1 * mean : mean;
            seen = 1;
            samples += BATCH;
        }
    } while (seconds_now() - start < budget);
    *elapsed = seconds_now() - start;
    keep = logits[0];
    return samples;
}

// ------------------------------------------------------------------ the gradient bandit
// One learner of Sutton & Barto's section 2.8 for `steps` steps; returns how often it chose
// the best arm.
static long gradient_bandit(Stream *s, double alpha, int with_baseline, int steps) {
    double q[ARMS], h[ARMS] = {0}, p[ARMS], cumulative[ARMS], mean_reward = 0;
    int best = 0;
    for (int k = 0; k < ARMS; k++) {
        q[k] = 4 + stream_normal(s);
        if (q[k] > q[best]) best = k;
    }
    long optimal = 0;
    for (int t = 1; t <= steps; t++) {
        softmax_with_cumulative(h, ARMS, p, cumulative);
        int a = sample_action(cumulative, ARMS, stream_uniform(s));
        double r = q[a] + stream_normal(s);
        mean_reward += (r - mean_reward) / t;  // R-bar including the current reward (the book's code)
        double step = alpha * (r - (with_baseline ? mean_reward : 0));
        for (int k = 0; k < ARMS; k++) h[k] -= step * p[k];
        h[a] += step;
        optimal += a == best;
    }
    return optimal;
}

static long run_single(double budget, double *elapsed) {
    Stream s = {99};
    long updates = 0, optimal = 0;
    double start = seconds_now();
    do {
        optimal += gradient_bandit(&s, 0.1, 1, 50000);
        updates += 50000;
    } while (seconds_now() - start < budget);
    *elapsed = seconds_now() - start;
    keep = (double)optimal;
    return updates;
}

static long run_figure(double budget, double *elapsed) {
    (void)budget;
    const double alpha[4] = {0.1, 0.1, 0.4, 0.4};
    const int baseline[4] = {1, 0, 1, 0};
    long optimal[4] = {0};
    double start = seconds_now();
    for (int setting = 0; setting < 4; setting++) {
        long hits = 0;
        #pragma omp parallel for schedule(dynamic, 50) reduction(+ : hits)
        for (int run = 0; run < 2000; run++) {
            Stream s = {(uint64_t)setting * 1000003u + (uint64_t)run * 7u + 1u};
            hits += gradient_bandit(&s, alpha[setting], baseline[setting], 1000);
        }
        optimal[setting] = hits;
    }
    *elapsed = seconds_now() - start;
    keep = (double)(optimal[0] + optimal[1] + optimal[2] + optimal[3]);
    return 4L * 2000 * 1000;
}

// ------------------------------------------------------------------ FrozenLake 8x8
#define LAKE_MAX 64
static int lake_states, lake_horizon;
static int lake_next[LAKE_MAX][4][3], lake_stop[LAKE_MAX][4][3];
static double lake_reward[LAKE_MAX][4][3], lake_cumulative[LAKE_MAX][4][2];

// Reads pg's map file: the time limit and the grid (S start, F floor, H hole, G goal), actions
// left down right up; a move goes as intended or to either side, each with probability 1/3.
static void lake_read(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "c_workloads: cannot read %s\n", path); exit(2); }
    char line[256], grid[8][16];
    int rows = 0, in_map = 0;
    while (fgets(line, sizeof line, f)) {
        if (in_map) {
            if (rows < 8 && strlen(line) >= 8) memcpy(grid[rows++], line, 8);
        } else if (!strncmp(line, "time-limit:", 11)) {
            lake_horizon = atoi(line + 11);
        } else if (!strncmp(line, "map:", 4)) {
            in_map = 1;
        }
    }
    fclose(f);
    if (rows != 8 || lake_horizon <= 0) { fprintf(stderr, "c_workloads: %s is not an 8x8 map\n", path); exit(2); }
    lake_states = 64;
    const int dr[4] = {0, 1, 0, -1}, dc[4] = {-1, 0, 1, 0};  // left down right up
    for (int s = 0; s < 64; s++) {
        int r = s / 8, c = s % 8;
        int final = grid[r][c] == 'H' || grid[r][c] == 'G';
        for (int a = 0; a < 4; a++) {
            for (int o = 0; o < 3; o++) {
                int d = (a + 3 + o) % 4;  // a-1, a, a+1 (mod 4)
                int nr = r + dr[d], nc = c + dc[d];
                if (nr < 0 || nr > 7) nr = r;
                if (nc < 0 || nc > 7) nc = c;
                int n = final ? s : nr * 8 + nc;
                char cell = grid[n / 8][n % 8];
                lake_next[s][a][o] = n;
                lake_stop[s][a][o] = cell == 'H' || cell == 'G';
                lake_reward[s][a][o] = !final && cell == 'G';
            }
            // Outcomes are drawn from the table's probabilities, as for any tabular environment
            // (not from the knowledge that the three are equally likely).
            lake_cumulative[s][a][0] = 1.0 / 3.0;
            lake_cumulative[s][a][1] = 1.0 / 3.0 + (1.0 - 1.0 / 3.0) / 2.0;
        }
    }
}

static long run_frozenlake(double budget, double *elapsed) {
    static double logits[LAKE_MAX * 4], p[LAKE_MAX * 4], cumulative[LAKE_MAX * 4];
    static double score[MAX_THREADS][LAKE_MAX * 4], total[MAX_THREADS][LAKE_MAX];
    memset(logits, 0, sizeof logits);
    int threads = omp_get_max_threads();
    Stream streams[MAX_THREADS];
    for (int t = 0; t < threads; t++) streams[t].state = 104729u * (uint64_t)(t + 1);
    double baseline = 0;
    int seen = 0;
    long steps = 0;
    double start = seconds_now();
    do {
        for (int rep = 0; rep < 4; rep++) {
            for (int s = 0; s < lake_states; s++) softmax_with_cumulative(logits + 4 * s, 4, p + 4 * s, cumulative + 4 * s);
            double return_sum = 0;
            long batch_steps = 0;
            #pragma omp parallel reduction(+ : return_sum, batch_steps)
            {
                int t = omp_get_thread_num();
                Stream *rng = &streams[t];
                double *sc = score[t], *tot = total[t];
                memset(sc, 0, sizeof score[t]);
                memset(tot, 0, sizeof total[t]);
                int visited[512], chosen[512];
                double rewards[512];
                #pragma omp for schedule(static)
                for (int e = 0; e < BATCH; e++) {
                    int s = 0, n = 0;
                    while (n < lake_horizon) {
                        int a = sample_action(cumulative + 4 * s, 4, stream_uniform(rng));
                        double u = stream_uniform(rng);
                        int o = (u >= lake_cumulative[s][a][0]) + (u >= lake_cumulative[s][a][1]);
                        visited[n] = s;
                        chosen[n] = a;
                        rewards[n++] = lake_reward[s][a][o];
                        int stop = lake_stop[s][a][o];
                        s = lake_next[s][a][o];
                        if (stop) break;
                    }
                    double g = 0;  // returns to go, gamma 1, from the last step back
                    for (int i = n - 1; i >= 0; i--) {
                        g += rewards[i];
                        sc[4 * visited[i] + chosen[i]] += g - baseline;
                        tot[visited[i]] += g - baseline;
                        return_sum += g;
                    }
                    batch_steps += n;
                }
            }
            for (int s = 0; s < lake_states; s++) {
                double t_sum = 0;
                for (int t = 0; t < threads; t++) t_sum += total[t][s];
                for (int a = 0; a < 4; a++) {
                    double m = 0;
                    for (int t = 0; t < threads; t++) m += score[t][4 * s + a];
                    logits[4 * s + a] += 1e-9 * (m - p[4 * s + a] * t_sum) / BATCH;
                }
            }
            double mean = return_sum / (double)batch_steps;  // the EMA follows the reward-to-go of every step
            baseline = seen ? 0.9 * baseline + 0.1 * mean : mean;
            seen = 1;
            steps += batch_steps;
        }
    } while (seconds_now() - start < budget);
    *elapsed = seconds_now() - start;
    keep = baseline;
    return steps;
}

// ------------------------------------------------------------------ straight-through Gumbel-softmax
static long run_gumbel(double budget, double *elapsed) {
    double logits[ARMS] = {0}, target[ARMS];
    for (int k = 0; k < ARMS; k++) target[k] = k / 10.0;
    int threads = omp_get_max_threads();
    Stream streams[MAX_THREADS];
    for (int t = 0; t < threads; t++) streams[t].state = 15485863u * (uint64_t)(t + 1);
    long draws = 0;
    double start = seconds_now();
    do {
        for (int rep = 0; rep < 64; rep++) {
            double gradient[ARMS] = {0};
            #pragma omp parallel reduction(+ : gradient[:ARMS])
            {
                Stream *s = &streams[omp_get_thread_num()];
                double noise[32 * ARMS];
                #pragma omp for schedule(static)
                for (int block = 0; block < BATCH / 32; block++) {
                    // Gumbel noise for 32 draws at once, so that the logs vectorise.
                    for (int j = 0; j < 32 * ARMS; j++) noise[j] = stream_open_uniform(s);
                    for (int j = 0; j < 32 * ARMS; j++) noise[j] = -log(-log(noise[j]));
                    for (int d = 0; d < 32; d++) {
                        double *z = noise + d * ARMS, y[ARMS], top = -INFINITY, sum = 0, dot = 0, v[ARMS];
                        int hard = 0;
                        for (int k = 0; k < ARMS; k++) {
                            z[k] += logits[k];
                            if (z[k] > top) { top = z[k]; hard = k; }
                        }
                        for (int k = 0; k < ARMS; k++) sum += (y[k] = exp(z[k] - top));
                        for (int k = 0; k < ARMS; k++) {
                            y[k] /= sum;
                            v[k] = -2.0 * ((k == hard) - target[k]);  // df/dx at the hard sample
                            dot += y[k] * v[k];
                        }
                        for (int k = 0; k < ARMS; k++) gradient[k] += y[k] * (v[k] - dot);  // back through y
                    }
                }
            }
            for (int k = 0; k < ARMS; k++) logits[k] += 0.01 * gradient[k] / BATCH;
            draws += BATCH;
        }
    } while (seconds_now() - start < budget);
    *elapsed = seconds_now() - start;
    keep = logits[0];
    return draws;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: c_workloads bandit|single|figure|frozenlake|gumbel [--seconds S] [--map FILE]\n");
        return 2;
    }
    const char *workload = argv[1], *map = NULL;
    double budget = 2;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seconds")) budget = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--map")) map = argv[i + 1];
        else { fprintf(stderr, "c_workloads: unknown option %s\n", argv[i]); return 2; }
    }
    if (omp_get_max_threads() > MAX_THREADS) omp_set_num_threads(MAX_THREADS);
    ziggurat_setup();
    long (*run)(double, double *) = NULL;
    const char *unit = "";
    if (!strcmp(workload, "bandit")) run = run_bandit, unit = "samples/s";
    else if (!strcmp(workload, "single")) run = run_single, unit = "updates/s";
    else if (!strcmp(workload, "figure")) run = run_figure, unit = "s";
    else if (!strcmp(workload, "frozenlake")) run = run_frozenlake, unit = "steps/s";
    else if (!strcmp(workload, "gumbel")) run = run_gumbel, unit = "draws/s";
    else { fprintf(stderr, "c_workloads: unknown workload %s\n", workload); return 2; }
    if (run == run_frozenlake) {
        if (!map) { fprintf(stderr, "c_workloads: frozenlake needs --map envs/FrozenLake-v1-8x8.txt\n"); return 2; }
        lake_read(map);
    }
    double elapsed = 0;
    if (run != run_figure) run(0.2, &elapsed);  // warm-up: caches, page faults, CPU clock
    long items = run(budget, &elapsed);
    double value = run == run_figure ? elapsed : (double)items / elapsed;
    printf("{\"peer\": \"c\", \"workload\": \"%s\", \"threads\": %d, \"value\": %.6g, \"unit\": \"%s\", "
           "\"items\": %ld, \"seconds\": %.4f}\n", workload, omp_get_max_threads(), value, unit, items, elapsed);
    return 0;
}
