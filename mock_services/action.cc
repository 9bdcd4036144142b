#include "mock_services/action.h"

namespace clawsim::services {
namespace {

constexpr bool TableMatchesEnum() {
  for (int i = 0; i < kNumActions; ++i) {
    if (ActionIndex(kActionTable[static_cast<size_t>(i)].action) != i) return false;
  }
  return true;
}
static_assert(TableMatchesEnum(), "kActionTable rows must follow the Action enumerators in order");

}  // namespace

std::string_view ActionName(Action a) {
  const int i = ActionIndex(a);
  return i >= 0 && i < kNumActions ? kActionTable[static_cast<size_t>(i)].name : "unknown";
}

bool ParseAction(std::string_view name, Action* out) {
  for (const ActionInfo& info : kActionTable) {
    if (info.name == name) {
      *out = info.action;
      return true;
    }
  }
  return false;
}

}  // namespace clawsim::services
