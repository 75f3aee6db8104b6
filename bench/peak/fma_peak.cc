// The machine's arithmetic peak for `npm run bench`: register-only loops of one multiply-add
// instruction on 16 independent accumulators (no memory traffic; 16 covers the FMA latency of
// 4 cycles times 2 pipes with room to spare), per instruction set the CPU has:
//   fp32-avx512  VFMADD231PS zmm   16 lanes x 2 flops  = 32 flops per instruction
//   fp32-avx2    VFMADD231PS ymm    8 lanes x 2 flops  = 16
//   bf16         VDPBF16PS zmm     32 bf16 products, each a multiply and an add = 64
//   int8         VPDPBUSD zmm      64 u8 x s8 products, each a multiply and an add = 128 ops
// Each loop runs on 1 thread and then on `threads` threads at once (all cores busy, as a
// multi-threaded kernel runs them), for about `seconds` each; the best of 3 tries is kept, so
// a burst of outside load lowers the figures less; time is each thread's CPU time (thread_seconds). Prints one JSON object:
//   {"fp32-avx512": {"1": GFLOP/s, "2": GFLOP/s}, ...}   (int8: GOP/s)
// Compiled by bench/peak.ts with the native kernels' flags (native/binding.gyp); each loop
// carries its own target attribute, so the binary runs on any x86-64 and skips what is absent.
#include <immintrin.h>

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

constexpr long kItersPerCheck = 1 << 16;

/**
 * CPU time of the calling thread: the machine is shared, and a rate per second of wall time
 * would measure the other users' load, not the hardware. Both threads of the 2-thread figure
 * run at once, so cores that share execution units (SMT siblings) show it.
 */
double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define CAPA_PEAK_LOOP(name, isa, vec, init, op, opsPerInstr)                                    \
  __attribute__((target(isa), noinline)) double name(double seconds) {                          \
    vec acc[16];                                                                                      \
    for (int i = 0; i < 16; i++) acc[i] = init(i);                                                    \
    const vec x = init(1), y = init(2);                                                               \
    long iters = 0;                                                                                   \
    const double t0 = thread_seconds();                                                               \
    double elapsed = 0;                                                                               \
    do {                                                                                              \
      for (long k = 0; k < kItersPerCheck; k++) {                                                     \
        _Pragma("GCC unroll 16") for (int i = 0; i < 16; i++) acc[i] = op(acc[i], x, y);              \
      }                                                                                               \
      /* An empty asm that takes the accumulators keeps the loop alive. Inside the loop it made GCC */ \
      /* store all 16 to the stack every iteration, which bound the loop to a third of the peak.   */ \
      asm volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]),        \
                   "+v"(acc[5]), "+v"(acc[6]), "+v"(acc[7]));                                        \
      asm volatile("" : "+v"(acc[8]), "+v"(acc[9]), "+v"(acc[10]), "+v"(acc[11]), "+v"(acc[12]),     \
                   "+v"(acc[13]), "+v"(acc[14]), "+v"(acc[15]));                                     \
      iters += kItersPerCheck;                                                                        \
      elapsed = thread_seconds() - t0;                                                                \
    } while (elapsed < seconds);                                                                      \
    return 16.0 * (double)opsPerInstr * (double)iters / elapsed / 1e9;                                \
  }

#define PS512(i) _mm512_set1_ps(1.0f + (float)(i) * 1e-3f)
#define FMA512(a, x, y) _mm512_fmadd_ps(x, y, a)
CAPA_PEAK_LOOP(fp32_avx512, "avx512f", __m512, PS512, FMA512, 32)

#define PS256(i) _mm256_set1_ps(1.0f + (float)(i) * 1e-3f)
#define FMA256(a, x, y) _mm256_fmadd_ps(x, y, a)
CAPA_PEAK_LOOP(fp32_avx2, "avx2,fma", __m256, PS256, FMA256, 16)

#define BF(i) _mm512_set1_ps(1.0f + (float)(i) * 1e-3f)
#define DPBF16(a, x, y) _mm512_dpbf16_ps(a, (__m512bh)(x), (__m512bh)(y))
CAPA_PEAK_LOOP(bf16_avx512, "avx512f,avx512bf16", __m512, BF, DPBF16, 64)

#define EPI(i) _mm512_set1_epi32(0x01010101 * (int)((i) + 1))
#define DPBUSD(a, x, y) _mm512_dpbusd_epi32(a, x, y)
CAPA_PEAK_LOOP(int8_avx512, "avx512f,avx512vnni", __m512i, EPI, DPBUSD, 128)

/** Runs `loop` on `threads` threads at once; returns the sum of their rates. */
double together(double (*loop)(double), int threads, double seconds) {
  std::vector<double> rates(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { rates[t] = loop(seconds); });
  for (auto& th : pool) th.join();
  double sum = 0;
  for (double r : rates) sum += r;
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  double seconds = argc > 2 ? atof(argv[2]) : 0.1;
  __builtin_cpu_init();
  struct Loop {
    const char* name;
    bool present;
    double (*fn)(double);
  } loops[] = {
      {"fp32-avx512", __builtin_cpu_supports("avx512f") != 0, fp32_avx512},
      {"fp32-avx2", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"), fp32_avx2},
      {"bf16", __builtin_cpu_supports("avx512bf16") != 0, bf16_avx512},
      {"int8", __builtin_cpu_supports("avx512vnni") != 0, int8_avx512},
  };
  printf("{");
  bool first = true;
  for (const Loop& l : loops) {
    if (!l.present) continue;
    double best1 = 0, bestN = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      double r1 = together(l.fn, 1, seconds);
      double rn = threads > 1 ? together(l.fn, threads, seconds) : r1;
      if (r1 > best1) best1 = r1;
      if (rn > bestN) bestN = rn;
    }
    printf("%s\"%s\": {\"1\": %.1f", first ? "" : ", ", l.name, best1);
    if (threads > 1) printf(", \"%d\": %.1f", threads, bestN);
    printf("}");
    first = false;
  }
  printf("}\n");
  return 0;
}
