// WorkCalendar: when a human is at work, for approval queues and working-hours rules.
//
// Deliberately minimal: the same hours every working day, weekends optional. Run time 0 is
// midnight at the start of day 0, and `first_weekday` says which weekday day 0 is. The org
// model may pass its own calendar (for example one per employee) by filling this struct.
#pragma once

#include <cstdint>

#include "sim/common/status.h"
#include "sim/engine/time.h"

namespace clawsim::services {

struct WorkCalendar {
  int start_hour = 9;          // work starts at this hour (0..23), local = run time
  int end_hour = 17;           // work ends at this hour (start_hour < end_hour <= 24)
  bool work_weekends = false;  // false: Saturday and Sunday are off
  int first_weekday = 0;       // weekday of day 0: 0 = Monday ... 6 = Sunday

  // Checks the fields; messages name the field and the allowed range.
  Status Validate() const;

  static int64_t DayIndex(engine::TimeUs t_us) { return t_us / engine::kUsPerDay; }
  bool IsWorkingDay(int64_t day) const;
  // True when t_us falls inside working hours of a working day.
  bool IsWorking(engine::TimeUs t_us) const;
  // t_us itself when IsWorking(t_us), otherwise the start of the next working period.
  engine::TimeUs NextWorkStart(engine::TimeUs t_us) const;
};

}  // namespace clawsim::services
