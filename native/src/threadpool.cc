#include "threadpool.h"

#include <sched.h>
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

struct Job {
  TaskFn fn = nullptr;
  void* ctx = nullptr;
  long tasks = 0;
  std::atomic<long> next{0};
  std::atomic<int> active{0};  // workers still inside this job
};

struct Scratch {
  void* ptr = nullptr;
  size_t size = 0;
};

class Pool {
 public:
  explicit Pool(int threads) { start(threads); }
  ~Pool() { stop(); }

  int threads() const { return threads_; }

  void resize(int threads) {
    if (threads == threads_) return;
    stop();
    start(threads);
  }

  void run(long tasks, TaskFn fn, void* ctx) {
    job_.fn = fn;
    job_.ctx = ctx;
    job_.tasks = tasks;
    job_.next.store(0, std::memory_order_relaxed);
    int helpers = (int)(tasks - 1 < (long)workers_.size() ? tasks - 1 : (long)workers_.size());
    job_.active.store(helpers, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      wanted_ = helpers;
      generation_++;
    }
    if (helpers > 0) wake_.notify_all();
    work(0);
    // The caller's share is done; wait for the helpers still finishing theirs.
    while (job_.active.load(std::memory_order_acquire) > 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return job_.active.load(std::memory_order_acquire) == 0; });
    }
  }

 private:
  void start(int threads) {
    threads_ = threads < 1 ? 1 : (threads > kMaxThreads ? kMaxThreads : threads);
    quit_ = false;
    for (int t = 1; t < threads_; t++) workers_.emplace_back([this, t] { loop(t); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
      generation_++;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  void work(int thread);

  void loop(int thread) {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (quit_) return;
        // Only the first `wanted_` workers join a job with few tasks; the rest sleep on.
        if (thread > wanted_) continue;
      }
      work(thread);
      if (job_.active.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  int threads_ = 1;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  unsigned long generation_ = 0;
  int wanted_ = 0;
  bool quit_ = false;
  Job job_;
};

thread_local int tl_thread = 0;
thread_local bool tl_in_parallel = false;

void Pool::work(int thread) {
  tl_thread = thread;
  tl_in_parallel = true;
  for (;;) {
    long t = job_.next.fetch_add(1, std::memory_order_relaxed);
    if (t >= job_.tasks) break;
    job_.fn(job_.ctx, t, thread);
  }
  tl_in_parallel = false;
  tl_thread = 0;
}

int default_threads() {
  const char* env = getenv("CAPA_NUM_THREADS");
  if (env && *env) {
    int n = atoi(env);
    if (n >= 1) return n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n >= 1) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? (int)hw : 1;
}

Pool* pool() {
  static Pool* p = new Pool(default_threads());  // never destroyed: workers may outlive statics
  return p;
}

Scratch g_scratch[kMaxThreads][kScratchSlots];

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

void* pool_scratch(int thread, int slot, size_t bytes) {
  Scratch& s = g_scratch[thread][slot];
  if (s.size < bytes) {
    free(s.ptr);
    size_t size = (bytes + 4095) & ~(size_t)4095;
    s.ptr = aligned_alloc(64, size);
    s.size = s.ptr ? size : 0;
  }
  return s.ptr;
}

}  // namespace capa
