// Mock chat: channels with members, messages with mentions and threads, reactions.
//
// Ownership. Each Channel lives in its own LP. Requests (post, reply, react, read) arrive as
// events from employees' LPs; the permission gate (chat.post / chat.read) was checked at the
// requester's side, and the event carries its decision, so the channel's LP writes the audit
// record with the outcome (audit_log.h). Channel methods assume the request was admitted.
//
// Exposure. A post may carry sensitive data meant for one team (audience_team). Posted in a
// channel whose members include people outside that team, it is an exposure, counted with
// the number of readers it reached who should not have. A post with audience_team kAnyId is
// not sensitive.
//
// Bot noise. The requester states whether anyone needed the post (`needed`, ground truth from
// the model's work generator). Posts by agents that nobody needed are counted as bot noise.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "mock_services/ids.h"
#include "mock_services/policy.h"
#include "mock_services/rate_limit.h"
#include "sim/common/status.h"
#include "sim/engine/time.h"

namespace clawsim::services {

enum class ChannelKind : uint8_t { kTeam, kProject, kIncident, kCompany };
const char* ChannelKindName(ChannelKind k);

enum class ChatStatus : uint8_t { kOk, kNotMember, kRateLimited, kNoSuchMessage };

inline constexpr int kMaxMentions = 4;
inline constexpr uint32_t kNoMessage = UINT32_MAX;

struct ChatOptions {
  uint32_t max_posts_per_window = 30;  // per poster per channel; 0: unlimited
  engine::TimeUs post_window_us = engine::kUsPerHour;
  // Messages a channel keeps (0: all). Past it, the older half is dropped; ids stay unique
  // and replies or reactions to dropped messages are refused as kNoSuchMessage.
  uint32_t retained_messages = 0;
  // False: a channel holds no messages at all, only what posting needs (members, rate limits,
  // ids, exposures, counters). For callers that never read a channel back, reply or react
  // (replies and reactions are then refused as kNoSuchMessage; Read counts nothing).
  bool hold_messages = true;

  Status Validate() const;
};

// A post or a reply, as it travels from the requester to the channel's LP.
struct ChatPost {
  EmployeeId poster = 0;          // the employee (the agent's owner when an agent posts)
  AgentId agent = kNoId;
  uint32_t size_tokens = 0;
  uint32_t thread_root = kNoMessage;  // kNoMessage: a new top-level message
  TeamId audience_team = kAnyId;      // sensitive data for this team only; kAnyId: not sensitive
  bool needed = true;                 // ground truth: did anyone need it?
  uint8_t num_mentions = 0;
  std::array<EmployeeId, kMaxMentions> mentions{};
};

struct ChatMessage {
  uint32_t id = 0;                 // index in the channel
  engine::TimeUs posted_at_us = 0;
  ChatPost post;
  uint32_t replies = 0;
  uint32_t reactions = 0;
};

struct ExposureRecord {
  engine::TimeUs time_us = 0;
  uint32_t message_id = 0;
  EmployeeId poster = 0;
  AgentId agent = kNoId;
  TeamId audience_team = 0;
  uint32_t exposed_readers = 0;  // members outside audience_team
};

class Channel {
 public:
  struct PostResult {
    ChatStatus status = ChatStatus::kOk;
    uint32_t message_id = kNoMessage;
    uint32_t exposed_readers = 0;  // > 0: an exposure was recorded
  };
  struct ReadResult {
    ChatStatus status = ChatStatus::kOk;
    uint32_t messages = 0;           // new since the member's last read
    uint64_t tokens = 0;             // their total size
    uint32_t mentions_of_reader = 0; // how many of them mention the reader
  };

  Channel() = default;
  // `members` in any order (duplicates are removed); team_of_employee is the org table.
  Channel(ChannelId id, ChannelKind kind, TeamId team, std::vector<EmployeeId> members,
          std::span<const TeamId> team_of_employee);

  // The gate target of a request on this channel: owned by its team (team and project
  // channels), or by nobody (company and incident channels). Read-only shared data is
  // enough to build it; see ChannelTarget.
  Target AsTarget() const;

  // chat.post: a post, or a reply when post.thread_root names a message.
  PostResult Post(const ChatPost& post, engine::TimeUs now_us, const ChatOptions& options);
  // chat.post: one reaction by a member.
  ChatStatus React(EmployeeId member, uint32_t message_id);
  // chat.read: what is new for `member` since their last read; advances their cursor.
  ReadResult Read(EmployeeId member);

  bool IsMember(EmployeeId e) const;
  ChannelId id() const { return id_; }
  ChannelKind kind() const { return kind_; }
  TeamId team() const { return team_; }
  const std::vector<EmployeeId>& members() const { return members_; }
  // The messages still held, from id first_message() on (all of them unless the options
  // limit retention).
  const std::vector<ChatMessage>& messages() const { return messages_; }
  uint32_t first_message() const { return first_message_; }
  uint32_t message_count() const { return first_message_ + static_cast<uint32_t>(messages_.size()); }
  const std::vector<ExposureRecord>& exposures() const { return exposures_; }
  struct Stats {
    uint64_t posts = 0, replies = 0, reactions = 0, reads = 0;
    uint64_t bot_posts = 0, bot_noise = 0;  // posts by agents; those nobody needed
    uint64_t rate_limited = 0, refused = 0;
    uint64_t tokens_posted = 0;
  };
  const Stats& stats() const { return stats_; }
  // Heap bytes this channel holds (by capacity), for memory reports.
  size_t BytesReserved() const {
    return members_.capacity() * sizeof(EmployeeId) + member_team_.capacity() * sizeof(TeamId) +
           post_rate_.capacity() * sizeof(FixedWindowCounter) + read_cursor_.capacity() * sizeof(uint32_t) +
           messages_.capacity() * sizeof(ChatMessage) + exposures_.capacity() * sizeof(ExposureRecord);
  }

 private:
  int MemberIndex(EmployeeId e) const;  // -1 if not a member
  ChatMessage* Find(uint32_t message_id);  // null if dropped or never posted
  uint32_t MembersOutside(TeamId team) const;

  ChannelId id_ = 0;
  ChannelKind kind_ = ChannelKind::kTeam;
  TeamId team_ = kNoId;
  std::vector<EmployeeId> members_;                  // sorted
  std::vector<TeamId> member_team_;                  // parallel to members_
  std::vector<FixedWindowCounter> post_rate_;        // parallel to members_
  std::vector<uint32_t> read_cursor_;                // parallel to members_: next unread message
  std::vector<ChatMessage> messages_;
  uint32_t first_message_ = 0;                       // id of messages_[0]
  std::vector<ExposureRecord> exposures_;
  Stats stats_;
};

// The gate target for a channel, from read-only data a requester's LP may read.
Target ChannelTarget(ChannelId id, ChannelKind kind, TeamId team);

}  // namespace clawsim::services
