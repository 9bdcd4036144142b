#include "mock_services/deploy_catalog.h"

#include <algorithm>

#include <boost/graph/breadth_first_search.hpp>

namespace clawsim::services {

Status ServiceCatalog::Build(std::vector<ServiceSpec> services, std::vector<FreezeWindow> freezes,
                             ServiceCatalog* out) {
  const size_t n = services.size();
  ServiceCatalog c;
  c.graph_ = Graph(n);
  for (size_t s = 0; s < n; ++s) {
    for (ServiceId d : services[s].depends_on) {
      if (d >= n) {
        return Status::Error("deploy: service \"" + services[s].name + "\" depends on service " + std::to_string(d) +
                             ", which does not exist (there are " + std::to_string(n) + " services)");
      }
      if (d == s) {
        return Status::Error("deploy: service \"" + services[s].name + "\" depends on itself; remove it from depends_on");
      }
      boost::add_edge(d, s, c.graph_);
    }
  }
  // Kahn's algorithm: a service left with unmet dependencies after peeling sits on a cycle.
  {
    std::vector<uint32_t> unmet(n, 0);
    for (size_t s = 0; s < n; ++s) {
      for (auto [it, end] = boost::adjacent_vertices(s, c.graph_); it != end; ++it) ++unmet[*it];
    }
    std::vector<size_t> ready;
    for (size_t s = 0; s < n; ++s) {
      if (unmet[s] == 0) ready.push_back(s);
    }
    size_t peeled = 0;
    while (!ready.empty()) {
      const size_t s = ready.back();
      ready.pop_back();
      ++peeled;
      for (auto [it, end] = boost::adjacent_vertices(s, c.graph_); it != end; ++it) {
        if (--unmet[*it] == 0) ready.push_back(*it);
      }
    }
    if (peeled != n) {
      for (size_t s = 0; s < n; ++s) {
        if (unmet[s] > 0) {
          return Status::Error("deploy: the service dependency graph has a cycle through \"" + services[s].name +
                               "\"; services must form a DAG (an incident could otherwise spread forever)");
        }
      }
    }
  }
  for (const FreezeWindow& f : freezes) {
    if (f.end_us <= f.start_us) return Status::Error("deploy: a freeze window must end after it starts");
    if (f.service != kNoId && f.service >= n) {
      return Status::Error("deploy: a freeze window names service " + std::to_string(f.service) + ", which does not exist");
    }
  }

  // Direct dependents in id order (flat CSR), and the size of each reachable set.
  c.dependents_begin_.assign(n + 1, 0);
  for (size_t s = 0; s < n; ++s) {
    std::vector<ServiceId> direct;
    for (auto [it, end] = boost::adjacent_vertices(s, c.graph_); it != end; ++it) direct.push_back(static_cast<ServiceId>(*it));
    std::sort(direct.begin(), direct.end());
    direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
    c.dependents_.insert(c.dependents_.end(), direct.begin(), direct.end());
    c.dependents_begin_[s + 1] = static_cast<uint32_t>(c.dependents_.size());
  }
  c.transitive_dependents_.resize(n);
  std::vector<boost::default_color_type> color(n);
  for (size_t s = 0; s < n; ++s) {
    std::fill(color.begin(), color.end(), boost::white_color);
    boost::breadth_first_visit(c.graph_, s, boost::color_map(boost::make_iterator_property_map(
                                                color.begin(), boost::get(boost::vertex_index, c.graph_))));
    const auto reached = std::count_if(color.begin(), color.end(), [](auto k) { return k != boost::white_color; });
    c.transitive_dependents_[s] = static_cast<uint32_t>(reached - 1);  // not counting itself
  }
  c.specs_ = std::move(services);
  c.freezes_ = std::move(freezes);
  *out = std::move(c);
  return Status::Ok();
}

bool ServiceCatalog::InFreeze(ServiceId s, engine::TimeUs t_us) const {
  for (const FreezeWindow& f : freezes_) {
    if ((f.service == kNoId || f.service == s) && t_us >= f.start_us && t_us < f.end_us) return true;
  }
  return false;
}

engine::TimeUs ServiceCatalog::FreezeEnd(ServiceId s, engine::TimeUs t_us) const {
  engine::TimeUs end = t_us;
  for (bool extended = true; extended;) {
    extended = false;
    for (const FreezeWindow& f : freezes_) {
      if ((f.service == kNoId || f.service == s) && end >= f.start_us && end < f.end_us) {
        end = f.end_us;
        extended = true;
      }
    }
  }
  return end;
}

Target ServiceCatalog::AsTarget(ServiceId s, engine::TimeUs t_us) const {
  Target t;
  t.id = s;
  t.owner = specs_[s].owner;
  t.team = specs_[s].owner_team;
  t.transitive_dependents = transitive_dependents_[s];
  t.in_freeze = InFreeze(s, t_us);
  return t;
}

}  // namespace clawsim::services
