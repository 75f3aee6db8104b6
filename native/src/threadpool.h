// A fixed pool of worker threads for data-parallel kernels. The calling thread takes part, so a
// pool of N threads has N-1 workers. Idle workers sleep on a condition variable; they never spin
// while no work is queued. Written as a C-style interface (function pointer + context) so the
// per-ISA kernel files can call it without instantiating standard-library templates.
//
// Several JavaScript threads (worker_threads) share one copy of the addon, so any number of
// callers may enter at once: the pool runs one caller's job at a time (the others wait for it,
// then get every thread in turn), and scratch buffers belong to the OS thread that uses them.
#pragma once

#include <stddef.h>

namespace capa {

/** fn(ctx, task, thread) runs for every task in [0, tasks); thread is in [0, threads()). */
typedef void (*TaskFn)(void* ctx, long task, int thread);

/** Total threads (caller included): CAPA_NUM_THREADS, else the CPUs this process may use. */
int pool_threads();
/** Resizes the pool (1 = run everything on the caller); process-wide, waits for a running job. */
void pool_set_threads(int n);
/**
 * Runs all tasks, splitting them among the threads, and returns when every task is done.
 * Called from inside a task (nested parallelism) it runs the tasks inline on that thread; called
 * while another caller's job runs, it waits for that job to finish.
 */
void parallel_for(long tasks, TaskFn fn, void* ctx);
/** Index of the calling thread inside the running parallel_for (0 outside any). */
int pool_thread_index();
/** True while the calling thread runs a task of a parallel_for. */
bool pool_in_parallel();

/**
 * The calling thread's reusable buffer `slot`, 64-byte aligned, grown on demand and kept for the
 * life of the thread (so steady-state training allocates nothing). Each kernel family uses its own
 * slot numbers (see scratch slots in kernels/common.h) so nested users do not collide. A buffer
 * the caller shares with a job's tasks (partial sums) is the caller's, reached through a pointer.
 */
void* pool_scratch(int slot, size_t bytes);
constexpr int kScratchSlots = 8;

}  // namespace capa
