#include "sim/study/mpi_runner.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <string>

#if CLAWSIM_WITH_MPI
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "sim/proto/study.pb.h"
#include "sim/study/run_pool.h"
#endif

namespace clawsim::study {
namespace {

int EnvInt(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? 0 : std::atoi(v);
}

}  // namespace

bool MpiLaunched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (EnvInt(name) > 1) return true;
  }
  return false;
}

namespace {
// Working ranks on this host (set by MpiInit; rank 0 dispatches and does not count).
int g_workers_on_host = 0;
}  // namespace

int MpiCoresPerRank(int cores) {
  int local = g_workers_on_host;
  if (local <= 0) local = EnvInt("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (local <= 0) local = 1;
  return std::max(1, cores / local);
}

#if CLAWSIM_WITH_MPI

namespace {

enum Tag : int { kRequest = 1, kRun = 2, kResult = 3, kDone = 4 };

Status MpiError(const char* what, int rc) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  return Status::Error(std::string("MPI ") + what + ": " + std::string(text, static_cast<size_t>(len)));
}

RunRecord FromMessage(const proto::StudyRunMessage& m) {
  RunRecord r;
  r.run_index = m.run_index();
  r.ok = m.ok();
  r.error = m.error();
  r.wall_s = m.wall_s();
  r.threads = static_cast<int>(m.threads());
  r.measures.names.assign(m.measure_names().begin(), m.measure_names().end());
  r.measures.values.assign(m.measure_values().begin(), m.measure_values().end());
  r.daily_names.assign(m.daily_names().begin(), m.daily_names().end());
  r.daily_values.assign(m.daily_values().begin(), m.daily_values().end());
  r.days = m.days();
  return r;
}

std::string ToMessage(const RunRecord& r) {
  proto::StudyRunMessage m;
  m.set_run_index(r.run_index);
  m.set_ok(r.ok);
  m.set_error(r.error);
  m.set_wall_s(r.wall_s);
  m.set_threads(static_cast<uint32_t>(r.threads));
  for (const std::string& n : r.measures.names) m.add_measure_names(n);
  for (double v : r.measures.values) m.add_measure_values(v);
  for (const std::string& n : r.daily_names) m.add_daily_names(n);
  for (double v : r.daily_values) m.add_daily_values(v);
  m.set_days(r.days);
  return m.SerializeAsString();
}

}  // namespace

bool MpiBuilt() { return true; }

Status MpiInit(int* rank, int* size) {
  int provided = 0;
  if (int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided); rc != MPI_SUCCESS) {
    return MpiError("init", rc);
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  if (provided < MPI_THREAD_SERIALIZED) setenv("CLAWSIM_MPI_SINGLE_THREAD", "1", 1);
  // Ranks sharing this host, less rank 0 if it is one of them: they split the host's cores.
  MPI_Comm host;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &host) == MPI_SUCCESS) {
    int on_host = 0, has_rank0 = 0;
    const int is_rank0 = *rank == 0 ? 1 : 0;
    MPI_Comm_size(host, &on_host);
    MPI_Allreduce(&is_rank0, &has_rank0, 1, MPI_INT, MPI_MAX, host);
    MPI_Comm_free(&host);
    g_workers_on_host = std::max(1, on_host - has_rank0);
  }
  return Status::Ok();
}

void MpiFinalize() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Finalize();
}

void MpiAbort(int exit_code) { MPI_Abort(MPI_COMM_WORLD, exit_code); }

Status MpiServe(const std::vector<uint32_t>& pending, const std::function<bool()>& stop,
                const std::function<void(RunRecord&&)>& on_result) {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  size_t next = 0;
  int workers_done = 0;
  size_t outstanding = 0;
  while (workers_done < size - 1 || outstanding > 0) {
    // Poll rather than block: a blocking probe spins a core in most MPI libraries, and rank 0
    // often shares its host with a worker. Runs take seconds; a millisecond's delay is nothing.
    MPI_Status st;
    int arrived = 0;
    if (int rc = MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &st); rc != MPI_SUCCESS) {
      return MpiError("probe", rc);
    }
    if (!arrived) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (st.MPI_TAG == kRequest) {
      MPI_Recv(nullptr, 0, MPI_BYTE, st.MPI_SOURCE, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      int32_t index = -1;
      if (next < pending.size() && !stop()) {
        index = static_cast<int32_t>(pending[next++]);
        ++outstanding;
      }
      if (int rc = MPI_Send(&index, 1, MPI_INT32_T, st.MPI_SOURCE, kRun, MPI_COMM_WORLD); rc != MPI_SUCCESS) {
        return MpiError("send", rc);
      }
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&st, MPI_BYTE, &bytes);
    std::string buf(static_cast<size_t>(bytes), '\0');
    MPI_Recv(buf.data(), bytes, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (st.MPI_TAG == kResult) {
      proto::StudyRunMessage m;
      if (!m.ParseFromString(buf)) return Status::Error("MPI: rank " + std::to_string(st.MPI_SOURCE) + " sent a damaged result");
      --outstanding;
      on_result(FromMessage(m));
    } else {
      ++workers_done;  // kDone: every pool thread of that worker has been told "no more"
    }
  }
  return Status::Ok();
}

Status MpiWork(const StudySpec& spec, const std::vector<PlannedRun>& plan, int jobs, int threads) {
  std::signal(SIGINT, SIG_IGN);
  if (std::getenv("CLAWSIM_MPI_SINGLE_THREAD") != nullptr) jobs = 1;
  std::mutex mpi;
  Status failure;
  RunConcurrently(jobs, [&](int) {
    while (true) {
      int32_t index = -1;
      {
        std::lock_guard<std::mutex> lock(mpi);
        if (!failure.ok()) return;
        int rc = MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD);
        if (rc == MPI_SUCCESS) rc = MPI_Recv(&index, 1, MPI_INT32_T, 0, kRun, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) failure = MpiError("asking rank 0 for a run", rc);
      }
      if (index < 0 || static_cast<size_t>(index) >= plan.size()) return;
      const std::string result = ToMessage(ExecuteRun(spec, plan, static_cast<uint32_t>(index), threads));
      std::lock_guard<std::mutex> lock(mpi);
      if (int rc = MPI_Send(result.data(), static_cast<int>(result.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
          rc != MPI_SUCCESS) {
        failure = MpiError("sending a result to rank 0", rc);
        return;
      }
    }
  });
  // Last message: this rank will ask for nothing more.
  if (int rc = MPI_Send(nullptr, 0, MPI_BYTE, 0, kDone, MPI_COMM_WORLD); rc != MPI_SUCCESS && failure.ok()) {
    failure = MpiError("saying goodbye to rank 0", rc);
  }
  return failure;
}

#else  // !CLAWSIM_WITH_MPI

bool MpiBuilt() { return false; }
Status MpiInit(int*, int*) {
  return Status::Error("this clawsim was built without MPI (configure with -DCLAWSIM_WITH_MPI=ON and libopenmpi-dev)");
}
void MpiFinalize() {}
void MpiAbort(int) {}
Status MpiServe(const std::vector<uint32_t>&, const std::function<bool()>&, const std::function<void(RunRecord&&)>&) {
  return Status::Error("this clawsim was built without MPI");
}
Status MpiWork(const StudySpec&, const std::vector<PlannedRun>&, int, int) {
  return Status::Error("this clawsim was built without MPI");
}

#endif

}  // namespace clawsim::study
