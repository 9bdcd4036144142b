// seats.json: the per-seat summary of a served run.
#include "sim/serve/seat_tools.h"

#include <algorithm>
#include <cstdio>

#include "sim/engine/time.h"
#include "sim/model/org_model.h"
#include "sim/model/world.h"
#include "sim/serve/render.h"
#include "sim/serve/tool_util.h"

namespace clawsim::serve {

using model::SeatTool;
using internal::EventName;
using internal::Lower;
using internal::Schema;
using internal::TokensOf;

std::string SeatTools::SummaryJson(const model::RunResult& result, const scenario::CompiledScenario& sc,
                                   const std::vector<std::vector<CallRecord>>& calls, bool tokens_estimated) {
  Json seats = Json::array();
  for (size_t i = 0; i < result.seats.size(); ++i) {
    const model::SeatState& st = result.seats[i];
    std::map<std::string, uint64_t> by_tool, by_decision;
    Json log = Json::array();
    if (i < calls.size()) {
      for (const CallRecord& r : calls[i]) {
        ++by_tool[r.tool];
        if (!r.decision.empty()) ++by_decision[r.decision];
        Json row = {{"tool", r.tool}, {"start_us", r.start_us}, {"end_us", r.end_us}};
        if (!r.decision.empty()) row["decision"] = r.decision;
        if (!r.outcome.empty()) row["outcome"] = r.outcome;
        if (r.audited) row["audit_id"] = r.audit_id;
        if (r.followed_injection) row["followed_injection"] = true;
        log.push_back(row);
      }
    }
    seats.push_back({{"employee", sc.organization.employees[st.employee].name},
                     {"agent_id", st.agent_id},
                     {"calls", by_tool},
                     {"decisions", by_decision},
                     {"injections_received", st.injections_received},
                     {"injections_read", st.injections_read.size()},
                     {"injections_followed", st.injections_followed},
                     {"leaks", st.leaks},
                     {"deploys_started", st.deploys_started},
                     {"incidents_caused", st.incidents_caused},
                     {"input_tokens", st.input_tokens},
                     {"output_tokens", st.output_tokens},
                     {"cost_usd", st.cost_usd},
                     {"call_log", log}});
  }
  Json root = {{"seats", seats},
               {"tokens", tokens_estimated ? "estimated for calls without _meta clawsim/usage (4 characters a token)"
                                           : "as reported by the client"}};
  return root.dump(2) + "\n";
}

}  // namespace clawsim::serve
