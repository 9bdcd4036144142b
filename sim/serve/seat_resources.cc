// Resources: each seat's inbox and channels, read through the tools, and their change signatures.
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

std::vector<ResourceSpec> SeatTools::Resources() const {
  std::vector<ResourceSpec> out;
  const model::World& w = host_->world();
  for (const model::SeatInfo& seat : w.seats) {
    const std::string name = sc_.organization.employees[seat.employee].name;
    out.push_back({"clawsim://seat/" + name + "/inbox", name + "'s inbox",
                   "The messages in " + name + "'s inbox, as list_mail shows them (reading is email.read).", "text/plain"});
    for (uint32_t c = 0; c < sc_.chat.channels.size(); ++c) {
      const auto& members = w.channel_members[c];
      if (!std::binary_search(members.begin(), members.end(), seat.employee)) continue;
      const std::string& ch = sc_.chat.channels[c].name;
      out.push_back({"clawsim://seat/" + name + "/channel/" + ch, "#" + ch + " as " + name + " sees it",
                     "The latest messages of channel " + ch + ", as read_channel shows them (reading is chat.read).",
                     "text/plain"});
    }
  }
  return out;
}

bool SeatTools::ResourceCall(const std::string& uri, uint32_t* seat, std::string* tool, Json* args) const {
  const std::string prefix = "clawsim://seat/";
  if (uri.rfind(prefix, 0) != 0) return false;
  const std::string rest = uri.substr(prefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) return false;
  auto it = employee_by_name_.find(rest.substr(0, slash));
  const model::World& w = host_->world();
  if (it == employee_by_name_.end() || w.seat_of_employee[it->second] == model::kNoSeat) return false;
  *seat = w.seat_of_employee[it->second];
  const std::string what = rest.substr(slash + 1);
  *args = {{"seat", it->first}};
  if (what == "inbox") {
    *tool = "list_mail";
    return true;
  }
  if (what.rfind("channel/", 0) == 0) {
    *tool = "read_channel";
    (*args)["channel"] = what.substr(8);
    return true;
  }
  return false;
}

uint64_t SeatTools::ResourceSignature(const std::string& uri) const {
  uint32_t seat = 0;
  std::string tool;
  Json args;
  if (!ResourceCall(uri, &seat, &tool, &args)) return 0;
  const model::OrgModel& m = host_->model();
  const uint32_t e = host_->world().seats[seat].employee;
  if (tool == "list_mail") {
    const services::Mailbox& box = m.employees()[e].mailbox;
    std::vector<uint32_t> inbox;
    box.List(services::Mailbox::ListFilter::kInbox, SIZE_MAX, &inbox);
    return (uint64_t{box.slot_count()} << 32) ^ inbox.size() ^ (inbox.empty() ? 0 : uint64_t{inbox.front()} << 16);
  }
  for (uint32_t c = 0; c < sc_.chat.channels.size(); ++c) {
    if (sc_.chat.channels[c].name != args["channel"].get<std::string>()) continue;
    const auto& msgs = m.channels()[c].channel.messages();
    return msgs.empty() ? 1 : (uint64_t{msgs.back().id} << 1) | 1;
  }
  return 0;
}

ResourceContent SeatTools::Read(const std::string& uri) {
  uint32_t seat = 0;
  std::string tool;
  Json args;
  ResourceContent c;
  if (!ResourceCall(uri, &seat, &tool, &args)) {
    c.not_found = true;
    return c;
  }
  if (host_->world().seats.size() == 1) args.erase("seat");
  const ToolOutcome out = Call(tool, args, nullptr);
  if (out.error) {
    c.refused = *out.error;
  } else if (out.is_error) {
    c.refused = out.text;
  } else {
    c.text = out.text;
  }
  return c;
}

std::vector<std::string> SeatTools::Changed(const std::vector<std::string>& uris) {
  std::vector<std::string> changed;
  for (const std::string& uri : uris) {
    const uint64_t now = ResourceSignature(uri);
    auto [it, inserted] = resource_state_.try_emplace(uri, now);
    if (!inserted && it->second != now) {
      it->second = now;
      changed.push_back(uri);
    }
  }
  return changed;
}

}  // namespace clawsim::serve
