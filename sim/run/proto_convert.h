// Conversions between the model's metric structs (sim/model/metrics.h) and their run-file
// messages (sim/proto/run.proto). Exact both ways: integers are copied, doubles keep their
// bits, so ToProto then FromProto gives back an equal struct.
//
// Used by RunFileWriter (model to proto) and by readers such as `clawsim inspect`, the
// viewer and tests (proto to model). The model itself never sees protobuf types.
#pragma once

#include "sim/model/metrics.h"
#include "sim/proto/run.pb.h"
#include "sim/run/run_info.h"

namespace clawsim::run {

void ToProto(const model::TokenTally& in, proto::TokenTally* out);
void ToProto(const model::DailyMetrics& in, proto::DailyRow* out);
void ToProto(const model::EmployeeMetrics& in, proto::EmployeeRow* out);
// The summary without threads and wall_s, which live in the header and the footer.
void ToProto(const model::RunSummary& in, proto::RunSummary* out);
void ToProto(const AuditRecord& in, proto::AuditRecord* out);
void ToProto(const TraceEvent& in, proto::TraceEvent* out);
void ToProto(const InjectionEmail& in, proto::InjectionEmail* out);
// Writes every field as given (ids included: kAutoId is the writer's to replace first).
void ToProto(const Span& in, proto::Span* out);
// The header for `info`, with this build's version and format version (and the
// model::GateOutcome, model::Trigger and model::Purpose names as decision, trigger and
// purpose names where info leaves those tables empty).
void ToProto(const RunInfo& info, proto::RunHeader* out);

model::TokenTally FromProto(const proto::TokenTally& in);
model::DailyMetrics FromProto(const proto::DailyRow& in);
model::EmployeeMetrics FromProto(const proto::EmployeeRow& in);
// threads and wall_s come from the header and the footer.
model::RunSummary FromProto(const proto::RunSummary& in, uint32_t threads, double wall_s);
// An absent id (a 1.0 file) reads as kAutoId; only the first cause is kept.
AuditRecord FromProto(const proto::AuditRecord& in);
TraceEvent FromProto(const proto::TraceEvent& in);
Span FromProto(const proto::Span& in);

proto::TraceLevel TraceLevelToProto(TraceLevel level);
// Fails for TRACE_LEVEL_UNSPECIFIED and values this build does not know.
Status FromProto(proto::TraceLevel in, TraceLevel* out);

}  // namespace clawsim::run
