// Mailbox operations, sending, rate limits, leaks, reply and forward.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "mock_services/email.h"

namespace clawsim::services {
namespace {

using engine::kUsPerHour;
using engine::kUsPerSecond;

EmailOptions Opts() {
  EmailOptions o;
  o.internal_latency_min_us = 2 * kUsPerSecond;
  o.internal_latency_jitter_mean_us = 0;  // exact delivery times
  o.max_sends_per_window = 2;
  return o;
}

TEST(EmailTest, SendProducesOneDeliveryPerInternalRecipientAndNoneOutside) {
  Mailbox alice(1), bob(2);
  engine::Rng rng = engine::Rng::ForStream(1, 1);
  SendSpec spec;
  spec.Add(Recipient::Employee(2));
  spec.Add(Recipient::Employee(3));
  spec.Add(Recipient::Domain(7));
  spec.size_tokens = 300;
  SendOutput out;
  ASSERT_EQ(alice.Send(spec, Opts(), 1000, rng, &out), Mailbox::SendStatus::kSent);
  ASSERT_EQ(out.num_deliveries, 2);
  EXPECT_EQ(out.num_external, 1);
  EXPECT_EQ(out.num_leaks, 0);  // not sensitive
  EXPECT_EQ(out.deliveries[0].to, 2u);
  EXPECT_EQ(out.deliveries[1].to, 3u);
  EXPECT_EQ(out.deliveries[0].deliver_at_us, 1000 + 2 * kUsPerSecond);
  const EmailHeader& h = out.deliveries[0].header;
  EXPECT_EQ(h.id, out.message_id);
  EXPECT_EQ(h.thread, h.id);  // a new thread
  EXPECT_EQ(h.sender, 1u);
  EXPECT_EQ(h.size_tokens, 300u);
  EXPECT_EQ(h.num_recipients, 3);
  EXPECT_EQ(alice.stats().sent, 1u);
  EXPECT_EQ(alice.stats().sent_external, 1u);
  bob.Deliver(h, out.deliveries[0].deliver_at_us);
  ASSERT_EQ(bob.entries().size(), 1u);
  EXPECT_EQ(bob.entries()[0].delivered_at_us, 1000 + 2 * kUsPerSecond);
  EXPECT_EQ(bob.stats().tokens_received, 300u);
}

TEST(EmailTest, SensitiveMailToOutsideIsALeakWithWhatAndWhom) {
  Mailbox alice(1);
  engine::Rng rng;
  SendSpec spec;
  spec.Add(Recipient::Employee(2));
  spec.Add(Recipient::Domain(4));
  spec.Add(Recipient::Domain(5));
  spec.labels = kLabelLegitimate | kLabelSensitive;
  spec.size_tokens = 120;
  spec.agent = 33;
  SendOutput out;
  ASSERT_EQ(alice.Send(spec, Opts(), 50, rng, &out), Mailbox::SendStatus::kSent);
  EXPECT_EQ(out.num_leaks, 2);
  ASSERT_EQ(alice.leaks().size(), 2u);
  const LeakRecord& l = alice.leaks()[1];
  EXPECT_EQ(l.time_us, 50);
  EXPECT_EQ(l.message_id, out.message_id);
  EXPECT_EQ(l.sender, 1u);
  EXPECT_EQ(l.agent, 33u);
  EXPECT_EQ(l.domain, 5u);
  EXPECT_EQ(l.size_tokens, 120u);
  // Sensitive mail that stays inside is no leak.
  SendSpec inside;
  inside.Add(Recipient::Employee(2));
  inside.labels = kLabelSensitive;
  ASSERT_EQ(alice.Send(inside, Opts(), 60, rng, &out), Mailbox::SendStatus::kSent);
  EXPECT_EQ(out.num_leaks, 0);
  EXPECT_EQ(alice.leaks().size(), 2u);
}

TEST(EmailTest, PerSenderRateLimitRefusesWithoutChangingState) {
  Mailbox alice(1);
  engine::Rng rng;
  SendSpec spec;
  spec.Add(Recipient::Domain(1));
  spec.labels = kLabelSensitive;
  SendOutput out;
  EXPECT_EQ(alice.Send(spec, Opts(), 0, rng, &out), Mailbox::SendStatus::kSent);
  EXPECT_EQ(alice.Send(spec, Opts(), 1, rng, &out), Mailbox::SendStatus::kSent);
  EXPECT_EQ(alice.Send(spec, Opts(), 2, rng, &out), Mailbox::SendStatus::kRateLimited);
  EXPECT_EQ(alice.stats().sent, 2u);
  EXPECT_EQ(alice.leaks().size(), 2u);  // the refused send leaked nothing
  EXPECT_EQ(alice.stats().rate_limited, 1u);
  EXPECT_EQ(alice.Send(spec, Opts(), kUsPerHour, rng, &out), Mailbox::SendStatus::kSent);  // next window
  SendSpec empty;
  EXPECT_EQ(alice.Send(empty, Opts(), kUsPerHour, rng, &out), Mailbox::SendStatus::kBadRequest);
}

TEST(EmailTest, ListReadLabelArchive) {
  Mailbox m(1);
  for (uint64_t i = 0; i < 4; ++i) {
    m.Deliver(ExternalMessage(3, i, 50, i == 2 ? kLabelPhishing : kLabelSpam, 0), static_cast<engine::TimeUs>(i));
  }
  std::vector<uint32_t> slots;
  EXPECT_EQ(m.List(Mailbox::ListFilter::kUnread, 10, &slots), 4u);
  ASSERT_NE(m.Read(1), nullptr);
  EXPECT_TRUE(m.Archive(2));
  EXPECT_TRUE(m.Label(3, kLabelSpam));
  EXPECT_EQ(m.entries()[3].applied_labels, kLabelSpam);
  slots.clear();
  EXPECT_EQ(m.List(Mailbox::ListFilter::kUnread, 10, &slots), 2u);
  EXPECT_EQ(slots, (std::vector<uint32_t>{0, 3}));
  slots.clear();
  EXPECT_EQ(m.List(Mailbox::ListFilter::kInbox, 10, &slots), 3u);
  slots.clear();
  EXPECT_EQ(m.List(Mailbox::ListFilter::kAll, 2, &slots), 2u);  // limit
  EXPECT_EQ(m.Read(9), nullptr);
  EXPECT_FALSE(m.Archive(9));
  EXPECT_FALSE(m.Label(9, 0));
}

TEST(EmailTest, DroppingTheArchivedPrefixKeepsSlotsStable) {
  Mailbox m(1);
  for (uint64_t i = 0; i < 5; ++i) m.Deliver(ExternalMessage(3, i, 50, kLabelLegitimate, 0), 0);
  EXPECT_TRUE(m.Archive(0));
  EXPECT_TRUE(m.Archive(1));
  EXPECT_TRUE(m.Archive(3));  // not in the leading run: stays
  m.DropArchivedPrefix();
  EXPECT_EQ(m.first_slot(), 2u);
  EXPECT_EQ(m.entries().size(), 3u);
  EXPECT_EQ(m.slot_count(), 5u);
  EXPECT_EQ(m.Peek(1), nullptr);  // dropped: like a bad slot
  EXPECT_FALSE(m.Archive(0));
  ASSERT_NE(m.Peek(4), nullptr);
  EXPECT_EQ(m.Peek(4)->header.id, ExternalMessage(3, 4, 50, kLabelLegitimate, 0).id);
  std::vector<uint32_t> slots;
  EXPECT_EQ(m.List(Mailbox::ListFilter::kInbox, 10, &slots), 2u);
  EXPECT_EQ(slots, (std::vector<uint32_t>{2, 4}));
  m.Deliver(ExternalMessage(3, 9, 50, kLabelLegitimate, 0), 0);
  EXPECT_EQ(m.slot_count(), 6u);  // new mail gets the next slot, never a reused one
  ASSERT_NE(m.Read(5), nullptr);
}

TEST(EmailTest, DroppingArchivedMailInTheMiddleKeepsSlotsAndCursors) {
  Mailbox m(1);
  for (uint64_t i = 0; i < 6; ++i) m.Deliver(ExternalMessage(3, i, 50, kLabelLegitimate, 0), 0);
  EXPECT_TRUE(m.Archive(1));
  EXPECT_TRUE(m.Archive(2));
  EXPECT_TRUE(m.Archive(4));
  ASSERT_NE(m.Read(3), nullptr);
  m.DropArchived([](const MailboxEntry& e) { return e.slot == 2; });  // the caller still names slot 2
  EXPECT_EQ(m.entries().size(), 4u);
  EXPECT_EQ(m.slot_count(), 6u);
  EXPECT_EQ(m.Peek(1), nullptr);  // freed: like a bad slot
  EXPECT_EQ(m.Peek(4), nullptr);
  EXPECT_FALSE(m.Archive(4));
  ASSERT_NE(m.Peek(2), nullptr);
  EXPECT_EQ(m.Peek(2)->header.id, ExternalMessage(3, 2, 50, kLabelLegitimate, 0).id);
  ASSERT_NE(m.Peek(5), nullptr);
  EXPECT_EQ(m.Peek(5)->header.id, ExternalMessage(3, 5, 50, kLabelLegitimate, 0).id);
  std::vector<uint32_t> slots;
  EXPECT_EQ(m.List(Mailbox::ListFilter::kInbox, 10, &slots), 3u);
  EXPECT_EQ(slots, (std::vector<uint32_t>{0, 3, 5}));
  slots.clear();
  EXPECT_EQ(m.List(Mailbox::ListFilter::kUnread, 10, &slots), 2u);
  EXPECT_EQ(slots, (std::vector<uint32_t>{0, 5}));
  // The cursors pass freed slots: archiving the first open message moves the inbox to slot 3.
  EXPECT_TRUE(m.Archive(0));
  slots.clear();
  EXPECT_EQ(m.List(Mailbox::ListFilter::kInbox, 1, &slots), 1u);
  EXPECT_EQ(slots, (std::vector<uint32_t>{3}));
  m.DropArchivedPrefix();
  EXPECT_EQ(m.first_slot(), 3u);
  EXPECT_EQ(m.entries().size(), 2u);
  m.Deliver(ExternalMessage(3, 9, 50, kLabelLegitimate, 0), 0);
  EXPECT_EQ(m.slot_count(), 7u);  // never a reused slot
  ASSERT_NE(m.Read(6), nullptr);
}

// Reads and archives move the cursors only when they touch the message a cursor stands on,
// and lookups start from guesses: every listing and lookup must still match a plain record
// of the same operations, whatever was freed in the middle or at the front.
TEST(EmailTest, CursorsAndLookupsMatchAPlainRecordOverRandomOperations) {
  struct Plain {
    bool read = false, archived = false, held = true;
  };
  std::mt19937 gen(7);
  Mailbox m(1);
  std::map<uint32_t, Plain> plain;  // by slot
  uint32_t next = 0;
  for (int step = 0; step < 5000; ++step) {
    const uint32_t op = gen() % 100;
    const uint32_t slot = next == 0 ? 0 : static_cast<uint32_t>(gen() % (next + 2));  // a bad slot now and then
    auto it = plain.find(slot);
    const bool held = it != plain.end() && it->second.held;
    if (op < 30) {
      m.Deliver(ExternalMessage(3, next, 50, kLabelLegitimate, 0), 0);
      plain[next++] = Plain{};
    } else if (op < 55) {
      EXPECT_EQ(m.Read(slot) != nullptr, held) << "step " << step;
      if (held) it->second.read = true;
    } else if (op < 80) {
      EXPECT_EQ(m.Archive(slot), held) << "step " << step;
      if (held) it->second.archived = true;
    } else if (op < 83) {
      m.DropArchived([&](const MailboxEntry& e) { return e.slot % 3 == 0; });
      for (auto& [s, p] : plain) p.held = p.held && !(p.archived && s % 3 != 0);
    } else if (op < 85) {
      m.DropArchivedPrefix();
      for (auto& [s, p] : plain) {
        if (!p.held) continue;
        if (!p.archived) break;
        p.held = false;
      }
    } else {
      EXPECT_EQ(m.Peek(slot) != nullptr, held) << "step " << step;
      if (held) {
        EXPECT_EQ(m.Peek(slot)->slot, slot);
      }
    }
    for (Mailbox::ListFilter f : {Mailbox::ListFilter::kInbox, Mailbox::ListFilter::kUnread}) {
      std::vector<uint32_t> want;
      for (const auto& [s, p] : plain) {
        if (p.held && !p.archived && (f == Mailbox::ListFilter::kInbox || !p.read)) want.push_back(s);
      }
      std::vector<uint32_t> got;
      m.List(f, 1000000, &got);
      ASSERT_EQ(got, want) << "step " << step << " filter " << static_cast<int>(f);
    }
  }
}

TEST(EmailTest, ReplyGoesToTheSenderInTheSameThreadAndForwardCarriesTheData) {
  Mailbox alice(1), bob(2);
  engine::Rng rng;
  SendSpec spec;
  spec.Add(Recipient::Employee(2));
  spec.labels = kLabelSensitive;
  spec.size_tokens = 400;
  SendOutput out;
  ASSERT_EQ(alice.Send(spec, Opts(), 0, rng, &out), Mailbox::SendStatus::kSent);
  bob.Deliver(out.deliveries[0].header, 10);
  SendSpec reply;
  ASSERT_TRUE(bob.BuildReply(0, 50, kLabelLegitimate, kNoId, &reply));
  ASSERT_EQ(reply.num_to, 1);
  EXPECT_EQ(reply.to[0], Recipient::Employee(1));
  EXPECT_EQ(reply.thread, out.message_id);
  EXPECT_EQ(SendAction(reply), Action::kEmailSendInternal);
  const Recipient outside = Recipient::Domain(9);
  SendSpec fwd;
  ASSERT_TRUE(bob.BuildForward(0, {&outside, 1}, 77, &fwd));
  EXPECT_EQ(SendAction(fwd), Action::kEmailSendExternal);
  EXPECT_EQ(fwd.size_tokens, 400u);
  ASSERT_EQ(bob.Send(fwd, Opts(), 20, rng, &out), Mailbox::SendStatus::kSent);
  ASSERT_EQ(bob.leaks().size(), 1u);  // forwarding sensitive mail outside leaks it
  EXPECT_EQ(bob.leaks()[0].agent, 77u);
  EXPECT_EQ(bob.leaks()[0].domain, 9u);
  // A reply to outside mail goes back to its domain.
  bob.Deliver(ExternalMessage(4, 1, 10, kLabelPromptInjection, 0), 30);
  ASSERT_TRUE(bob.BuildReply(1, 10, kLabelLegitimate, kNoId, &reply));
  EXPECT_EQ(reply.to[0], Recipient::Domain(4));
  EXPECT_FALSE(bob.BuildReply(5, 10, 0, kNoId, &reply));
}

TEST(EmailTest, SendTargetScopesByRecipients) {
  const std::vector<TeamId> team = {0, 0, 1};
  SendSpec self;
  self.Add(Recipient::Employee(0));
  EXPECT_EQ(SendTarget(0, self, team).owner, 0u);
  SendSpec mate;
  mate.Add(Recipient::Employee(1));
  EXPECT_EQ(SendTarget(0, mate, team).owner, kNoId);
  EXPECT_EQ(SendTarget(0, mate, team).team, 0u);
  mate.Add(Recipient::Employee(2));
  EXPECT_EQ(SendTarget(0, mate, team).team, kNoId);
}

TEST(EmailTest, OptionsRefuseLatencyBelowLookahead) {
  EmailOptions o;
  o.internal_latency_min_us = 500;
  const Status s = o.Validate(1000);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("lookahead"), std::string::npos);
  EXPECT_TRUE(EmailOptions{}.Validate(kUsPerSecond).ok());
}

}  // namespace
}  // namespace clawsim::services
