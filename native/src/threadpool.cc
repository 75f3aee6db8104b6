#include "threadpool.h"

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace capa {
namespace {

constexpr int kMaxThreads = 256;

thread_local int tl_thread = 0;
thread_local bool tl_in_parallel = false;

/**
 * Tasks are claimed from a ticket that carries the job's generation in its high 32 bits, so a
 * worker that wakes late (after its job already finished) finds a foreign generation and goes
 * back to sleep without touching the next job. The caller therefore never waits for a worker to
 * wake up: it runs tasks itself from the start and waits only for tasks already claimed.
 */
class Pool {
 public:
  explicit Pool(int threads) { start(threads); }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  void resize(int threads) {
    std::lock_guard<std::mutex> job(job_mutex_);
    if (threads == threads_.load(std::memory_order_relaxed)) return;
    stop();
    start(threads);
  }

  void run(long tasks, TaskFn fn, void* ctx) {
    // The job slot, tickets and workers serve one job at a time: another JavaScript thread's job
    // waits here (asleep) and then has every thread to itself, so its tasks and results are what
    // they would be alone. Uncontended, this is one lock per parallel kernel call.
    std::lock_guard<std::mutex> job(job_mutex_);
    uint64_t gen;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      gen = ++generation_ & 0xffffffffu;
      fn_ = fn;
      ctx_ = ctx;
      tasks_ = tasks;
      ticket_.store(gen << 32, std::memory_order_release);
      finished_.store(gen << 32, std::memory_order_release);
    }
    wake_.notify_all();
    work(0, gen, fn, ctx, tasks);
    const uint64_t target = (gen << 32) | (uint64_t)tasks;
    // Only tasks a worker already claimed can be outstanding: a short wait for those (this thread
    // is mid-kernel, not idle), then sleep until the worker finishing the last one signals.
    for (int spin = 0; spin < 2000 && finished_.load(std::memory_order_acquire) != target; spin++) pause();
    if (finished_.load(std::memory_order_acquire) != target) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == target; });
    }
  }

 private:
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void start(int threads) {
    const int n = threads < 1 ? 1 : (threads > kMaxThreads ? kMaxThreads : threads);
    quit_ = false;
    for (int t = 1; t < n; t++) workers_.emplace_back([this, t] { loop(t); });
    threads_.store(n, std::memory_order_relaxed);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  /** Claims and runs tasks of job `gen` until none are left (or the job is no longer current). */
  void work(int thread, uint64_t gen, TaskFn fn, void* ctx, long tasks) {
    tl_thread = thread;
    tl_in_parallel = true;
    for (;;) {
      uint64_t t = ticket_.load(std::memory_order_acquire);
      if ((t >> 32) != gen || (long)(t & 0xffffffffu) >= tasks) break;
      if (!ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
      fn(ctx, (long)(t & 0xffffffffu), thread);
      uint64_t done = finished_.fetch_add(1, std::memory_order_acq_rel) + 1;
      if ((long)(done & 0xffffffffu) == tasks && thread != 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
    tl_in_parallel = false;
    tl_thread = 0;
  }

  void loop(int thread) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t gen;
      TaskFn fn;
      void* ctx;
      long tasks;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return quit_ || (generation_ & 0xffffffffu) != seen; });
        if (quit_) return;
        seen = gen = generation_ & 0xffffffffu;
        fn = fn_;
        ctx = ctx_;
        tasks = tasks_;
      }
      work(thread, gen, fn, ctx, tasks);
    }
  }

  std::atomic<int> threads_{1};  // read without the lock by parallel_for and the kernels' planning
  std::vector<std::thread> workers_;
  std::mutex job_mutex_;  // held by the caller whose job runs, and by resize
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0;
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  long tasks_ = 0;
  std::atomic<uint64_t> ticket_{0};
  std::atomic<uint64_t> finished_{0};
  bool quit_ = false;
};

int default_threads() {
#if defined(__EMSCRIPTEN__)
  // A WebAssembly thread can start synchronously only on a worker the runtime loaded in advance:
  // the pool starts alone and src/backend/wasm/ sizes it (capa_set_threads) to the workers it loaded.
  return 1;
#endif
  const char* env = getenv("CAPA_NUM_THREADS");
  if (env && *env) {
    int n = atoi(env);
    if (n >= 1) return n;
  }
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1) return n;
  }
#endif
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? (int)hw : 1;
}

Pool* pool() {
  static Pool* p = new Pool(default_threads());  // never destroyed: workers may outlive statics
  return p;
}

/**
 * One thread's scratch buffers: thread_local, so concurrent JavaScript threads and the pool's
 * workers never share one, and freed when the thread ends (a finished worker_thread, a resize).
 */
struct ThreadScratch {
  struct Buffer {
    void* ptr = nullptr;
    size_t size = 0;
  } slots[kScratchSlots];
  ~ThreadScratch() {
    for (Buffer& b : slots) free(b.ptr);
  }
};

thread_local ThreadScratch tl_scratch;

}  // namespace

int pool_threads() { return pool()->threads(); }

void pool_set_threads(int n) { pool()->resize(n); }

void parallel_for(long tasks, TaskFn fn, void* ctx) {
  if (tasks <= 0) return;
  if (tasks == 1 || tl_in_parallel || pool()->threads() == 1) {
    for (long t = 0; t < tasks; t++) fn(ctx, t, tl_thread);
    return;
  }
  pool()->run(tasks, fn, ctx);
}

int pool_thread_index() { return tl_thread; }

bool pool_in_parallel() { return tl_in_parallel; }

#ifdef CAPA_SANITIZER_BUILD
// Exactly the bytes asked for, so AddressSanitizer reports a kernel that reads past its scratch.
constexpr size_t kScratchRounding = 1;
#else
constexpr size_t kScratchRounding = 4096;
#endif

void* pool_scratch(int slot, size_t bytes) {
  ThreadScratch::Buffer& s = tl_scratch.slots[slot];
  if (s.size < bytes) {
    free(s.ptr);
    size_t size = (bytes + kScratchRounding - 1) / kScratchRounding * kScratchRounding;
    void* p = nullptr;
    s.ptr = posix_memalign(&p, 64, size) == 0 ? p : nullptr;
    s.size = s.ptr ? size : 0;
  }
  return s.ptr;
}

}  // namespace capa
