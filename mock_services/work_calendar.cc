#include "mock_services/work_calendar.h"

#include <string>

namespace clawsim::services {

using engine::kUsPerDay;
using engine::kUsPerHour;
using engine::TimeUs;

Status WorkCalendar::Validate() const {
  if (start_hour < 0 || start_hour > 23) {
    return Status::Error("work calendar: start_hour must be in 0..23, got " + std::to_string(start_hour));
  }
  if (end_hour <= start_hour || end_hour > 24) {
    return Status::Error("work calendar: end_hour must be in start_hour+1..24, got " + std::to_string(end_hour));
  }
  if (first_weekday < 0 || first_weekday > 6) {
    return Status::Error("work calendar: first_weekday must be in 0..6 (0 = Monday), got " +
                         std::to_string(first_weekday));
  }
  return Status::Ok();
}

bool WorkCalendar::IsWorkingDay(int64_t day) const {
  if (work_weekends) return true;
  const int64_t weekday = (day + first_weekday) % 7;
  return weekday < 5;
}

bool WorkCalendar::IsWorking(TimeUs t_us) const {
  const int64_t day = DayIndex(t_us);
  if (!IsWorkingDay(day)) return false;
  const TimeUs in_day = t_us - day * kUsPerDay;
  return in_day >= start_hour * kUsPerHour && in_day < end_hour * kUsPerHour;
}

TimeUs WorkCalendar::NextWorkStart(TimeUs t_us) const {
  if (IsWorking(t_us)) return t_us;
  // At most a weekend plus one day away; 8 days covers every valid calendar.
  for (int64_t day = DayIndex(t_us); day <= DayIndex(t_us) + 8; ++day) {
    if (!IsWorkingDay(day)) continue;
    const TimeUs start = day * kUsPerDay + start_hour * kUsPerHour;
    if (start >= t_us) return start;
  }
  return engine::kTimeInfinity;  // unreachable for a validated calendar
}

}  // namespace clawsim::services
