#include "sim/study/measures.h"

#include "sim/proto/run.pb.h"
#include "sim/run/proto_convert.h"

namespace clawsim::study {

Measures SummaryMeasures(const model::RunSummary& summary) {
  proto::RunSummary p;
  run::ToProto(summary, &p);
  Measures out;
  CollectMeasures(p, "", &out);
  return out;
}

Measures DailyMeasures(const model::DailyMetrics& day) {
  proto::DailyRow p;
  run::ToProto(day, &p);
  p.clear_day();
  Measures all;
  CollectMeasures(p, "", &all);
  Measures out;
  for (size_t i = 0; i < all.names.size(); ++i) {
    if (all.names[i] == "day") continue;
    out.names.push_back(all.names[i]);
    out.values.push_back(all.values[i]);
  }
  return out;
}

}  // namespace clawsim::study
