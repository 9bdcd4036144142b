// Channels: posts, replies, reactions, reads, rate limits, exposure and bot noise.
#include <gtest/gtest.h>

#include <vector>

#include "mock_services/chat.h"

namespace clawsim::services {
namespace {

// Employees 0, 1 in team 0; 2 in team 1; 3 in team 2.
const std::vector<TeamId> kTeams = {0, 0, 1, 2};

ChatPost PostBy(EmployeeId poster, AgentId agent = kNoId) {
  ChatPost p;
  p.poster = poster;
  p.agent = agent;
  p.size_tokens = 10;
  return p;
}

TEST(ChatTest, PostReplyReactAndReadAdvanceState) {
  Channel ch(0, ChannelKind::kProject, 0, {2, 0, 1, 0}, kTeams);
  EXPECT_EQ(ch.members(), (std::vector<EmployeeId>{0, 1, 2}));  // sorted, deduplicated
  ChatPost p = PostBy(0);
  p.mentions[0] = 2;
  p.num_mentions = 1;
  const Channel::PostResult first = ch.Post(p, 100, ChatOptions{});
  ASSERT_EQ(first.status, ChatStatus::kOk);
  EXPECT_EQ(first.message_id, 0u);
  ChatPost reply = PostBy(2);
  reply.thread_root = 0;
  ASSERT_EQ(ch.Post(reply, 200, ChatOptions{}).status, ChatStatus::kOk);
  EXPECT_EQ(ch.messages()[0].replies, 1u);
  EXPECT_EQ(ch.React(1, 0), ChatStatus::kOk);
  EXPECT_EQ(ch.messages()[0].reactions, 1u);
  EXPECT_EQ(ch.React(3, 0), ChatStatus::kNotMember);
  EXPECT_EQ(ch.React(1, 5), ChatStatus::kNoSuchMessage);
  const Channel::ReadResult r = ch.Read(2);
  EXPECT_EQ(r.messages, 2u);
  EXPECT_EQ(r.tokens, 20u);
  EXPECT_EQ(r.mentions_of_reader, 1u);
  EXPECT_EQ(ch.Read(2).messages, 0u);  // nothing new
  EXPECT_EQ(ch.Read(3).status, ChatStatus::kNotMember);
  EXPECT_EQ(ch.stats().posts, 1u);
  EXPECT_EQ(ch.stats().replies, 1u);
}

TEST(ChatTest, RetentionDropsTheOlderHalfAndKeepsIdsUnique) {
  Channel ch(0, ChannelKind::kTeam, 0, {0, 1}, kTeams);
  ChatOptions o;
  o.max_posts_per_window = 0;
  o.retained_messages = 4;
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(ch.Post(PostBy(0), i, o).message_id, i);
  // The fifth post passed the limit: only the newest two (3, 4) are kept.
  EXPECT_EQ(ch.first_message(), 3u);
  EXPECT_EQ(ch.messages().size(), 2u);
  EXPECT_EQ(ch.message_count(), 5u);
  EXPECT_EQ(ch.React(1, 0), ChatStatus::kNoSuchMessage);
  EXPECT_EQ(ch.React(1, 4), ChatStatus::kOk);
  ChatPost reply = PostBy(1);
  reply.thread_root = 1;
  EXPECT_EQ(ch.Post(reply, 10, o).status, ChatStatus::kNoSuchMessage);
  EXPECT_EQ(ch.Read(1).messages, 2u);  // only what is still held
  EXPECT_EQ(ch.Post(PostBy(0), 11, o).message_id, 5u);
}

TEST(ChatTest, WithoutHeldMessagesIdsExposuresAndCountsStay) {
  Channel ch(0, ChannelKind::kTeam, 0, {0, 1}, kTeams);
  ChatOptions o;
  o.max_posts_per_window = 0;
  o.hold_messages = false;
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(ch.Post(PostBy(0), i, o).message_id, i);
  EXPECT_TRUE(ch.messages().empty());
  EXPECT_EQ(ch.message_count(), 3u);
  EXPECT_EQ(ch.stats().posts, 3u);
  EXPECT_EQ(ch.React(1, 2), ChatStatus::kNoSuchMessage);
}

TEST(ChatTest, RefusedPostsChangeNothing) {
  Channel ch(0, ChannelKind::kTeam, 0, {0, 1}, kTeams);
  ChatOptions o;
  o.max_posts_per_window = 2;
  EXPECT_EQ(ch.Post(PostBy(3), 0, o).status, ChatStatus::kNotMember);
  ChatPost orphan = PostBy(0);
  orphan.thread_root = 4;
  EXPECT_EQ(ch.Post(orphan, 0, o).status, ChatStatus::kNoSuchMessage);
  EXPECT_EQ(ch.Post(PostBy(0), 0, o).status, ChatStatus::kOk);
  EXPECT_EQ(ch.Post(PostBy(0), 1, o).status, ChatStatus::kOk);
  EXPECT_EQ(ch.Post(PostBy(0), 2, o).status, ChatStatus::kRateLimited);
  EXPECT_EQ(ch.Post(PostBy(1), 3, o).status, ChatStatus::kOk);  // per poster
  EXPECT_EQ(ch.messages().size(), 3u);
  EXPECT_EQ(ch.stats().rate_limited, 1u);
}

TEST(ChatTest, SensitivePostReachingOutsidersIsAnExposure) {
  Channel company(5, ChannelKind::kCompany, kNoId, {0, 1, 2, 3}, kTeams);
  Channel team0(1, ChannelKind::kTeam, 0, {0, 1}, kTeams);
  ChatPost secret = PostBy(0, 42);
  secret.audience_team = 0;
  const Channel::PostResult in_team = team0.Post(secret, 10, ChatOptions{});
  EXPECT_EQ(in_team.exposed_readers, 0u);
  EXPECT_TRUE(team0.exposures().empty());
  const Channel::PostResult wide = company.Post(secret, 20, ChatOptions{});
  EXPECT_EQ(wide.exposed_readers, 2u);  // employees 2 and 3
  ASSERT_EQ(company.exposures().size(), 1u);
  EXPECT_EQ(company.exposures()[0].agent, 42u);
  EXPECT_EQ(company.exposures()[0].audience_team, 0u);
  company.Post(PostBy(1), 30, ChatOptions{});  // not sensitive
  EXPECT_EQ(company.exposures().size(), 1u);
}

TEST(ChatTest, BotNoiseCountsAgentPostsNobodyNeeded) {
  Channel ch(0, ChannelKind::kTeam, 0, {0, 1}, kTeams);
  ChatPost noise = PostBy(0, 7);
  noise.needed = false;
  ChatPost useful = PostBy(0, 7);
  ChatPost human_chatter = PostBy(1);
  human_chatter.needed = false;
  ch.Post(noise, 0, ChatOptions{});
  ch.Post(noise, 1, ChatOptions{});
  ch.Post(useful, 2, ChatOptions{});
  ch.Post(human_chatter, 3, ChatOptions{});
  EXPECT_EQ(ch.stats().bot_posts, 3u);
  EXPECT_EQ(ch.stats().bot_noise, 2u);
}

TEST(ChatTest, TargetsFollowTheChannelKind) {
  EXPECT_EQ(ChannelTarget(3, ChannelKind::kTeam, 2).team, 2u);
  EXPECT_EQ(ChannelTarget(3, ChannelKind::kCompany, 2).team, kNoId);
  EXPECT_EQ(ChannelTarget(3, ChannelKind::kIncident, 2).id, 3u);
}

}  // namespace
}  // namespace clawsim::services
