// Action: what a permission rule is about. One row per gated operation.
//
// To add an action: append an enumerator before kCount and a row to kActionTable (the
// static_assert in action.cc checks the two agree). Nothing else in the gate changes: the
// compiled policy sizes its per-action tables with kNumActions.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace clawsim::services {

enum class Action : uint8_t {
  kEmailRead,          // read, label or archive mail in a mailbox
  kEmailSendInternal,  // send, reply or forward to employees only
  kEmailSendExternal,  // send, reply or forward with at least one external recipient
  kChatRead,           // read a channel
  kChatPost,           // post, reply or react in a channel
  kDeployStaging,      // run a pipeline up to staging (build, staging)
  kDeployProd,         // run a pipeline to production (build, staging, canary, prod)
  kDeployRollback,     // roll a service back to its previous version
  kCount
};
inline constexpr int kNumActions = static_cast<int>(Action::kCount);

struct ActionInfo {
  Action action;
  std::string_view name;  // the name used in scenarios and audit logs, e.g. "email.read"
};

inline constexpr std::array<ActionInfo, kNumActions> kActionTable = {{
    {Action::kEmailRead, "email.read"},
    {Action::kEmailSendInternal, "email.send_internal"},
    {Action::kEmailSendExternal, "email.send_external"},
    {Action::kChatRead, "chat.read"},
    {Action::kChatPost, "chat.post"},
    {Action::kDeployStaging, "deploy.staging"},
    {Action::kDeployProd, "deploy.prod"},
    {Action::kDeployRollback, "deploy.rollback"},
}};

inline constexpr int ActionIndex(Action a) { return static_cast<int>(a); }
std::string_view ActionName(Action a);
// Parses "email.read" etc. Returns false (and leaves *out alone) for an unknown name.
bool ParseAction(std::string_view name, Action* out);

}  // namespace clawsim::services
