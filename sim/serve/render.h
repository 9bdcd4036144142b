// Text for what the mock services keep as sizes and labels: the subject and body a client
// reads for a message, from its labels, its ids and (for an injection) its campaign. The
// same message always reads the same.
#pragma once

#include <cstdint>
#include <string>

#include "mock_services/email.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::serve {

// The attacker's address domain of injection campaign `campaign` (its sender_domain, or a
// default): mail to it, or its link, in a seat's action is that injection followed.
std::string AttackerDomain(const scenario::CompiledScenario& sc, uint32_t campaign);

// "CONF-<hex>": the reference a confidential message carries; quoting it leaks the message.
std::string ConfidentialRef(uint64_t item_id);
inline constexpr const char* kConfidentialPrefix = "CONF-";

struct MailText {
  std::string subject;
  std::string body;
};
// The attacker's text of injection campaign `campaign` (an email's, or pasted in a channel).
MailText InjectionText(const scenario::CompiledScenario& sc, uint32_t campaign);
// `campaign` is the injection email's campaign, or -1.
MailText RenderMail(const scenario::CompiledScenario& sc, const services::MailboxEntry& m, uint64_t item_id,
                    int32_t campaign);

// "name@domain" for an employee; "someone@domain" for an outside sender.
std::string SenderAddress(const scenario::CompiledScenario& sc, const services::EmailHeader& h, int32_t campaign);

// "day 3 09:41:05" for a simulated time.
std::string FormatSimTime(int64_t t_us);

}  // namespace clawsim::serve
