#include "mock_services/chat.h"

#include <algorithm>
#include <string>

namespace clawsim::services {

const char* ChannelKindName(ChannelKind k) {
  switch (k) {
    case ChannelKind::kTeam: return "team";
    case ChannelKind::kProject: return "project";
    case ChannelKind::kIncident: return "incident";
    case ChannelKind::kCompany: return "company";
  }
  return "?";
}

Status ChatOptions::Validate() const {
  if (max_posts_per_window > 0 && post_window_us <= 0) {
    return Status::Error("chat: post_window_us must be > 0 when max_posts_per_window is set");
  }
  return Status::Ok();
}

Target ChannelTarget(ChannelId id, ChannelKind kind, TeamId team) {
  Target t;
  t.id = id;
  t.team = kind == ChannelKind::kTeam || kind == ChannelKind::kProject ? team : kNoId;
  return t;
}

Channel::Channel(ChannelId id, ChannelKind kind, TeamId team, std::vector<EmployeeId> members,
                 std::span<const TeamId> team_of_employee)
    : id_(id), kind_(kind), team_(team), members_(std::move(members)) {
  std::sort(members_.begin(), members_.end());
  members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
  member_team_.reserve(members_.size());
  for (EmployeeId e : members_) member_team_.push_back(team_of_employee[e]);
  post_rate_.resize(members_.size());
  read_cursor_.resize(members_.size(), 0);
}

Target Channel::AsTarget() const { return ChannelTarget(id_, kind_, team_); }

int Channel::MemberIndex(EmployeeId e) const {
  auto it = std::lower_bound(members_.begin(), members_.end(), e);
  return it != members_.end() && *it == e ? static_cast<int>(it - members_.begin()) : -1;
}

bool Channel::IsMember(EmployeeId e) const { return MemberIndex(e) >= 0; }

uint32_t Channel::MembersOutside(TeamId team) const {
  return static_cast<uint32_t>(std::count_if(member_team_.begin(), member_team_.end(),
                                             [team](TeamId t) { return t != team; }));
}

Channel::PostResult Channel::Post(const ChatPost& post, engine::TimeUs now_us, const ChatOptions& options) {
  PostResult r;
  const int m = MemberIndex(post.poster);
  if (m < 0) {
    ++stats_.refused;
    r.status = ChatStatus::kNotMember;
    return r;
  }
  if (post.thread_root != kNoMessage && Find(post.thread_root) == nullptr) {
    ++stats_.refused;
    r.status = ChatStatus::kNoSuchMessage;
    return r;
  }
  if (options.max_posts_per_window > 0 &&
      !post_rate_[static_cast<size_t>(m)].TryConsume(now_us, options.post_window_us, options.max_posts_per_window)) {
    ++stats_.rate_limited;
    r.status = ChatStatus::kRateLimited;
    return r;
  }
  ChatMessage msg;
  msg.id = message_count();
  msg.posted_at_us = now_us;
  msg.post = post;
  if (post.thread_root != kNoMessage) {
    ++Find(post.thread_root)->replies;
    ++stats_.replies;
  } else {
    ++stats_.posts;
  }
  stats_.tokens_posted += post.size_tokens;
  if (post.agent != kNoId) {
    ++stats_.bot_posts;
    if (!post.needed) ++stats_.bot_noise;
  }
  if (post.audience_team != kAnyId) {
    r.exposed_readers = MembersOutside(post.audience_team);
    if (r.exposed_readers > 0) {
      exposures_.push_back({now_us, msg.id, post.poster, post.agent, post.audience_team, r.exposed_readers});
    }
  }
  r.message_id = msg.id;
  if (!options.hold_messages) {
    ++first_message_;  // posted and gone: the next message gets the next id
    return r;
  }
  messages_.push_back(msg);
  // Keep the newest messages only: drop the older half once the limit is passed.
  if (options.retained_messages > 0 && messages_.size() > options.retained_messages) {
    const size_t drop = messages_.size() - options.retained_messages / 2;
    messages_.erase(messages_.begin(), messages_.begin() + static_cast<std::ptrdiff_t>(drop));
    first_message_ += static_cast<uint32_t>(drop);
  }
  return r;
}

ChatMessage* Channel::Find(uint32_t message_id) {
  if (message_id < first_message_ || message_id >= message_count()) return nullptr;
  return &messages_[message_id - first_message_];
}

ChatStatus Channel::React(EmployeeId member, uint32_t message_id) {
  if (MemberIndex(member) < 0) return ChatStatus::kNotMember;
  ChatMessage* msg = Find(message_id);
  if (msg == nullptr) return ChatStatus::kNoSuchMessage;
  ++msg->reactions;
  ++stats_.reactions;
  return ChatStatus::kOk;
}

Channel::ReadResult Channel::Read(EmployeeId member) {
  ReadResult r;
  const int m = MemberIndex(member);
  if (m < 0) {
    r.status = ChatStatus::kNotMember;
    return r;
  }
  uint32_t& cursor = read_cursor_[static_cast<size_t>(m)];
  cursor = std::max(cursor, first_message_);  // dropped messages are not read any more
  for (; cursor < message_count(); ++cursor) {
    const ChatMessage& msg = messages_[cursor - first_message_];
    ++r.messages;
    r.tokens += msg.post.size_tokens;
    for (int i = 0; i < msg.post.num_mentions; ++i) {
      if (msg.post.mentions[static_cast<size_t>(i)] == member) {
        ++r.mentions_of_reader;
        break;
      }
    }
  }
  ++stats_.reads;
  return r;
}

}  // namespace clawsim::services
