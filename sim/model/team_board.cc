// A team's board of changes (CodeWork::Assignment::kTeamBoard): a change that arrives for
// one of the team's people goes on the board, and whoever of the team (of the same role) has
// no change in hand takes the oldest one, as a team pulls from a shared backlog. The team's
// changes are still set by its arrivals; who does them follows who has room.
//
// The board lives on the team's chat channel LP. People post and ask by message and the
// channel answers by message (each at least the lookahead), so who gets which change is
// decided in the channel's event order: the same at any thread count.
#include <algorithm>
#include <bit>

#include "sim/model/org_model.h"

namespace clawsim::model {
namespace {

Payload ChangePayload(const BoardChange& c) {
  Payload p;
  p.c = c.role;
  p.x = c.value_usd;
  p.y = c.effort_minutes;
  p.t = c.arrived_us;
  p.u = std::bit_cast<uint64_t>(c.quality);
  p.v = std::bit_cast<uint64_t>(c.defect_draw);
  return p;
}

BoardChange ChangeOf(const Payload& p) {
  BoardChange c;
  c.role = p.c;
  c.value_usd = p.x;
  c.effort_minutes = p.y;
  c.arrived_us = p.t;
  c.quality = std::bit_cast<double>(p.u);
  c.defect_draw = std::bit_cast<double>(p.v);
  return c;
}

// A change the person must work on themselves: not a backlog change, nor one handed whole
// to an agent (those leave them free to take another).
bool OwnChange(const Task& t) {
  return t.kind == TaskKind::kCode && !(t.state & (kTaskBacklog | kTaskAgentLed | kTaskAwaitingAgent));
}

}  // namespace

bool OrgModel::OnBoard(EmployeeId e) const {
  // Only people whose role writes changes take them from a board (a manager with none never asks).
  const scenario::CodeWork& code = sc().role(sc().organization.employees[e].role).code;
  return code.assignment == scenario::CodeWork::Assignment::kTeamBoard && code.changes.per_day > 0 &&
         TeamChannel(e) != kNoTarget;
}

void OrgModel::PostToBoard(Ctx& ctx, EmployeeState& s, engine::Rng& rng) {
  // Drawn here, from the work stream of the person it arrived for: the same draws with or
  // without agents, whoever takes it.
  const EmployeeId self = ctx.lp();
  const scenario::Role role = sc().organization.employees[self].role;
  const scenario::CodeWork& code = sc().role(role).code;
  BoardChange c;
  c.role = static_cast<uint32_t>(role);
  c.value_usd = Sample(code.changes.value_usd, rng);
  c.effort_minutes = Sample(code.changes.effort_minutes, rng);
  c.quality = Sample(code.quality, rng);
  c.defect_draw = rng.Uniform01();
  c.arrived_us = ctx.now_us();
  ++s.items_arrived;
  s.value_arrived_usd += c.value_usd;
  ctx.Send(world_->ChannelLp(TeamChannel(self)), Net(sc().chat.delivery_latency_us), kBoardPost, ChangePayload(c));
}

void OrgModel::AskBoard(Ctx& ctx, EmployeeState& s) {
  if (s.board_asked || !s.at_work || ctx.now_us() >= s.work_end_us) return;
  const EmployeeId self = ctx.lp();
  if (!OnBoard(self)) return;
  if (s.busy && OwnChange(s.current)) return;
  const auto& q = s.queues[static_cast<int>(TaskKind::kCode)];
  if (std::any_of(q.begin(), q.end(), OwnChange)) return;
  Payload p;
  p.a = self;
  p.c = static_cast<uint32_t>(sc().organization.employees[self].role);
  p.t = s.work_end_us;
  s.board_asked = true;
  ctx.Send(world_->ChannelLp(TeamChannel(self)), Net(sc().chat.delivery_latency_us), kBoardAsk, p);
}

void OrgModel::OnBoardTake(Ctx& ctx, EmployeeState& s, const Ev& ev) {
  s.board_asked = false;
  const EmployeeId self = ctx.lp();
  const BoardChange c = ChangeOf(ev.payload);
  const scenario::CodeWork& code = sc().role(sc().organization.employees[self].role).code;
  Task t;
  t.kind = TaskKind::kCode;
  t.value_usd = c.value_usd;
  t.effort_minutes = c.effort_minutes;
  t.base_effort_minutes = c.effort_minutes;
  // The taker writes it: their skill sets its quality.
  const double quality = std::clamp(c.quality * code.QualityFactor(world_->employees[self].traits.skill), 0.0, 1.0);
  if (c.defect_draw < 1 - quality) t.state |= kTaskDefective;
  t.arrived_us = c.arrived_us;  // lead time counts the wait on the board
  t.ref = s.next_change++;      // change ids are per author: results come back to the taker
  Enqueue(ctx, s, t);
}

void OrgModel::HandleBoard(Ctx& ctx, TeamBoard& b, const Ev& ev) {
  const TimeUs now = ctx.now_us();
  auto give = [&](EmployeeId who, const BoardChange& c) {
    ctx.Send(who, Net(sc().chat.delivery_latency_us), kBoardTake, ChangePayload(c));
  };
  if (ev.kind == kBoardPost) {
    const BoardChange c = ChangeOf(ev.payload);
    // Asks that lapsed (their day ended) are dropped as they are met.
    for (size_t i = 0; i < b.asks.size();) {
      if (b.asks[i].until_us <= now) {
        b.asks.erase(b.asks.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      if (b.asks[i].role == c.role) {
        give(b.asks[i].who, c);
        b.asks.erase(b.asks.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
      ++i;
    }
    b.changes.push_back(c);
    return;
  }
  // kBoardAsk
  const BoardAsk ask{ev.payload.a, ev.payload.c, ev.payload.t};
  if (ask.until_us <= now) return;  // their day ended on the way
  std::erase_if(b.asks, [now](const BoardAsk& a) { return a.until_us <= now; });  // lapsed: days that ended
  auto it = std::find_if(b.changes.begin(), b.changes.end(), [&](const BoardChange& c) { return c.role == ask.role; });
  if (it == b.changes.end()) {
    b.asks.push_back(ask);
    return;
  }
  give(ask.who, *it);
  b.changes.erase(it);
}

}  // namespace clawsim::model
