// A small synthetic run with known numbers, shared by the C++ tests, the run_file_fixture
// program and (by value) tests/run/read_run_file.py. Change a number here and the script's
// expectations must change with it.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/model/metrics.h"
#include "sim/run/run_file_writer.h"
#include "sim/run/run_info.h"

namespace clawsim::run::testing {

inline constexpr int kSampleEmployees = 5;
inline constexpr int kSampleDays = 3;
inline constexpr int kSampleAuditRecords = 10000;  // 3 chunks of at most 4096
inline constexpr int kSampleTraceEvents = 5000;    // 2 chunks
inline constexpr int kSampleSpans = 6000;          // 2 chunks
inline constexpr int kSampleChunks = 1 + 1 + 3 + 2 + 2;
// Audit records without an agent (a person's own action): every fifth.
inline constexpr int kSampleHumanAuditRecords = kSampleAuditRecords / 5;
inline constexpr double kSampleWallS = 1.25;

RunInfo SampleRunInfo();  // trace level full
model::RunSummary SampleSummary();
std::vector<model::EmployeeMetrics> SampleEmployees();
std::vector<model::DailyMetrics> SampleDaily();
AuditRecord SampleAuditRecord(int i);  // i in [0, kSampleAuditRecords)
TraceEvent SampleTraceEvent(int i);    // i in [0, kSampleTraceEvents)
// Span i (its id is i: the writer numbers them). By i % 4: 0 and 3 human tasks, 1 agent
// invocations, 2 prod pipeline stages; every i % 1000 == 999 is an incident instead. The
// causal chain (tests/viz and RUN_FILE.md rely on it): incident 999 was caused by deploy 249
// (stage span 998) and by audit record 1998 (deploy.prod), which was caused by invocation
// span 1993, an agent_error.
Span SampleSpan(int i);                // i in [0, kSampleSpans)
// Two bands: the first holds its value, the second does not.
std::vector<CalibrationBand> SampleCalibration();

// Writes the whole sample run (header, daily rows, employee rows, audit records, spans, trace
// events, footer) through a RunFileWriter and commits it to `path`.
Status WriteSampleRunFile(const std::string& path, RunFileWriterOptions options = {});

}  // namespace clawsim::run::testing
