// Spreading a study's runs over MPI ranks (`mpirun -np K clawsim study ...`). The only
// place that includes mpi.h; built when CLAWSIM_WITH_MPI is on, otherwise every function
// here says MPI is absent.
//
// Roles: rank 0 hands out runs one at a time to whichever worker asks (dynamic assignment,
// so slow and fast runs balance), receives each finished run and alone writes the study
// database and the outputs. Ranks 1..K-1 are workers: each keeps `jobs` runs going (pool
// threads share the rank's MPI connection under a lock; MPI_THREAD_SERIALIZED). With K = 2
// there is one worker. Every rank loads the study file itself, so only run indices and
// results travel.
//
// Messages (tags): a worker's pool thread sends REQUEST (no data) and gets RUN (one int32: a
// plan index, or -1 for "no more"); it sends RESULT (a serialized proto::StudyRunMessage) when
// a run ends. Once all its pool threads have heard "no more", the worker sends DONE. Rank 0
// stops when every worker has sent DONE and every handed-out run is back.
// An interrupted rank 0 (SIGINT) answers "no more" to every request and still collects the
// runs in progress. Workers ignore SIGINT; interrupt rank 0 (or mpirun).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/common/status.h"
#include "sim/study/plan.h"

namespace clawsim::study {

// Whether this build has MPI.
bool MpiBuilt();

// Whether this process was started by an MPI launcher with more than one rank (from the
// launcher's environment: OMPI_COMM_WORLD_SIZE for
// Open MPI, PMI_SIZE for MPICH's launcher and Slurm's srun --mpi=pmi2). Call before
// MpiInit to decide whether to use MPI at all.
bool MpiLaunched();

// MPI_Init_thread (asking for MPI_THREAD_SERIALIZED); MpiFinalize at the end of the command.
Status MpiInit(int* rank, int* size);
void MpiFinalize();
// Ends every rank with `exit_code` (MPI_Abort): for a rank that fails while others may be
// waiting for it.
void MpiAbort(int exit_code);

// Rank 0: hands out `pending` (plan indices, in order) and calls on_result for each run
// that comes back, on this thread. `stop` is polled: once true, no more runs are handed out.
Status MpiServe(const std::vector<uint32_t>& pending, const std::function<bool()>& stop,
                const std::function<void(RunRecord&&)>& on_result);

// Ranks > 0: asks rank 0 for runs until told there are no more, running up to `jobs` at once
// with `threads` engine threads each.
Status MpiWork(const StudySpec& spec, const std::vector<PlannedRun>& plan, int jobs, int threads);

// Cores this rank may use: the host's cores shared among the working ranks on this host
// (rank 0 only dispatches, so it does not take a share). Known after MpiInit.
int MpiCoresPerRank(int cores);

}  // namespace clawsim::study
