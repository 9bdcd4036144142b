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
inline constexpr int kSampleChunks = 1 + 1 + 3 + 2;
inline constexpr double kSampleWallS = 1.25;

RunInfo SampleRunInfo();  // trace level full
model::RunSummary SampleSummary();
std::vector<model::EmployeeMetrics> SampleEmployees();
std::vector<model::DailyMetrics> SampleDaily();
AuditRecord SampleAuditRecord(int i);  // i in [0, kSampleAuditRecords)
TraceEvent SampleTraceEvent(int i);    // i in [0, kSampleTraceEvents)

// Writes the whole sample run (header, daily rows, employee rows, audit records, trace
// events, footer) through a RunFileWriter and commits it to `path`.
Status WriteSampleRunFile(const std::string& path, RunFileWriterOptions options = {});

}  // namespace clawsim::run::testing
