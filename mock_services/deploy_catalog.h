// ServiceCatalog: the deployable services, who owns them, what depends on what, and when
// deploys are frozen. Built once (serially) and read-only afterwards, so every LP may read it.
//
// Dependency graph. An edge dependency -> dependent (Boost.Graph adjacency_list): incidents
// travel along edges, from a broken service to the services that depend on it. The graph
// must be acyclic. For each service the catalog precomputes its direct dependents (flat
// arrays, for event handlers) and the number of its transitive dependents (its blast radius,
// for the gate's max_transitive_dependents condition).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

// GCC 12 reports a false maybe-uninitialized inside Boost.Graph's edge iterator when an
// adjacency_list is copied at -O3; the pragma is scoped to Boost's own text (Clang, which the
// fuzzing build uses, has no such warning and would warn about the unknown name).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "mock_services/ids.h"
#include "mock_services/policy.h"
#include "sim/common/status.h"
#include "sim/engine/time.h"

namespace clawsim::services {

struct ServiceSpec {
  std::string name;
  TeamId owner_team = 0;
  EmployeeId owner = kNoId;              // the service's owner (tech lead), if any
  std::vector<ServiceId> depends_on;     // services this one calls
};

// Deploys to prod are refused while now is in [start_us, end_us).
struct FreezeWindow {
  engine::TimeUs start_us = 0;
  engine::TimeUs end_us = 0;
  ServiceId service = kNoId;  // kNoId: every service
};

class ServiceCatalog {
 public:
  // edge: dependency -> dependent
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

  // Checks ids, self-dependencies and cycles; messages name the service and the fix.
  static Status Build(std::vector<ServiceSpec> services, std::vector<FreezeWindow> freezes, ServiceCatalog* out);

  uint32_t size() const { return static_cast<uint32_t>(specs_.size()); }
  const ServiceSpec& spec(ServiceId s) const { return specs_[s]; }
  std::span<const ServiceId> dependents(ServiceId s) const {
    return {dependents_.data() + dependents_begin_[s], dependents_begin_[s + 1] - dependents_begin_[s]};
  }
  uint32_t transitive_dependents(ServiceId s) const { return transitive_dependents_[s]; }
  bool InFreeze(ServiceId s, engine::TimeUs t_us) const;
  // When the freeze that holds `s` at t_us ends (overlapping windows chained); t_us when
  // there is none.
  engine::TimeUs FreezeEnd(ServiceId s, engine::TimeUs t_us) const;
  // The gate target for a deploy or rollback of `s` at time t_us.
  Target AsTarget(ServiceId s, engine::TimeUs t_us) const;
  const Graph& graph() const { return graph_; }

 private:
  std::vector<ServiceSpec> specs_;
  std::vector<FreezeWindow> freezes_;
  Graph graph_;
  std::vector<uint32_t> dependents_begin_;  // CSR offsets, size() + 1 entries
  std::vector<ServiceId> dependents_;
  std::vector<uint32_t> transitive_dependents_;
};

}  // namespace clawsim::services
