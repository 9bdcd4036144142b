// Engine: a conservative, window-based parallel discrete-event simulator.
//
// The world is a set of logical processes (LPs) with dense ids 0..num_lps-1. LPs own their
// state (kept by the model in flat vectors indexed by LP id) and interact only by sending
// timestamped events. Every event sent to another LP must be at least `lookahead_us` in the
// future; an LP may send itself an event with any delay >= 0.
//
// Execution. Time is cut into windows [w*L, (w+1)*L) with L the lookahead. LPs are grouped
// into partitions; in each window all partitions run in parallel (TBB: each partition is a
// task, and a thread that finishes its task takes the next, so more partitions than threads
// even out the threads' work), and events that cross partitions wait in outboxes until the
// window barrier. Windows with no events are skipped. Because cross-LP events land at least
// one window ahead, no event processed in a window can affect another LP in the same window,
// so each partition processes its window LP by LP (events sorted by LP, then delivery
// order) to keep LP state in cache.
//
// Determinism. Each LP processes its events in (time, source LP, source send counter) order
// and draws random numbers from its own stream (seed, LP id). The model therefore sees the
// same inputs with any number of threads or partitions, and the run's fingerprint (a fold
// of every committed event and whatever the model folds in) is the same.
//
// Model contract (compile-time):
//   struct MyModel {
//     using Payload = ...;   // small copyable value carried by every event
//     void Handle(engine::Context<Payload>& ctx, const engine::Event<Payload>& ev);
//   };
// Handle is called from worker threads, for different LPs concurrently; it may touch only
// the state of ctx.lp() and read-only shared data. It must not throw; it reports a broken
// invariant or bad input with ctx.Fail(), which stops the run with that message.
//
// Optional prefetch hook. A model whose LP state is large and rarely revisited within a
// window (each LP sees a few events, so its state is cold) may also define
//     void Prefetch(engine::LpId lp, engine::PrefetchStage stage) const;
// The engine calls it, from the worker running that LP's partition, for LPs it is about to
// process: kState a few LPs ahead (hint the cache about the LP's own record, without
// reading it), then kReferenced closer (the record is cached by now, so the model may read
// its pointers and hint what they point at). It is a hint only: it must not change state,
// and results are the same with or without it.
#pragma once

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "sim/common/status.h"
#include "sim/engine/calendar.h"
#include "sim/engine/event.h"
#include "sim/engine/hash.h"
#include "sim/engine/rng.h"
#include "sim/engine/time.h"
#include "sim/engine/window_sort.h"

namespace clawsim::engine {

#if defined(CLAWSIM_THREAD_SANITIZER)
inline constexpr bool kPlainThreads = true;
#else
inline constexpr bool kPlainThreads = false;
#endif

enum class PrefetchStage : uint8_t { kState, kReferenced };

template <class M>
concept PrefetchingModel = requires(const M& m, LpId lp, PrefetchStage stage) { m.Prefetch(lp, stage); };

struct EngineOptions {
  uint32_t num_lps = 0;          // required, > 0
  TimeUs lookahead_us = 0;       // required, > 0: minimum delay of any cross-LP event
  uint64_t seed = 1;             // run seed; LP i draws from Rng::ForStream(seed, i)
  int threads = 1;               // worker threads; 1 runs on the calling thread without TBB
  uint32_t partitions = 0;       // 0: one per thread; at most 65,536. Results do not depend on it.
  uint32_t ring_windows = 1024;  // calendar horizon in windows; later events wait in a heap
  // Optional LP -> partition map (size num_lps, values < partitions). Empty: contiguous blocks.
  std::vector<uint32_t> lp_partition;
};

// Totals for everything run so far (all RunUntil calls together).
struct EngineStats {
  uint64_t events_committed = 0;         // processed by Handle
  uint64_t events_sent = 0;              // scheduled initially or sent by Handle
  uint64_t events_pending = 0;           // waiting, at or after now_us()
  uint64_t events_cross_partition = 0;   // sent through an outbox
  uint64_t windows = 0;                  // windows executed
  uint64_t fingerprint = 0;              // fold of committed events and model folds
  // Wall-clock timing (not reproducible: never part of a result). window_s: the time spent
  // running windows (RunUntil); busy_s: the partitions' work within them, summed over
  // partitions (on one thread, all of window_s). busy_s / (window_s x threads) is the share
  // of the threads' time the windows kept busy; the rest waited at barriers. On one thread
  // nothing is timed per window (the clock costs about as much as a small window's events).
  double window_s = 0;
  double busy_s = 0;
};

// How the fingerprint folds: each committed event adds CommittedEventHash(ev) to a sum
// (model folds add theirs), so the order of commits does not matter, and stats() reports
// FinishFingerprint(sum, events_committed). Exposed so that a reference implementation
// outside the engine (bench::RunPholdSequential) can fold the same way.
template <typename Payload>
inline uint64_t CommittedEventHash(const Event<Payload>& ev) {
  return HashCombine(HashCombine(static_cast<uint64_t>(ev.time_us), (uint64_t{ev.dst_lp} << 32) | ev.src_lp),
                     (uint64_t{ev.src_seq} << 32) | ev.kind);
}
inline uint64_t FinishFingerprint(uint64_t sum, uint64_t events_committed) {
  return Mix64(sum ^ Mix64(events_committed));
}

template <typename Payload>
class Context;

namespace internal {
template <typename Payload>
struct Partition;
}  // namespace internal

// Called for every committed event, from the worker thread running `partition`. Keep
// per-partition buffers and merge them serially between RunUntil calls.
template <typename Payload>
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  virtual void OnCommit(uint32_t partition, const Event<Payload>& ev) = 0;
};

template <class Model>
class Engine {
 public:
  using Payload = typename Model::Payload;
  using Ev = Event<Payload>;

  Engine(EngineOptions options, Model* model);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Checks the options; call once before anything else. Messages name the bad option.
  Status Init();

  // Schedules an event at absolute time t_us >= now_us() from serial code (set-up, or
  // between RunUntil calls). Its source is the destination LP itself.
  void Schedule(LpId dst, TimeUs t_us, uint32_t kind, const Payload& payload = {});

  // Processes every event with time < end_us. Can be called repeatedly with increasing
  // end_us; splitting a run into several calls does not change its results. Returns an
  // error (and leaves the engine failed) on a lookahead violation or a model's Fail().
  Status RunUntil(TimeUs end_us);

  TimeUs now_us() const { return now_us_; }
  EngineStats stats() const;
  uint32_t num_partitions() const { return static_cast<uint32_t>(parts_.size()); }
  uint32_t partition_of(LpId lp) const { return lp_partition_[lp]; }
  // An LP's random stream, for serial set-up code.
  Rng& lp_rng(LpId lp) { return lp_state_[lp].rng; }
  // Bytes held by the event sets, for memory reports.
  size_t event_bytes_reserved() const;

  void SetObserver(CommitObserver<Payload>* observer) { observer_ = observer; }

 private:
  friend class Context<Payload>;
  using Part = internal::Partition<Payload>;

  template <bool kObserve>
  void RunWindow(Part& part, uint64_t window, TimeUs limit_us);
  // How many LPs ahead of the one being processed the prefetch hook's stages run.
  static constexpr size_t kPrefetchStateRuns = 6;
  static constexpr size_t kPrefetchReferencedRuns = 3;
  void PrefetchLp(LpId lp, PrefetchStage stage) {
    __builtin_prefetch(&lp_state_[lp]);
    model_->Prefetch(lp, stage);
  }
  uint64_t NextWindow() const;
  Status CollectFailure();

  EngineOptions options_;
  Model* model_;
  // LP -> partition, two bytes an LP: every cross-LP send reads it at a random LP, so the
  // smaller it is the more of it stays in cache (at a million LPs, 2 MB instead of 4).
  std::vector<uint16_t> lp_partition_;
  struct LpState {
    Rng rng;
    uint32_t next_seq = 0;
  };
  std::vector<LpState> lp_state_;
  std::vector<std::unique_ptr<Part>> parts_;
  std::unique_ptr<tbb::task_arena> arena_;
  CommitObserver<Payload>* observer_ = nullptr;
  TimeUs now_us_ = 0;
  uint64_t window_parity_ = 0;
  uint64_t windows_ = 0;
  double window_s_ = 0;  // wall time inside RunUntil (EngineStats::window_s)
  uint64_t initial_events_ = 0;
  bool failed_ = false;
  std::string failure_;
};

namespace internal {

struct Failure {
  TimeUs time_us;
  LpId lp;
  std::string message;
};

template <typename Payload>
struct Partition {
  using Ev = Event<Payload>;
  uint32_t index = 0;
  Calendar<Ev> calendar;
  std::vector<Ev> window;        // the window being processed, sorted LP-major
  WindowSorter<Ev> sorter;
  std::vector<uint32_t> lp_runs; // index in `window` where each LP's events begin
  std::vector<Ev> local;         // same-window self events of the current LP (min-heap)
  // out[parity][dst_partition]: events for other partitions, written in windows of that
  // parity and read by the destination after the barrier (double-buffered, so no locks).
  std::vector<std::vector<Ev>> out[2];
  uint64_t out_min_window = kNoWindow;  // earliest window among this window's outbox events
  uint64_t next_window = kNoWindow;     // computed at the end of each window
  // counters (owned by this partition's thread)
  uint64_t committed = 0;
  uint64_t sent = 0;
  uint64_t cross = 0;
  uint64_t fingerprint = 0;
  double busy_s = 0;  // wall time spent running this partition's windows (with several threads)
  std::optional<Failure> failure;
};

}  // namespace internal

// The handle a model uses while processing one event. Valid only inside Handle.
template <typename Payload>
class Context {
 public:
  using Ev = Event<Payload>;

  TimeUs now_us() const { return now_us_; }
  LpId lp() const { return lp_; }
  Rng& rng() { return *rng_; }

  // Sends an event to `dst` at now + delay_us. A cross-LP delay must be >= the lookahead;
  // a self delay must be >= 0. A violation stops the run with a message naming both LPs.
  void Send(LpId dst, TimeUs delay_us, uint32_t kind, const Payload& payload = {}) {
    Ev ev;
    ev.time_us = now_us_ + delay_us;
    ev.dst_lp = dst;
    ev.src_lp = lp_;
    ev.src_seq = (*next_seq_)++;
    ev.kind = kind;
    ev.payload = payload;
    ++part_->sent;
    if (dst == lp_) {
      if (delay_us < 0) {
        Fail("sent itself an event " + std::to_string(-delay_us) + " us in the past");
        return;
      }
      PushSelf(ev);
      return;
    }
    if (delay_us < lookahead_us_ || dst >= lp_partition_->size()) {
      ReportBadSend(ev, delay_us);
      return;
    }
    const uint32_t dst_part = (*lp_partition_)[dst];
    if (dst_part == part_->index) {
      part_->calendar.Push(ev);
    } else {
      ++part_->cross;
      part_->out[parity_][dst_part].push_back(ev);
      part_->out_min_window = std::min(part_->out_min_window, part_->calendar.WindowOf(ev.time_us));
    }
  }

  void SendSelf(TimeUs delay_us, uint32_t kind, const Payload& payload = {}) {
    Send(lp_, delay_us, kind, payload);
  }

  // Reserves `n` of this LP's sequence numbers, as if it sent n events now; returns the
  // first. With SendSelfReserved a model can keep events it would send now in a compact
  // form of its own and send them one at a time later, each with the delivery order it would
  // have had: the committed events, and so the run, are the same.
  uint32_t ReserveSeqs(uint32_t n) {
    const uint32_t first = *next_seq_;
    *next_seq_ += n;
    return first;
  }
  // Sends this LP an event at absolute time t_us >= now with a sequence number from
  // ReserveSeqs (each used once).
  void SendSelfReserved(TimeUs t_us, uint32_t seq, uint32_t kind, const Payload& payload = {}) {
    Ev ev;
    ev.time_us = t_us;
    ev.dst_lp = lp_;
    ev.src_lp = lp_;
    ev.src_seq = seq;
    ev.kind = kind;
    ev.payload = payload;
    ++part_->sent;
    if (t_us < now_us_) {
      Fail("sent itself a reserved event " + std::to_string(now_us_ - t_us) + " us in the past");
      return;
    }
    PushSelf(ev);
  }

  // Folds a model value into the run fingerprint (order-insensitive across LPs).
  void FoldFingerprint(uint64_t value) {
    part_->fingerprint += HashCombine(HashCombine(now_us_, lp_), value);
  }

  // Stops the run: RunUntil returns an error with this message, prefixed by LP and time.
  void Fail(const std::string& message) {
    SetFailure("LP " + std::to_string(lp_) + " at t=" + std::to_string(now_us_) + " us: " + message);
  }

  bool failed() const { return part_->failure.has_value(); }

 private:
  template <class Model>
  friend class Engine;

  static bool LaterDelivered(const Ev& a, const Ev& b) { return DeliveredBefore(b, a); }

  // A self event: into this window's local heap, or the calendar.
  void PushSelf(const Ev& ev) {
    if (ev.time_us < limit_us_) {
      part_->local.push_back(ev);
      std::push_heap(part_->local.begin(), part_->local.end(), LaterDelivered);
    } else {
      part_->calendar.Push(ev);
    }
  }

  void ReportBadSend(const Ev& ev, TimeUs delay_us) {
    if (ev.dst_lp >= lp_partition_->size()) {
      Fail("sent an event to LP " + std::to_string(ev.dst_lp) + ", which does not exist (there are " +
           std::to_string(lp_partition_->size()) + " LPs)");
      return;
    }
    SetFailure("lookahead violation: LP " + std::to_string(lp_) + " at t=" + std::to_string(now_us_) +
               " us sent an event to LP " + std::to_string(ev.dst_lp) + " for t=" +
               std::to_string(ev.time_us) + " us (delay " + std::to_string(delay_us) +
               " us < lookahead " + std::to_string(lookahead_us_) +
               " us); events between LPs need a delay of at least the lookahead");
  }

  void SetFailure(std::string message) {
    if (!part_->failure) part_->failure = internal::Failure{now_us_, lp_, std::move(message)};
  }

  internal::Partition<Payload>* part_ = nullptr;
  const std::vector<uint16_t>* lp_partition_ = nullptr;
  Rng* rng_ = nullptr;
  uint32_t* next_seq_ = nullptr;
  TimeUs now_us_ = 0;
  TimeUs limit_us_ = 0;
  TimeUs lookahead_us_ = 0;
  LpId lp_ = 0;
  uint32_t parity_ = 0;
};

// ---------------------------------------------------------------------------------------
// Implementation

template <class Model>
Engine<Model>::Engine(EngineOptions options, Model* model) : options_(std::move(options)), model_(model) {}

template <class Model>
Engine<Model>::~Engine() = default;

template <class Model>
Status Engine<Model>::Init() {
  const EngineOptions& o = options_;
  if (o.num_lps == 0) return Status::Error("engine: num_lps must be > 0");
  if (o.lookahead_us <= 0) return Status::Error("engine: lookahead_us must be > 0, got " + std::to_string(o.lookahead_us));
  if (o.lookahead_us > UINT32_MAX) return Status::Error("engine: lookahead_us must be below 2^32 us (about 71 minutes)");
  if (o.threads < 1) return Status::Error("engine: threads must be >= 1, got " + std::to_string(o.threads));
  uint32_t num_parts = o.partitions == 0 ? static_cast<uint32_t>(o.threads) : o.partitions;
  num_parts = std::min(num_parts, o.num_lps);
  constexpr uint32_t kMaxPartitions = uint32_t{UINT16_MAX} + 1;
  if (!o.lp_partition.empty()) {
    if (o.lp_partition.size() != o.num_lps) {
      return Status::Error("engine: lp_partition has " + std::to_string(o.lp_partition.size()) +
                           " entries for " + std::to_string(o.num_lps) + " LPs");
    }
    num_parts = o.partitions == 0 ? 1 + *std::max_element(o.lp_partition.begin(), o.lp_partition.end())
                                  : o.partitions;
    for (uint32_t p : o.lp_partition) {
      if (p >= num_parts) return Status::Error("engine: lp_partition names partition " + std::to_string(p) +
                                               " but there are " + std::to_string(num_parts));
    }
    if (num_parts > kMaxPartitions) {
      return Status::Error("engine: at most " + std::to_string(kMaxPartitions) + " partitions, got " + std::to_string(num_parts));
    }
    lp_partition_.assign(o.lp_partition.begin(), o.lp_partition.end());
  } else {
    num_parts = std::min(num_parts, kMaxPartitions);
    lp_partition_.resize(o.num_lps);
    for (uint32_t lp = 0; lp < o.num_lps; ++lp) {
      lp_partition_[lp] = static_cast<uint16_t>(uint64_t{lp} * num_parts / o.num_lps);
    }
  }
  lp_state_.resize(o.num_lps);
  for (uint32_t lp = 0; lp < o.num_lps; ++lp) lp_state_[lp].rng = Rng::ForStream(o.seed, lp);
  parts_.clear();
  for (uint32_t p = 0; p < num_parts; ++p) {
    auto part = std::make_unique<Part>();
    part->index = p;
    part->calendar.Init(o.lookahead_us, o.ring_windows);
    for (auto& o2 : part->out) o2.resize(num_parts);
    parts_.push_back(std::move(part));
  }
  // More threads than cores only adds contention (and TBB warns about it); partitions still
  // follow the requested count, so results are the same either way.
  const int workers = std::min(o.threads, tbb::info::default_concurrency());
  if (o.threads > 1 && workers > 1) arena_ = std::make_unique<tbb::task_arena>(workers);
  return Status::Ok();
}

template <class Model>
void Engine<Model>::Schedule(LpId dst, TimeUs t_us, uint32_t kind, const Payload& payload) {
  assert(dst < lp_state_.size());
  assert(t_us >= now_us_);
  Ev ev;
  ev.time_us = t_us;
  ev.dst_lp = dst;
  ev.src_lp = dst;
  ev.src_seq = lp_state_[dst].next_seq++;
  ev.kind = kind;
  ev.payload = payload;
  Part& part = *parts_[lp_partition_[dst]];
  // The ring may still sit at an earlier window; that is fine, Push only needs w >= base.
  part.calendar.Push(ev);
  part.next_window = std::min(part.next_window, part.calendar.WindowOf(t_us));
  ++initial_events_;
}

template <class Model>
uint64_t Engine<Model>::NextWindow() const {
  uint64_t w = kNoWindow;
  for (const auto& part : parts_) w = std::min({w, part->next_window, part->out_min_window});
  return w;
}

template <class Model>
Status Engine<Model>::RunUntil(TimeUs end_us) {
  if (failed_) return Status::Error(failure_);
  const TimeUs lookahead = options_.lookahead_us;
  // Counts the call's wall time however it returns.
  struct Timer {
    double* total;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~Timer() { *total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
  } timer{&window_s_};
  for (;;) {
    const uint64_t w = NextWindow();
    if (w == kNoWindow || static_cast<TimeUs>(w) * lookahead >= end_us) break;
    const TimeUs limit = std::min(static_cast<TimeUs>(w + 1) * lookahead, end_us);
    auto run_part = [&](Part& part) {
      if (observer_ != nullptr) {
        RunWindow<true>(part, w, limit);
      } else {
        RunWindow<false>(part, w, limit);
      }
    };
    auto run_part_timed = [&](Part& part) {
      const auto start = std::chrono::steady_clock::now();
      run_part(part);
      part.busy_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    if (arena_ == nullptr) {
      for (auto& part : parts_) run_part(*part);
    } else if constexpr (kPlainThreads) {
      // ThreadSanitizer cannot see the synchronisation inside the (uninstrumented) TBB
      // library and reports its task hand-off as races, hiding real ones. Under TSan the
      // same window step runs on plain threads joined at the barrier, so the engine's own
      // data exchange (outboxes, partitions, model state) is what gets checked.
      std::vector<std::thread> workers;
      const size_t k = static_cast<size_t>(options_.threads);
      for (size_t t = 1; t < k; ++t) {
        workers.emplace_back([&, t] {
          for (size_t i = t; i < parts_.size(); i += k) run_part_timed(*parts_[i]);
        });
      }
      for (size_t i = 0; i < parts_.size(); i += k) run_part_timed(*parts_[i]);
      for (std::thread& w : workers) w.join();
    } else {
      arena_->execute([&] {
        tbb::parallel_for(tbb::blocked_range<size_t>(0, parts_.size(), 1),
                          [&](const tbb::blocked_range<size_t>& r) {
                            for (size_t i = r.begin(); i != r.end(); ++i) run_part_timed(*parts_[i]);
                          },
                          tbb::simple_partitioner());
      });
    }
    window_parity_ ^= 1;
    ++windows_;
    now_us_ = std::max(now_us_, static_cast<TimeUs>(w) * lookahead);
    Status status = CollectFailure();
    if (!status.ok()) return status;
    if (limit == end_us) break;  // the rest of this window (time >= end_us) waits for the next call
  }
  now_us_ = std::max(now_us_, end_us);
  return Status::Ok();
}

template <class Model>
Status Engine<Model>::CollectFailure() {
  const internal::Failure* first = nullptr;
  for (const auto& part : parts_) {
    if (!part->failure) continue;
    const internal::Failure& f = *part->failure;
    if (first == nullptr || std::tie(f.time_us, f.lp) < std::tie(first->time_us, first->lp)) first = &f;
  }
  if (first == nullptr) return Status::Ok();
  failed_ = true;
  failure_ = first->message;
  return Status::Error(failure_);
}

template <class Model>
template <bool kObserve>
void Engine<Model>::RunWindow(Part& part, uint64_t window, TimeUs limit_us) {
  // 1. Take in the events other partitions sent during the previous window.
  const uint32_t read_parity = static_cast<uint32_t>(window_parity_ ^ 1);
  part.calendar.AdvanceTo(window);
  for (auto& src : parts_) {
    std::vector<Ev>& inbox = src->out[read_parity][part.index];
    for (const Ev& ev : inbox) part.calendar.Push(ev);
    inbox.clear();
  }
  part.out_min_window = kNoWindow;

  // 2. Sort this window's events LP-major, each LP's events in delivery order.
  part.window.clear();
  part.calendar.DrainBase(&part.window);
  part.sorter.Sort(&part.window, static_cast<TimeUs>(window) * options_.lookahead_us);

  // 3. Process LP by LP, merging in the self events an LP sends into this same window.
  Context<Payload> ctx;
  ctx.part_ = &part;
  ctx.lp_partition_ = &lp_partition_;
  ctx.limit_us_ = limit_us;
  ctx.lookahead_us_ = options_.lookahead_us;
  ctx.parity_ = static_cast<uint32_t>(window_parity_);
  const size_t n = part.window.size();
  size_t i = 0;
  // Where each LP's events begin, so that LPs a few runs ahead can be prefetched.
  size_t run = 0;
  if constexpr (PrefetchingModel<Model>) {
    part.lp_runs.clear();
    for (size_t k = 0; k < n; ++k) {
      if (k == 0 || part.window[k].dst_lp != part.window[k - 1].dst_lp) part.lp_runs.push_back(static_cast<uint32_t>(k));
    }
    for (size_t r = 0; r < std::min<size_t>(part.lp_runs.size(), kPrefetchStateRuns); ++r) {
      PrefetchLp(part.window[part.lp_runs[r]].dst_lp, PrefetchStage::kState);
    }
    for (size_t r = 0; r < std::min<size_t>(part.lp_runs.size(), kPrefetchReferencedRuns); ++r) {
      model_->Prefetch(part.window[part.lp_runs[r]].dst_lp, PrefetchStage::kReferenced);
    }
  }
  auto commit = [&](const Ev& ev) {
    ctx.now_us_ = ev.time_us;
    ++part.committed;
    part.fingerprint += CommittedEventHash(ev);
    if constexpr (kObserve) observer_->OnCommit(part.index, ev);
    model_->Handle(ctx, ev);
  };
  while (i < n && !part.failure) {
    const LpId lp = part.window[i].dst_lp;
    if constexpr (PrefetchingModel<Model>) {
      // LP runs are visited in order, but a failure or a stop mid-window may skip ahead.
      while (run < part.lp_runs.size() && part.lp_runs[run] < i) ++run;
      if (run + kPrefetchStateRuns < part.lp_runs.size()) {
        PrefetchLp(part.window[part.lp_runs[run + kPrefetchStateRuns]].dst_lp, PrefetchStage::kState);
      }
      if (run + kPrefetchReferencedRuns < part.lp_runs.size()) {
        model_->Prefetch(part.window[part.lp_runs[run + kPrefetchReferencedRuns]].dst_lp, PrefetchStage::kReferenced);
      }
    }
    LpState& state = lp_state_[lp];
    ctx.lp_ = lp;
    ctx.rng_ = &state.rng;
    ctx.next_seq_ = &state.next_seq;
    for (;;) {
      const bool have_sorted = i < n && part.window[i].dst_lp == lp && part.window[i].time_us < limit_us;
      if (!part.local.empty() && (!have_sorted || DeliveredBefore(part.local.front(), part.window[i]))) {
        std::pop_heap(part.local.begin(), part.local.end(), Context<Payload>::LaterDelivered);
        const Ev ev = part.local.back();
        part.local.pop_back();
        commit(ev);
      } else if (have_sorted) {
        commit(part.window[i++]);
      } else {
        break;
      }
      if (part.failure) break;
    }
    // Events of this LP at or after the limit (a run that stops mid-window) wait.
    while (i < n && part.window[i].dst_lp == lp) part.calendar.Push(part.window[i++]);
  }
  part.local.clear();

  // 4. Where this partition's next work is.
  part.next_window = part.calendar.NextWindow();
}

template <class Model>
EngineStats Engine<Model>::stats() const {
  EngineStats s;
  s.events_sent = initial_events_;
  s.windows = windows_;
  s.window_s = window_s_;
  if (arena_ == nullptr) s.busy_s = window_s_;  // one thread: never waiting at a barrier
  for (const auto& part : parts_) {
    if (arena_ != nullptr) s.busy_s += part->busy_s;
    s.events_committed += part->committed;
    s.events_sent += part->sent;
    s.events_cross_partition += part->cross;
    s.fingerprint += part->fingerprint;
    s.events_pending += part->calendar.size();
    for (const auto& parity : part->out) {
      for (const auto& box : parity) s.events_pending += box.size();
    }
  }
  s.fingerprint = FinishFingerprint(s.fingerprint, s.events_committed);
  return s;
}

template <class Model>
size_t Engine<Model>::event_bytes_reserved() const {
  size_t bytes = 0;
  for (const auto& part : parts_) {
    bytes += part->calendar.bytes_reserved() + part->window.capacity() * sizeof(Ev) + part->sorter.bytes_reserved();
    for (const auto& parity : part->out) {
      for (const auto& box : parity) bytes += box.capacity() * sizeof(Ev);
    }
  }
  return bytes;
}

}  // namespace clawsim::engine
